#!/usr/bin/env python3
"""Where the server's time goes per request, from a dotnet-trace sampled trace.

    python3 bench/profile_summary.py TRACE.speedscope.json REQUESTS

The trace (profile dotnet-sampled-thread-time: the managed stack of every thread, about 100
times a second) is converted by `dotnet-trace convert --format Speedscope`. Every sampled
stack is put in the first category (in the order below) whose pattern occurs anywhere on it; samples
whose innermost frames are a wait (idle pool threads, the socket event loop, timers, the
console logger) are idle and left out. REQUESTS is the number of requests served while the trace ran, so the table
can say sampled thread-microseconds per request as well as shares.
"""
import json
import sys

# (category, substrings of frame names); first match wins, so specific before general.
CATEGORIES = [
    # Off the request: the caches' batched re-reads (query, rows, comparison with what is served).
    ("background refreshes (re-read, compare)", ["RefreshQueue", "ScopedDatabase", "RefreshAsync"]),
    ("token validation (ES256 JWT, cached)", ["AccessTokens.", "JsonWebTokenHandler", "IdentityModel"]),
    ("session check (cache or query)", ["SessionStates.", "RequestAuthenticator."]),
    ("list query (EF Core + database driver)", ["ListMyWorkspacesHandler.LoadAsync", "MyWorkspacesCache.", "Microsoft.EntityFrameworkCore", "Npgsql", "Microsoft.Data.Sqlite", "SQLitePCL"]),
    ("JSON serialization (envelope + items)", ["SystemEnvelopeWriter", "System.Text.Json"]),
    ("list assembly (eligibility, wire items, labels)", ["ListMyWorkspacesHandler", "Eligibility", "SystemWorkspaceItem", "SystemEnums", "WorkspaceEndpoints"]),
    ("authentication/authorization framework", ["Microsoft.AspNetCore.Authentication", "Microsoft.AspNetCore.Authorization", "TenantryAuthenticationHandler"]),
    ("other middleware (localization, gateway, routing)", ["RequestLocalization", "LanguageNegotiation", "ResponseLanguage", "PortalGate",
                                                           "SecurityHeaders", "CrossSiteRequestGuard", "Utf8JsonBodies", "ConsoleHosting", "Antiforgery", "Cors", "ForwardedHeaders", "ExceptionHandler", "StatusCodePages", "Microsoft.AspNetCore.Routing", "RateLimiting", "Microsoft.AspNetCore.Http."]),
    ("Kestrel, HTTP parsing, sockets", ["Kestrel", "System.Net.Sockets", "System.IO.Pipelines", "Microsoft.AspNetCore.Hosting"]),
    ("GC and runtime", ["GarbageCollect", "gc_heap", "WKS::", "SVR::", "JIT", "Tiered"]),
]
# A thread whose innermost managed frames are one of these is waiting, not working.
IDLE_LEAVES = ["LowLevelLifoSemaphore", "LowLevelSpinWaiter", "WaitHandle.Wait", "Monitor.Wait", "Thread.Sleep",
               "WaitForSocketEvents", "TimerQueue.TimerThread", "GateThread", "SemaphoreSlim.Wait",
               "ManualResetEventSlim.Wait", "SpinThenBlockingWait", "FileSystemWatcher", "ConsoleLoggerProcessor",
               "Interop+Sys.Read", "Interop+Sys.Poll", "WaitOneNoCheck", "WorkerThread.WorkerThreadStart"]
# Pseudo-frames the converter puts at the tip of a stack (running managed code / in native code).
PSEUDO = ("CPU_TIME", "UNMANAGED_CODE_TIME")


# The finalizer thread waits inside this frame; only with frames above it is it running a finalizer.
FINALIZER_LOOP = "GC.RunFinalizers"


def is_idle(names):
    real = [n for n in names if not n.startswith(PSEUDO)]
    return not real or FINALIZER_LOOP in real[-1] or any(w in n for n in real[-3:] for w in IDLE_LEAVES)


def categorize(names):
    joined = "\n".join(names)
    for category, patterns in CATEGORIES:
        if any(p in joined for p in patterns):
            return category
    return "other"


def main():
    path, requests = sys.argv[1], int(sys.argv[2])
    with open(path) as f:
        data = json.load(f)
    frames = [fr["name"] for fr in data["shared"]["frames"]]
    totals = {}
    idle = 0.0
    for profile in data["profiles"]:
        stack = []
        last = None
        for event in profile.get("events", []):
            at = event["at"]
            if last is not None and stack and at > last:
                names = [frames[i] for i in stack]
                if is_idle(names):
                    idle += at - last
                else:
                    category = categorize(names)
                    totals[category] = totals.get(category, 0.0) + (at - last)
            last = at
            if event["type"] == "O":
                stack.append(event["frame"])
            elif stack:
                stack.pop()
    busy = sum(totals.values())
    unit = data["profiles"][0].get("unit", "milliseconds") if data["profiles"] else "milliseconds"
    scale = 1000.0 if unit == "milliseconds" else 1.0  # to microseconds
    print(f"| where | share of busy samples | sampled µs per request |")
    print(f"|---|---:|---:|")
    for category, value in sorted(totals.items(), key=lambda kv: -kv[1]):
        print(f"| {category} | {100 * value / busy:.1f} % | {value * scale / max(requests, 1):.1f} |")
    print(f"| **total busy** | 100 % | {busy * scale / max(requests, 1):.1f} |")
    print(f"\n(idle/waiting samples left out: {idle * scale / 1e6:.1f} s; requests during the trace: {requests})")


if __name__ == "__main__":
    main()

using Microsoft.Diagnostics.Tracing;
using Microsoft.Diagnostics.Tracing.Etlx;
using Microsoft.Diagnostics.Tracing.Parsers.Clr;

// Summarizes the GC's allocation samples (AllocationTick: one event per ~100 KB allocated, naming the
// type and the stack of the allocation that crossed the threshold) of a dotnet-trace file:
//
//   Allocations TRACE.nettrace REQUESTS
//
// prints, per allocated type and per "who allocated" (the innermost frame of the app or of the
// framework layer that asked for it), the sampled bytes and the bytes per request. Sampling makes
// single rows approximate; the totals match the GC's own allocation counter closely.
//   Allocations TRACE.nettrace REQUESTS TEXT
//
// prints instead the ten heaviest whole stacks of the samples whose type or site contains TEXT.
if (args.Length is < 2 or > 3 || !long.TryParse(args[1], out var requests) || requests <= 0)
{
    Console.Error.WriteLine("usage: Allocations TRACE.nettrace REQUESTS [TEXT]");
    return 2;
}
var filter = args.Length == 3 ? args[2] : null;
var stacks = new Dictionary<string, long>();

// The .etlx index (with the method names of the trace's rundown) is written next to the trace.
using var log = new TraceLog(TraceLog.CreateFromEventPipeDataFile(args[0]));
var byType = new Dictionary<string, long>();
var bySite = new Dictionary<string, long>();
long total = 0;
foreach (var data in log.Events)
{
    if (data is not GCAllocationTickTraceData tick)
    {
        continue;
    }
    // AllocationAmount64 is the bytes allocated since the previous sample: what this sample stands for.
    var bytes = tick.AllocationAmount64;
    total += bytes;
    var type = tick.TypeName ?? "?";
    var site = Site(tick.CallStack());
    Add(byType, type, bytes);
    Add(bySite, site, bytes);
    if (filter is not null && (type.Contains(filter) || site.Contains(filter)))
    {
        Add(stacks, type + "\n    " + string.Join("\n    ", Frames(tick.CallStack()).Take(14)), bytes);
    }
}

if (filter is not null)
{
    foreach (var (stack, bytes) in stacks.OrderByDescending(kv => kv.Value).Take(10))
    {
        Console.WriteLine($"{bytes / (double)requests:F0} bytes per request: {stack}");
    }
    return 0;
}

Console.WriteLine($"| allocated type | bytes per request | share |");
Console.WriteLine($"|---|---:|---:|");
Print(byType);
Console.WriteLine();
Console.WriteLine($"| allocated by | bytes per request | share |");
Console.WriteLine($"|---|---:|---:|");
Print(bySite);
Console.WriteLine();
Console.WriteLine($"(sampled {total / 1024.0 / 1024.0:F1} MiB over {requests} requests: {total / (double)requests:F0} bytes per request)");
return 0;

void Print(Dictionary<string, long> rows)
{
    var shown = 0L;
    foreach (var (name, bytes) in rows.OrderByDescending(kv => kv.Value).Take(int.TryParse(Environment.GetEnvironmentVariable("ALLOC_ROWS"), out var limit) ? limit : 25))
    {
        shown += bytes;
        Console.WriteLine($"| `{name}` | {bytes / (double)requests:F0} | {100.0 * bytes / total:F1} % |");
    }
    Console.WriteLine($"| (everything else) | {(total - shown) / (double)requests:F0} | {100.0 * (total - shown) / total:F1} % |");
}

static void Add(Dictionary<string, long> rows, string key, long bytes) =>
    rows[key] = rows.GetValueOrDefault(key) + bytes;

// The innermost frame outside the runtime's and the collections' own code: who asked for the memory.
static string Site(TraceCallStack? stack)
{
    string? first = null;
    for (var frame = stack; frame is not null; frame = frame.Caller)
    {
        var method = frame.CodeAddress.FullMethodName;
        if (string.IsNullOrEmpty(method))
        {
            continue;
        }
        first ??= method;
        if (!IsPlumbing(method))
        {
            return Shorten(method);
        }
    }
    return first is null ? "(no stack)" : Shorten(first);
}

static IEnumerable<string> Frames(TraceCallStack? stack)
{
    for (var frame = stack; frame is not null; frame = frame.Caller)
    {
        if (!string.IsNullOrEmpty(frame.CodeAddress.FullMethodName))
        {
            yield return Shorten(frame.CodeAddress.FullMethodName);
        }
    }
}

static bool IsPlumbing(string method) =>
    method.StartsWith("System.", StringComparison.Ordinal) && !method.StartsWith("System.Text.Json", StringComparison.Ordinal)
    || method.StartsWith("Microsoft.Extensions.DependencyInjection.ServiceLookup", StringComparison.Ordinal)
    || method.StartsWith("dynamicClass", StringComparison.Ordinal);

static string Shorten(string method)
{
    var paren = method.IndexOf('(');
    var name = paren > 0 ? method[..paren] : method;
    return name.Length > 110 ? name[..110] + "…" : name;
}

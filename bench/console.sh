#!/usr/bin/env bash
# Web console render time with a 10,000-member workspace (docs/BENCHMARKS.md, "The web console").
#
#   bench/console.sh [REQUESTS]        (default 300 requests per page)
#
# Seeds a fresh SQLite database with one workspace of 10,000 members (the tenantry CLI's `seed` command,
# src/Tenantry.Cli, as bench/run.sh seeds),
# starts the server (Release build, Production) on a loopback port, signs in with a seeded member's
# session token (the __session cookie) and requests each measured page REQUESTS times, one after the
# other, after 20 warm-up requests. Prints p50, p95 and p99 of curl's time_total (request sent to the
# last byte of the rendered page) per page. Needs curl and python3.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
REQUESTS="${1:-300}"
WORK="$(mktemp -d)"
PORT="${TENANTRY_BENCH_PORT:-5391}"
SERVER_PID=""
cleanup() { [[ -n $SERVER_PID ]] && kill "$SERVER_PID" 2>/dev/null || true; rm -rf "$WORK"; }
trap cleanup EXIT

dotnet build "$ROOT/src/Tenantry.Server" -c Release -v quiet >/dev/null
dotnet build "$ROOT/src/Tenantry.Cli" -c Release -v quiet >/dev/null
DLL="$ROOT/src/Tenantry.Server/bin/Release/net10.0/Tenantry.Server.dll"
CLI_DLL="$ROOT/src/Tenantry.Cli/bin/Release/net10.0/tenantry.dll"
export ASPNETCORE_ENVIRONMENT=Production Tenantry__DataDir="$WORK/data" Tenantry__Auth__PasswordHashIterations=1000
echo "Seeding 10,000 users, all members of one workspace ..."
dotnet "$CLI_DLL" seed --users 10000 --workspaces 1 --memberships 10000 --session-tokens-file "$WORK/sessions.txt" --token-sample 5 >/dev/null
TOKEN="$(head -n 1 "$WORK/sessions.txt")"

dotnet "$DLL" --urls "http://127.0.0.1:$PORT" >"$WORK/server.log" 2>&1 &
SERVER_PID=$!
for _ in $(seq 1 100); do curl -fs -o /dev/null "http://127.0.0.1:$PORT/console/sign-in" && break; sleep 0.3; done

BASE="http://127.0.0.1:$PORT"
WS="$(curl -fs -b "__session=$TOKEN" "$BASE/console" | grep -o '/console/workspaces/ws_[0-9a-z]*' | head -n 1 | sed 's#.*/##')"
[[ -n $WS ]] || { echo "no workspace found for the seeded member" >&2; exit 1; }
MEMBER_EMAIL="$(curl -fs -b "__session=$TOKEN" "$BASE/console/workspaces/$WS?page=77" | grep -o 'data-member="[^"]*"' | head -n 1 | sed 's/data-member="//; s/"//')"
SEARCH="${MEMBER_EMAIL%%@*}"

measure() {
    local label=$1 path=$2
    for _ in $(seq 1 20); do curl -fs -o /dev/null -b "__session=$TOKEN" "$BASE$path"; done
    for _ in $(seq 1 "$REQUESTS"); do curl -fs -o /dev/null -w '%{time_total}\n' -b "__session=$TOKEN" "$BASE$path"; done >"$WORK/times"
    python3 - "$label" "$WORK/times" <<'PY'
import sys
label, path = sys.argv[1], sys.argv[2]
t = sorted(float(x) * 1000 for x in open(path) if x.strip())
q = lambda p: t[min(len(t) - 1, int(round(p * (len(t) - 1))))]
print(f"{label:<44} n={len(t):<5} p50={q(0.50):7.1f} ms  p95={q(0.95):7.1f} ms  p99={q(0.99):7.1f} ms")
PY
}

echo "Workspace $WS with $(curl -fs -b "__session=$TOKEN" "$BASE/console/workspaces/$WS" | grep -o '[0-9][0-9]* members' | head -n 1); $REQUESTS requests per page"
measure "members, page 1"                       "/console/workspaces/$WS"
measure "members, page 200 (the last)"          "/console/workspaces/$WS?page=200"
measure "members, search \"$SEARCH\""           "/console/workspaces/$WS?q=$SEARCH"
measure "my workspaces"                         "/console"
measure "roles"                                 "/console/workspaces/$WS/roles"

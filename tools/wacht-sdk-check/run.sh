#!/usr/bin/env bash
# Checks Tenantry against Wacht's own React SDK (README, "The Wacht dialect", "Checked against the real SDK"):
# bundles a small app whose `@wacht/jsx` and `@wacht/types` are a react-sdk checkout's sources, unmodified,
# starts a Release Tenantry on loopback with a fresh SQLite data dir, serves the app on another loopback
# origin and drives it in Debian's chromium through the SDK's flows. One PASS/FAIL/SKIP line per flow;
# exits non-zero when a flow fails. Not part of ./test.sh: the SDK is not on a package registry.
#
# Usage: tools/wacht-sdk-check/run.sh <react-sdk checkout> [--no-build]
#   the checkout: a work tree of github.com/wacht-platform/react-sdk, or its git directory (HEAD is used)
#   --no-build: use the Release server already built (src/Tenantry.Server/bin/Release)
# Needs Node.js 20+ and npm (this folder's lockfile), the .NET SDK and chromium (TENANTRY_CHROMIUM to override).
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
START=$SECONDS

SDK_ARG="${1:-}"
BUILD=1
[[ ${2:-} == --no-build ]] && BUILD=0
if [[ -z $SDK_ARG || ! -d $SDK_ARG ]]; then
    echo "usage: $0 <react-sdk checkout or its git directory> [--no-build]" >&2
    exit 2
fi
CHROMIUM="${TENANTRY_CHROMIUM:-/usr/bin/chromium}"
if [[ ! -x $CHROMIUM ]]; then
    echo "no chromium at $CHROMIUM: apt-get install -y chromium, or set TENANTRY_CHROMIUM" >&2
    exit 2
fi
if ! command -v node >/dev/null || (($(node -p 'process.versions.node.split(".")[0]') < 20)); then
    echo "Node.js 20 or later is needed" >&2
    exit 2
fi

WORK="$(mktemp -d "${TMPDIR:-/tmp}/wacht-sdk-check.XXXXXX")"
SERVER_PID=""
cleanup() {
    if [[ -n $SERVER_PID ]]; then
        kill "$SERVER_PID" 2>/dev/null || true
        wait "$SERVER_PID" 2>/dev/null || true
    fi
    rm -rf "$WORK"
}
trap cleanup EXIT

# The SDK's sources: the work tree as it is, or the git directory's HEAD laid out in the scratch folder.
SDK="$(cd "$SDK_ARG" && pwd)"
SDK_COMMIT="$(git -C "$SDK" rev-parse HEAD 2>/dev/null || echo "unknown (not a git checkout)")"
if [[ ! -f $SDK/jsx/lib/index.ts ]]; then
    if ! git -C "$SDK" rev-parse --git-dir >/dev/null 2>&1; then
        echo "$SDK is neither a react-sdk checkout (jsx/lib/index.ts) nor its git directory" >&2
        exit 2
    fi
    mkdir "$WORK/sdk"
    git -C "$SDK" archive HEAD | tar -x -C "$WORK/sdk"
    SDK="$WORK/sdk"
fi
echo "Wacht react-sdk at commit $SDK_COMMIT"

(cd "$HERE" && npm ci --no-audit --no-fund --silent)
node "$HERE/bundle.mjs" "$SDK" "$WORK/app"

if ((BUILD)); then
    dotnet build "$ROOT/src/Tenantry.Server" -c Release -nologo -v quiet
fi
SERVER_DLL="$ROOT/src/Tenantry.Server/bin/Release/net10.0/Tenantry.Server.dll"
[[ -f $SERVER_DLL ]] || { echo "no Release build at $SERVER_DLL (run without --no-build)" >&2; exit 2; }

free_port() {
    node -e 'const s = require("net").createServer().listen(0, "127.0.0.1", () => { console.log(s.address().port); s.close(); })'
}
TENANTRY_PORT="$(free_port)"
APP_PORT="$(free_port)"
while [[ $APP_PORT == "$TENANTRY_PORT" ]]; do APP_PORT="$(free_port)"; done
TENANTRY_URL="http://127.0.0.1:$TENANTRY_PORT"

# A staging-like deployment: development sessions (the SDK's pk_test_ mode, __dev_session__) on, the app's
# origin allowed cross-site, emails written as .eml files, the per-IP limits out of the way of one machine.
# Lighter captcha challenges: offline, the Cap widget cannot fetch its WebAssembly solver from its CDN and solves
# with its JavaScript fallback; the protocol is the same, and /auth/* still check the pass the form sends.
env ASPNETCORE_ENVIRONMENT=Production Tenantry__DataDir="$WORK/tenantry" Tenantry__Email__PickupDirectory="$WORK/mail" \
    Tenantry__Wacht__DevelopmentSessions=true Tenantry__Wacht__AllowedOrigins__0="http://127.0.0.1:$APP_PORT" \
    Tenantry__Wacht__RequestsPerMinutePerIp=100000 Tenantry__Wacht__Captcha__Difficulty=3 Tenantry__Wacht__Captcha__ChallengeCount=10 \
    Tenantry__Auth__AuthRequestsPerIp=100000 Tenantry__Auth__SignInAttemptsPerAccount=100000 \
    Tenantry__Auth__InvitationsPerIp=100000 Tenantry__Auth__InvitationsPerAccount=100000 \
    Logging__LogLevel__Default=Warning \
    dotnet "$SERVER_DLL" --urls "$TENANTRY_URL" >"$WORK/tenantry.log" 2>&1 &
SERVER_PID=$!
for ((i = 0; i < 240; i++)); do
    if curl -fsS -o /dev/null "$TENANTRY_URL/health/ready" 2>/dev/null; then break; fi
    if ! kill -0 "$SERVER_PID" 2>/dev/null; then break; fi
    sleep 0.25
done
if ! curl -fsS -o /dev/null "$TENANTRY_URL/health/ready" 2>/dev/null; then
    echo "Tenantry did not become ready on $TENANTRY_URL; its log:" >&2
    tail -n 40 "$WORK/tenantry.log" >&2
    exit 1
fi
echo "Tenantry (Release) is ready on $TENANTRY_URL; the app is served on http://127.0.0.1:$APP_PORT"

rc=0
TENANTRY_URL="$TENANTRY_URL" APP_DIR="$WORK/app" APP_PORT="$APP_PORT" MAIL_DIR="$WORK/mail" CHROMIUM="$CHROMIUM" \
    node "$HERE/check.mjs" || rc=$?
if ((rc != 0)); then
    echo "--- the server's log (last 40 lines) ---"
    tail -n 40 "$WORK/tenantry.log"
fi
echo "react-sdk $SDK_COMMIT; whole run $((SECONDS - START)) s"
exit "$rc"

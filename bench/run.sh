#!/usr/bin/env bash
# Tenantry hot-path benchmark: "list my workspaces" against this machine's own ceiling.
#
#   bench/run.sh                       one-workspace users and the small dataset (~10k memberships), SQLite and PostgreSQL
#   bench/run.sh --datasets small,large
#   bench/run.sh --dbs sqlite --datasets large --duration 30
#   bench/run.sh --dbs postgres,citus --datasets large --write-mix 15
#
# For each database x dataset it: seeds the dataset with the CLI's `tenantry seed` command (or
# reuses the one cached under bench/.data, keyed by its sizes, minting fresh tokens), starts
# the Release server on loopback, warms up, drives every endpoint in ENDPOINTS with wrk and
# bench/workspaces.lua (rotating through the sampled users' tokens, full gateway header set),
# and the bare-Kestrel ceiling (bench/Ceiling, answering each sampled user a body of the size the
# endpoint answers them, with the same tokens and headers) in alternating slices with the same wrk
# settings, and prints req/s, p50, p99 and the ratio to the ceiling. Alternating matters on a shared machine: its speed drifts by tens of per
# cent within minutes, and a ceiling measured minutes after the endpoint makes the ratio follow
# the drift. Everything listens on 127.0.0.1 only; every process it starts is stopped by PID.
#
# citus: a throwaway cluster (coordinator + two workers) from ../shared/tools/citus-cluster.sh `up`
# in a temporary folder, removed with `down` at the end; each dataset is seeded into a database of
# its own on it (the same seeding path as PostgreSQL), so nothing is cached between runs.
#
# --write-mix S: after the reads, S seconds of the write-heavy mix (bench/writes.lua: invite, accept,
# role change, remove, each team in its own cycle) on the same server; its row has no ceiling. The
# teams are made through the API first (bench/writes_fixture.py) and stay in the dataset.
#
# Options (defaults in brackets):
#   --datasets LIST     one,small,large                               [one,small]
#   --dbs LIST          sqlite,postgres,citus                         [sqlite,postgres]
#   --endpoints LIST    names from ENDPOINTS below (none: only the write mix)       [all]
#   --duration S        measured seconds per endpoint, and as many for its ceiling   [15]
#   --rounds N          slices the measured seconds are cut into, alternating endpoint and
#                       ceiling (req/s over all slices; p50/p99: the median slice's)  [3]
#   --server-warmup S   warm-up of a freshly started server (or ceiling) before its first
#                       measured run: JIT tiering, thread pool growth, caches     [20]
#   --warmup S          warm-up seconds before each measured slice    [5]
#                       A slice starts after the other process's slice, so the server has been idle
#                       longer than its cache bound (Tenantry:Cache:MaxStaleness, 5 s): every cached
#                       list and session has expired and the first requests read the database again.
#                       On PostgreSQL with 1000 rotating users refilling takes 2-3 s under load; a
#                       2-second warm-up let it spill into the measured slice (p99 over 140 ms).
#   --connections N     wrk connections                               [64]
#   --threads N         wrk threads                                   [2]
#   --label TEXT        tag for this run in the results file          [default]
#   --server-arg ARG    extra server setting, repeatable, e.g. --server-arg --Tenantry:Cache:MaxStaleness=00:00:00
#   --server-env K=V    extra environment variable for the server only (not the ceiling), repeatable,
#                       e.g. --server-env DOTNET_GCgen0size=0x4000000
#   --after-start CMD   run `CMD <port> <data dir>` in the background once each server is ready, and SIGTERM it
#                       after that server's last measured run (bench/webhooks.py backlog: deliveries beside the run)
#   --write-mix S       also S seconds of the write mix per database and dataset      [0: none]
#   --write-connections N   wrk threads = connections of the write mix (one team each)  [16]
#   --citus-shards N    citus.shard_count of the Citus databases (the tests use 4)     [4]
#   --no-build          use the existing Release build
#   --alloc-profile S   after each endpoint's measured run, an S-second wrk run with the GC's allocation
#                       samples traced (dotnet-trace), summarized by bench/Allocations: bytes per request
#                       by allocated type and by who allocated them
#   --profile S         also take an S-second dotnet-trace CPU sample of the server during the first
#                       endpoint's measured run (installs the dotnet-trace tool when missing) and print
#                       where the time goes (bench/profile_summary.py); that run's req/s include the
#                       sampling overhead
# Environment: BENCH_PG_BIN (PostgreSQL bin dir), BENCH_TOKEN_SAMPLE [1000].
# Results: bench/results/<timestamp>-<label>.tsv (git-ignored). Datasets: bench/.data (git-ignored).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
BENCH="$ROOT/bench"
DATA="$BENCH/.data"
RESULTS="$BENCH/results"

# name  path  auth(bearer|cookie): adding an endpoint is one line here.
ENDPOINTS=(
    "system-mine /web/v1/system/workspaces/mine bearer"
    "tenant-mine /web/v1/tenant/workspaces/mine bearer"
    "wacht-memberships /me/workspace-memberships cookie"
)

# one: 40 users who each own one workspace and belong to nothing else (most real users sit in one
# to five workspaces, so most answers are small: ~750 bytes in SYSTEM). With small answers the fixed
# cost of each request dominates.
declare -A DATASET_ARGS=(
    [one]="--users 40 --workspaces 40 --memberships 40"
    [small]="--users 2000 --workspaces 500 --memberships 10000"
    [large]="--users 200000 --workspaces 50000 --memberships 1000000"
)

DATASETS="one,small"
DBS="sqlite,postgres"
ONLY_ENDPOINTS=""
DURATION=15
WARMUP=5
ROUNDS=3
SERVER_WARMUP=20
CONNECTIONS=64
THREADS=2
LABEL="default"
BUILD=1
PROFILE=0
ALLOC_PROFILE=0
AFTER_START=""
AFTER_PID=""
WRITE_MIX=0
WRITE_CONNECTIONS=16
CITUS_SHARDS=4
SERVER_ARGS=()
SERVER_ENV=()
TOKEN_SAMPLE="${BENCH_TOKEN_SAMPLE:-1000}"
PORTAL="bench-portal"
# Accept-Language of the sampled users, one per user in turn (bench/workspaces.lua sends them; the
# answers' sizes the ceiling mirrors are measured with them).
LANGUAGES="en|zh-CN,zh;q=0.9,en;q=0.5|ja-JP|vi-VN,vi;q=0.9|zh-TW"
# Tokens outlive the whole run (default access-token lifetime is 10 minutes); seeder and server both get it.
TOKEN_LIFETIME="04:00:00"

while [[ $# -gt 0 ]]; do
    case "$1" in
        --datasets) DATASETS="$2"; shift 2 ;;
        --dbs) DBS="$2"; shift 2 ;;
        --endpoints) ONLY_ENDPOINTS="$2"; shift 2 ;;
        --duration) DURATION="$2"; shift 2 ;;
        --warmup) WARMUP="$2"; shift 2 ;;
        --rounds) ROUNDS="$2"; shift 2 ;;
        --server-warmup) SERVER_WARMUP="$2"; shift 2 ;;
        --connections) CONNECTIONS="$2"; shift 2 ;;
        --threads) THREADS="$2"; shift 2 ;;
        --label) LABEL="$2"; shift 2 ;;
        --server-arg) SERVER_ARGS+=("$2"); shift 2 ;;
        --server-env) SERVER_ENV+=("$2"); shift 2 ;;
        --no-build) BUILD=0; shift ;;
        --after-start) AFTER_START="$2"; shift 2 ;;
        --write-mix) WRITE_MIX="$2"; shift 2 ;;
        --write-connections) WRITE_CONNECTIONS="$2"; shift 2 ;;
        --citus-shards) CITUS_SHARDS="$2"; shift 2 ;;
        --profile) PROFILE="$2"; shift 2 ;;
        --alloc-profile) ALLOC_PROFILE="$2"; shift 2 ;;
        -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
        *) echo "unknown option $1 (see --help)" >&2; exit 2 ;;
    esac
done

export DOTNET_NOLOGO=1 DOTNET_CLI_TELEMETRY_OPTOUT=1
log() { printf '\n==> %s\n' "$*" >&2; }
die() { echo "ERROR: $*" >&2; exit 1; }

# ---------------------------------------------------------------------------
# Tools
# ---------------------------------------------------------------------------
if ! command -v wrk >/dev/null 2>&1; then
    if [[ $EUID -eq 0 ]] && command -v apt-get >/dev/null 2>&1; then
        log "wrk not found, so installing Debian's wrk package"
        DEBIAN_FRONTEND=noninteractive apt-get install -y wrk >/dev/null \
            || { DEBIAN_FRONTEND=noninteractive apt-get update >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y wrk >/dev/null; }
    fi
    command -v wrk >/dev/null 2>&1 || die "wrk is needed (Debian: apt-get install wrk)"
fi
command -v curl >/dev/null 2>&1 || die "curl is needed"

SERVER_DLL="$ROOT/src/Tenantry.Server/bin/Release/net10.0/Tenantry.Server.dll"
# The seeder is the tenantry CLI's `seed` (src/Tenantry.Cli), on the same settings as the server.
CLI_DLL="$ROOT/src/Tenantry.Cli/bin/Release/net10.0/tenantry.dll"
CEILING_DLL="$BENCH/Ceiling/bin/Release/net10.0/Ceiling.dll"
if [[ $BUILD -eq 1 ]]; then
    log "Building Release (server, CLI and ceiling)"
    dotnet build "$ROOT/src/Tenantry.Server" -c Release -v quiet -nologo >/dev/null
    dotnet build "$ROOT/src/Tenantry.Cli" -c Release -v quiet -nologo >/dev/null
    dotnet build "$BENCH/Ceiling" -c Release -v quiet -nologo >/dev/null
fi
[[ -f $SERVER_DLL && -f $CLI_DLL && -f $CEILING_DLL ]] || die "Release build missing; run without --no-build"

# dotnet-counters reads the allocation rate during every measured run (bytes allocated per request).
DOTNET_COUNTERS="$(command -v dotnet-counters || echo "$HOME/.dotnet/tools/dotnet-counters")"
if [[ ! -x $DOTNET_COUNTERS ]]; then
    log "Installing the dotnet-counters tool (allocations per request)"
    dotnet tool install --global dotnet-counters >/dev/null
fi
[[ -x $DOTNET_COUNTERS ]] || die "dotnet-counters not found"

ALLOCATIONS_DLL="$BENCH/Allocations/bin/Release/net10.0/Allocations.dll"
if [[ $ALLOC_PROFILE -gt 0 ]]; then
    dotnet build "$BENCH/Allocations" -c Release -v quiet -nologo >/dev/null
fi

DOTNET_TRACE=""
if [[ $PROFILE -gt 0 || $ALLOC_PROFILE -gt 0 ]]; then
    DOTNET_TRACE="$(command -v dotnet-trace || echo "$HOME/.dotnet/tools/dotnet-trace")"
    if [[ ! -x $DOTNET_TRACE ]]; then
        log "Installing the dotnet-trace tool (profiling)"
        dotnet tool install --global dotnet-trace >/dev/null
    fi
    [[ -x $DOTNET_TRACE ]] || die "dotnet-trace not found"
    command -v python3 >/dev/null 2>&1 || die "python3 is needed to summarize the profile"
fi

port_busy() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

pick_port() {
    local p
    for p in $(shuf -i 55100-55999); do
        if ! port_busy "$p"; then echo "$p"; return 0; fi
    done
    die "no free port"
}

# The first of three free ports in a row (a Citus cluster: coordinator, worker1, worker2).
pick_port_base() {
    local p
    for p in $(shuf -i 56000-56997); do
        if ! port_busy "$p" && ! port_busy $((p + 1)) && ! port_busy $((p + 2)); then echo "$p"; return 0; fi
    done
    die "no three free ports in a row"
}

# ---------------------------------------------------------------------------
# Processes this script started; stopped by PID on exit, whatever happens.
# ---------------------------------------------------------------------------
SERVER_PID=""
CEILING_PID=""
PG_BIN="${BENCH_PG_BIN:-}"
PG_DIR=""
PG_PORT=""
CITUS_SCRIPT="$ROOT/../shared/tools/citus-cluster.sh"
CITUS_DIR=""
CITUS_PORT=""

stop_pid() {
    local pid=$1
    [[ -n $pid ]] || return 0
    if kill -0 "$pid" 2>/dev/null; then
        kill -TERM "$pid" 2>/dev/null || true
        for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || return 0; sleep 0.2; done
        kill -KILL "$pid" 2>/dev/null || true
    fi
    wait "$pid" 2>/dev/null || true
}

pg_as() { if [[ $EUID -eq 0 ]]; then runuser -u postgres -- "$@"; else "$@"; fi; }

stop_pg() {
    [[ -n $PG_DIR && -f $PG_DIR/data/postmaster.pid ]] || return 0
    pg_as "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -m fast -w -t 60 stop >/dev/null 2>&1 || true
}

cleanup() { stop_pid "$AFTER_PID"; AFTER_PID=""; stop_pid "$SERVER_PID"; SERVER_PID=""; stop_pid "$CEILING_PID"; CEILING_PID=""; stop_pg; stop_citus; }
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# ---------------------------------------------------------------------------
# PostgreSQL: a cluster owned by this script under bench/.data/postgres, kept between runs
# so that seeded datasets are reused; started on a free loopback port, stopped on exit.
# ---------------------------------------------------------------------------
start_pg() {
    if [[ -z $PG_BIN ]]; then
        PG_BIN="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r | head -n 1)"
        if [[ -z $PG_BIN || ! -x $PG_BIN/initdb ]]; then
            if [[ $EUID -eq 0 ]] && command -v apt-get >/dev/null 2>&1; then
                log "PostgreSQL not found, so installing Debian's postgresql package"
                DEBIAN_FRONTEND=noninteractive apt-get install -y postgresql >/dev/null \
                    || { DEBIAN_FRONTEND=noninteractive apt-get update >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y postgresql >/dev/null; }
                PG_BIN="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r | head -n 1)"
            fi
        fi
    fi
    [[ -x $PG_BIN/initdb ]] || die "PostgreSQL server binaries not found (set BENCH_PG_BIN)"
    PG_DIR="$DATA/postgres"
    mkdir -p "$PG_DIR"
    if [[ $EUID -eq 0 ]]; then
        id -u postgres >/dev/null 2>&1 || useradd --system --user-group --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin postgres
        chown postgres: "$PG_DIR"
        runuser -u postgres -- test -w "$PG_DIR" || die "user postgres cannot write $PG_DIR (a parent directory is not reachable)"
    fi
    if [[ ! -f $PG_DIR/data/PG_VERSION ]]; then
        log "Initialising the benchmark PostgreSQL cluster in $PG_DIR"
        pg_as "$PG_BIN/initdb" -D "$PG_DIR/data" -U postgres --auth=trust -E UTF8 --locale=C >"$PG_DIR/initdb.log" 2>&1 \
            || { cat "$PG_DIR/initdb.log" >&2; die "initdb failed"; }
    fi
    # A port that looked free can be taken meanwhile (the ephemeral range holds the last run's client
    # sockets): then another is tried.
    local attempt
    for attempt in 1 2 3; do
        PG_PORT="$(pick_port)"
        # A read-mostly benchmark: durability settings off, enough buffers for the large dataset.
        pg_as "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -l "$PG_DIR/log" -w -t 120 \
            -o "-h 127.0.0.1 -p $PG_PORT -k $PG_DIR -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=300 -c shared_buffers=1GB -c maintenance_work_mem=512MB -c max_wal_size=4GB" \
            start >/dev/null && break
        tail -n 5 "$PG_DIR/log" >&2
        [[ $attempt -lt 3 ]] || die "PostgreSQL did not start"
        log "PostgreSQL could not start on port $PG_PORT; trying another port"
    done
    echo "PostgreSQL $("$PG_BIN/postgres" --version | awk '{print $3}') on 127.0.0.1:$PG_PORT" >&2
}

psql_admin() { "$PG_BIN/psql" -X -q -t -A -h 127.0.0.1 -p "$PG_PORT" -U postgres -d postgres "$@"; }

# ---------------------------------------------------------------------------
# Citus: a throwaway cluster from the shared script (the one ./test.sh uses), in a temporary
# folder the postgres user can reach, stopped and removed by the script's `down` on exit.
# ---------------------------------------------------------------------------
start_citus() {
    [[ -f $CITUS_SCRIPT ]] || die "$CITUS_SCRIPT not found: --dbs citus needs the shared cluster script beside the clone"
    CITUS_DIR="$(mktemp -d /tmp/tenantry-bench-citus.XXXXXX)"
    chmod 755 "$CITUS_DIR"
    CITUS_PORT="$(pick_port_base)"
    log "Starting a throwaway Citus cluster in $CITUS_DIR (ports $CITUS_PORT-$((CITUS_PORT + 2)), $CITUS_SHARDS shards per table)"
    CITUS_SHARD_COUNT=$CITUS_SHARDS bash "$CITUS_SCRIPT" up "$CITUS_DIR" "$CITUS_PORT" >&2 || die "the Citus cluster did not start"
}

stop_citus() {
    [[ -n $CITUS_DIR && -d $CITUS_DIR ]] || return 0
    bash "$CITUS_SCRIPT" down "$CITUS_DIR" >&2 || echo "WARNING: stopping the Citus cluster in $CITUS_DIR failed" >&2
    CITUS_DIR=""
}

# ---------------------------------------------------------------------------
# One configuration: database settings (as dotnet command-line arguments) for a dataset.
# ---------------------------------------------------------------------------
DB_ARGS=()
TOKENS=""
SESSION_TOKENS=""
DATASET_DIR=""

prepare_dataset() {
    local db=$1 dataset=$2
    local sizes="${DATASET_ARGS[$dataset]}"
    local key
    key="$(echo "$sizes" | awk '{print "u" $2 "-w" $4 "-m" $6}')"
    local dir="$DATA/$db-$key"
    # The Citus cluster is new every run, and so is its dataset (kept with the run's results).
    [[ $db == citus ]] && dir="$RUN_DIR/citus-$key"
    DATASET_DIR=$dir
    TOKENS="$dir/tokens.txt"
    SESSION_TOKENS="$dir/session-tokens.txt"
    case "$db" in
        sqlite) DB_ARGS=(--Tenantry:Database:Provider Sqlite --Tenantry:DataDir "$dir") ;;
        postgres)
            local name="bench_${key//-/_}"
            DB_ARGS=(--Tenantry:Database:Provider Postgres --Tenantry:DataDir "$dir"
                --ConnectionStrings:Postgres "Host=127.0.0.1;Port=$PG_PORT;Username=postgres;Database=$name;Maximum Pool Size=200")
            if [[ ! -f $dir/seeded ]]; then
                psql_admin -c "DROP DATABASE IF EXISTS $name" -c "CREATE DATABASE $name" >/dev/null
            fi
            ;;
        citus)
            local name="bench_${key//-/_}"
            # `up` again: the database on every node with the extension, the workers registered in it.
            CITUS_DB=$name CITUS_SHARD_COUNT=$CITUS_SHARDS bash "$CITUS_SCRIPT" up "$CITUS_DIR" >/dev/null || die "creating the Citus database $name failed"
            # The coordinator allows 200 connections and opens its own to the workers: a smaller pool than PostgreSQL's.
            DB_ARGS=(--Tenantry:Database:Provider Citus --Tenantry:DataDir "$dir"
                --ConnectionStrings:Postgres "Host=127.0.0.1;Port=$CITUS_PORT;Username=postgres;Database=$name;Maximum Pool Size=100")
            ;;
    esac
    # (EF Core logs its first look for the migrations table as an error on an empty database; noise here.)
    local common=(--Tenantry:Auth:AccessTokenLifetime "$TOKEN_LIFETIME" --Logging:LogLevel:Default Warning --Logging:LogLevel:Microsoft.EntityFrameworkCore.Database.Command None
        --tokens-file "$TOKENS" --session-tokens-file "$SESSION_TOKENS" --token-sample "$TOKEN_SAMPLE")
    if [[ -f $dir/seeded ]]; then
        log "$db/$dataset: reusing the dataset in $dir; minting fresh tokens"
        timeout 600 dotnet "$CLI_DLL" seed --tokens-only "${common[@]}" "${DB_ARGS[@]}" >&2
    else
        log "$db/$dataset: seeding $sizes"
        [[ $db == postgres ]] || rm -rf "$dir"
        mkdir -p "$dir"
        # shellcheck disable=SC2086
        timeout 3600 dotnet "$CLI_DLL" seed $sizes "${common[@]}" "${DB_ARGS[@]}" >&2
        date -u +%FT%TZ >"$dir/seeded"
    fi
}

# The Wacht dialect limits requests per client IP (600/min by default); 1 000 simulated users,
# one IP each, at thousands of req/s exceed it, so the limit is raised (the limiter still runs).
# wrk simulates Cloudflare from loopback (CF-Connecting-IP), which Production trusts only when told.
start_server() {
    local port=$1
    shift
    # Content root = the build output, as in a deployment, so its appsettings.json applies.
    env "${SERVER_ENV[@]}" ASPNETCORE_ENVIRONMENT=Production dotnet "$SERVER_DLL" --contentRoot "$(dirname "$SERVER_DLL")" --urls "http://127.0.0.1:$port" \
        --Tenantry:PortalAccessCodes:0 "$PORTAL" --Tenantry:Auth:AccessTokenLifetime "$TOKEN_LIFETIME" \
        --Tenantry:Wacht:RequestsPerMinutePerIp 100000000 --Tenantry:Gateway:TrustForwardedFrom:0 127.0.0.1/32 \
        --Logging:LogLevel:Default Warning "$@" >"$RUN_DIR/server-$port.log" 2>&1 &
    SERVER_PID=$!
    for _ in $(seq 1 300); do
        if curl -fsS -o /dev/null "http://127.0.0.1:$port/health/ready" 2>/dev/null; then return 0; fi
        kill -0 "$SERVER_PID" 2>/dev/null || { tail -n 30 "$RUN_DIR/server-$port.log" >&2; die "server exited"; }
        sleep 0.2
    done
    die "server not ready after 60 s"
}

# Starts the ceiling on a free port, left in CEILING_PORT (its process in CEILING_PID). A port that looked free can still be bound by a
# process that is shutting down (an --after-start helper's listener stops with the server): then the
# ceiling exits at once, and another port is tried.
start_ceiling() {
    local bytes=$1 sizes=$2 attempt port
    for attempt in 1 2 3; do
        port="$(pick_port)"
        dotnet "$CEILING_DLL" --urls "http://127.0.0.1:$port" --body-bytes "$bytes" --body-sizes "$sizes" >"$RUN_DIR/ceiling-$port.log" 2>&1 &
        CEILING_PID=$!
        for _ in $(seq 1 300); do
            if curl -fsS -o /dev/null "http://127.0.0.1:$port/ready" 2>/dev/null; then CEILING_PORT=$port; return 0; fi
            kill -0 "$CEILING_PID" 2>/dev/null || break
            sleep 0.2
        done
        if kill -0 "$CEILING_PID" 2>/dev/null; then die "ceiling not ready"; fi
        log "the ceiling could not start on port $port (see ceiling-$port.log); trying another port"
    done
    die "ceiling did not start"
}

# The endpoint's answer size for every sampled user, one line per token in the tokens file's order,
# written to FILE (the ceiling answers each user these many bytes); prints the mean over the 200s.
# One curl process for all of them (a config file with one transfer per token).
body_sizes() {
    local url=$1 auth=$2 tokens=$3 file=$4
    # In each user's language, as bench/workspaces.lua asks (labels' lengths differ by language).
    awk -v url="$url" -v auth="$auth" -v portal="$PORTAL" -v languages="$LANGUAGES" 'BEGIN { count = split(languages, lang, "|") } NF {
        if (n++) print "next"
        print "url = \"" url "\""
        print "header = \"Accept-Language: " lang[(n % count) + 1] "\""
        if (auth == "cookie") print "header = \"Cookie: __session=" $1 "\""
        else { print "header = \"X-PORTAL-ACCESS-CODE: " portal "\""; print "header = \"Authorization: Bearer " $1 "\"" }
        print "output = \"/dev/null\""
        print "write-out = \"%{http_code} %{size_download}\\n\""
    }' "$tokens" >"$file.curl"
    curl -s -K "$file.curl" | awk -v file="$file" '{ print $2 > file } $1 == 200 { n++; s += $2 } END { if (n == 0) exit 1; printf "%d\n", s / n }'
}

# wrk without measuring: a fresh process needs its JIT tiers, thread pool and caches warm.
warm() {
    local seconds=$1 url=$2 tokens=$3 path=$4 auth=$5
    timeout $((seconds + 60)) wrk -t"$THREADS" -c"$CONNECTIONS" -d"${seconds}s" -s "$BENCH/workspaces.lua" "$url" -- "$tokens" "$path" "$auth" "$PORTAL" "$LANGUAGES" >/dev/null 2>&1 || true
}

# wrk: warm-up, then one measured slice of SECONDS against the process PID; prints the RESULT
# line. With a 8th argument (a trace name), samples the process's CPU with dotnet-trace meanwhile.
drive() {
    local url=$1 tokens=$2 path=$3 auth=$4 out=$5 pid=$6 seconds=$7 trace=${8:-}
    warm "$WARMUP" "$url" "$tokens" "$path" "$auth"
    timeout $((seconds + 60)) wrk -t"$THREADS" -c"$CONNECTIONS" -d"${seconds}s" --timeout 5s --latency \
        -s "$BENCH/workspaces.lua" "$url" -- "$tokens" "$path" "$auth" "$PORTAL" "$LANGUAGES" >"$out" 2>&1 &
    local wrk_pid=$!
    # The GC's allocation rate and pause time and the process's working set inside the slice, one sample a second (the first is dropped).
    local window=$((seconds > 5 ? seconds - 2 : 3))
    (sleep 1; timeout $((window + 30)) "$DOTNET_COUNTERS" collect -p "$pid" --counters 'System.Runtime[dotnet.gc.heap.total_allocated,dotnet.gc.pause.time,dotnet.process.memory.working_set]' \
        --refresh-interval 1 --format csv --duration "$(printf '00:%02d:%02d:%02d' $((window / 3600)) $((window % 3600 / 60)) $((window % 60)))" \
        -o "$out.counters.csv" >"$out.counters.log" 2>&1 || true) &
    local counters_pid=$!
    if [[ -n $trace ]]; then
        sleep 2
        timeout $((PROFILE + 60)) "$DOTNET_TRACE" collect -p "$pid" --profile dotnet-sampled-thread-time --duration "00:00:$(printf '%02d' "$PROFILE")" \
            -o "$RUN_DIR/$trace.nettrace" >"$RUN_DIR/$trace.log" 2>&1 || echo "dotnet-trace failed (see $RUN_DIR/$trace.log)" >&2
    fi
    wait "$wrk_pid" || true
    wait "$counters_pid" || true
    local result
    result="$(grep '^RESULT' "$out")" || { cat "$out" >&2; die "wrk failed"; }
    echo "$result alloc_per_req=$(alloc_per_request "$out.counters.csv" "$(field rps "$result")") gc_pause_permille=$(gc_pause_permille "$out.counters.csv") working_set_mb=$(working_set_mb "$out.counters.csv")"
}

# Mean of one dotnet-counters counter (matched by PATTERN) over a slice's samples, the first
# dropped (it covers the time before the slice); empty when there is none.
counter_mean() {
    local csv=$1 pattern=$2
    [[ -f $csv ]] || return 0
    awk -F',' -v pattern="$pattern" '$3 ~ pattern { if (seen++) { n++; s += $NF } } END { if (n > 0) printf "%.6f\n", s / n }' "$csv"
}

# Share of the slice's time the GC paused the process, in per mille (pause seconds per second).
gc_pause_permille() {
    awk -v m="$(counter_mean "$1" 'pause.time')" 'BEGIN { printf "%d\n", 1000 * m }'
}

# Mean working set of the process over the slice, in MiB: what the GC settings cost in memory.
working_set_mb() {
    awk -v m="$(counter_mean "$1" 'working_set')" 'BEGIN { printf "%d\n", m / 1048576 }'
}

# Mean allocation rate (bytes/s) over the run's requests per second.
alloc_per_request() {
    awk -v m="$(counter_mean "$1" 'total_allocated')" -v rps="$2" 'BEGIN { if (rps == 0) print 0; else printf "%d\n", m / rps }'
}

# Allocation profile: wrk for a few seconds more than the trace, the GC's allocation samples
# (AllocationTick with stacks) traced in the middle, summarized per request.
alloc_profile() {
    local url=$1 tokens=$2 path=$3 auth=$4 name=$5
    local out="$RUN_DIR/alloc-$name"
    timeout $((ALLOC_PROFILE + 60)) wrk -t"$THREADS" -c"$CONNECTIONS" -d"$((ALLOC_PROFILE + 4))s" -s "$BENCH/workspaces.lua" "$url" -- "$tokens" "$path" "$auth" "$PORTAL" "$LANGUAGES" >"$out.wrk.txt" 2>&1 &
    local wrk_pid=$!
    sleep 2
    timeout $((ALLOC_PROFILE + 60)) "$DOTNET_TRACE" collect -p "$SERVER_PID" --providers 'Microsoft-Windows-DotNETRuntime:0x40000001:5' \
        --duration "00:00:$(printf '%02d' "$ALLOC_PROFILE")" -o "$out.nettrace" >"$out.log" 2>&1 || echo "dotnet-trace failed (see $out.log)" >&2
    wait "$wrk_pid" || true
    local rps
    rps="$(field rps "$(grep '^RESULT' "$out.wrk.txt")")"
    [[ -f $out.nettrace && -n $rps ]] || return 0
    dotnet "$ALLOCATIONS_DLL" "$out.nettrace" "$(awk -v r="$rps" -v s="$ALLOC_PROFILE" 'BEGIN { printf "%d", r * s }')" | tee "$out.md"
}

# CPU profile summary of a trace taken by drive(): where the time goes per request.
summarize_trace() {
    local trace=$1 rps=$2
    [[ -f $RUN_DIR/$trace.nettrace ]] || return 0
    "$DOTNET_TRACE" convert --format Speedscope -o "$RUN_DIR/$trace" "$RUN_DIR/$trace.nettrace" >/dev/null 2>&1 || return 0
    local json
    json="$(ls "$RUN_DIR/$trace"*.speedscope.json 2>/dev/null | head -n 1)"
    [[ -n $json ]] || return 0
    python3 "$BENCH/profile_summary.py" "$json" "$(awk -v r="$rps" -v s="$PROFILE" 'BEGIN { printf "%d", r * s }')" | tee "$RUN_DIR/$trace.md"
}

field() { sed -n "s/.*\b$1=\([0-9.]*\).*/\1/p" <<<"$2"; }

# The write mix against the server on PORT: its teams made through the API, a warm-up run, then
# WRITE_MIX measured seconds; one connection per wrk thread (each thread is a team running its
# own cycle, so each answer belongs to the request before it). Prints the RESULT line.
write_mix() {
    local port=$1 name=$2
    local fixture="$RUN_DIR/$name.fixture" out="$RUN_DIR/wrk-$name.txt"
    timeout 600 python3 "$BENCH/writes_fixture.py" "http://127.0.0.1:$port" "$PORTAL" "$ADMIN_KEY" "$WRITE_CONNECTIONS" "$fixture" \
        || die "making the write mix's teams failed (see $RUN_DIR/server-$port.log)"
    timeout $((WARMUP + 60)) wrk -t"$WRITE_CONNECTIONS" -c"$WRITE_CONNECTIONS" -d"${WARMUP}s" -s "$BENCH/writes.lua" \
        "http://127.0.0.1:$port" -- "$fixture" 0 "$PORTAL" >"$out.warmup" 2>&1 || true
    timeout $((WRITE_MIX + 60)) wrk -t"$WRITE_CONNECTIONS" -c"$WRITE_CONNECTIONS" -d"${WRITE_MIX}s" --timeout 5s --latency -s "$BENCH/writes.lua" \
        "http://127.0.0.1:$port" -- "$fixture" 1 "$PORTAL" >"$out" 2>&1 || true
    grep '^RESULT' "$out" || { cat "$out" >&2; die "wrk failed (write mix)"; }
}

# One RESULT line from the slices' lines: req/s over all of them, p50/p99 of the median slice
# (by p99), non-2xx summed, allocations per request averaged over the slices, the largest working set.
combine_slices() {
    printf '%s\n' "$@" | awk '
        function get(k,   i, kv) { for (i = 1; i <= NF; i++) { split($i, kv, "="); if (kv[1] == k) return kv[2] + 0 } return 0 }
        { n++; req += get("requests"); sec += get("seconds"); err += get("non2xx"); alloc += get("alloc_per_req"); pause += get("gc_pause_permille")
          if (get("working_set_mb") > ws) ws = get("working_set_mb")
          p50[n] = get("p50_us"); p99[n] = get("p99_us") }
        END {
            for (i = 1; i <= n; i++) { order[i] = i }
            for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++) if (p99[order[j]] < p99[order[i]]) { t = order[i]; order[i] = order[j]; order[j] = t }
            m = order[int((n + 1) / 2)]
            printf "RESULT requests=%d seconds=%.2f rps=%.1f p50_us=%d p99_us=%d non2xx=%d alloc_per_req=%d gc_pause_permille=%d working_set_mb=%d\n", req, sec, req / sec, p50[m], p99[m], err, alloc / n, pause / n, ws
        }'
}

# ---------------------------------------------------------------------------
# Run
# ---------------------------------------------------------------------------
# The write mix makes its teams through the API: an operator key (for marking the invitees'
# addresses verified) and rate limits that 16 teams writing flat out do not hit (the limiters still run).
ADMIN_KEY="bench-operator-key-$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')"
if [[ $WRITE_MIX -gt 0 ]]; then
    SERVER_ARGS+=(--Tenantry:AdminApiKey "$ADMIN_KEY" --Tenantry:Auth:InvitationsPerIp 100000000 --Tenantry:Auth:InvitationsPerAccount 100000000
        --Tenantry:Auth:AuthRequestsPerIp 100000000)
fi

STAMP="$(date -u +%Y%m%dT%H%M%SZ)"
RUN_DIR="$RESULTS/$STAMP-$LABEL"
mkdir -p "$RUN_DIR" "$DATA"
TSV="$RUN_DIR/results.tsv"
{
    echo "# label=$LABEL cores=$(nproc) mem=$(awk '/MemTotal/ {printf "%.1fGiB", $2/1048576}' /proc/meminfo) cpu=$(awk -F': ' '/model name/ {print $2; exit}' /proc/cpuinfo)"
    echo "# wrk -t$THREADS -c$CONNECTIONS, ${DURATION}s per endpoint and as many for its ceiling in $ROUNDS alternating slices (warm-up ${SERVER_WARMUP}s per process, ${WARMUP}s per slice) server-args=${SERVER_ARGS[*]:-none} server-env=${SERVER_ENV[*]:-none} loadavg-at-start=$(cut -d' ' -f1-3 /proc/loadavg)"
    printf 'dataset\tdb\tendpoint\trps\tp50_ms\tp99_ms\tnon2xx\tbody_bytes\talloc_per_req\tceiling_rps\tceiling_p99_ms\tceiling_alloc\tratio\tp99_ratio\tgc_pause_pct\tceiling_gc_pause_pct\tworking_set_mb\tceiling_working_set_mb\n'
} >"$TSV"

IFS=',' read -r -a DB_LIST <<<"$DBS"
IFS=',' read -r -a DATASET_LIST <<<"$DATASETS"
for db in "${DB_LIST[@]}"; do
    [[ $db == sqlite || $db == postgres || $db == citus ]] || die "unknown database $db"
    [[ $db == postgres ]] && start_pg
    [[ $db == citus ]] && start_citus
    for dataset in "${DATASET_LIST[@]}"; do
        [[ -n ${DATASET_ARGS[$dataset]:-} ]] || die "unknown dataset $dataset"
        prepare_dataset "$db" "$dataset"
        port="$(pick_port)"
        log "$db/$dataset: server on 127.0.0.1:$port"
        start_server "$port" "${DB_ARGS[@]}" "${SERVER_ARGS[@]}"
        if [[ -n $AFTER_START ]]; then
            $AFTER_START "$port" "$DATASET_DIR" &
            AFTER_PID=$!
            sleep 5
        fi
        first=1
        for endpoint in "${ENDPOINTS[@]}"; do
            read -r name path auth <<<"$endpoint"
            [[ -z $ONLY_ENDPOINTS || ",$ONLY_ENDPOINTS," == *",$name,"* ]] || continue
            tokens="$TOKENS"
            [[ $auth == cookie ]] && tokens="$SESSION_TOKENS"
            sizes="$RUN_DIR/body-sizes-$db-$dataset-$name.txt"
            bytes="$(body_sizes "http://127.0.0.1:$port$path" "$auth" "$tokens" "$sizes")" || die "$name answered no 200 (see $RUN_DIR)"
            # The ceiling answers each user the bytes this endpoint answers them; it runs beside the
            # server (idle while the other is measured), driven with the same tokens and headers.
            stop_pid "$CEILING_PID"; CEILING_PID=""
            log "$db/$dataset: ceiling with the $name answers' sizes (mean $bytes bytes)"
            start_ceiling "$bytes" "$sizes"
            warm "$SERVER_WARMUP" "http://127.0.0.1:$CEILING_PORT" "$tokens" /ceiling "$auth"
            ceiling_url="http://127.0.0.1:$CEILING_PORT"
            log "$db/$dataset: $name (mean body $bytes bytes), $ROUNDS slices alternating with the ceiling"
            trace=""
            if [[ $first -eq 1 ]]; then
                warm "$SERVER_WARMUP" "http://127.0.0.1:$port" "$tokens" "$path" "$auth"
                [[ $PROFILE -gt 0 ]] && trace="trace-$db-$dataset-$name"
                first=0
            fi
            slice=$(( (DURATION + ROUNDS - 1) / ROUNDS ))
            endpoint_results=(); ceiling_results=()
            for round in $(seq 1 "$ROUNDS"); do
                seconds=$slice
                # A CPU profile is taken in the first slice, long enough to hold it.
                [[ -n $trace ]] && seconds=$(( slice > PROFILE + 4 ? slice : PROFILE + 4 ))
                result="$(drive "http://127.0.0.1:$port" "$tokens" "$path" "$auth" "$RUN_DIR/wrk-$db-$dataset-$name-$round.txt" "$SERVER_PID" "$seconds" "$trace")"
                echo "$result" >&2
                [[ -n $trace ]] && summarize_trace "$trace" "$(field rps "$result")" >&2
                trace=""
                endpoint_results+=("$result")
                result="$(drive "$ceiling_url" "$tokens" /ceiling "$auth" "$RUN_DIR/wrk-$db-$dataset-$name-ceiling-$round.txt" "$CEILING_PID" "$slice")"
                echo "ceiling $result" >&2
                ceiling_results+=("$result")
            done
            endpoint_result="$(combine_slices "${endpoint_results[@]}")"
            ceiling_result="$(combine_slices "${ceiling_results[@]}")"
            echo "$name over $ROUNDS slices: $endpoint_result" >&2
            echo "ceiling over $ROUNDS slices: $ceiling_result" >&2
            if [[ $(field non2xx "$endpoint_result") != 0 ]]; then
                echo "WARNING: $name answered $(field non2xx "$endpoint_result") non-2xx responses; its figures do not measure the endpoint" >&2
            fi
            [[ $ALLOC_PROFILE -gt 0 ]] && alloc_profile "http://127.0.0.1:$port" "$tokens" "$path" "$auth" "$db-$dataset-$name" >&2
            awk -v d="$dataset" -v db="$db" -v n="$name" -v b="$bytes" \
                -v r="$(field rps "$endpoint_result")" -v p50="$(field p50_us "$endpoint_result")" -v p99="$(field p99_us "$endpoint_result")" \
                -v e="$(field non2xx "$endpoint_result")" -v a="$(field alloc_per_req "$endpoint_result")" \
                -v c="$(field rps "$ceiling_result")" -v cp="$(field p99_us "$ceiling_result")" -v ca="$(field alloc_per_req "$ceiling_result")" \
                -v g="$(field gc_pause_permille "$endpoint_result")" -v cg="$(field gc_pause_permille "$ceiling_result")" \
                -v w="$(field working_set_mb "$endpoint_result")" -v cw="$(field working_set_mb "$ceiling_result")" \
                'BEGIN { printf "%s\t%s\t%s\t%.0f\t%.2f\t%.2f\t%d\t%d\t%d\t%.0f\t%.2f\t%d\t%.0f%%\t%.2f\t%.1f%%\t%.1f%%\t%d\t%d\n", d, db, n, r, p50/1000, p99/1000, e, b, a, c, cp/1000, ca, 100*r/c, p99/cp, g/10, cg/10, w, cw }' >>"$TSV"
        done
        if [[ $WRITE_MIX -gt 0 ]]; then
            log "$db/$dataset: write mix (invite, accept, role change, remove), $WRITE_CONNECTIONS teams, ${WRITE_MIX}s"
            result="$(write_mix "$port" "writes-$db-$dataset")"
            echo "write-mix: $result" >&2
            if [[ $(field non2xx "$result") != 0 ]]; then
                echo "WARNING: the write mix answered $(field non2xx "$result") non-2xx responses (see $RUN_DIR/server-$port.log)" >&2
            fi
            awk -v d="$dataset" -v db="$db" -v r="$(field rps "$result")" -v p50="$(field p50_us "$result")" -v p99="$(field p99_us "$result")" \
                -v e="$(field non2xx "$result")" \
                'BEGIN { printf "%s\t%s\twrite-mix\t%.0f\t%.2f\t%.2f\t%d\t-\t-\t-\t-\t-\t-\t-\t-\t-\t-\t-\n", d, db, r, p50/1000, p99/1000, e }' >>"$TSV"
        fi
        if [[ -n $AFTER_PID ]]; then
            kill -TERM "$AFTER_PID" 2>/dev/null || true
            wait "$AFTER_PID" 2>/dev/null || true
            AFTER_PID=""
        fi
        stop_pid "$CEILING_PID"; CEILING_PID=""
        stop_pid "$SERVER_PID"; SERVER_PID=""
    done
    [[ $db == postgres ]] && stop_pg
    [[ $db == citus ]] && stop_citus
done

echo
grep '^#' "$TSV"
grep -v '^#' "$TSV" | column -t -s $'\t'
echo "Results: $RUN_DIR"

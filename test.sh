#!/usr/bin/env bash
# Tenantry test runner. This is the README's test command (`./test.sh`), and CI
# runs exactly this via .ci/run. It works from any directory.
#
# What it does:
#   1. dotnet restore + dotnet build (Release; Directory.Build.props turns warnings into errors)
#   2. unit tests                                  -> TestResults/unit.trx
#   3. integration tests against SQLite            -> TestResults/integration-sqlite.trx
#      Tests marked [Trait("Requires", "PostgreSQL")] (several server processes on one
#      database, PostgreSQL stopped under load, lock waits observed in pg_stat_activity)
#      are excluded here with an explicit --filter, and the script says so; they run in step 4.
#   4. integration tests against PostgreSQL        -> TestResults/integration-postgres.trx
#      (starts a throwaway local cluster unless TENANTRY_TEST_POSTGRES is set). The
#      database fault tests always start, stop and freeze a cluster of their own, so the
#      PostgreSQL server binaries are needed even when TENANTRY_TEST_POSTGRES is set.
#      Tests marked [Trait("Requires", "Sqlite")] (the README's `dotnet run`, whose embedded
#      database is SQLite by definition) run in step 3 only; this run and the Citus one say so.
#   5. integration tests against Citus            -> TestResults/integration-citus.trx
#      A coordinator and two workers on loopback, started with ../shared/tools/citus-cluster.sh
#      (which builds Citus once, as root with apt-get, when this PostgreSQL lacks it) with
#      CITUS_SHARD_COUNT=4, and removed afterwards. Each test app gets a database of its own on every
#      node. Excluded here, and said so: the tests marked [Trait("Requires", "PostgreSQL")] (they
#      stop, freeze or share one plain PostgreSQL server) and the clients' tests. Tests marked
#      [Trait("Requires", "Citus")] (query plans, the coordinator check, a worker stopped or added
#      under load, the migration race) run only here.
#   6. the clients (README, "Use it from your app"; tests marked [Trait("Part", "Clients")] run in
#      step 3 only, they talk HTTP and do not depend on the database):
#      a. generated code: tools/generate.sh regenerates the OpenAPI documents (the build wrote them),
#         the NSwag .NET models and the openapi-typescript types; git must see no difference
#      b. packs Tenantry.Client, Tenantry.AspNetCore, Tenantry.Cli (dotnet pack) and @tenantry/client
#         (npm pack) into artifacts/packages
#      c. starts the Release server on a loopback port with a fresh SQLite data dir (stopped by PID)
#      d. @tenantry/client: type check and vitest against that server -> TestResults/typescript.xml
#      e. the tenantry CLI installed as a dotnet tool from its package, run against that server
#      f. the samples built from the packed artifacts (samples/NotesApi from a local NuGet source,
#         samples/node-notes-api from the npm tarball), started, and exercised over HTTP
#      Node.js 20+ and npm are needed (npm ci with the committed lockfiles); without them the
#      client runs FAIL, they are never skipped.
#   7. browser tests of the web console (/console)  -> TestResults/browser.trx
#      Playwright drives Debian's chromium (headless) against the real server on loopback
#      with a fresh SQLite database. One pass only, on SQLite: the console calls the same
#      use cases the integration tests run on both databases. Without chromium (apt-get
#      install chromium, or TENANTRY_CHROMIUM=/path) every browser test fails; none is skipped.
#   8. prints a summary, with a line per run for the replica/fault/crash tests
#      (namespace Tenantry.IntegrationTests.Replicas, and the Citus worker fault and
#      scale-out tests) and what they measured. The last line is always
#      "N passed, N failed". The exit status is non-zero if any test failed or any run crashed.
# A failing run does not stop the later ones. The PostgreSQL run is never skipped:
# if no server can be found or started, the script fails.
#
# Optional environment variables:
#   TENANTRY_TEST_FILTER    passed through as `dotnet test --filter "$TENANTRY_TEST_FILTER"`
#                           to every test run, e.g.
#                             TENANTRY_TEST_FILTER='FullyQualifiedName~Invoices' ./test.sh
#   TENANTRY_TEST_POSTGRES  admin connection string (Npgsql format) for an existing PostgreSQL
#                           server. The role must be allowed to CREATE/DROP DATABASE. When
#                           this is set, no throwaway cluster is started. Example:
#                             Host=127.0.0.1;Port=5432;Username=postgres;Password=secret;Database=postgres
#   TENANTRY_CHROMIUM       the Chromium executable for the browser tests (default /usr/bin/chromium)
#   TENANTRY_TEST_TIMING_SAMPLES  sign-ins per case in the sign-in timing measurement
#                           (EnumerationTests, default 21); see docs/SECURITY.md.
#
# Hidden developer flag:
#   ./test.sh --pg-smoke    only start the throwaway PostgreSQL cluster, run `select version()`
#                           plus a CREATE/DROP DATABASE through psql, then stop the cluster.
#                           This builds nothing and runs no tests.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cd "$ROOT"

RESULTS_DIR="$ROOT/TestResults"
export DOTNET_NOLOGO="${DOTNET_NOLOGO:-1}"
export DOTNET_CLI_TELEMETRY_OPTOUT="${DOTNET_CLI_TELEMETRY_OPTOUT:-1}"

log() { printf '\n==> %s\n' "$*"; }
warn() { printf 'WARNING: %s\n' "$*" >&2; }

# --------------------------------------------------------------------------
# Throwaway PostgreSQL cluster
# --------------------------------------------------------------------------
PG_BIN=""       # directory holding initdb, pg_ctl, postgres
PG_TMP=""       # mktemp dir: data/, log, unix socket; removed on exit
PG_PORT=""
PG_CONN=""      # admin connection string (Npgsql format) for the throwaway cluster

pg_bin_ok() { [[ -n $1 && -x $1/initdb && -x $1/pg_ctl && -x $1/postgres ]]; }

find_pg_bin() {
    local d
    # Newest version first. Skip directories without the server binaries
    # (e.g. /usr/lib/postgresql/NN/bin from a newer postgresql-client-NN only).
    while IFS= read -r d; do
        if pg_bin_ok "$d"; then PG_BIN="$d"; return 0; fi
    done < <(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r)
    # Non-Debian layouts (Homebrew, Fedora, ...): server binaries on PATH.
    if command -v initdb >/dev/null 2>&1; then
        d="$(dirname "$(command -v initdb)")"
        if pg_bin_ok "$d"; then PG_BIN="$d"; return 0; fi
    fi
    return 1
}

ensure_pg_bin() {
    find_pg_bin && return 0
    if [[ $EUID -eq 0 ]] && command -v apt-get >/dev/null 2>&1; then
        log "PostgreSQL server binaries not found, so installing the 'postgresql' package with apt-get"
        if ! DEBIAN_FRONTEND=noninteractive apt-get install -y postgresql; then
            log "apt-get install failed, so running apt-get update and retrying"
            DEBIAN_FRONTEND=noninteractive apt-get update \
                && DEBIAN_FRONTEND=noninteractive apt-get install -y postgresql \
                || true
        fi
        find_pg_bin && return 0
    fi
    cat >&2 <<'EOF'

###########################################################################
##  ERROR: PostgreSQL server binaries not found                          ##
###########################################################################
The PostgreSQL integration tests cannot run: no directory with initdb,
pg_ctl and postgres was found under /usr/lib/postgresql/*/bin or on PATH.
These tests are NOT skipped. Do one of the following, then re-run ./test.sh:

  * Install the PostgreSQL server:
        Debian/Ubuntu:  sudo apt-get install -y postgresql
        Fedora/RHEL:    sudo dnf install -y postgresql-server
        macOS:          brew install postgresql
    test.sh then starts its own throwaway cluster and removes it afterwards.

  * Or point the tests at an existing server. The role must be allowed to
    CREATE/DROP DATABASE:
        export TENANTRY_TEST_POSTGRES='Host=127.0.0.1;Port=5432;Username=postgres;Password=...;Database=postgres'
###########################################################################
EOF
    exit 1
}

# Run a command as the cluster owner. initdb refuses to run as root, so under
# root the cluster is owned by the `postgres` system user.
pg_as() {
    if [[ $EUID -eq 0 ]]; then
        (cd "$PG_TMP" && runuser -u postgres -- "$@")
    else
        (cd "$PG_TMP" && "$@")
    fi
}

pick_port() {
    # Choose a random free loopback TCP port in 54320-54999.
    if command -v python3 >/dev/null 2>&1; then
        python3 - <<'PY'
import random, socket, sys
ports = list(range(54320, 55000))
random.shuffle(ports)
for p in ports:
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    try:
        s.bind(("127.0.0.1", p))
    except OSError:
        continue
    finally:
        s.close()
    print(p)
    sys.exit(0)
sys.exit("no free port in 54320-54999")
PY
    else
        local p
        for p in $(shuf -i 54320-54999); do
            # If a connection succeeds, something is listening, so try another port.
            if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then
                echo "$p"
                return 0
            fi
        done
        echo "no free port in 54320-54999" >&2
        return 1
    fi
}

pg_isready_bin() {
    if [[ -x $PG_BIN/pg_isready ]]; then echo "$PG_BIN/pg_isready"
    elif command -v pg_isready >/dev/null 2>&1; then command -v pg_isready
    fi
}

# Start the throwaway cluster and set PG_PORT/PG_CONN. Returns non-zero on failure.
start_pg() {
    ensure_pg_bin
    if [[ $EUID -eq 0 ]]; then
        if ! id -u postgres >/dev/null 2>&1; then
            log "Creating system user 'postgres' (initdb refuses to run as root)"
            useradd --system --user-group --no-create-home --home-dir /nonexistent \
                --shell /usr/sbin/nologin postgres || return 1
        fi
        # Under /tmp (not $TMPDIR) so the postgres user can reach it. This also keeps
        # the unix socket path short.
        PG_TMP="$(mktemp -d /tmp/tenantry-pg.XXXXXX)" || return 1
        chown postgres: "$PG_TMP" || return 1
    else
        PG_TMP="$(mktemp -d "${TMPDIR:-/tmp}/tenantry-pg.XXXXXX")" || return 1
    fi

    log "Initialising throwaway PostgreSQL cluster in $PG_TMP (binaries: $PG_BIN)"
    if ! pg_as "$PG_BIN/initdb" -D "$PG_TMP/data" -U postgres --auth=trust -E UTF8 \
            --locale=C.UTF-8 >"$PG_TMP/initdb.log" 2>&1; then
        echo "initdb with --locale=C.UTF-8 failed, so retrying with --locale=C"
        pg_as rm -rf "$PG_TMP/data"
        if ! pg_as "$PG_BIN/initdb" -D "$PG_TMP/data" -U postgres --auth=trust -E UTF8 \
                --locale=C >"$PG_TMP/initdb.log" 2>&1; then
            echo "ERROR: initdb failed:" >&2
            cat "$PG_TMP/initdb.log" >&2
            return 1
        fi
    fi

    # fsync/synchronous_commit/full_page_writes are off. That is unsafe for real data
    # but fine for a throwaway test cluster, and makes creating and dropping the
    # per-test databases much faster.
    local attempt started=0
    for attempt in 1 2 3; do
        PG_PORT="$(pick_port)" || return 1
        if pg_as "$PG_BIN/pg_ctl" -D "$PG_TMP/data" -l "$PG_TMP/log" -w -t 60 \
                -o "-h 127.0.0.1 -p $PG_PORT -k '$PG_TMP' -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=300 -c shared_buffers=128MB" \
                start >/dev/null; then
            started=1
            break
        fi
        echo "pg_ctl start failed on port $PG_PORT (attempt $attempt/3). Server log tail:" >&2
        tail -n 30 "$PG_TMP/log" >&2 2>/dev/null || true
        # If the server is half-started (e.g. pg_ctl timed out), stop it before retrying.
        if [[ -f $PG_TMP/data/postmaster.pid ]]; then
            pg_as "$PG_BIN/pg_ctl" -D "$PG_TMP/data" -m immediate stop >/dev/null 2>&1 || true
        fi
    done
    if [[ $started -ne 1 ]]; then
        echo "ERROR: could not start the throwaway PostgreSQL cluster" >&2
        return 1
    fi

    local isready i ready=0
    isready="$(pg_isready_bin)"
    if [[ -n $isready ]]; then
        for ((i = 0; i < 60; i++)); do
            if "$isready" -q -h 127.0.0.1 -p "$PG_PORT" -U postgres -d postgres; then
                ready=1
                break
            fi
            sleep 1
        done
    else
        warn "pg_isready not found, so relying on 'pg_ctl -w' for readiness"
        ready=1
    fi
    if [[ $ready -ne 1 ]]; then
        echo "ERROR: PostgreSQL on 127.0.0.1:$PG_PORT not ready after 60s. Server log tail:" >&2
        tail -n 30 "$PG_TMP/log" >&2 2>/dev/null || true
        return 1
    fi

    # Auth is 'trust', so the password is ignored. It is included only to keep the usual format.
    PG_CONN="Host=127.0.0.1;Port=$PG_PORT;Username=postgres;Password=postgres;Database=postgres"
    echo "PostgreSQL $("$PG_BIN/postgres" --version | sed 's/^postgres (PostgreSQL) //') is ready on 127.0.0.1:$PG_PORT"
}

# Stop and remove the throwaway cluster. Idempotent and quiet. It runs from the
# EXIT trap and also explicitly before the summary, so the summary's last line
# stays the last line of output.
stop_pg() {
    [[ -n $PG_TMP && -d $PG_TMP ]] || return 0
    local pidfile="$PG_TMP/data/postmaster.pid" pid=""
    if [[ -f $pidfile ]]; then
        pid="$(head -n 1 "$pidfile" 2>/dev/null || true)"
        if ! pg_as "$PG_BIN/pg_ctl" -D "$PG_TMP/data" -m immediate -w -t 30 stop >/dev/null 2>&1; then
            warn "pg_ctl stop failed; sending SIGQUIT to postmaster $pid"
            [[ $pid =~ ^[0-9]+$ ]] && kill -QUIT "$pid" 2>/dev/null || true
        fi
    fi
    rm -rf "$PG_TMP"
    PG_TMP=""
}

# --------------------------------------------------------------------------
# Throwaway Citus cluster (coordinator + two workers), from the shared script
# --------------------------------------------------------------------------
CITUS_SCRIPT="$ROOT/../shared/tools/citus-cluster.sh"
CITUS_DIR=""    # mktemp dir holding the three nodes; removed by `down`
CITUS_CONN=""   # admin connection string (Npgsql format) of the coordinator

# Three consecutive free loopback ports (coordinator, worker1, worker2): prints the first.
pick_port_base() {
    local base i attempt
    for attempt in $(seq 1 50); do
        base=$(( (RANDOM % 600) + 55000 ))
        for i in 0 1 2; do
            if (exec 3<>"/dev/tcp/127.0.0.1/$((base + i))") 2>/dev/null; then continue 2; fi
        done
        echo "$base"
        return 0
    done
    echo "no three free ports in 55000-55602" >&2
    return 1
}

start_citus() {
    if [[ ! -x $CITUS_SCRIPT && ! -f $CITUS_SCRIPT ]]; then
        echo "ERROR: $CITUS_SCRIPT not found: the Citus run needs the shared cluster script beside the clone" >&2
        return 1
    fi
    local base out
    # Under /tmp, readable by the postgres user that runs the nodes when we are root.
    CITUS_DIR="$(mktemp -d /tmp/tenantry-citus.XXXXXX)" || return 1
    chmod 755 "$CITUS_DIR"
    base="$(pick_port_base)" || return 1
    log "Starting a throwaway Citus cluster in $CITUS_DIR (ports $base-$((base + 2)), 4 shards per table)"
    if ! out="$(CITUS_SHARD_COUNT=4 bash "$CITUS_SCRIPT" up "$CITUS_DIR" "$base")"; then
        echo "$out" >&2
        return 1
    fi
    echo "$out" | head -n 1
    CITUS_CONN="$(tail -n 1 <<<"$out")"
}

stop_citus() {
    [[ -n $CITUS_DIR && -d $CITUS_DIR ]] || return 0
    bash "$CITUS_SCRIPT" down "$CITUS_DIR" >/dev/null 2>&1 || warn "stopping the Citus cluster in $CITUS_DIR failed"
    CITUS_DIR=""
}

# `dotnet test` runs as a background child that we `wait` for. While bash waits
# for a foreground command it delays traps, but `wait` can be interrupted. So on
# Ctrl-C or SIGTERM we stop the child and exit at once, and the EXIT trap removes
# the cluster.
CHILD_PID=""
on_signal() {
    if [[ -n $CHILD_PID ]]; then kill -TERM "$CHILD_PID" 2>/dev/null || true; fi
    exit "$1"
}
trap 'stop_pg; stop_citus' EXIT
trap 'on_signal 130' INT
trap 'on_signal 143' TERM

pg_smoke() {
    if ! start_pg; then
        echo "pg-smoke FAILED" >&2
        exit 1
    fi
    local psql="$PG_BIN/psql"
    [[ -x $psql ]] || psql="$(command -v psql)"
    echo "Connection string: $PG_CONN"
    "$psql" -X -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$PG_PORT" -U postgres -d postgres \
        -c 'select version()' \
        -c "select current_setting('max_connections') as max_connections, current_setting('fsync') as fsync, pg_encoding_to_char(encoding) as encoding, datcollate from pg_database where datname = 'postgres'" \
        -c 'create database tenantry_pg_smoke' \
        -c 'drop database tenantry_pg_smoke'
    stop_pg
    echo "pg-smoke OK"
}

# --------------------------------------------------------------------------
# Arguments
# --------------------------------------------------------------------------
case "${1:-}" in
    "") ;;
    --pg-smoke) pg_smoke; exit 0 ;;
    -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    *) echo "usage: $0 [--pg-smoke]   (see the comment at the top of $0)" >&2; exit 2 ;;
esac

# --------------------------------------------------------------------------
# Test runs
# --------------------------------------------------------------------------
RUN_LABELS=()   # label shown in the summary
RUN_TRX=()      # expected trx path
RUN_RC=()       # dotnet test exit code
RUN_NOTE=()     # non-empty: the run did not happen (reason)

record_run() { RUN_LABELS+=("$1"); RUN_TRX+=("$2"); RUN_RC+=("$3"); RUN_NOTE+=("${4:-}"); }

# Wall time of each stage, printed with the summary (CI has a time budget for the whole script).
STAGE_TIMES=()
STAGE_NAME=""
STAGE_START=0
stage() {
    local now=$SECONDS
    if [[ -n $STAGE_NAME ]]; then STAGE_TIMES+=("$(printf '%5d s  %s' $((now - STAGE_START)) "$STAGE_NAME")"); fi
    STAGE_NAME=${1:-}
    STAGE_START=$now
}

# record_counts LABEL PASSED FAILED: a run that is not a dotnet test (a check, vitest, a scenario).
record_counts() { record_run "$1" "counts:$2:$3" 0 ""; }

# The trait of tests that need PostgreSQL; the SQLite run excludes them (see the top of this file).
POSTGRES_ONLY_FILTER='Requires!=PostgreSQL'
# The trait of tests that need Citus; only the Citus run includes them.
CITUS_ONLY_FILTER='Requires!=Citus'
# The clients' tests (.NET client, ASP.NET Core integration, CLI) talk HTTP to the server and do
# not depend on its database: they run in the SQLite run only.
CLIENTS_FILTER='Part!=Clients'
# Tests of the README's embedded default (`dotnet run` keeps a SQLite file): SQLite by definition,
# so the PostgreSQL and Citus runs leave them out.
SQLITE_ONLY_FILTER='Requires!=Sqlite'

# run_tests LABEL TRX_FILE PROJECT RUN_FILTER [VAR=value ...]
# RUN_FILTER (may be empty) is combined with TENANTRY_TEST_FILTER.
run_tests() {
    local label=$1 trx=$2 project=$3 run_filter=$4
    shift 4
    local -a cmd=(dotnet test "$project" -c Release --no-build
        --logger "trx;LogFileName=$trx"
        --logger "console;verbosity=normal"
        --results-directory "$RESULTS_DIR"
        --blame-hang-timeout 10m --blame-hang-dump-type none)
    local filter=${TENANTRY_TEST_FILTER:-}
    if [[ -n $filter && -n $run_filter ]]; then
        filter="($filter)&($run_filter)"
    elif [[ -n $run_filter ]]; then
        filter=$run_filter
    fi
    if [[ -n $filter ]]; then
        cmd+=(--filter "$filter")
    fi
    log "Running $label tests${filter:+ (filter: $filter)}"
    local rc=0
    env "$@" "${cmd[@]}" &
    CHILD_PID=$!
    wait "$CHILD_PID" || rc=$?
    CHILD_PID=""
    record_run "$label" "$RESULTS_DIR/$trx" "$rc"
}

# Prints "passed failed total executed" from a trx file's ResultSummary/Counters.
# "failed" includes the error, timeout and aborted counters.
trx_counts() {
    if command -v python3 >/dev/null 2>&1; then
        python3 - "$1" <<'PY'
import sys, xml.etree.ElementTree as ET
root = ET.parse(sys.argv[1]).getroot()
c = next(e for e in root.iter() if e.tag.rsplit('}', 1)[-1] == 'Counters')
g = lambda k: int(c.get(k) or 0)
print(g('passed'), g('failed') + g('error') + g('timeout') + g('aborted'), g('total'), g('executed'))
PY
    else
        local counters attr v out=()
        counters="$(grep -o '<Counters [^>]*>' "$1" | head -n 1)"
        [[ -n $counters ]] || return 1
        for attr in passed failed error timeout aborted total executed; do
            v="$(sed -n "s/.* $attr=\"\([0-9]*\)\".*/\1/p" <<<"$counters")"
            out+=("${v:-0}")
        done
        echo "${out[0]} $((out[1] + out[2] + out[3] + out[4])) ${out[5]} ${out[6]}"
    fi
}

# Prints "passed failed total" of the tests in the Replicas namespace (replicas, faults, crash)
# and of the Citus worker fault and scale-out tests on the first line, then what those tests
# measured (their output), one line each.
replica_counts() {
    python3 - "$1" <<'PY'
import sys, xml.etree.ElementTree as ET
root = ET.parse(sys.argv[1]).getroot()
name = lambda e: e.tag.rsplit('}', 1)[-1]
measured = ('.Replicas.', '.Citus.WorkerFaultTests.', '.Citus.ScaleOutTests.')
results = [e for e in root.iter() if name(e) == 'UnitTestResult' and any(m in (e.get('testName') or '') for m in measured)]
passed = sum(1 for e in results if e.get('outcome') == 'Passed')
failed = sum(1 for e in results if e.get('outcome') in ('Failed', 'Error', 'Timeout', 'Aborted'))
print(passed, failed, len(results))
for e in results:
    for out in (x for x in e.iter() if name(x) == 'StdOut' and x.text):
        for line in out.text.strip().splitlines():
            print(line.strip())
PY
}

summarize() {
    local i label trx rc note counts passed failed total line passed_r failed_r total_r
    local total_passed=0 total_failed=0
    echo
    echo "============================== Test summary =============================="
    for i in "${!RUN_LABELS[@]}"; do
        label=${RUN_LABELS[$i]} trx=${RUN_TRX[$i]} rc=${RUN_RC[$i]} note=${RUN_NOTE[$i]}
        if [[ -n $note ]]; then
            echo "$label: 0 passed, 1 failed ($note; counted as 1 failure)"
            total_failed=$((total_failed + 1))
            continue
        fi
        if [[ $trx == counts:* ]]; then
            IFS=: read -r _ passed failed <<<"$trx"
            echo "$label: $passed passed, $failed failed"
            total_passed=$((total_passed + passed))
            total_failed=$((total_failed + failed))
            continue
        fi
        if [[ ! -f $trx ]] || ! counts="$(trx_counts "$trx" 2>/dev/null)" || [[ -z $counts ]]; then
            echo "$label: 0 passed, 1 failed (no readable $(basename "$trx"); dotnet test exited with code $rc. The run crashed or did not start, so it counts as 1 failure)"
            total_failed=$((total_failed + 1))
            continue
        fi
        read -r passed failed total _ <<<"$counts"
        line="$label: $passed passed, $failed failed"
        if ((total > passed + failed)); then
            line+=" ($((total - passed - failed)) skipped/not run)"
        fi
        if ((rc != 0 && failed == 0)); then
            failed=1
            line="$label: $passed passed, 1 failed (trx reports no failures but dotnet test exited with code $rc, e.g. a test host crash, so it counts as 1 failure)"
        fi
        echo "$line"
        if [[ $label == integration* ]] && command -v python3 >/dev/null 2>&1 && counts="$(replica_counts "$trx" 2>/dev/null)"; then
            read -r passed_r failed_r total_r <<<"$(head -n 1 <<<"$counts")"
            echo "    of which replica/fault/crash/scale-out tests (namespace Replicas, Citus WorkerFault and ScaleOut): $passed_r passed, $failed_r failed"
            tail -n +2 <<<"$counts" | sed 's/^/      measured: /'
        fi
        total_passed=$((total_passed + passed))
        total_failed=$((total_failed + failed))
    done
    stage
    if ((${#STAGE_TIMES[@]} > 0)); then
        echo "Wall time per stage (whole script: $SECONDS s):"
        printf '  %s\n' "${STAGE_TIMES[@]}"
    fi
    echo "Results: $RESULTS_DIR"
    echo "$total_passed passed, $total_failed failed"
    if ((total_failed > 0)); then return 1; fi
    return 0
}

# Check for the PostgreSQL binaries before anything else, so a missing server fails fast.
# Needed even with TENANTRY_TEST_POSTGRES: the fault tests stop and start a cluster of their own.
ensure_pg_bin
export TENANTRY_TEST_PG_BIN="$PG_BIN"

rm -rf "$RESULTS_DIR"
mkdir -p "$RESULTS_DIR"

stage "restore and build"
log "dotnet restore"
if ! dotnet restore Tenantry.slnx; then
    record_run "restore" "" 1 "dotnet restore failed, so no tests were run"
    summarize || true
    exit 1
fi
log "dotnet build (Release)"
if ! dotnet build Tenantry.slnx -c Release --no-restore; then
    record_run "build" "" 1 "dotnet build failed, so no tests were run"
    summarize || true
    exit 1
fi

stage "unit tests"
run_tests "unit" unit.trx tests/Tenantry.UnitTests ""

log "NOTE: the SQLite run excludes the tests marked [Trait(\"Requires\", \"PostgreSQL\")] (--filter \"$POSTGRES_ONLY_FILTER\"):
    two server processes on one database, PostgreSQL stopped and frozen under load, a lock wait observed in pg_stat_activity.
    They run in the PostgreSQL run below.
    The crash test (SIGKILL mid-write) runs in both runs, on each run's database."
stage "integration tests (sqlite)"
run_tests "integration (sqlite)" integration-sqlite.trx tests/Tenantry.IntegrationTests "$POSTGRES_ONLY_FILTER&$CITUS_ONLY_FILTER" \
    TENANTRY_TEST_DATABASE=sqlite

# --------------------------------------------------------------------------
# Clients: generated code, packages, the TypeScript client, the CLI tool, the samples
# --------------------------------------------------------------------------
ARTIFACTS="$ROOT/artifacts"
PACKAGES="$ARTIFACTS/packages"
# The samples and the tool restore into their own package folder, so the freshly packed
# Tenantry.* 0.1.0 packages are used, never a copy cached by an earlier run.
SAMPLE_NUGET="$ROOT/samples/.nuget"
SERVER_DLL="$ROOT/src/Tenantry.Server/bin/Release/net10.0/Tenantry.Server.dll"
CLIENT_PIDS=()      # processes this script started for the client runs; stopped by PID
CLIENT_TMP=""

stop_client_processes() {
    local pid
    for pid in "${CLIENT_PIDS[@]}"; do
        kill "$pid" 2>/dev/null || true
    done
    for pid in "${CLIENT_PIDS[@]}"; do
        wait "$pid" 2>/dev/null || true
    done
    CLIENT_PIDS=()
    if [[ -n $CLIENT_TMP ]]; then rm -rf "$CLIENT_TMP"; fi
    CLIENT_TMP=""
}
trap 'stop_client_processes; stop_pg; stop_citus' EXIT

free_port() {
    python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

# wait_http URL SECONDS: until the URL answers 200.
wait_http() {
    local url=$1 seconds=$2 i
    for ((i = 0; i < seconds * 4; i++)); do
        if python3 -c 'import sys, urllib.request; sys.exit(0 if urllib.request.urlopen(sys.argv[1], timeout=2).status == 200 else 1)' "$url" 2>/dev/null; then
            return 0
        fi
        sleep 0.25
    done
    return 1
}

node_ok() {
    command -v node >/dev/null 2>&1 && command -v npm >/dev/null 2>&1 \
        && [[ $(node -p 'process.versions.node.split(".")[0]') -ge 20 ]]
}

# check LABEL COMMAND...: a check that is not a test runner; it counts 1 passed or 1 failed.
check() {
    local label=$1
    shift
    log "$label"
    if "$@"; then record_counts "$label" 1 0; else record_counts "$label" 0 1; fi
}

generated_code_is_committed() {
    local paths=(openapi src/Tenantry.Client/Generated clients/typescript/src/generated)
    tools/generate.sh --no-build || return 1
    if ! git rev-parse --git-dir >/dev/null 2>&1; then
        echo "ERROR: not a git checkout, so the generated code cannot be compared with what is committed" >&2
        return 1
    fi
    if [[ -n $(git status --porcelain -- "${paths[@]}") ]]; then
        echo "ERROR: the generated code differs from what is committed. Run tools/generate.sh and commit:" >&2
        git status --short -- "${paths[@]}" >&2
        git --no-pager diff --stat -- "${paths[@]}" >&2
        return 1
    fi
    echo "openapi/, the .NET models and the TypeScript types are as committed"
}

pack_everything() {
    rm -rf "$PACKAGES" && mkdir -p "$PACKAGES" || return 1
    local project pids=() pid rc=0
    # Independent packs, side by side.
    for project in Tenantry.Client Tenantry.AspNetCore Tenantry.Cli; do
        dotnet pack "src/$project" -c Release --no-build -o "$PACKAGES" -nologo -v quiet &
        pids+=($!)
    done
    (cd clients/typescript && npm pack --pack-destination "$PACKAGES" --silent) || rc=1
    for pid in "${pids[@]}"; do
        wait "$pid" || rc=1
    done
    ((rc == 0)) || return 1
    ls "$PACKAGES"
}

start_tenantry() {
    CLIENT_TMP="$(mktemp -d "${TMPDIR:-/tmp}/tenantry-clients.XXXXXX")" || return 1
    TENANTRY_PORT="$(free_port)" || return 1
    TENANTRY_URL="http://127.0.0.1:$TENANTRY_PORT"
    TENANTRY_PORTAL="clients-portal"
    TENANTRY_ADMIN="clients-admin-$(python3 -c "import secrets; print(secrets.token_hex(16))")"
    # Keys published 2 s before they sign, so the rotation tests see one; limits out of the tests' way.
    # Emails are written as .eml files into $CLIENT_TMP/mail: the TypeScript tests read codes and tokens there.
    # Webhook receivers of the TypeScript tests listen on loopback over http: private networks allowed, https not required.
    env ASPNETCORE_ENVIRONMENT=Production Tenantry__DataDir="$CLIENT_TMP/tenantry" Tenantry__Email__PickupDirectory="$CLIENT_TMP/mail" \
        Tenantry__PortalAccessCodes__0="$TENANTRY_PORTAL" Tenantry__AdminApiKey="$TENANTRY_ADMIN" \
        Tenantry__Auth__SigningKeyPublishLead=00:00:02 Tenantry__Auth__KeyRingRefreshInterval=00:00:01 \
        Tenantry__Auth__AuthRequestsPerIp=100000 Tenantry__Auth__SignInAttemptsPerAccount=100000 \
        Tenantry__Auth__InvitationsPerIp=100000 Tenantry__Auth__InvitationsPerAccount=100000 \
        Tenantry__Webhooks__AllowPrivateNetworks=true Tenantry__Webhooks__RequireHttps=false \
        Logging__LogLevel__Default=Warning \
        dotnet "$SERVER_DLL" --urls "$TENANTRY_URL" >"$CLIENT_TMP/tenantry.log" 2>&1 &
    CLIENT_PIDS+=($!)
    if ! wait_http "$TENANTRY_URL/health/ready" 60; then
        echo "ERROR: the Tenantry server did not become ready on $TENANTRY_URL. Its log:" >&2
        tail -n 40 "$CLIENT_TMP/tenantry.log" >&2
        return 1
    fi
    echo "Tenantry is ready on $TENANTRY_URL"
}

# junit_counts FILE: "passed failed" from a JUnit XML report (vitest).
junit_counts() {
    python3 -c '
import sys, xml.etree.ElementTree as ET
root = ET.parse(sys.argv[1]).getroot()
suites = [root] if root.tag == "testsuite" else list(root.iter("testsuite"))
tests = sum(int(s.get("tests") or 0) for s in suites)
skipped = sum(int(s.get("skipped") or 0) for s in suites)
failed = sum(int(s.get("failures") or 0) + int(s.get("errors") or 0) for s in suites)
print(tests - failed - skipped, failed)' "$1"
}

run_vitest() {
    local label="typescript client (vitest, real server)" report="$RESULTS_DIR/typescript.xml" rc=0 counts passed failed
    log "Running $label"
    (cd clients/typescript && TENANTRY_TEST_URL="$TENANTRY_URL" TENANTRY_TEST_PORTAL="$TENANTRY_PORTAL" \
        TENANTRY_TEST_ADMIN_KEY="$TENANTRY_ADMIN" TENANTRY_TEST_MAIL_DIR="$CLIENT_TMP/mail" VITEST_JUNIT_FILE="$report" npx vitest run) || rc=$?
    if [[ -f $report ]] && counts="$(junit_counts "$report")"; then
        read -r passed failed <<<"$counts"
        if ((rc != 0 && failed == 0)); then failed=1; fi
        record_counts "$label" "$passed" "$failed"
    else
        record_run "$label" "" "$rc" "vitest wrote no report (exit code $rc)"
    fi
}

cli_tool_from_its_package() {
    local tool="$ARTIFACTS/tool" out rc=0
    rm -rf "$tool" "$SAMPLE_NUGET"/tenantry.* || return 1
    NUGET_PACKAGES="$SAMPLE_NUGET" dotnet tool install Tenantry.Cli --version 0.1.0 --tool-path "$tool" \
        --add-source "$PACKAGES" >/dev/null || return 1
    "$tool/tenantry" --help >/dev/null || return 1
    TENANTRY_URL="$TENANTRY_URL" TENANTRY_ADMIN_KEY="$TENANTRY_ADMIN" "$tool/tenantry" signing-keys list || return 1
    # The packaged tool has the webhook commands: an institution that does not exist is exit code 4.
    local missing=0
    TENANTRY_URL="$TENANTRY_URL" TENANTRY_ADMIN_KEY="$TENANTRY_ADMIN" "$tool/tenantry" webhooks list inst_00000000000000000000000000 || missing=$?
    [[ $missing -eq 4 ]] || return 1
    # A wrong key: exit code 3, one line, no stack trace.
    out="$(TENANTRY_URL="$TENANTRY_URL" TENANTRY_ADMIN_KEY=wrong "$tool/tenantry" users find 2>&1)" || rc=$?
    echo "$out"
    [[ $rc -eq 3 && $out != *"   at "* ]]
}

run_samples() {
    local label="samples over HTTP (.NET notes API on the packed NuGet packages, Node notes API on the npm tarball)"
    local dotnet_port node_port cache_ms=2000 out rc=0 last passed failed
    log "$label"
    rm -rf "$SAMPLE_NUGET"/tenantry.* samples/NotesApi/bin samples/NotesApi/obj
    if ! NUGET_PACKAGES="$SAMPLE_NUGET" dotnet build samples/NotesApi -c Release -nologo -v quiet; then
        record_run "$label" "" 1 "the .NET sample did not build from the packed packages"
        return
    fi
    # The tarball's own dependencies are resolved by their package documents, which `npm ci` (working
    # from the lock file) never fetches: on a machine whose npm cache is new, --offline could not install it.
    if ! (cd samples/node-notes-api && npm ci --prefer-offline --no-audit --no-fund --silent \
            && npm install --no-save --no-package-lock --prefer-offline --no-audit --no-fund --silent "$PACKAGES/tenantry-client-0.1.0.tgz"); then
        record_run "$label" "" 1 "the Node sample could not install the packed @tenantry/client"
        return
    fi
    dotnet_port="$(free_port)" && node_port="$(free_port)" || { record_run "$label" "" 1 "no free port"; return; }
    env Tenantry__Authority="$TENANTRY_URL" Tenantry__PortalAccessCode="$TENANTRY_PORTAL" Tenantry__AccessCacheSeconds=$((cache_ms / 1000)) \
        Notes__Database="$CLIENT_TMP/notes.db" Logging__LogLevel__Default=Warning \
        dotnet samples/NotesApi/bin/Release/net10.0/NotesApi.dll --urls "http://127.0.0.1:$dotnet_port" >"$CLIENT_TMP/notes-dotnet.log" 2>&1 &
    CLIENT_PIDS+=($!)
    (cd samples/node-notes-api && exec env TENANTRY_URL="$TENANTRY_URL" TENANTRY_PORTAL_ACCESS_CODE="$TENANTRY_PORTAL" \
        TENANTRY_ACCESS_CACHE_MS=$cache_ms PORT="$node_port" node server.mjs) >"$CLIENT_TMP/notes-node.log" 2>&1 &
    CLIENT_PIDS+=($!)
    if ! wait_http "http://127.0.0.1:$dotnet_port/health" 60 || ! wait_http "http://127.0.0.1:$node_port/health" 30; then
        tail -n 20 "$CLIENT_TMP"/notes-*.log >&2
        record_run "$label" "" 1 "a sample did not start"
        return
    fi
    out="$(cd samples/node-notes-api && TENANTRY_URL="$TENANTRY_URL" TENANTRY_PORTAL_ACCESS_CODE="$TENANTRY_PORTAL" \
        TENANTRY_ADMIN_KEY="$TENANTRY_ADMIN" ACCESS_CACHE_MS=$cache_ms \
        node scenario.mjs "dotnet=http://127.0.0.1:$dotnet_port" "node=http://127.0.0.1:$node_port" 2>&1)" || rc=$?
    echo "$out"
    last="$(grep -E '^[0-9]+ passed, [0-9]+ failed$' <<<"$out" | tail -n 1)"
    if [[ -z $last ]]; then
        record_run "$label" "" "$rc" "the scenario printed no result (exit code $rc)"
        return
    fi
    read -r passed _ failed _ <<<"${last//,/}"
    if ((rc != 0 && failed == 0)); then failed=1; fi
    record_counts "$label" "$passed" "$failed"
}

run_clients() {
    if ! node_ok; then
        echo "ERROR: Node.js 20+ and npm are needed for the client runs (TypeScript client, its tests, the Node sample)." >&2
        echo "       They are NOT skipped: install Node.js 20 or newer with npm, then re-run ./test.sh." >&2
        record_run "clients" "" 1 "Node.js 20+ and npm not found"
        return
    fi
    stage "clients: npm ci"
    log "npm ci (clients/typescript)"
    # --prefer-offline: packages already in npm's cache (outside the clone) are not fetched or revalidated again.
    if ! (cd clients/typescript && npm ci --prefer-offline --no-audit --no-fund); then
        record_run "clients" "" 1 "npm ci failed in clients/typescript, so no client run happened"
        return
    fi
    stage "clients: generated code, type check, packing"
    check "generated code is committed (openapi/, .NET models, TypeScript types)" generated_code_is_committed
    check "typescript client type-checks (tsc, sources and tests)" bash -c 'cd clients/typescript && npm run --silent typecheck'
    log "Packing Tenantry.Client, Tenantry.AspNetCore, Tenantry.Cli and @tenantry/client"
    if ! pack_everything; then
        record_run "packages" "" 1 "dotnet pack or npm pack failed, so the packages, the tool and the samples were not tested"
        return
    fi
    record_counts "packages (dotnet pack, npm pack)" 1 0
    stage "clients: server start and vitest"
    log "Starting the Release server for the clients"
    if ! start_tenantry; then
        record_run "clients" "" 1 "the Tenantry server for the client runs did not start"
        return
    fi
    run_vitest
    stage "clients: CLI tool from its package"
    check "tenantry CLI installed from its package (dotnet tool install), run against the server" cli_tool_from_its_package
    stage "clients: samples"
    run_samples
    stop_client_processes
}

run_clients

stage "integration tests (postgres)"
log "NOTE: the PostgreSQL run excludes the clients' tests (--filter \"$CLIENTS_FILTER\"): they talk HTTP and ran against SQLite above;
    and the tests marked [Trait(\"Requires\", \"Sqlite\")] (the README's embedded default, SQLite by definition)."
if [[ -n ${TENANTRY_TEST_POSTGRES:-} ]]; then
    log "Using PostgreSQL from TENANTRY_TEST_POSTGRES (no throwaway cluster)"
    run_tests "integration (postgres)" integration-postgres.trx tests/Tenantry.IntegrationTests "$CLIENTS_FILTER&$CITUS_ONLY_FILTER&$SQLITE_ONLY_FILTER" \
        TENANTRY_TEST_DATABASE=postgres TENANTRY_TEST_POSTGRES="$TENANTRY_TEST_POSTGRES"
elif start_pg; then
    run_tests "integration (postgres)" integration-postgres.trx tests/Tenantry.IntegrationTests "$CLIENTS_FILTER&$CITUS_ONLY_FILTER&$SQLITE_ONLY_FILTER" \
        TENANTRY_TEST_DATABASE=postgres TENANTRY_TEST_POSTGRES="$PG_CONN"
    stop_pg
else
    stop_pg
    record_run "integration (postgres)" "" 1 "the throwaway PostgreSQL cluster failed to start, so these tests did not run"
fi

stage "integration tests (citus)"
log "NOTE: the Citus run excludes the tests marked [Trait(\"Requires\", \"PostgreSQL\")] (they stop, freeze or share one plain
    PostgreSQL server, and ran in the PostgreSQL run), the clients' tests and the SQLite-only ones; the tests marked [Trait(\"Requires\", \"Citus\")]
    (query plans on the cluster, the coordinator check, a worker stopped or added under load, the migration race) run only here."
if start_citus; then
    run_tests "integration (citus)" integration-citus.trx tests/Tenantry.IntegrationTests "$POSTGRES_ONLY_FILTER&$CLIENTS_FILTER&$SQLITE_ONLY_FILTER" \
        TENANTRY_TEST_DATABASE=citus TENANTRY_TEST_POSTGRES="$CITUS_CONN"
    stop_citus
else
    stop_citus
    record_run "integration (citus)" "" 1 "the throwaway Citus cluster failed to start, so these tests did not run"
fi

CHROMIUM="${TENANTRY_CHROMIUM:-/usr/bin/chromium}"
if [[ ! -x $CHROMIUM ]]; then
    warn "no chromium at $CHROMIUM: every browser test will fail (apt-get install -y chromium, or set TENANTRY_CHROMIUM)"
fi
stage "browser tests"
log "NOTE: the browser tests (web console in headless chromium) run once, on SQLite"
run_tests "browser (sqlite, chromium)" browser.trx tests/Tenantry.BrowserTests ""

summarize

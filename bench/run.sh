#!/usr/bin/env bash
# The pipeline benchmark in one command: builds in Release, starts a fresh PostgreSQL (fsync on), measures this
# machine's ceilings (bare Kestrel with the same generator and wrk; durable single-row inserts with pgbench), then
# starts the sandbox stand-ins, one Silo and one Gateway, drives signed Twilio webhooks through them and writes
# bench/results/latest.md. Every process it starts is stopped at the end, on failure too. See bench/README.md.
#
#   bench/run.sh            standard scenario: 1,000 msg/s for 60 s over 200 bots x 50,000 users
#   bench/run.sh --quick    smoke run: 200 msg/s for 15 s over 20 bots x 2,000 users, shorter ceilings
#
# Overrides (environment): BENCH_RATE, BENCH_DURATION, BENCH_BOTS, BENCH_USERS, BENCH_MODE (open|closed),
# BENCH_CONCURRENCY (closed loop), BENCH_OPENAI_LATENCY_MS (200), BENCH_TWILIO_LATENCY_MS (0), BENCH_DRAIN_S,
# BENCH_WARMUP_RATE (warm-up messages per second; default 100, 50 with --quick),
# BENCH_LOG_LEVEL (product log level; default: the product's own, Information), BENCH_SKIP_BUILD=1, BENCH_NO_APT=1
# (never apt-get install wrk), BENCH_KEEP=1 (keep the work folder with logs and raw results),
# BENCH_WORK_ROOT (where the work folder goes; default /tmp; must not be tmpfs for fsync to mean anything).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
source scripts/postgres.sh

profile=standard
for arg in "$@"; do
  case "$arg" in
    --quick) profile=quick ;;
    -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    *) echo "unknown option: $arg (bench/run.sh [--quick])" >&2; exit 2 ;;
  esac
done

if [ "$profile" = quick ]; then
  rate=${BENCH_RATE:-200} duration=${BENCH_DURATION:-15} bots=${BENCH_BOTS:-20} users=${BENCH_USERS:-2000}
  drain=${BENCH_DRAIN_S:-60} pgbench_s=10 pgbench_one_s=5 ceiling_s=5 warmup_s=15 warmup_rate=50
else
  rate=${BENCH_RATE:-1000} duration=${BENCH_DURATION:-60} bots=${BENCH_BOTS:-200} users=${BENCH_USERS:-50000}
  drain=${BENCH_DRAIN_S:-120} pgbench_s=30 pgbench_one_s=10 ceiling_s=10 warmup_s=30 warmup_rate=100
fi
warmup_rate=${BENCH_WARMUP_RATE:-$warmup_rate}
mode=${BENCH_MODE:-open}
concurrency=${BENCH_CONCURRENCY:-64}
openai_latency=${BENCH_OPENAI_LATENCY_MS:-200}
twilio_latency=${BENCH_TWILIO_LATENCY_MS:-0}
pgbench_clients=8
ceiling_connections=64
warmup_users=$(( bots * 2 > 100 ? bots * 2 : 100 ))
# The command as run, with the BENCH_* settings that changed it.
bench_settings=$( (compgen -e | grep -E '^BENCH_' || true) | sort | while read -r name; do printf '%s=%s ' "$name" "${!name}"; done)
command_line="${bench_settings}bench/run.sh${*:+ $*}"

# Only what this script sets reaches the product: no stray credentials, ports or .env from the caller's shell.
unset DATABASE_URL PORT ADMIN_API_KEY PUBLIC_BASE_URL ASPNETCORE_URLS ASPNETCORE_ENVIRONMENT DOTNET_ENVIRONMENT
for name in $(compgen -e | grep -E '^(ORLEANS_|TWILIO_|OPENAI_|WEBHOOK_|UPSTREAM_|ADMIN_|PRICE_)|^(LOG_FORMAT)$' || true); do unset "$name"; done

work=$(mktemp -d "${BENCH_WORK_ROOT:-/tmp}/horizonai-bench.XXXXXX")
chmod 755 "$work"   # the postgres user must reach its data folder inside
results="$root/bench/results"
mkdir -p "$results"

pids=()
finished=0
step() { echo; echo "== $* ($(date -u +%T))"; }

# running PID: alive and not a zombie waiting to be reaped.
running() { [ -r "/proc/$1/stat" ] && [ "$(sed -E 's/.*\) (.).*/\1/' "/proc/$1/stat" 2>/dev/null)" != Z ]; }

# stop_pids PID...: SIGTERM (graceful: the Silo hands its grains over), then SIGKILL after 60 s.
stop_pids() {
  local pid deadline=$((SECONDS + 60))
  for pid in "$@"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "$@"; do
    while running "$pid" && [ $SECONDS -lt $deadline ]; do sleep 0.5; done
    if running "$pid"; then echo "  $pid did not stop within 60 s of SIGTERM; killing it" >&2; kill -KILL "$pid" 2>/dev/null || true; fi
    wait "$pid" 2>/dev/null || true
  done
  local keep=() p
  for p in "${pids[@]}"; do [[ " $* " == *" $p "* ]] || keep+=("$p"); done
  pids=(${keep[@]+"${keep[@]}"})
}

cleanup() {
  local status=$?
  trap - EXIT INT TERM
  if [ ${#pids[@]} -gt 0 ]; then
    echo "Stopping the processes this run started (${pids[*]})..."
    stop_pids "${pids[@]}"
  fi
  pg_stop "$work/postgres"
  if [ "$finished" = 1 ] && [ -z "${BENCH_KEEP:-}" ]; then
    rm -rf "$work"
  else
    echo "Work folder kept (logs, raw results): $work"
  fi
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# start_bg NAME VAR=value... COMMAND...: runs in the work folder (so no .env is picked up), output to NAME.log.
# `exec env` keeps the PID that $! reports the PID of the program itself, so signals and /proc reach it.
start_bg() {
  local name=$1; shift
  ( cd "$work" && exec env "$@" ) >"$work/$name.log" 2>&1 &
  pids+=($!)
  printf -v "pid_$name" '%s' "$!"
}

wait_ready() { # URL PID NAME TIMEOUT_S [TEXT the answer must contain]
  local deadline=$((SECONDS + $4))
  until curl -fsS --max-time 2 "$1" 2>/dev/null | grep -qF "${5:-}"; do
    if ! running "$2"; then echo "ERROR: $3 exited during start-up; the end of its log:" >&2; tail -n 30 "$work/$3.log" >&2; return 1; fi
    if [ $SECONDS -ge $deadline ]; then echo "ERROR: $3 was not ready within $4 s ($1); the end of its log:" >&2; tail -n 30 "$work/$3.log" >&2; return 1; fi
    sleep 0.5
  done
}

# Another build may hold the output files; retry a few times before giving up.
build() {
  local attempt
  for attempt in 1 2 3 4 5; do
    if dotnet build "$1" -c Release -nologo -v quiet >"$work/build.log" 2>&1; then return 0; fi
    if [ $attempt -lt 5 ] && grep -qE "MSB3021|MSB3027|being used by another process|The process cannot access the file" "$work/build.log"; then
      echo "  $1: output files in use by another build; retrying in 20 s"; sleep 20; continue
    fi
    cat "$work/build.log" >&2; return 1
  done
}

# --foreground keeps the generator in this script's process group, so Ctrl+C reaches it and it stops at once.
gen() { # TIMEOUT_S COMMAND OPTIONS...
  local limit=$1; shift
  timeout --foreground --signal=INT --kill-after=30 "$limit" dotnet "$root/bench/LoadGenerator/bin/Release/net10.0/HorizonAI.LoadGenerator.dll" "$@"
}

# A child that handles Ctrl+C itself exits 130 instead of dying of SIGINT, and then bash runs no INT trap: stop here.
stop_if_interrupted() { if [ "$1" = 130 ] || [ "$1" = 143 ]; then echo "Interrupted." >&2; exit "$1"; fi; }

echo "Benchmark ($profile): $mode loop, ${rate} msg/s for ${duration} s over ${bots} bots x ${users} users; work folder $work"

if [ -z "${BENCH_SKIP_BUILD:-}" ]; then
  step "Building (Release)"
  for project in Silo/Silo.csproj Gateway/Gateway.csproj tools/Sandbox/Sandbox.csproj bench/LoadGenerator/LoadGenerator.csproj bench/Ceiling/Ceiling.csproj; do
    echo "  $project"; build "$project"
  done
fi

step "Starting PostgreSQL (fresh, fsync on)"
if ! pg_ensure_installed; then echo "ERROR: PostgreSQL's binaries (initdb, pg_ctl, pgbench) are missing; apt-get install postgresql" >&2; exit 1; fi
pg_bin=$(pg_bin_dir)
pg_port=$(pg_free_port)
sql() { "$pg_bin/psql" -h 127.0.0.1 -p "$pg_port" -U postgres -v ON_ERROR_STOP=1 -qAt "$@"; }
PG_FSYNC=on pg_start "$work/postgres" "$pg_port"
# pg_stat_statements says which statements the product runs per message; it is loaded for pgbench too, so both
# sides pay its (small) cost.
sql -d postgres -c "alter system set shared_preload_libraries = 'pg_stat_statements'"
pg_stop "$work/postgres"
PG_FSYNC=on pg_start "$work/postgres" "$pg_port"
pg_pid=$(head -n 1 "$work/postgres/postmaster.pid")
sql -d postgres -c "create database horizonai" -c "create database pgbench"
sql -d horizonai -c "create extension pg_stat_statements"
echo "  127.0.0.1:$pg_port, data in $work/postgres, fsync=$(sql -d postgres -c 'show fsync'), synchronous_commit=$(sql -d postgres -c 'show synchronous_commit')"

{
  echo "- **CPU:** $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//') · \`nproc\` = $(nproc)"
  echo "- **OS:** $(. /etc/os-release && echo "$PRETTY_NAME"), kernel $(uname -r)"
  echo "- **.NET:** SDK $(dotnet --version), runtime $(dotnet --list-runtimes | awk '/Microsoft.NETCore.App/ {v=$2} END {print v}')"
  echo "- **PostgreSQL:** $("$pg_bin/postgres" --version | sed 's/^postgres //'), data on $(findmnt -no FSTYPE -T "$work" 2>/dev/null || echo '?') (a fresh temporary folder)"
  echo "- **Load average when the run started:** $(cut -d' ' -f1-3 /proc/loadavg) (1, 5, 15 min); anything else running on these cores skews every figure"
  echo "- **Memory (\`free -h\`):**"
  echo
  echo '```'
  free -h
  echo '```'
} > "$work/machine.md"
if [ "$(findmnt -no FSTYPE -T "$work" 2>/dev/null)" = tmpfs ]; then
  echo "WARNING: $work is on tmpfs: fsync costs nothing there and the database figures are not durable ones. Set BENCH_WORK_ROOT to a disk folder." >&2
fi

cat > "$work/settings.txt" <<EOF
command=$command_line
profile=$profile
date=$(date -u +%Y-%m-%dT%H:%M:%SZ)
commit=$(git rev-parse --short HEAD 2>/dev/null || echo '?')$(git diff --quiet HEAD 2>/dev/null || echo ' (with uncommitted changes)')
pg_fsync=$(sql -d postgres -c 'show fsync')
pgbench_clients=$pgbench_clients
pgbench_seconds=$pgbench_s
pgbench_one_seconds=$pgbench_one_s
warmup=$((warmup_s * warmup_rate)) messages over ${warmup_s} s from $warmup_users users
log_level=${BENCH_LOG_LEVEL:-the product default (Information), console output to a file}
EOF

step "Ceiling: PostgreSQL durable single-row inserts (pgbench, $pgbench_clients clients ${pgbench_s} s, then 1 client ${pgbench_one_s} s)"
sql -d pgbench -c "create table bench_insert (id bigserial primary key, conversation text not null, body text not null, created_at timestamptz not null default now())"
cat > "$work/insert.sql" <<'EOF'
\set k random(10000000, 99999999)
INSERT INTO bench_insert (conversation, body) VALUES ('+15552000000|+569' || :k, 'Hola, quiero reservar una mesa para esta noche');
EOF
pgbench_run() { "$pg_bin/pgbench" -h 127.0.0.1 -p "$pg_port" -U postgres -n -M prepared -f "$work/insert.sql" -c "$1" -j "$(( $1 < $(nproc) ? $1 : $(nproc) ))" -T "$2" pgbench; }
pgbench_run "$pgbench_clients" "$pgbench_s" > "$work/pgbench-many.txt" 2>&1 || { cat "$work/pgbench-many.txt" >&2; exit 1; }
grep -E '^(tps|latency average)' "$work/pgbench-many.txt" | sed 's/^/  /'
pgbench_run 1 "$pgbench_one_s" > "$work/pgbench-one.txt" 2>&1 || { cat "$work/pgbench-one.txt" >&2; exit 1; }
grep -E '^(tps|latency average)' "$work/pgbench-one.txt" | sed 's/^/  /'

step "Ceiling: bare Kestrel webhook endpoint (bench/Ceiling)"
ceiling_port=$(pg_free_port)
ceiling_url="http://127.0.0.1:$ceiling_port/webhook/whatsapp"
start_bg ceiling PORT="$ceiling_port" DOTNET_NOLOGO=1 dotnet "$root/bench/Ceiling/bin/Release/net10.0/HorizonAI.Ceiling.dll"
wait_ready "http://127.0.0.1:$ceiling_port/health" "$pid_ceiling" ceiling 60
gen $((ceiling_s * 3 + 120)) ceiling --url "$ceiling_url" --mode closed --concurrency "$ceiling_connections" --max-connections "$ceiling_connections" \
  --duration "$ceiling_s" --label "bare Kestrel, closed loop" --out "$work/ceiling-closed.json"
gen $((ceiling_s * 3 + 120)) ceiling --url "$ceiling_url" --mode open --rate "$rate" --duration "$ceiling_s" \
  --label "bare Kestrel, open loop at the scenario's rate" --out "$work/ceiling-open.json"

if ! command -v wrk >/dev/null && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null && [ -z "${BENCH_NO_APT:-}" ]; then
  echo "  wrk is not installed; installing it with apt-get"
  (timeout 300 apt-get install -y -qq wrk >/dev/null 2>&1 || { timeout 300 apt-get update -qq >/dev/null 2>&1 && timeout 300 apt-get install -y -qq wrk >/dev/null 2>&1; }) || true
fi
if command -v wrk >/dev/null; then
  gen 120 wrk-script --url "$ceiling_url" --out "$work/wrk.lua"
  wrk_command="wrk -t$(nproc) -c$ceiling_connections -d${ceiling_s}s --latency -s wrk.lua $ceiling_url"
  echo "wrk_command=$wrk_command" >> "$work/settings.txt"
  timeout --foreground $((ceiling_s + 60)) wrk -t"$(nproc)" -c"$ceiling_connections" -d"${ceiling_s}s" --latency -s "$work/wrk.lua" "$ceiling_url" > "$work/wrk.txt" 2>&1 \
    || echo "wrk_status=wrk failed (see wrk.txt in the work folder)" >> "$work/settings.txt"
  grep -E 'Requests/sec' "$work/wrk.txt" | sed 's/^/  wrk: /' || true
else
  echo "wrk_status=wrk is not installed (apt-get install wrk)" >> "$work/settings.txt"
  echo "  wrk is not installed; skipped"
fi
stop_pids "$pid_ceiling"

step "Starting the sandbox stand-ins, one Silo and one Gateway (Release builds)"
sandbox_port=$(pg_free_port)
sandbox="http://127.0.0.1:$sandbox_port"
start_bg sandbox PORT="$sandbox_port" DOTNET_NOLOGO=1 dotnet "$root/tools/Sandbox/bin/Release/net10.0/HorizonAI.Sandbox.dll"
wait_ready "$sandbox/_sandbox/health" "$pid_sandbox" sandbox 60

admin_key=$(head -c 16 /dev/urandom | od -An -tx1 | tr -d ' \n')
auth_token=$(head -c 16 /dev/urandom | od -An -tx1 | tr -d ' \n')
account_sid=AC$(head -c 16 /dev/urandom | od -An -tx1 | tr -d ' \n')
product_env=(
  ASPNETCORE_ENVIRONMENT=Production DOTNET_NOLOGO=1
  DATABASE_URL="Host=127.0.0.1;Port=$pg_port;Username=postgres;Database=horizonai"
  TWILIO_ACCOUNT_SID="$account_sid" TWILIO_AUTH_TOKEN="$auth_token" TWILIO_API_BASE_URL="$sandbox"
  OPENAI_API_KEY=sk-bench OPENAI_BASE_URL="$sandbox/v1"
  ADMIN_API_KEY="$admin_key" ORLEANS_CLUSTER_ID="bench-$(head -c 4 /dev/urandom | od -An -tx1 | tr -d ' \n')" ORLEANS_SERVICE_ID=horizonai-bench
)
if [ -n "${BENCH_LOG_LEVEL:-}" ]; then product_env+=(Logging__LogLevel__Default="$BENCH_LOG_LEVEL"); fi

silo_http=$(pg_free_port)
start_bg silo "${product_env[@]}" PORT="$silo_http" ORLEANS_SILO_PORT="$(pg_free_port)" ORLEANS_GATEWAY_PORT="$(pg_free_port)" \
  dotnet "$root/Silo/bin/Release/net10.0/HorizonAI.Silo.dll"
wait_ready "http://127.0.0.1:$silo_http/health/ready" "$pid_silo" silo 180
gateway_port=$(pg_free_port)
gateway="http://127.0.0.1:$gateway_port"
start_bg gateway "${product_env[@]}" PORT="$gateway_port" dotnet "$root/Gateway/bin/Release/net10.0/HorizonAI.Gateway.dll"
# A Gateway is ready without a silo (it stores webhooks meanwhile); the run also needs its cluster client connected.
wait_ready "$gateway/health/ready" "$pid_gateway" gateway 180 '"cluster":{"status":"Healthy"' 
echo "  sandbox $sandbox (pid $pid_sandbox), silo :$silo_http (pid $pid_silo), gateway $gateway (pid $pid_gateway), postgres pid $pg_pid"

dbstats() {
  sql -d horizonai -c "select format(E'xact_commit=%s\nxact_rollback=%s\ntup_inserted=%s\ntup_updated=%s\ntup_deleted=%s\ntup_returned=%s', xact_commit, xact_rollback, tup_inserted, tup_updated, tup_deleted, tup_returned) from pg_stat_database where datname = 'horizonai'"
  sql -d horizonai -c "select format(E'wal_records=%s\nwal_bytes=%s\nwal_write=%s\nwal_sync=%s', wal_records, wal_bytes, wal_write, wal_sync) from pg_stat_wal"
  # The next transaction id moves only for transactions that write, i.e. the ones whose commit waits for the WAL flush.
  sql -d horizonai -c "select 'next_xid=' || pg_snapshot_xmax(pg_current_snapshot())"
}

status=0
step "Preparing: $bots bots through the admin API, stand-in latency OpenAI ${openai_latency} ms / Twilio ${twilio_latency} ms, ${warmup_s} s of warm-up"
gen 900 prepare --gateway "$gateway" --sandbox "$sandbox" --admin-key "$admin_key" --auth-token "$auth_token" --account-sid "$account_sid" \
  --bots "$bots" --warmup-seconds "$warmup_s" --warmup-rate "$warmup_rate" --warmup-users "$warmup_users" \
  --openai-latency-ms "$openai_latency" --twilio-latency-ms "$twilio_latency" || status=$?
stop_if_interrupted "$status"

if [ $status = 0 ]; then
  # PostgreSQL plans the product's prepared statements from the tables' statistics. A fresh database has none until
  # autovacuum first analyzes it (autovacuum_naptime, a minute): until then the plans are those of an empty table.
  # Analyzing after the warm-up measures the plans of a database that has seen traffic, as any production one has.
  sql -d horizonai -c "analyze" >/dev/null
  sleep 2   # backends publish their statistics within a second of going idle
  dbstats > "$work/dbstats-before.txt"
  sql -d horizonai -c "select pg_stat_statements_reset()" >/dev/null
  # What the product's database connections are doing, four times a second: on CPU, waiting for WAL fsync, for a
  # lock, or idle waiting for the application. One psql session; `$!` is psql itself (the last of the pipeline).
  printf '%s\n' "select 'sample', 1 union all select coalesce(wait_event_type || ':' || wait_event, 'on CPU (no wait event)') || ' / ' || coalesce(state, '?'), count(*) from pg_stat_activity where datname = 'horizonai' and pid <> pg_backend_pid() and backend_type = 'client backend' group by 1;" '\watch 0.25' \
    | "$pg_bin/psql" -h 127.0.0.1 -p "$pg_port" -U postgres -d horizonai -qAt -F $'\t' > "$work/pg-activity.txt" 2>&1 &
  pids+=($!)
  pg_sampler=$!
  step "Measuring: $mode loop, $rate msg/s for $duration s over $bots bots x $users users"
  gen $((duration + drain + 600)) run --gateway "$gateway" --sandbox "$sandbox" --auth-token "$auth_token" --account-sid "$account_sid" \
    --mode "$mode" --rate "$rate" --duration "$duration" --concurrency "$concurrency" --bots "$bots" --users "$users" \
    --openai-latency-ms "$openai_latency" --twilio-latency-ms "$twilio_latency" --drain-timeout "$drain" \
    --pids "silo=$pid_silo,gateway=$pid_gateway,postgres=$pg_pid+,sandbox=$pid_sandbox" --clock-ticks "$(getconf CLK_TCK)" \
    --out "$work/pipeline.json" || status=$?
  stop_if_interrupted "$status"
  stop_pids "$pg_sampler"
  # The product's own Prometheus metrics at the end of the run (Orleans activations, backlog), kept with the results.
  curl -fsS --max-time 10 "http://127.0.0.1:$silo_http/metrics" > "$work/silo-metrics.txt" 2>/dev/null || true
  curl -fsS --max-time 10 "$gateway/metrics" > "$work/gateway-metrics.txt" 2>/dev/null || true
  sleep 2
  dbstats > "$work/dbstats-after.txt"
  # What the run left behind: rows a finished run should not keep (pending reminders) and the tables' sizes.
  sql -d horizonai -c "select format(E'reminder_rows=%s\ngrain_state_rows=%s\nmessage_rows=%s', (select count(*) from orleans_reminder), (select count(*) from orleans_grain_state), (select count(*) from messages))" >> "$work/dbstats-after.txt" 2>/dev/null || true
  sql -d horizonai -F $'\t' -c "select calls, round(total_exec_time::numeric, 1), round(mean_exec_time::numeric, 3), rows, left(regexp_replace(query, '\s+', ' ', 'g'), 200) from pg_stat_statements s join pg_database d on d.oid = s.dbid where d.datname = 'horizonai' order by calls desc limit 25" > "$work/statements.txt"
fi

for name in silo gateway sandbox; do
  pid_var="pid_$name"
  if ! running "${!pid_var}"; then echo "WARNING: the $name process exited during the run; see $work/$name.log" >&2; status=1; fi
done

step "Report"
gen 120 report --dir "$work" --out "$results/latest.md" || status=1
[ -f "$work/pipeline.json" ] && cp "$work/pipeline.json" "$results/latest.json"
sed -n '/^## Targets/,/^## Throughput/p' "$results/latest.md" | sed '$d'
grep -E '^- \*\*Verdict' "$results/latest.md" || true
echo "Report: $results/latest.md"
if [ $status = 0 ]; then finished=1; fi
exit $status

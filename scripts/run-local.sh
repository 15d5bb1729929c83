#!/usr/bin/env bash
# Runs the whole system on this machine: PostgreSQL under .data/, the Silo and the Gateway, and, while no
# Twilio/OpenAI credentials are configured (environment or .env), the local sandbox stand-ins. Ctrl+C stops it all.
# PostgreSQL is the one storage: where its server is not installed this installs it (as root with apt-get), or else
# stops with the command that does.
#   --no-build   start what was built last (Release) instead of building first
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
source scripts/postgres.sh

build=1
for arg in "$@"; do
  case "$arg" in
    --no-build) build=0 ;;
    *) echo "usage: scripts/run-local.sh [--no-build]" >&2; exit 2 ;;
  esac
done

# Settings from .env count as configured too (the apps read the same file).
env_value() { local v="${!1:-}"; if [ -z "$v" ] && [ -f .env ]; then v=$(grep -E "^$1=" .env | tail -n 1 | cut -d= -f2- || true); fi; echo "$v"; }

# PostgreSQL is the one storage: without DATABASE_URL this runs a private one, installed here if need be.
if [ -z "$(env_value DATABASE_URL)" ] && ! pg_ensure_installed; then
  echo "ERROR: PostgreSQL's server is not installed and could not be installed here; install it with: sudo apt-get install -y postgresql (or set DATABASE_URL to a PostgreSQL you run)" >&2
  exit 1
fi

data="${LOCAL_DATA_DIR:-$root/.data}"
mkdir -p "$data"
chmod 755 "$data"

if [ "$build" = 1 ]; then
  echo "Building..."
  dotnet build HorizonAI.Orleans.sln -c Release -nologo -v quiet >/dev/null
fi

pids=()
stop_all() {
  trap - INT TERM EXIT
  echo; echo "Stopping..."
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  if [ -n "${LOCAL_POSTGRES:-}" ]; then pg_stop "$data/postgres"; fi
  echo "Stopped."
}
trap stop_all INT TERM EXIT

database=""
if [ -n "$(env_value DATABASE_URL)" ]; then
  export DATABASE_URL="$(env_value DATABASE_URL)"
  database="DATABASE_URL"
else
  pg_port=${LOCAL_PG_PORT:-54329}
  if ! pg_start "$data/postgres" "$pg_port"; then
    echo "ERROR: the local PostgreSQL under ${data#"$root"/}/postgres did not start (its log is above); set DATABASE_URL to use another." >&2
    exit 1
  fi
  LOCAL_POSTGRES=1
  bin=$(pg_bin_dir)
  if ! "$bin/psql" -h 127.0.0.1 -p "$pg_port" -U postgres -tAc "select 1 from pg_database where datname = 'horizonai'" | grep -q 1; then
    "$bin/psql" -h 127.0.0.1 -p "$pg_port" -U postgres -qc "create database horizonai" >/dev/null
  fi
  export DATABASE_URL="Host=127.0.0.1;Port=$pg_port;Username=postgres;Database=horizonai"
  database="PostgreSQL under ${data#"$root"/}/postgres"
fi

admin_key=$(env_value ADMIN_API_KEY)
if [ -z "$admin_key" ]; then
  [ -f "$data/admin-key" ] || (umask 077; head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n' > "$data/admin-key")
  admin_key=$(cat "$data/admin-key")
fi
export ADMIN_API_KEY="$admin_key"

sandbox=""
if [ -z "$(env_value TWILIO_ACCOUNT_SID)" ] || [ -z "$(env_value OPENAI_API_KEY)" ]; then
  sandbox="http://127.0.0.1:${SANDBOX_PORT:-8090}"
  export TWILIO_ACCOUNT_SID=AC00000000000000000000000000000000 TWILIO_AUTH_TOKEN=sandbox-auth-token OPENAI_API_KEY=sk-sandbox
  export TWILIO_API_BASE_URL="$sandbox" OPENAI_BASE_URL="$sandbox/v1"
  # The stand-in reports delivery like Twilio does, to the Gateway's signed status webhook.
  export SANDBOX_STATUS_CALLBACKS=true
  [ -n "$(env_value PUBLIC_BASE_URL)" ] || export PUBLIC_BASE_URL="http://127.0.0.1:${GATEWAY_PORT:-8080}"
  # The stand-in's tool, MCP and handoff-webhook endpoints are on the loopback, which only the agency's own hosts may
  # be: those of TOOL_PRIVATE_HOSTS (kept, with the loopback added).
  private_hosts=$(env_value TOOL_PRIVATE_HOSTS)
  export TOOL_PRIVATE_HOSTS="${private_hosts:+$private_hosts,}127.0.0.1,localhost"
  PORT=${SANDBOX_PORT:-8090} dotnet tools/Sandbox/bin/Release/net10.0/HorizonAI.Sandbox.dll > "$data/sandbox.log" 2>&1 &
  pids+=($!)
fi

# $! must be the dotnet process itself (not a pipeline) so that Ctrl+C reaches it as SIGTERM.
PORT=${SILO_HTTP_PORT:-8081} dotnet Silo/bin/Release/net10.0/HorizonAI.Silo.dll > >(sed -u 's/^/[silo] /') 2>&1 &
pids+=($!)
PORT=${GATEWAY_PORT:-8080} dotnet Gateway/bin/Release/net10.0/HorizonAI.Gateway.dll > >(sed -u 's/^/[gateway] /') 2>&1 &
pids+=($!)

gateway="http://127.0.0.1:${GATEWAY_PORT:-8080}"
for _ in $(seq 1 120); do
  # Ready, and a silo answers: the banner promises a system that answers (a Gateway alone already stores webhooks).
  if curl -fsS "$gateway/health/ready" 2>/dev/null | grep -q '"cluster":{"status":"Healthy"'; then break; fi
  sleep 1
done

# With the sandbox, two demo bots whose tools are its demo business: a restaurant (function tools) and a pharmacy (MCP).
# The sandbox serves their definitions, so its secret and routes are written in one place. A bot kept from an earlier
# run is left as it is (409); a refused one is named in the banner, with the admin API's answer in demo-bots.log.
demo_bots=""
if [ -n "$sandbox" ]; then
  : > "$data/demo-bots.log"
  for demo in restaurant pharmacy; do
    definition=$(curl -fsS --retry 10 --retry-connrefused --retry-delay 1 "$sandbox/_sandbox/business/demo-bots/$demo" 2>/dev/null) || continue
    number=$(printf '%s' "$definition" | grep -o '"twilio_phone_number":"[^"]*"' | cut -d'"' -f4 || true)
    status=$(curl -sS -o "$data/demo-bot.out" -w '%{http_code}' -H "Authorization: Bearer $admin_key" -H 'Content-Type: application/json' \
      --data "$definition" "$gateway/bots" 2>/dev/null || echo 000)
    { echo "$demo $number: HTTP $status"; cat "$data/demo-bot.out" 2>/dev/null; echo; } >> "$data/demo-bots.log"
    # A new demo bot gets its knowledge document too (the restaurant's menu): its assistant answers from it.
    if [ "$status" = 201 ] && document=$(curl -fsS "$sandbox/_sandbox/business/demo-bots/$demo/knowledge" 2>/dev/null); then
      curl -sS -o /dev/null -H "Authorization: Bearer $admin_key" -H 'Content-Type: application/json' \
        --data "$document" "$gateway/bots/$number/knowledge" >> "$data/demo-bots.log" 2>&1 || true
    fi
    case "$status" in
      201|409) demo_bots="$demo_bots $number ($demo)" ;;
      *) demo_bots="$demo_bots $number ($demo: not created, HTTP $status; see ${data#"$root"/}/demo-bots.log)" ;;
    esac
  done
  rm -f "$data/demo-bot.out"
fi

upstreams="Twilio and OpenAI with your credentials"
[ -n "$sandbox" ] && upstreams="sandbox stand-ins at $sandbox (no Twilio/OpenAI credentials configured)"

cat <<INFO

================================================================================
 HorizonAI.Orleans is running
   Gateway (webhooks, admin API):  $gateway
   Console (chat simulator):       $gateway/console/
   Twilio webhook:                 $gateway/webhook/whatsapp
   Silo health:                    http://127.0.0.1:${SILO_HTTP_PORT:-8081}/health/ready
   Admin API key:                  $admin_key
   Database:                       $database
   Upstreams:                      $upstreams
${demo_bots:+   Demo bots:                     $demo_bots
   (in the console, write to the restaurant: reservar para 2 a las 20:00 - it books through its tools;
    or ask it: ¿qué platos vegetarianos tienen? - it answers from its knowledge, the uploaded menu)
} Try:  curl -H "Authorization: Bearer $admin_key" $gateway/bots/
 Ctrl+C stops everything.
================================================================================
INFO
wait

#!/usr/bin/env bash
# Measures GET /bots with 10,000 bots: starts a fresh PostgreSQL, one Silo and one Gateway (Release builds),
# imports 10,000 bots through POST /bots/import, then times GET /bots repeatedly with curl.
# Writes bench/results/list-bots.md. Usage: bench/list-bots.sh [BOTS] [RUNS]
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
source scripts/postgres.sh
bots=${1:-10000}
runs=${2:-20}

pg_ensure_installed || { echo "PostgreSQL is required" >&2; exit 1; }
work=$(mktemp -d /tmp/horizonai-listbots.XXXXXX); chmod 755 "$work"
pg_port=$(pg_free_port); silo_http=$(pg_free_port); gw_http=$(pg_free_port); silo_port=$(pg_free_port); gw_port=$(pg_free_port)
pids=()
cleanup() { for p in "${pids[@]}"; do kill -TERM "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; pg_stop "$work/pg"; rm -rf "$work"; }
trap cleanup EXIT

dotnet build HorizonAI.Orleans.sln -c Release -nologo -v quiet >/dev/null
pg_start "$work/pg" "$pg_port"
export DATABASE_URL="Host=127.0.0.1;Port=$pg_port;Username=postgres;Database=postgres"
export TWILIO_ACCOUNT_SID=AC00000000000000000000000000000000 TWILIO_AUTH_TOKEN=bench-token OPENAI_API_KEY=sk-bench
export ADMIN_API_KEY=bench-admin-key-0123456789 ORLEANS_CLUSTER_ID=listbots ADMIN_RATE_LIMIT_PER_MINUTE=100000
PORT=$silo_http ORLEANS_SILO_PORT=$silo_port ORLEANS_GATEWAY_PORT=$gw_port dotnet Silo/bin/Release/net10.0/HorizonAI.Silo.dll >"$work/silo.log" 2>&1 &
pids+=($!)
PORT=$gw_http dotnet Gateway/bin/Release/net10.0/HorizonAI.Gateway.dll >"$work/gateway.log" 2>&1 &
pids+=($!)
base="http://127.0.0.1:$gw_http"
for _ in $(seq 1 120); do curl -fsS "$base/health/ready" 2>/dev/null | grep -qF '"cluster":{"status":"Healthy"' && break; sleep 1; done

auth=(-H "Authorization: Bearer $ADMIN_API_KEY")
python3 - "$bots" > "$work/bots.json" <<'PY'
import json, sys
n = int(sys.argv[1])
print(json.dumps([{"name": f"Cliente {i}", "twilio_phone_number": f"+1555{2000000 + i:07d}",
                   "instructions": "Eres asistente del cliente " + str(i), "metadata": {"cliente": f"C{i}"}} for i in range(n)]))
PY
start=$(date +%s.%N)
curl -fsS "${auth[@]}" -H "Content-Type: application/json" --data-binary "@$work/bots.json" "$base/bots/import" -o "$work/import.json"
import_s=$(echo "$(date +%s.%N) - $start" | bc)

curl -fsS "${auth[@]}" "$base/bots" -o /dev/null   # warm-up
times=()
for _ in $(seq 1 "$runs"); do
  times+=("$(curl -fsS "${auth[@]}" "$base/bots" -o "$work/list.json" -w '%{time_total}')")
done
count=$(python3 -c "import json;print(len(json.load(open('$work/list.json'))))")
size=$(stat -c %s "$work/list.json")
stats=$(printf '%s\n' "${times[@]}" | sort -n | awk '{a[NR]=$1} END {printf "min %.1f ms, median %.1f ms, p95 %.1f ms, max %.1f ms", a[1]*1000, a[int((NR+1)/2)]*1000, a[int(NR*0.95+0.5)]*1000, a[NR]*1000}')

mkdir -p bench/results
cat > bench/results/list-bots.md <<MD
# GET /bots with $count bots

- Command: \`bench/list-bots.sh $bots $runs\`
- Machine: $(nproc) cores, $(free -h | awk '/Mem:/ {print $2}') RAM, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(uname -sr), .NET $(dotnet --version)
- Setup: one Silo and one Gateway (Release) on a fresh local PostgreSQL; bots imported with one \`POST /bots/import\` ($(printf '%.1f' "$import_s") s for $bots bots: $(cat "$work/import.json" | head -c 80)…)
- Result: $runs sequential requests, $size bytes each: **$stats** (curl \`time_total\`, including JSON serialisation and transfer)

Design: the bot grains write their configuration to the \`bots\` table (they are its only writer), and the list is one
indexed query (\`order by phone_number\`) run by a stateless-worker grain, instead of 10,000 grain activations.
MD
cat bench/results/list-bots.md

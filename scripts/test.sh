#!/usr/bin/env bash
# Runs every test project against a throwaway PostgreSQL and prints one summary line: "N passed, N failed, N skipped".
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
source scripts/postgres.sh

results="$root/artifacts/test-results"
rm -rf "$results"
mkdir -p "$results"

if ! pg_ensure_installed; then
  echo "FATAL: PostgreSQL's binaries are missing and could not be installed; the tests need a real database." >&2
  exit 1
fi

if [ -x scripts/ensure-chromium.sh ]; then scripts/ensure-chromium.sh; fi

workdir=$(mktemp -d /tmp/horizonai-test.XXXXXX)
chmod 755 "$workdir"
port=$(pg_free_port)
cleanup() { pg_stop "$workdir/pg"; rm -rf "$workdir"; }
trap cleanup EXIT

# Tests do not need durability across power loss; fsync off keeps the suite fast on CI disks.
PG_FSYNC=off pg_start "$workdir/pg" "$port" || { echo "FATAL: PostgreSQL did not start" >&2; exit 1; }
export HORIZONAI_TEST_DATABASE_URL="Host=127.0.0.1;Port=$port;Username=postgres;Database=postgres"
echo "PostgreSQL for tests on 127.0.0.1:$port"

dotnet build HorizonAI.Orleans.sln -c Release -nologo -v quiet

status=0
names=()
# xunit v3 test projects are executables; each writes a TRX file that the summary below adds up.
for project in tests/*/*.csproj; do
  name=$(basename "$project" .csproj)
  names+=("$name")
  assembly=$(dotnet msbuild "$project" -getProperty:AssemblyName -p:Configuration=Release)
  dotnet "$(dirname "$project")/bin/Release/net10.0/$assembly.dll" -noColor -result-trx "$results/$name.trx" || status=1
done

python3 scripts/trx-summary.py "$results" "${names[@]}" || status=1
exit $status

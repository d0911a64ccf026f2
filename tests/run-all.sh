#!/usr/bin/env bash
# The one test command (README.md, .ci/run): installs what the tests need, builds everything with warnings as
# errors (which also runs the nanoFramework subset analyzers), runs every xunit project, and ends with the line
# "N passed, N failed".
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo"

bash tests/setup.sh

results="$repo/artifacts/test-results"
rm -rf "$results"
mkdir -p "$results"
log="$results/dotnet-test.log"

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
echo "== restore and build (Release, warnings as errors)"
dotnet build MeshMessenger.sln -c Release -nologo -v minimal

echo "== test"
set +e
dotnet test MeshMessenger.sln -c Release --no-build -nologo \
  --logger "console;verbosity=normal" --logger "trx" --results-directory "$results" 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
set -e

# Sum the per-assembly summaries ("Passed!  - Failed: 0, Passed: 12, Skipped: 0, Total: 12, ...").
read -r passed failed skipped < <(grep -E '(Passed|Failed)! +- Failed: ' "$log" | awk -F'[:,]' '
  { f += $2; p += $4; s += $6 } END { printf "%d %d %d\n", p, f, s }')
assemblies=$(grep -cE '(Passed|Failed)! +- Failed: ' "$log" || true)
expected=$(find tests -name '*.Tests.csproj' | wc -l)
if [ "$assemblies" -ne "$expected" ]; then
  echo "expected $expected test assemblies to report, saw $assemblies" >&2
  failed=$((failed + 1))
  status=1
fi
echo "$passed passed, $failed failed, $skipped skipped"
exit "$status"

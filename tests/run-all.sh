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
if ! dotnet build MeshMessenger.sln -c Release -nologo -v minimal; then
  # A NuGet or npm download that fails once, or two parallel project builds meeting on one file, is not the code's
  # fault; a compile error fails again here, one project at a time, with the same message.
  echo "== build failed; building once more, one project at a time" >&2
  dotnet build MeshMessenger.sln -c Release -nologo -v minimal -m:1
fi

echo "== test"
set +e
# One test assembly at a time (-m:1): in parallel, the browser tests' chromium, the gateway processes, anvil and the
# emulator's runs held a 2-core machine at a load average of 14, and tests that wait on real time (a federation of
# three gateways, a tip mined by anvil, a page's live feed) ran out of it.
dotnet test MeshMessenger.sln -c Release --no-build -nologo -m:1 \
  --logger "console;verbosity=minimal" --logger "trx" --results-directory "$results" 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
set -e

# One TRX file per test assembly; sum their counters (the console output of parallel runs interleaves).
attr() { grep -ho "<Counters [^>]*>" "$results"/*.trx 2>/dev/null | grep -o " $1=\"[0-9]*\"" | grep -o '[0-9]*' | awk '{ s += $1 } END { print s + 0 }'; }
passed=$(attr passed)
failed=$(( $(attr failed) + $(attr error) + $(attr timeout) + $(attr aborted) ))
skipped=$(attr notExecuted)
assemblies=$(find "$results" -maxdepth 1 -name '*.trx' | wc -l)
expected=$(find tests -name '*.Tests.csproj' | wc -l)
if [ "$assemblies" -ne "$expected" ]; then
  echo "expected $expected test assemblies to report, saw $assemblies" >&2
  failed=$((failed + 1))
  status=1
fi
if [ "$failed" -gt 0 ]; then
  status=1
fi
echo "$passed passed, $failed failed, $skipped skipped"
exit "$status"

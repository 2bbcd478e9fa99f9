#!/usr/bin/env bash
# Wirespeed's one entry script: demo | test | bench | coverage | publish | fuzz | <any wirespeed command>.
# Installs missing Debian packages, builds native/ with CMake and the .NET solution, then runs.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cd "$ROOT"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
CONFIG="${WS_CONFIGURATION:-Release}"
NATIVE_BUILD="$ROOT/build/native"
APP_DIR="$ROOT/managed/Wirespeed/bin/$CONFIG/net10.0"
TEST_DIR="$ROOT/tests/Wirespeed.Tests/bin/$CONFIG/net10.0"

log() { printf 'ws: %s\n' "$*" >&2; }

# Debian packages the build, the native shim and the tests need. Checked with dpkg, installed only when missing.
# prometheus: promtool and the server for the metrics and alert-rule tests (they start their own server; the package's
# service is not used).
# tshark: reads the pcap that journal export writes, with its MoldUDP64 dissector (tests/App/Commands).
# libquickfix-dev: QuickFIX C++ 1.15, the real FIX engine the session tests run against (tests/peers/quickfix).
# systemd: systemd-analyze rates deploy/systemd/wirespeed.service (tests/Deploy); setpriv (util-linux, essential) drops privileges in tests/FaultMatrix.
DEB_PACKAGES=(pkg-config liburing-dev libxdp-dev libbpf-dev libelf-dev zlib1g-dev libhdrhistogram-java default-jre-headless iproute2 nodejs npm systemd prometheus tshark libquickfix-dev)

ensure_deps() {
  local missing=()
  for p in "${DEB_PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
  done
  # A JRE or node already on PATH (e.g. from the image) is as good as Debian's.
  if command -v java >/dev/null 2>&1; then missing=("${missing[@]/default-jre-headless}"); fi
  if command -v node >/dev/null 2>&1; then missing=("${missing[@]/nodejs}"); fi
  if command -v npm >/dev/null 2>&1; then missing=("${missing[@]/npm}"); fi
  local want=()
  for p in "${missing[@]}"; do [ -n "$p" ] && want+=("$p"); done
  [ ${#want[@]} -eq 0 ] && return 0
  if [ "$(id -u)" != 0 ]; then
    log "missing Debian packages: ${want[*]} (run as root, or: sudo apt-get install ${want[*]})"
    return 1
  fi
  log "installing Debian packages: ${want[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >/dev/null
  apt-get install -y -qq --no-install-recommends "${want[@]}" >/dev/null
}

build_native() {
  cmake -S "$ROOT" -B "$NATIVE_BUILD" -DCMAKE_BUILD_TYPE=Release >/dev/null
  cmake --build "$NATIVE_BUILD" -j"$(nproc)" >"$ROOT/build/native-build.log" 2>&1 \
    || { cat "$ROOT/build/native-build.log" >&2; log "native build failed"; exit 1; }
}

# The QuickFIX C++ test peers (an acceptor and an initiator) that the FIX session tests talk to over loopback.
build_peers() {
  local dir="$ROOT/build/quickfix"
  cmake -S "$ROOT/tests/peers/quickfix" -B "$dir" -DCMAKE_BUILD_TYPE=Release >/dev/null
  cmake --build "$dir" -j"$(nproc)" >"$ROOT/build/quickfix-build.log" 2>&1 \
    || { cat "$ROOT/build/quickfix-build.log" >&2; log "QuickFIX peer build failed"; exit 1; }
}

build_dotnet() {
  local log_file="$ROOT/build/dotnet-build.log"
  mkdir -p "$ROOT/build"
  if ! dotnet build "$ROOT/Wirespeed.sln" -c "$CONFIG" -nologo -v q "$@" >"$log_file" 2>&1; then
    grep -E 'error|warning' "$log_file" | sort -u >&2 || cat "$log_file" >&2
    log ".NET build failed (full log: $log_file)"
    exit 1
  fi
}

# Test tools from npm: the JavaScript reference reader of HdrHistogram logs (the .hlog compatibility tests use it).
HDR_JS_VERSION=3.0.1
ensure_test_tools() {
  local dir="$ROOT/build/tools"
  [ -f "$dir/node_modules/hdr-histogram-js/package.json" ] && return 0
  mkdir -p "$dir"
  log "installing hdr-histogram-js@$HDR_JS_VERSION (npm) into build/tools"
  (cd "$dir" && npm install --silent --no-audit --no-fund --prefix "$dir" "hdr-histogram-js@$HDR_JS_VERSION" >/dev/null 2>&1) \
    || log "npm install of hdr-histogram-js failed: its compatibility test will say so"
}

build_all() { ensure_deps; build_native; build_dotnet; }

wirespeed() { "$APP_DIR/wirespeed" "$@"; }

# Runs ctest and the xUnit executable, then prints exactly one summary line last.
run_tests() {
  local passed=0 failed=0 skipped=0
  local ctest_out
  ctest_out="$(cd "$NATIVE_BUILD" && ctest --output-on-failure 2>&1)" || true
  printf '%s\n' "$ctest_out"
  local n_total n_failed n_skipped
  n_total=$(printf '%s\n' "$ctest_out" | sed -nE 's/.* tests failed out of ([0-9]+).*/\1/p' | tail -1)
  n_failed=$(printf '%s\n' "$ctest_out" | sed -nE 's/.*, ([0-9]+) tests failed out of.*/\1/p' | tail -1)
  n_skipped=$(printf '%s\n' "$ctest_out" | grep -cE '\*\*\*Skipped|Not Run' || true)
  n_total=${n_total:-0}; n_failed=${n_failed:-1}
  passed=$((n_total - n_failed - n_skipped)); failed=$n_failed; skipped=$n_skipped

  local xunit_log="$ROOT/build/xunit.log" rc=0
  # Under CI (or WS_COVERAGE=1), a run of the whole suite is also the coverage run: the same tests, once, under
  # coverlet, then the gate (tests/coverage-gate.py against tests/coverage-thresholds.json). WS_COVERAGE=0 opts out;
  # a filtered run (arguments) is never measured, its coverage would mean nothing.
  local measure=0
  if [ $# -eq 0 ] && { [ "${WS_COVERAGE:-}" = 1 ] || { [ "${CI:-}" = true ] && [ "${WS_COVERAGE:-}" != 0 ]; }; }; then measure=1; fi
  if [ "$measure" = 1 ]; then
    run_coverage 2>&1 | tee "$xunit_log" || rc=$?
    xunit_from_vstest "$xunit_log" >>"$xunit_log"
  else
    "$TEST_DIR/Wirespeed.Tests" -noColor -parallel collections "$@" 2>&1 | tee "$xunit_log" || rc=$?
  fi
  local line
  line=$(grep -E 'Total: [0-9]+, Errors: [0-9]+, Failed: [0-9]+, Skipped: [0-9]+' "$xunit_log" | tail -1 || true)
  if [ -z "$line" ]; then
    log "test runner printed no summary (exit $rc)"
    failed=$((failed + 1))
  else
    local t e f s nr
    t=$(sed -nE 's/.*Total: ([0-9]+).*/\1/p' <<<"$line")
    e=$(sed -nE 's/.*Errors: ([0-9]+).*/\1/p' <<<"$line")
    f=$(sed -nE 's/.*Failed: ([0-9]+).*/\1/p' <<<"$line")
    s=$(sed -nE 's/.*Skipped: ([0-9]+).*/\1/p' <<<"$line")
    nr=$(sed -nE 's/.*Not Run: ([0-9]+).*/\1/p' <<<"$line"); nr=${nr:-0}
    passed=$((passed + t - f - s - nr)); failed=$((failed + f + e)); skipped=$((skipped + s + nr))
  fi
  if [ "$measure" = 1 ]; then
    # The gate counts as one check: below a threshold, it says which group and lines, and the run fails.
    if coverage_gate; then passed=$((passed + 1)); else failed=$((failed + 1)); fi
  fi
  local summary="tests: $passed passed, $failed failed"
  [ "$skipped" -gt 0 ] && summary="$summary, $skipped skipped"
  echo "$summary"
  [ "$failed" -eq 0 ]
}

# The xUnit suite under coverlet's VSTest collector (the xUnit v3 in-process runner has no coverlet hook), into
# build/coverage/coverage.cobertura.xml. Exit status: vstest's (non-zero when a test failed).
COVERAGE_REPORT="$ROOT/build/coverage/coverage.cobertura.xml"
run_coverage() {
  rm -rf "$ROOT/build/coverage"
  local rc=0
  dotnet vstest "$TEST_DIR/Wirespeed.Tests.dll" --collect:"XPlat Code Coverage" \
    --TestAdapterPath:"$(ls -d "$HOME"/.nuget/packages/coverlet.collector/*/build/netstandard2.0 | tail -1)" \
    --ResultsDirectory:"$ROOT/build/coverage" -- \
    DataCollectionRunSettings.DataCollectors.DataCollector.Configuration.Format=cobertura \
    DataCollectionRunSettings.DataCollectors.DataCollector.Configuration.ExcludeByFile="**/obj/**" || rc=$?
  local report
  report=$(find "$ROOT/build/coverage" -name coverage.cobertura.xml | head -1)
  if [ -n "$report" ]; then cp "$report" "$COVERAGE_REPORT"; else log "no coverage report was written"; fi
  return $rc
}

# vstest's summary ("Passed!  - Failed: 0, Passed: 1197, Skipped: 0, Total: 1197, ...") as the xUnit runner's line
# that run_tests reads. An unhandled exception on a background thread ("[FATAL ERROR]", which vstest does not count)
# is counted as an error: it would end a real process.
xunit_from_vstest() {
  local line f s t e
  line=$(grep -E '(Passed|Failed)! +- Failed: +[0-9]+, Passed: +[0-9]+, Skipped: +[0-9]+, Total: +[0-9]+' "$1" | tail -1 || true)
  [ -n "$line" ] || return 0
  f=$(sed -nE 's/.*Failed: +([0-9]+),.*/\1/p' <<<"$line")
  s=$(sed -nE 's/.*Skipped: +([0-9]+),.*/\1/p' <<<"$line")
  t=$(sed -nE 's/.*Total: +([0-9]+),.*/\1/p' <<<"$line")
  e=$(grep -c '\[FATAL ERROR\]' "$1" || true)
  [ "$e" -gt 0 ] && log "$e unhandled exception(s) on a background thread during the tests ([FATAL ERROR] above)"
  echo "vstest: Total: $t, Errors: $e, Failed: $f, Skipped: $s"
}

# Prints the line and branch rates per assembly and the checked groups; non-zero below a threshold.
coverage_gate() {
  [ -f "$COVERAGE_REPORT" ] || { echo "coverage: FAILED: no report at $COVERAGE_REPORT"; return 1; }
  python3 - "$COVERAGE_REPORT" <<'PY'
import sys, xml.etree.ElementTree as ET
root = ET.parse(sys.argv[1]).getroot()
print(f"coverage: lines {float(root.get('line-rate'))*100:.1f}%, branches {float(root.get('branch-rate'))*100:.1f}%  ({sys.argv[1]})")
for p in root.find('packages'):
    print(f"  {p.get('name'):20s} lines {float(p.get('line-rate'))*100:5.1f}%  branches {float(p.get('branch-rate'))*100:5.1f}%")
PY
  python3 "$ROOT/tests/coverage-gate.py" "$COVERAGE_REPORT" "$ROOT/tests/coverage-thresholds.json"
}

# NativeAOT publish of wirespeed into build/publish: one binary with the shim and its libraries linked statically
# (NativeAOT.props), no trim or AOT warnings allowed. Prints the size and the start-up time of `wirespeed --help`.
PUBLISH_DIR="$ROOT/build/publish"
publish_aot() {
  ensure_deps
  build_native
  local log_file="$ROOT/build/publish.log"
  if ! dotnet publish "$ROOT/managed/Wirespeed/Wirespeed.csproj" -c "$CONFIG" -r linux-x64 -p:PublishAot=true \
       -o "$PUBLISH_DIR" -nologo -v q "$@" >"$log_file" 2>&1; then
    grep -E 'error|warning' "$log_file" | sort -u >&2 || cat "$log_file" >&2
    log "publish failed (full log: $log_file)"
    exit 1
  fi
  if grep -qE 'warning (IL|AOT)[0-9]+' "$log_file"; then
    grep -E 'warning (IL|AOT)[0-9]+' "$log_file" | sort -u >&2
    log "publish produced trim/AOT warnings (full log: $log_file)"
    exit 1
  fi
  # The shim is linked into the binary (DirectPInvoke): the copied .so, symbols and docs are not part of the product.
  rm -f "$PUBLISH_DIR/libwirespeed_native.so" "$PUBLISH_DIR"/*.pdb "$PUBLISH_DIR"/*.xml
  local bin="$PUBLISH_DIR/wirespeed" t0 t1
  t0=$(date +%s%N); "$bin" help >/dev/null 2>&1 || true; t1=$(date +%s%N)
  log "published $bin: $(stat -c %s "$bin") bytes, start-up $(( (t1 - t0) / 1000000 )) ms ('wirespeed help'), needs: $(ldd "$bin" | awk '{print $1}' | tr '\n' ' ')"
}

cmd="${1:-help}"
[ $# -gt 0 ] && shift
case "$cmd" in
  demo)
    build_all
    wirespeed demo "$@"
    ;;
  test)
    build_all
    build_peers
    # The NativeAOT binary is tested too (demo, replay, and as root the veth smoke test: run over AF_XDP and io_uring,
    # simulate from a network namespace; NativeAotVethSmokeTests): publish it first.
    publish_aot
    ensure_test_tools
    run_tests "$@"
    ;;
  bench)
    build_all
    # Latency harness first (short), then the BenchmarkDotNet suites (filter with: ./ws bench --filter '*Itch*').
    # --check: the regression guard against perf/baseline.json (--update rewrites it). Tiered JIT off: every method is
    # compiled fully optimised at its first call, as NativeAOT compiles it, so a round measures the same code each time.
    if [ "${1:-}" = "--check" ]; then
      DOTNET_TieredCompilation=0 wirespeed bench "$@"
    elif [ $# -eq 0 ]; then
      wirespeed bench
      dotnet "$ROOT/perf/Wirespeed.Benchmarks/bin/$CONFIG/net10.0/Wirespeed.Benchmarks.dll" --filter '*' --join
    else
      dotnet "$ROOT/perf/Wirespeed.Benchmarks/bin/$CONFIG/net10.0/Wirespeed.Benchmarks.dll" "$@"
    fi
    ;;
  coverage)
    build_all
    build_peers
    ensure_test_tools
    run_coverage || true
    coverage_gate
    ;;
  publish)
    publish_aot "$@"
    ;;
  fuzz)
    # Mutation fuzzing of the production parsers (config, pcap, itch50, hlog, journal); exit 1 on a crash or hang.
    build_all
    wirespeed fuzz "$@"
    ;;
  help|-h|--help)
    cat <<USAGE
usage: ./ws demo [--seconds N] [--rate R] [--scenario S] [--json F]
       ./ws test [xunit filters, e.g. -class 'Wirespeed.Tests.Feeds.Itch.*']
       ./ws bench [BenchmarkDotNet arguments]
       ./ws bench --check [--update] [--reps N] [--quick]   (regression guard: ratios to a reference loop against
                                         perf/baseline.json; exit 1 on a regression beyond its tolerance or any allocation)
       ./ws coverage                     (coverlet line and branch coverage into build/coverage, and the gate)
       ./ws publish                      (NativeAOT: one self-contained binary in build/publish/wirespeed)
       ./ws fuzz [--format F|all] [--cases N] [--seed S] [--out DIR]   (mutation fuzzing; exit 1 on a crash or hang)
       ./ws <wirespeed command> [args]   (replay, simulate, hdr, check-config, ...)
USAGE
    ;;
  *)
    build_all
    wirespeed "$cmd" "$@"
    ;;
esac

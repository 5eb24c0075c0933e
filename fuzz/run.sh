#!/bin/sh
# Runs each fuzz target for a set time (fuzz/README.md).
#   fuzz/run.sh [SECONDS [TARGET...]]     default: 60 seconds each, every target
# Environment: RUNS=N also stops a target after N executions (e.g. RUNS=10000000);
# BUILD=dir (default build-fuzz, configured with clang and SFL_FUZZ=ON when missing).
# New corpus entries go to fuzz/work/<target>/ and crashes to fuzz/findings/ (both ignored
# by git: copy a finding to fuzz/regressions/<target>/ once it is fixed). One line per
# target is printed as it ends: executions, seconds, and whether it found anything.
set -eu
cd "$(dirname "$0")/.."
secs="${1:-60}"
[ $# -gt 0 ] && shift
targets="${*:-jpath intrinsic validate run mockfile props awsconfig xml}"
build="${BUILD:-build-fuzz}"
if [ ! -f "$build/CMakeCache.txt" ]; then
  CC=clang cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DSFL_FUZZ=ON \
    -DBUILD_TESTING=OFF >/dev/null
fi
for t in $targets; do
  cmake --build "$build" -j1 --target "fuzz_$t" >/dev/null
done
mkdir -p fuzz/findings
for t in $targets; do
  mkdir -p "fuzz/work/$t"
  case "$t" in
    jpath) dict=jpath.dict ;;
    intrinsic) dict=intrinsic.dict ;;
    validate|run) dict=asl.dict ;;
    mockfile) dict=mockfile.dict ;;
    *) dict= ;;
  esac
  # props keeps one Lua host over 64 inputs, which libFuzzer's per-input leak check takes
  # for a leak (and slows 100-fold); its leaks are checked by the replay ctest under ASan.
  leaks=1
  [ "$t" = props ] && leaks=0
  log="fuzz/work/$t.log"
  set +e
  nice -n 19 "$build/fuzz/fuzz_$t" -max_total_time="$secs" ${RUNS:+-runs=$RUNS} \
    -detect_leaks=$leaks -timeout=10 -rss_limit_mb=2048 -max_len=4096 -print_final_stats=1 \
    ${dict:+-dict=fuzz/$dict} -artifact_prefix="fuzz/findings/$t-" \
    "fuzz/work/$t" "fuzz/corpus/$t" "fuzz/regressions/$t" >"$log" 2>&1
  rc=$?
  set -e
  runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
  took=$(sed -n 's/^Done [0-9]* runs in \([0-9]*\) second.*/\1/p' "$log" | tail -1)
  if [ "$rc" -eq 0 ]; then result=clean; else result="FOUND SOMETHING (exit $rc, see $log)"; fi
  line="$t: ${runs:-?} executions in ${took:-?} s: $result"
  echo "$line"
done

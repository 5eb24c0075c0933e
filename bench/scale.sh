#!/usr/bin/env bash
# How sfl synth scales (issue targets in brackets), on the gen_large.js shape of
# shared/cdk-reference (spec/fixtures/l01_large/app.lua, checked byte for byte against
# CDK at 100 states): whole-process wall time (median of RUNS), peak RSS, and instructions
# per state under callgrind, which do not move with the machine's load, from 127 to 20,000
# states; then `sfl validate` on the 20,000-state definition as an .asl.json file
# [<= 50 ms], and one app of 100 stacks x 50 states [<= 200 ms].
#   bench/scale.sh [RUNS]      (default 5)
set -euo pipefail
cd "$(dirname "$0")/.."
runs="${1:-5}"
sfl="$(pwd)/${SFL_BIN:-build/sfl}"
[ -x "$sfl" ] || { echo "bench: $sfl not built (run scripts/setup)" >&2; exit 2; }
. bench/lib.sh
bench_need_time
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
large="$(pwd)/spec/fixtures/l01_large/app.lua"

instructions() {
  if command -v valgrind > /dev/null; then
    valgrind --tool=callgrind --callgrind-out-file=/dev/null "$@" 2>&1 > /dev/null |
      awk '/I *refs:/ { gsub(",", "", $NF); print $NF }'
  else
    echo 0
  fi
}

cd "$work"
echo "sfl synth, gen_large.js shape, median of $runs runs [20,000 states: <= 100 ms, <= 64 MiB]"
printf "%8s %10s %10s %14s %16s\n" states "wall ms" "peak MiB" "M instr" "instr/state"
for n in 100 1000 5000 10000 15386; do
  states=$(( n + 3 * ((n - 1) / 10) ))
  read -r wall rss < <(SFL_LARGE_N=$n measure "$sfl" synth "$large" -q -o out)
  ins=$(SFL_LARGE_N=$n instructions "$sfl" synth "$large" -q -o out-cg)
  awk -v s="$states" -v w="$wall" -v r="$rss" -v i="$ins" 'BEGIN {
    printf "%8d %10.1f %10.1f %14.1f %16.0f\n", s, w / 1e3, r / 1024, i / 1e6, i / s }'
done

# The 20,000-state definition as a file, from the template just written.
python3 - out/l01-large.template.json > large.asl.json <<'PY'
import json, sys
t = json.load(open(sys.argv[1]))
m = next(r for r in t["Resources"].values() if r["Type"] == "AWS::StepFunctions::StateMachine")
print(m["Properties"]["DefinitionString"])
PY
# It is over Step Functions' 1 MiB definition limit, so validate reports that and exits 1
# after running every check, which is the work measured.
read -r wall rss < <(measure "$sfl" validate large.asl.json)
awk -v w="$wall" -v r="$rss" -v b="$(wc -c < large.asl.json)" 'BEGIN {
  printf "sfl validate, 20,000-state .asl.json (%d bytes) [<= 50 ms]: %.1f ms, %.1f MiB\n", b, w / 1e3, r / 1024 }'

read -r wall rss < <(measure "$sfl" synth "$OLDPWD/bench/many_stacks.lua" -q -o many)
awk -v w="$wall" -v r="$rss" 'BEGIN {
  printf "sfl synth, 100 stacks x 50 states [<= 200 ms]: %.1f ms, %.1f MiB\n", w / 1e3, r / 1024 }'

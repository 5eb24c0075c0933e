#!/usr/bin/env bash
# How fast `sfl run` executes state machines: transitions per second on a Pass/Choice
# loop of 100,000 transitions and on a Map over 10,000 items, next to the npm package
# aws-local-stepfunctions running the same definitions in the same way (bench-only; it is
# installed into a scratch folder by this script).
#   bench/run.sh [RUNS]      (default 5 runs each; prints the median)
set -euo pipefail
cd "$(dirname "$0")/.."
runs="${1:-5}"
sfl="${SFL_BIN:-build/sfl}"
[ -x "$sfl" ] || { echo "bench: $sfl not built (run scripts/setup)" >&2; exit 2; }
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

# A loop: Count adds 1 to $.n, Check goes back while $.n < 50000 (2 transitions a turn).
cat > "$work/loop.asl.json" <<'JSON'
{"StartAt": "Count", "States": {
  "Count": {"Type": "Pass", "Parameters": {"n.$": "States.MathAdd($.n, 1)"}, "Next": "Check"},
  "Check": {"Type": "Choice", "Choices": [
     {"Variable": "$.n", "NumericLessThan": 50000, "Next": "Count"}], "Default": "Done"},
  "Done": {"Type": "Succeed"}}}
JSON
echo '{"n": 0}' > "$work/loop.input.json"
# A Map over 10,000 items, each item going through two Pass states.
cat > "$work/map.asl.json" <<'JSON'
{"StartAt": "Each", "States": {
  "Each": {"Type": "Map", "ItemsPath": "$.items", "End": true,
    "ItemProcessor": {"ProcessorConfig": {"Mode": "INLINE"}, "StartAt": "Double",
      "States": {"Double": {"Type": "Pass", "Parameters": {"v.$": "States.MathAdd($.v, $.v)"},
                            "Next": "Keep"},
                 "Keep": {"Type": "Pass", "OutputPath": "$.v", "End": true}}}}}}
JSON
awk 'BEGIN { printf "{\"items\": ["; for(i = 0; i < 10000; i++) printf "%s{\"v\":%d}", i ? "," : "", i; print "]}" }' \
  > "$work/map.input.json"

median() { sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }

# Wall seconds of one run of a command, with bash's microsecond clock.
time_once() {
  local start=${EPOCHREALTIME/./}
  "$@" > "$work/out.json"
  local end=${EPOCHREALTIME/./}
  echo "$(( end - start ))"
}

transitions() {
  "$sfl" run "$work/$1.asl.json" --input "@$work/$1.input.json" --trace 2>&1 >/dev/null |
    grep -c '"type":"[A-Za-z]*StateEntered"'
}

# The other runner, installed once into the scratch folder.
npm install --silent --no-audit --no-fund --prefix "$work/npm" aws-local-stepfunctions@3.0.0 \
  >/dev/null 2>&1 || { echo "bench: npm install aws-local-stepfunctions failed" >&2; exit 2; }
cat > "$work/npm/als.mjs" <<'JS'
import { readFileSync } from 'node:fs';
import { StateMachine } from 'aws-local-stepfunctions';
const [definition, input] = process.argv.slice(2).map(f => JSON.parse(readFileSync(f, 'utf8')));
const machine = new StateMachine(definition, { validationOptions: { checkPaths: false } });
const start = process.hrtime.bigint();
const result = await machine.run(input).result;
const ms = Number(process.hrtime.bigint() - start) / 1e6;
process.stdout.write(JSON.stringify({ ms, size: JSON.stringify(result).length }) + "\n");
JS

# sfl's fixed cost: the same process running a one-state machine.
echo '{"StartAt": "A", "States": {"A": {"Type": "Succeed"}}}' > "$work/empty.asl.json"
floor_us=$(for i in $(seq "$runs"); do time_once "$sfl" run "$work/empty.asl.json"; done | median)

echo "sfl run vs aws-local-stepfunctions 3.0.0 (Node $(node --version)), median of $runs runs"
for case in loop map; do
  n=$(transitions "$case")
  sfl_us=$(for i in $(seq "$runs"); do
             time_once "$sfl" run "$work/$case.asl.json" --input "@$work/$case.input.json"
           done | median)
  # aws-local-stepfunctions: its own timing of the run, and the whole node process.
  als_run_ms=""
  als_us=$(for i in $(seq "$runs"); do
             time_once node "$work/npm/als.mjs" "$work/$case.asl.json" "$work/$case.input.json"
             sed 's/.*"ms":\([0-9.]*\).*/\1/' "$work/out.json" >> "$work/als_run_$case"
           done | median)
  als_run_ms=$(median < "$work/als_run_$case")
  awk -v c="$case" -v n="$n" -v s="$sfl_us" -v f="$floor_us" -v a="$als_us" -v r="$als_run_ms" '
    BEGIN {
      exec_s = (s - f) / 1e6; if(exec_s <= 0) exec_s = 1e-6
      printf "%s: %d transitions\n", c, n
      printf "  sfl run, whole process %8.1f ms; execution (less the %.1f ms start-up) %7.1f ms = %6.2f M transitions/s\n", \
             s / 1e3, f / 1e3, exec_s * 1e3, n / exec_s / 1e6
      printf "  aws-local-stepfunctions, whole process %8.1f ms; its run alone %8.1f ms = %6.3f M transitions/s\n", \
             a / 1e3, r, n / (r / 1e3) / 1e6
      printf "  sfl is %.0fx faster (whole process), %.0fx (execution alone)\n", a / s, (r / 1e3) / exec_s
    }'
done

# Wall times on a shared 2-core machine move by tens of percent from run to run; the
# instructions sfl executes do not. valgrind is optional here.
if command -v valgrind >/dev/null; then
  for case in loop map; do
    valgrind --tool=callgrind --callgrind-out-file=/dev/null "$sfl" run "$work/$case.asl.json" \
      --input "@$work/$case.input.json" 2>&1 >/dev/null |
      awk -v c="$case" '/I *refs:/ { gsub(",", "", $NF); printf "%s: sfl executes %.1f M instructions in all (callgrind)\n", c, $NF / 1e6 }'
  done
fi

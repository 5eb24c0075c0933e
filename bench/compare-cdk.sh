#!/usr/bin/env bash
# CDK and sfl side by side, in one run on one machine: `node app.js OUTDIR` (aws-cdk-lib
# 2.276.0, the version of spec/fixtures) against `sfl synth app.lua` on the seed article's
# apps and on the gen_large.js shape at 127, 1,297 and 4,937 states; median wall time and
# peak memory of whole processes, and the ratio. CDK is installed from npm into a scratch
# folder (bench-only; set CDK_ANCHOR_DIR to reuse an install). CDK's own template checks
# stay on, as in a plain `cdk synth`.
#   bench/compare-cdk.sh [RUNS]      (default 3)
set -euo pipefail
cd "$(dirname "$0")/.."
runs="${1:-3}"
sfl="$(pwd)/${SFL_BIN:-build/sfl}"
[ -x "$sfl" ] || { echo "bench: $sfl not built (run scripts/setup)" >&2; exit 2; }
. bench/lib.sh
bench_need_time
command -v node > /dev/null || { echo "bench: needs node and npm (apt-get install nodejs npm)" >&2; exit 2; }
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

anchor="${CDK_ANCHOR_DIR:-$work/cdk}"
if [ ! -d "$anchor/node_modules/aws-cdk-lib" ]; then
  echo "installing aws-cdk-lib 2.276.0 into $anchor ..." >&2
  npm install --silent --no-audit --no-fund --prefix "$anchor" aws-cdk-lib@2.276.0 \
    constructs@10.8.1 > /dev/null 2>&1 || { echo "bench: npm install aws-cdk-lib failed" >&2; exit 2; }
fi
export CDK_ANCHOR_DIR="$anchor"

# The apps, each in its own folder with the helper they require as ./_lib or ../_lib.
fixtures="$(pwd)/spec/fixtures"
cp "$fixtures/_lib.js" "$work/_lib.js"
cases=0
row() {   # NAME APP.js APP.lua [VAR=VALUE ...]: one line of the table
  local name="$1" js="$2" lua="$3" dir="$work/case$((cases += 1))"
  shift 3
  mkdir -p "$dir"
  cp "$js" "$dir/app.js"
  cp "$fixtures/_lib.js" "$dir/_lib.js"
  local cdk sfl_
  cdk="$(cd "$dir" && { [ $# -eq 0 ] || export "$@"; } && measure node app.js out-cdk)"
  sfl_="$(cd "$dir" && { [ $# -eq 0 ] || export "$@"; } && measure "$sfl" synth "$lua" -q -o out-sfl)"
  [ -s "$dir/out-cdk/manifest.json" ] || { echo "bench: CDK did not synthesize $name" >&2; exit 1; }
  awk -v n="$name" -v c="${cdk% *}" -v ck="${cdk#* }" -v s="${sfl_% *}" -v sk="${sfl_#* }" 'BEGIN {
    printf "%-26s %9.0f %8.1f %9.1f %8.1f %8.0fx %6.0fx\n", n, c / 1e3, ck / 1024, s / 1e3, sk / 1024, c / s, ck / sk }'
}

echo "CDK (node app.js) and sfl synth, median of $runs runs, $(nproc) cores"
printf "%-26s %9s %8s %9s %8s %9s %7s\n" case "CDK ms" "CDK MiB" "sfl ms" "sfl MiB" "faster" "memory"
for app in examples/seed*.lua; do
  name="$(basename "$app" .lua)"
  row "$name" "$fixtures/$name/app.js" "$(pwd)/$app"
done
for n in 100 1000 3800; do
  row "gen_large $((n + 3 * ((n - 1) / 10))) states" "$fixtures/l01_large/app.js" \
      "$fixtures/l01_large/app.lua" "SFL_LARGE_N=$n"
done

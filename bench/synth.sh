#!/usr/bin/env bash
# Wall time and peak memory of a whole `sfl synth` process on the seed article's first
# example (the app CDK needs 1.97 s and 368 MiB for: shared/cdk-reference/TIMINGS.md).
#   bench/synth.sh [RUNS] [APP]      (defaults: 101 runs, examples/seed01_chain.lua)
# Prints the median, min and max of each; needs a built build/sfl and GNU time.
set -euo pipefail
cd "$(dirname "$0")/.."
runs="${1:-101}"
app="${2:-examples/seed01_chain.lua}"
sfl="${SFL_BIN:-build/sfl}"
[ -x "$sfl" ] || { echo "bench: $sfl not built (run scripts/setup)" >&2; exit 2; }
if [ ! -x /usr/bin/time ]; then
  . scripts/deps.sh
  sfl_install_missing time
fi
out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT
"$sfl" synth "$app" -q -o "$out/warm" # warm-up: page cache, dynamic loader
for i in $(seq "$runs"); do
  /usr/bin/time -f "%e %M" -o "$out/t" "$sfl" synth "$app" -q -o "$out/o" 
  # %e has 10 ms resolution: time the wall clock with bash's microsecond clock too.
  start=${EPOCHREALTIME/./}
  "$sfl" synth "$app" -q -o "$out/o"
  end=${EPOCHREALTIME/./}
  echo "$(( end - start )) $(cut -d' ' -f2 "$out/t")" >> "$out/samples"
done
# The cost of starting any process here, measured the same way, for scale.
for i in $(seq "$runs"); do
  start=${EPOCHREALTIME/./}
  /bin/true
  end=${EPOCHREALTIME/./}
  echo "$(( end - start )) 0" >> "$out/floor"
done
floor=$(cut -d' ' -f1 "$out/floor" | sort -n | awk '{ v[NR] = $1 } END { printf "%.2f", v[int((NR + 1) / 2)] / 1000 }')

# median, min and max of column $1 of the samples, divided by $2, with format $3
stat() {
  cut -d' ' -f"$1" "$out/samples" | sort -n |
    awk -v div="$2" -v fmt="$3" '{ v[NR] = $1 / div }
      END { printf fmt, v[int((NR + 1) / 2)], v[1], v[NR] }'
}
echo "sfl synth $app, $runs runs"
echo "  wall time: $(stat 1 1000 'median %.2f ms (min %.2f, max %.2f)')"
echo "  peak RSS:  $(stat 2 1024 'median %.1f MiB (min %.1f, max %.1f)')"
echo "  for scale, starting /bin/true here: median $floor ms"
echo "  CDK for seed01 (node app.js, shared/cdk-reference/TIMINGS.md): 1971 ms, 368.0 MiB"

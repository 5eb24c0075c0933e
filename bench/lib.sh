# Helpers the bench scripts share (sourced, not run). Callers set $runs and $work.

median() { sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }

# "<wall us> <peak KiB>": medians over $runs runs of a command (its output discarded; a
# non-zero exit status is the caller's business, e.g. validate reporting problems).
measure() {
  local walls="" rss=""
  for _ in $(seq "$runs"); do
    local start=${EPOCHREALTIME/./}
    /usr/bin/time -q -f "%M" -o "$work/rss" "$@" > /dev/null 2>&1 || true
    local end=${EPOCHREALTIME/./}
    walls+="$(( end - start ))"$'\n'
    rss+="$(cat "$work/rss")"$'\n'
  done
  echo "$(printf '%s' "$walls" | median) $(printf '%s' "$rss" | median)"
}

# GNU time for peak memory, installed when missing.
bench_need_time() {
  if [ ! -x /usr/bin/time ]; then
    . scripts/deps.sh
    sfl_install_missing time
  fi
}

#!/usr/bin/env bash
# Runs the cargo-fuzz targets on copies of the seed corpora in fuzz/corpus. Not part of `cargo test`.
#
#   usage: scripts/fuzz.sh [SECONDS] [TARGET ...]        each target for SECONDS (default 60)
#          scripts/fuzz.sh --runs N [TARGET ...]         each target for exactly N executions, one
#                                                        after the other, then a table of
#                                                        executions, seconds, exec/s and crashes
#
# Targets: go_mod go_sum go_work modules_txt zip_hash check_cache (all of them when none is named).
# Campaign mode (--runs) logs each target to $FUZZ_LOG_DIR/TARGET.log (default /tmp/fuzz-campaign),
# keeps the grown corpus in $FUZZ_LOG_DIR/corpus/TARGET (so a restart resumes from it) and writes
# crashing inputs to fuzz/artifacts/TARGET/. Run it under `nice -n 19` on a shared machine: it uses
# one core (libFuzzer runs a single job), the build before it may use more.
#
# Build settings, chosen for speed:
# - `-s none`: no sanitizer. The crate is safe Rust (`unsafe_code = "forbid"`), so AddressSanitizer
#   can only catch bugs in the dependencies' unsafe code and the standard library, and it cost most
#   of the speed (the last ASan campaign ran go_mod at ~410 exec/s). Panics, overflow, timeouts and
#   out-of-memory are still caught without it.
# - `-O -a`: optimised build that keeps debug assertions and overflow checks, so an arithmetic
#   overflow in a parser is a crash rather than a silent wrap.
# - `--no-trace-compares`: compare tracing took ~60% of the time in the lexer's byte and char
#   comparisons (3x fewer exec/s); the keywords it would discover are in fuzz/dict/TARGET.dict,
#   passed as `-dict`.
# - `-max_len=4096` for the text parsers (seeds are kept below that; a real go.mod block is long,
#   but every parser path is reachable in a few hundred bytes), 8192 for zip_hash.
# - fuzz/target as the target directory (or $FUZZ_TARGET_DIR), so fuzz builds never wait on the
#   main build's lock.
#
# Needs cargo-fuzz (`cargo install --locked cargo-fuzz@0.13.2`); RUSTC_BOOTSTRAP lets the stable
# toolchain accept the -Z flags cargo-fuzz passes.
set -euo pipefail
cd "$(dirname "$0")/../fuzz"
fuzz_dir=$PWD
all=(go_mod go_sum go_work modules_txt zip_hash check_cache)

runs=""
secs=60
if [ "${1:-}" = "--runs" ]; then
  runs=${2:?--runs needs a number}; shift 2
elif [ $# -gt 0 ] && [[ $1 =~ ^[0-9]+$ ]]; then
  secs=$1; shift
fi
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=("${all[@]}")

max_len_for() { if [ "$1" = zip_hash ]; then echo 8192; else echo 4096; fi; }
# libFuzzer options every run shares: the length cap and the target's dictionary, if any.
lib_args_for() {
  echo "-max_len=$(max_len_for "$1")"
  [ ! -f "dict/$1.dict" ] || echo "-dict=$fuzz_dir/dict/$1.dict"
}
build_flags=(-s none -O -a --no-trace-compares --target-dir "${FUZZ_TARGET_DIR:-$fuzz_dir/target}")
export RUSTC_BOOTSTRAP=1

# Build every target first, so the timings below are fuzzing only.
for t in "${targets[@]}"; do
  cargo fuzz build "${build_flags[@]}" "$t"
done

if [ -z "$runs" ]; then
  for t in "${targets[@]}"; do
    work=$(mktemp -d)
    cp -r "corpus/$t/." "$work/" 2>/dev/null || true
    echo "== $t ($secs s)"
    cargo fuzz run "${build_flags[@]}" "$t" "$work" -- -max_total_time="$secs" \
      $(lib_args_for "$t") 2>&1 \
      | grep -E '^(#[0-9]+[[:space:]]+DONE|Done [0-9]+ runs|==[0-9]+== ERROR|SUMMARY|thread .* panicked)' || true
    rm -rf "$work"
  done
  exit 0
fi

logs=${FUZZ_LOG_DIR:-/tmp/fuzz-campaign}
mkdir -p "$logs"
summary="$logs/summary.tsv"
[ -f "$summary" ] || printf 'target\texecutions\tseconds\texec_per_s\tcrashes\ttimeouts\tstatus\n' > "$summary"
rows=()
for t in "${targets[@]}"; do
  corpus="$logs/corpus/$t"
  mkdir -p "$corpus" "artifacts/$t"
  cp -rn "corpus/$t/." "$corpus/" 2>/dev/null || true
  before_crash=$(find "artifacts/$t" -type f ! -name 'timeout-*' | wc -l)
  before_timeout=$(find "artifacts/$t" -type f -name 'timeout-*' | wc -l)
  log="$logs/$t.log"
  echo "== $t: $runs runs, log $log"
  start=$(date +%s.%N)
  status=ok
  cargo fuzz run "${build_flags[@]}" "$t" "$corpus" -- -runs="$runs" $(lib_args_for "$t") \
    -timeout=30 -rss_limit_mb=2048 -print_final_stats=1 > "$log" 2>&1 || status="exit $?"
  end=$(date +%s.%N)
  secs_taken=$(awk -v a="$start" -v b="$end" 'BEGIN { printf "%.1f", b - a }')
  # "Done N runs in S second(s)" on a clean stop; stat::number_of_executed_units otherwise.
  execs=$(sed -n 's/^Done \([0-9]*\) runs in .*/\1/p' "$log" | tail -1)
  [ -n "$execs" ] || execs=$(sed -n 's/^stat::number_of_executed_units: *\([0-9]*\)/\1/p' "$log" | tail -1)
  [ -n "$execs" ] || execs=$(grep -oE '^#[0-9]+' "$log" | tail -1 | tr -d '#')
  execs=${execs:-0}
  # A timeout (one input running past -timeout) is reported apart: on a loaded machine it can
  # be the machine, not the input. Re-run the input alone to tell.
  crashes=$(( $(find "artifacts/$t" -type f ! -name 'timeout-*' | wc -l) - before_crash ))
  timeouts=$(( $(find "artifacts/$t" -type f -name 'timeout-*' | wc -l) - before_timeout ))
  rate=$(awk -v n="$execs" -v s="$secs_taken" 'BEGIN { printf "%.0f", (s > 0 ? n / s : 0) }')
  row=$(printf '%s\t%s\t%s\t%s\t%s\t%s\t%s' "$t" "$execs" "$secs_taken" "$rate" "$crashes" "$timeouts" "$status")
  echo "$row" >> "$summary"
  rows+=("$row")
  echo "   $execs executions in $secs_taken s ($rate exec/s), $crashes crash(es), $timeouts timeout(s), $status"
done

echo
printf '%-12s %12s %10s %10s %8s %8s  %s\n' target executions seconds exec/s crashes timeouts status
for row in "${rows[@]}"; do
  IFS=$'\t' read -r t e s r c to st <<< "$row"
  printf '%-12s %12s %10s %10s %8s %8s  %s\n' "$t" "$e" "$s" "$r" "$c" "$to" "$st"
done
echo "(logs and summary.tsv in $logs; crashing inputs in fuzz/artifacts/TARGET/)"

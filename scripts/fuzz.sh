#!/usr/bin/env bash
# Runs every cargo-fuzz target for SECONDS each (default 60) on the seed corpora in fuzz/corpus.
# Needs cargo-fuzz (`cargo install --locked cargo-fuzz@0.13.2`); RUSTC_BOOTSTRAP lets the stable
# toolchain build the sanitizer flags cargo-fuzz asks for. Not part of `cargo test`.
#   usage: scripts/fuzz.sh [SECONDS] [TARGET ...]
set -euo pipefail
cd "$(dirname "$0")/../fuzz"
secs=${1:-60}; shift || true
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(go_mod go_sum go_work modules_txt zip_hash)
for t in "${targets[@]}"; do
  work=$(mktemp -d)
  cp -r "corpus/$t/." "$work/" 2>/dev/null || true
  echo "== $t ($secs s)"
  RUSTC_BOOTSTRAP=1 cargo fuzz run "$t" "$work" -- -max_total_time="$secs" -max_len=65536 2>&1 \
    | grep -E '^(#[0-9]+[[:space:]]+DONE|Done [0-9]+ runs|==[0-9]+== ERROR|SUMMARY|thread .* panicked)' || true
  rm -rf "$work"
done

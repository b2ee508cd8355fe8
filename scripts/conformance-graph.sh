#!/usr/bin/env bash
# Compares `modscope graph --json` with `go list -m all` and `go mod graph` on real projects from
# ../shared/fixtures/real. It downloads their go.mod files through the Go module proxy into a
# temporary cache (network needed), so it is NOT part of the hermetic test suite or of .ci/run.
# It also times the graph load against `go list -m -json all`, both offline on the same cache.
#
# usage: scripts/conformance-graph.sh [fixture-dir ...]   (default: a handful of real projects)
set -euo pipefail
cd "$(dirname "$0")/.."
FIX=${FIXTURES:-../shared/fixtures/real}
cargo build --release -q
BIN=${CARGO_TARGET_DIR:-$PWD/target}/release/modscope
WORK=$(mktemp -d)
trap 'chmod -R u+w "$WORK" 2>/dev/null; rm -rf "$WORK"' EXIT
export HOME=$WORK/home GOPATH=$WORK/gopath GOMODCACHE=$WORK/modcache GOCACHE=$WORK/gocache
export GOENV=off GOFLAGS=-modcacherw GOTOOLCHAIN=local GOWORK=off
mkdir -p "$HOME"
projects=("$@")
[ ${#projects[@]} -gt 0 ] || projects=(spf13__cobra sirupsen__logrus gin-gonic__gin jesseduffield__lazygit cli__cli prometheus__prometheus go-gitea__gitea traefik__traefik)
pass=0; fail=0
printf '%-28s %8s %8s %8s  %s\n' project modules edges graph-ms "go-list-ms (ratio)"
for p in "${projects[@]}"; do
  src=$FIX/$p
  [ -f "$src/go.mod" ] || { echo "$p: no go.mod"; fail=$((fail+1)); continue; }
  dir=$WORK/p/$p; mkdir -p "$dir"; cp "$src/go.mod" "$dir/"; [ -f "$src/go.sum" ] && cp "$src/go.sum" "$dir/"
  # Local replacements point into the real repository; drop them (their go.mod is not here).
  (cd "$dir" && go mod edit -json | python3 -c '
import json,sys
for r in json.load(sys.stdin).get("Replace") or []:
    if r["New"]["Path"].startswith((".", "/")):
        old = r["Old"]["Path"] + ("@" + r["Old"]["Version"] if r["Old"].get("Version") else "")
        print(old)' | while read -r old; do go mod edit -dropreplace="$old"; done)
  # go 1.26 can't run a go.mod that wants a newer go; such a project is skipped, not failed.
  if ! (cd "$dir" && GOPROXY=https://proxy.golang.org GOFLAGS="-modcacherw -mod=mod" go list -m all >/dev/null 2>"$WORK/err"); then
    echo "$p: skipped: $(tail -1 "$WORK/err")"; continue
  fi
  (cd "$dir" && GOPROXY=off GOFLAGS="-modcacherw -mod=mod" go list -m all) | sed 's/ => .*//' > "$WORK/go-list"
  (cd "$dir" && GOPROXY=off GOFLAGS="-modcacherw -mod=mod" go mod graph) | grep -v -e ' go@' -e ' toolchain@' -e '^go@' -e '^toolchain@' | sort > "$WORK/go-graph" || true
  "$BIN" graph --json -C "$dir" --modcache "$GOMODCACHE" > "$WORK/ours.json" || true
  python3 - "$WORK/ours.json" "$WORK/ours-list" "$WORK/ours-graph" <<'PY'
import json, sys
g = json.load(open(sys.argv[1]))
open(sys.argv[2], "w").write("".join(m["path"] + ("" if m["main"] else " " + m["version"]) + "\n" for m in g["modules"]))
open(sys.argv[3], "w").write("".join(sorted(e["from"] + " " + e["to"] + "\n" for e in g["edges"])))
PY
  t0=$(date +%s%N); for _ in 1 2 3 4 5; do "$BIN" graph --json -C "$dir" --modcache "$GOMODCACHE" >/dev/null || true; done; t1=$(date +%s%N)
  for _ in 1 2 3 4 5; do (cd "$dir" && GOPROXY=off GOFLAGS="-modcacherw -mod=mod" go list -m -json all >/dev/null); done; t2=$(date +%s%N)
  ours_ms=$(( (t1-t0)/5000000 )); go_ms=$(( (t2-t1)/5000000 ))
  ratio=$(python3 -c "print(f'{$ours_ms/max($go_ms,1):.2f}')")
  if diff -q "$WORK/go-list" "$WORK/ours-list" >/dev/null && diff -q "$WORK/go-graph" "$WORK/ours-graph" >/dev/null; then
    pass=$((pass+1)); st=ok
  else
    fail=$((fail+1)); st=DIFF
    diff "$WORK/go-list" "$WORK/ours-list" | head -5 || true
    diff "$WORK/go-graph" "$WORK/ours-graph" | head -5 || true
  fi
  printf '%-28s %8s %8s %8s  %s (%s) %s\n' "$p" "$(wc -l < "$WORK/ours-list")" "$(wc -l < "$WORK/ours-graph")" "$ours_ms" "$go_ms" "$ratio" "$st"
done
echo "graph conformance: $pass passed, $fail failed"
[ "$fail" -eq 0 ]

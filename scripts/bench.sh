#!/usr/bin/env bash
# Performance benchmark: modscope against the go tools and sha256sum on the same warm cache.
#
#   bash scripts/bench.sh
#
# Generates, with no network, a 1,000-module project (20-200 files per module, mostly small .go
# files plus a few large ones) and a real-shaped one (file counts and sizes per module drawn from
# those of a real project's modules, see REAL_COUNTS in examples/bench_fixture/) as file://
# proxies, lets the real `go mod download` fill a temporary module cache from each, writes a
# 10,000-module cache directly, then measures side by side and prints one table with the ratios.
# With BENCH_REAL=<module path>@<version> it also fetches that module's source and its
# dependencies through your GOPROXY (the network) into its own temporary cache and measures that
# too. Everything lives in a temporary directory (HOME, GOPATH, GOMODCACHE, GOCACHE, modscope's
# own cache); ~/go and ~/.cache are never touched.
#
# The last row comes from scripts/bench-proxy.sh: `modscope proxy check` against a 127.0.0.1
# proxy with a fixed delay per request, beside its floor (requests x delay / 16 in flight).
#
# Environment: BENCH_RUNS (timed runs per command, median reported; default 5), BENCH_FRAME_RUNS
# (alternating rounds of the first-frame measurement; default 21), BENCH_MODULES
# (default 1000), BENCH_SHAPED (modules of the real-shaped cache; default 142, as many as the
# project its distribution comes from), BENCH_REAL (a real project, e.g.
# github.com/caddyserver/caddy/v2@v2.8.4; default none), BENCH_HUGE (default 10000), BENCH_DIR
# (reuse/keep fixtures there instead of a fresh temporary directory that is removed at the end).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD

RUNS=${BENCH_RUNS:-5}
# The first frame takes ~10 ms against go list's ~55, and both move by milliseconds from run to
# run on a shared machine: more rounds for a steadier median (21 rounds cost ~1.5 s).
FRAME_RUNS=${BENCH_FRAME_RUNS:-21}
MODULES=${BENCH_MODULES:-1000}
SHAPED=${BENCH_SHAPED:-142}
REAL=${BENCH_REAL:-}
HUGE=${BENCH_HUGE:-10000}

for tool in go sha256sum xargs awk; do
  command -v "$tool" >/dev/null || { echo "bench: $tool is required" >&2; exit 2; }
done
[ -x /usr/bin/time ] || { echo "bench: /usr/bin/time is required (apt-get install time)" >&2; exit 2; }

if [ -n "${BENCH_DIR:-}" ]; then
  WORK=$(mkdir -p "$BENCH_DIR" && cd "$BENCH_DIR" && pwd)
else
  WORK=$(mktemp -d /tmp/modscope-bench.XXXXXX)
  trap 'chmod -R u+w "$WORK" 2>/dev/null; rm -rf "$WORK"' EXIT
fi

# The user's proxy settings, read before this script points HOME and the go env elsewhere: only
# BENCH_REAL uses them (the other caches come from local file:// proxies).
if [ -n "$REAL" ]; then
  case $REAL in *@*) ;; *) echo "bench: BENCH_REAL must be <module path>@<version>" >&2; exit 2 ;; esac
  USER_GOPROXY=$(go env GOPROXY) USER_GOSUMDB=$(go env GOSUMDB) USER_GONOSUMDB=$(go env GONOSUMDB)
  USER_GOPRIVATE=$(go env GOPRIVATE) USER_GONOPROXY=$(go env GONOPROXY) USER_GOINSECURE=$(go env GOINSECURE)
fi

# The dist profile (release + fat LTO): what `cargo install --profile dist` builds.
echo "== building (dist profile): modscope and examples/bench_fixture" >&2
cargo build --profile dist --quiet --bin modscope --example bench_fixture --example bench_first_frame
M=${CARGO_TARGET_DIR:-$ROOT/target}/dist/modscope
B=${CARGO_TARGET_DIR:-$ROOT/target}/dist/examples/bench_fixture
F=${CARGO_TARGET_DIR:-$ROOT/target}/dist/examples/bench_first_frame

BIG=$WORK/big
SHAPED_DIR=$WORK/shaped
REAL_DIR=$WORK/real
HUGE_DIR=$WORK/huge
export HOME=$WORK/home GOPATH=$WORK/gopath GOMODCACHE=$BIG/modcache GOCACHE=$WORK/gocache
export GOENV=off GOFLAGS=-modcacherw GOPROXY=file://$BIG/proxy GOSUMDB=off GOTOOLCHAIN=local
export GOWORK=off GO111MODULE=on CGO_ENABLED=0 GONOSUMDB= GOPRIVATE= GONOPROXY=
export MODSCOPE_CACHE_DIR=$WORK/modscope-cache
unset XDG_CACHE_HOME XDG_CONFIG_HOME
mkdir -p "$HOME" "$GOPATH" "$GOCACHE"

if [ ! -f "$BIG/.downloaded" ]; then
  echo "== generating $MODULES modules as a file:// proxy" >&2
  chmod -R u+w "$BIG" 2>/dev/null || true
  rm -rf "$BIG"
  "$B" proxy "$BIG" "$MODULES" big >&2
  echo "== go mod download (real go, local proxy)" >&2
  (cd "$BIG/project" && /usr/bin/time -f "   go mod download: %e s" go mod download)
  touch "$BIG/.downloaded"
fi
if [ ! -f "$SHAPED_DIR/.downloaded" ]; then
  echo "== generating $SHAPED real-shaped modules as a file:// proxy" >&2
  chmod -R u+w "$SHAPED_DIR" 2>/dev/null || true
  rm -rf "$SHAPED_DIR"
  "$B" proxy "$SHAPED_DIR" "$SHAPED" real >&2
  echo "== go mod download (real go, local proxy)" >&2
  (cd "$SHAPED_DIR/project" && GOMODCACHE=$SHAPED_DIR/modcache GOPROXY=file://$SHAPED_DIR/proxy \
    /usr/bin/time -f "   go mod download: %e s" go mod download)
  touch "$SHAPED_DIR/.downloaded"
fi
if [ -n "$REAL" ] && [ "$(cat "$REAL_DIR/.downloaded" 2>/dev/null)" != "$REAL" ]; then
  echo "== fetching $REAL and its dependencies through $USER_GOPROXY (network)" >&2
  chmod -R u+w "$REAL_DIR" 2>/dev/null || true
  rm -rf "$REAL_DIR"
  mkdir -p "$REAL_DIR/fetch"
  real_go() {
    GOPROXY=$USER_GOPROXY GOSUMDB=$USER_GOSUMDB GONOSUMDB=$USER_GONOSUMDB GOPRIVATE=$USER_GOPRIVATE \
      GONOPROXY=$USER_GONOPROXY GOINSECURE=$USER_GOINSECURE "$@"
  }
  # The module's own source comes from a separate cache, so the measured one holds only what
  # the project itself pulls.
  SRC=$(cd "$REAL_DIR/fetch" && GOMODCACHE=$REAL_DIR/fetch-cache real_go go mod download -json "$REAL" |
    awk -F'"' '$2 == "Dir" {print $4}')
  [ -n "$SRC" ] || { echo "bench: could not download $REAL" >&2; exit 1; }
  cp -R "$SRC" "$REAL_DIR/project"
  chmod -R u+w "$REAL_DIR/project" "$REAL_DIR/fetch-cache"
  rm -rf "$REAL_DIR/fetch-cache"
  (cd "$REAL_DIR/project" && GOMODCACHE=$REAL_DIR/modcache real_go /usr/bin/time -f "   go mod download: %e s" go mod download)
  echo "$REAL" > "$REAL_DIR/.downloaded"
fi
if [ ! -f "$HUGE_DIR/.written" ]; then
  echo "== writing a $HUGE-module cache directly" >&2
  rm -rf "$HUGE_DIR"
  "$B" cache "$HUGE_DIR" "$HUGE" small >&2
  touch "$HUGE_DIR/.written"
fi

TMPF=$(mktemp)
# once DIR CMD...: runs CMD once in DIR; prints "wall_ms cpu_ms max_rss_kib".
once() {
  local dir=$1 s e u sy rss; shift
  s=$EPOCHREALTIME
  (cd "$dir" && /usr/bin/time -f "%U %S %M" -o "$TMPF" "$@" >/dev/null 2>/dev/null) || true
  e=$EPOCHREALTIME
  read -r u sy rss < <(tail -n 1 "$TMPF")
  awk -v s="$s" -v e="$e" -v u="$u" -v sy="$sy" -v r="$rss" 'BEGIN { printf "%.1f %.0f %s\n", (e - s) * 1000, (u + sy) * 1000, r }'
}
# record NAME SAMPLES: sets MED_<NAME> (median wall ms), CPU_<NAME> (median user+sys ms) and
# RSS_<NAME> (max KiB) from lines "wall cpu rss".
record() {
  local name=$1 samples=$2
  printf -v "MED_$name" '%s' "$(echo "$samples" | awk '{print $1}' | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')"
  printf -v "CPU_$name" '%s' "$(echo "$samples" | awk '{print $2}' | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')"
  printf -v "RSS_$name" '%s' "$(echo "$samples" | awk '{print $3}' | sort -n | awk '{a[NR]=$1} END {print a[NR]}')"
  echo "   $name: wall $(echo "$samples" | awk '{printf "%s ", $1}')-> $(eval echo "\$MED_$name") ms, peak $(eval echo "\$RSS_$name") KiB" >&2
}
# measure NAME DIR CMD...: one warm-up run, then $RUNS timed runs, medians (see record).
measure() {
  local name=$1 dir=$2 out="" i; shift 2
  (cd "$dir" && "$@" >/dev/null 2>&1) || true
  for ((i = 0; i < RUNS; i++)); do out+="$(once "$dir" "$@")"$'\n'; done
  record "$name" "${out%$'\n'}"
}
# pair NAME_A NAME_B DIR: the commands in the arrays CA and CB, alternating (A B A B ...) after a
# warm-up of each, so both see the same machine; medians of each (see record).
pair() {
  local na=$1 nb=$2 dir=$3 oa="" ob="" i
  (cd "$dir" && "${CA[@]}" >/dev/null 2>&1) || true
  (cd "$dir" && "${CB[@]}" >/dev/null 2>&1) || true
  for ((i = 0; i < RUNS; i++)); do
    oa+="$(once "$dir" "${CA[@]}")"$'\n'
    ob+="$(once "$dir" "${CB[@]}")"$'\n'
  done
  record "$na" "${oa%$'\n'}"
  record "$nb" "${ob%$'\n'}"
}

# measure_cache TAG PROJECT GOMODCACHE: the side-by-side figures of one cache, into variables
# suffixed _TAG: full verify vs go mod verify, the verify memo, check --quick vs go list -m all,
# graph vs go mod graph, and the floors of a full verify (sha256sum over the same bytes, and
# inflating alone).
measure_cache() {
  local tag=$1 p=$2 cache=$3
  echo "== $tag: timing ($RUNS alternating runs each after a warm-up, medians)" >&2
  export GOMODCACHE=$cache
  CA=("$M" check --json --full) CB=(go mod verify)
  pair "full_$tag" "goverify_$tag" "$p"
  # The verify memo: one check fills it (twice: files changed within 2 s are not remembered).
  (cd "$p" && "$M" check --json >/dev/null 2>&1 && sleep 2 && "$M" check --json >/dev/null 2>&1) || true
  measure "memo_$tag" "$p" "$M" check --json
  CA=("$M" check --quick --json) CB=(go list -m -json all)
  pair "quick_$tag" "golist_$tag" "$p"
  CA=("$M" graph --json) CB=(go mod graph)
  pair "graph_$tag" "gograph_$tag" "$p"
  echo "== $tag: floors" >&2
  local hashed tree inflate
  read -r hashed tree < <("$B" bytes "$cache" | awk '{for(i=1;i<=NF;i++){split($i,kv,"="); v[kv[1]]=kv[2]} print v["hashed_bytes"], v["tree_bytes"]}')
  printf -v "HASHED_$tag" '%s' "$hashed"
  printf -v "TREE_$tag" '%s' "$tree"
  (cd "$cache" && find . -path ./cache -prune -o -type f -print0) > "$WORK/files-$tag.lst"
  printf -v "FILES_$tag" '%s' "$(tr -cd '\0' < "$WORK/files-$tag.lst" | wc -c)"
  measure "sha1_$tag" "$cache" sh -c "xargs -0 -n 2000 sha256sum < '$WORK/files-$tag.lst'"
  measure "sha2_$tag" "$cache" sh -c "xargs -0 -P $(nproc) -n 2000 sha256sum < '$WORK/files-$tag.lst'"
  inflate=$("$B" inflate "$cache")
  echo "   inflate: $inflate" >&2
  printf -v "INFLATE_$tag" '%s' "$inflate"
}

LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
TAGS=(synthetic shaped)
measure_cache synthetic "$BIG/project" "$BIG/modcache"
measure_cache shaped "$SHAPED_DIR/project" "$SHAPED_DIR/modcache"
if [ -n "$REAL" ]; then
  TAGS+=(real)
  measure_cache real "$REAL_DIR/project" "$REAL_DIR/modcache"
fi
export GOMODCACHE=$BIG/modcache
P=$BIG/project

# The inspector itself in a pseudo-terminal, until the screen shows the classified list, each
# run followed by one `go list -m -json all` (alternating, so both see the same machine). The
# quick-scan memo is warm from the checks above; "cold" gives it a memo directory that cannot
# exist (a path under a regular file), so every run probes every module's files.
echo "== first classified frame of the inspector, alternating with go list -m -json all" >&2
FRAME=$("$F" "$M" "$P" "$FRAME_RUNS" go list -m -json all)
echo "   warm: $FRAME" >&2
touch "$WORK/not-a-dir"
FRAME_COLD=$(MODSCOPE_CACHE_DIR=$WORK/not-a-dir/memo "$F" "$M" "$P" "$FRAME_RUNS" go list -m -json all)
echo "   cold: $FRAME_COLD" >&2
fv() { echo "$1" | tr ' ' '\n' | awk -F= -v k="$2" '$1 == k {print $2}'; }

echo "== $HUGE modules: peak RSS" >&2
HP=$HUGE_DIR/project
HC=$HUGE_DIR/modcache
measure hquick "$HP" "$M" check --quick --json --modcache "$HC"
measure hfull "$HP" "$M" check --full --json --modcache "$HC"
(cd "$HP" && "$M" check --json --modcache "$HC" >/dev/null 2>&1 && sleep 2 && "$M" check --json --modcache "$HC" >/dev/null 2>&1) || true
measure hmemo "$HP" "$M" check --json --modcache "$HC"

# modscope cache: the whole-cache inventory against du -s on the same (warm) cache; the same
# lstat of every entry is the floor. Then with --projects (one project's module graph added).
echo "== $HUGE modules: modscope cache --json vs du -s" >&2
measure du "$HC" du -s -B1 "$HC"
measure cache "$HP" "$M" cache --json --modcache "$HC"
measure cacheproj "$HP" "$M" cache --json --modcache "$HC" --projects "$HP"

echo "== keystroke -> frame, $HUGE rows (TestBackend 160x48)" >&2
RENDER=$("$B" render "$HP" "$HC" 300)
rv() { echo "$RENDER" | tr ' ' '\n' | awk -F= -v k="$1" '$1 == k {print $2}'; }

# proxy check against a proxy a network away: scripts/bench-proxy.sh (a 127.0.0.1 proxy
# answering each request after a fixed delay), its row at the end of the table.
echo "== proxy check round trips (scripts/bench-proxy.sh)" >&2
PROXY_ROW=$(BENCH_PROXY_ROW_ONLY=1 BENCH_MODSCOPE=$M BENCH_FIXTURE=$B BENCH_DIR=$WORK BENCH_RUNS=$RUNS \
  bash "$ROOT/scripts/bench-proxy.sh")

LOAD_AFTER=$(cut -d' ' -f1-3 /proc/loadavg)
rm -f "$TMPF"

mbs() { awk -v b="$1" -v ms="$2" 'BEGIN { printf "%.0f", b / 1048576 / (ms / 1000) }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", a / b }'; }
mib() { awk -v k="$1" 'BEGIN { printf "%.1f MiB", k / 1024 }'; }
yes_no() { awk -v v="$1" -v t="$2" -v op="$3" 'BEGIN { ok = (op == "le") ? (v <= t) : (v >= t); print ok ? "yes" : "**no**" }'; }
# get NAME: the value of the variable NAME.
get() { printf '%s' "${!1}"; }
iv() { get "INFLATE_$1" | tr ' ' '\n' | awk -F= -v k="$2" '$1 == k {print $2}'; }
CORES=$(nproc)

MODEL=$(awk -F': ' '/model name/ {print $2; exit}' /proc/cpuinfo)
SHANI=$(grep -qw sha_ni /proc/cpuinfo && echo "SHA-NI" || echo "no SHA-NI")
declare -A LABEL=([synthetic]="synthetic" [shaped]="real-shaped" [real]="real: $REAL")
cat <<EOF

modscope benchmark — $(date -u +%Y-%m-%d), $CORES cores ($MODEL, $SHANI), $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(go version | cut -d' ' -f3), sha256sum $(sha256sum --version | awk 'NR==1 {print $NF}')
load average before/after: $LOAD_BEFORE / $LOAD_AFTER (other work on the machine slows every column)
medians of $RUNS runs, modscope and go alternating ($FRAME_RUNS alternating rounds for the first frame); wall ms (CPU ms = user+sys)
EOF
for t in "${TAGS[@]}"; do
  echo "cache ${LABEL[$t]}: $(get "FILES_$t") extracted files, $(awk -v b="$(get "TREE_$t")" 'BEGIN {printf "%.0f MiB", b/1048576}') of content (+ zips), warm page cache"
done
echo "cache $HUGE modules (written directly): peak RSS and keystroke → frame"
echo
echo "| figure | cache | modscope | reference | ratio | target | met |"
echo "|---|---|---|---|---|---|---|"
for t in "${TAGS[@]}"; do
  L=${LABEL[$t]}
  FULL=$(get "MED_full_$t") GV=$(get "MED_goverify_$t") HASHED=$(get "HASHED_$t") TREE=$(get "TREE_$t")
  # sha256sum's rate over the trees (-P cores, or one core x cores, whichever is faster) applied
  # to all the bytes a full check hashes (zip content inflated + trees); inflating on one core,
  # divided by the cores.
  R2=$(mbs "$TREE" "$(get "MED_sha2_$t")") R1=$(mbs "$TREE" "$(get "MED_sha1_$t")")
  R=$((R2 > R1 * CORES ? R2 : R1 * CORES))
  SHA_MS=$(awk -v b="$HASHED" -v r="$R" 'BEGIN { printf "%.1f", b / 1048576 / r * 1000 }')
  INF_MS=$(awk -v ms="$(iv "$t" libdeflate_ms)" -v c="$CORES" 'BEGIN { printf "%.1f", ms / c }')
  FLOOR=$(awk -v a="$SHA_MS" -v b="$INF_MS" 'BEGIN { printf "%.1f", a + b }')
  # The same with this machine's SHA-256 in process (the sha2 crate, SHA-NI when the CPU has
  # it, as modscope hashes), on one core, divided by the cores: what hashing and inflating cost
  # with no file system at all.
  SHA_IN=$(awk -v b="$HASHED" -v r="$(iv "$t" sha256_mibs)" -v c="$CORES" 'BEGIN { printf "%.1f", b / 1048576 / r * 1000 / c }')
  FLOOR_IN=$(awk -v a="$SHA_IN" -v b="$INF_MS" 'BEGIN { printf "%.1f", a + b }')
  # What no full verify can go below: every zip entry inflated and hashed once (the tree is
  # compared with the inflated bytes, not hashed again, as modscope does), both ÷ the cores;
  # opening, reading and comparing the extracted files come on top of it.
  ONCE=$(awk -v i="$(iv "$t" libdeflate_ms)" -v s="$(iv "$t" sha256_ms)" -v c="$CORES" 'BEGIN { printf "%.1f", (i + s) / c }')
  RF=$(ratio "$FULL" "$GV")
  RSSR=$(ratio "$(get "RSS_full_$t")" "$(get "RSS_goverify_$t")")
  RM=$(ratio "$(get "MED_memo_$t")" "$GV")
  RG=$(ratio "$(get "MED_graph_$t")" "$(get "MED_gograph_$t")")
  echo "| full verify: \`check --json --full\` vs \`go mod verify\` | $L | $FULL ms (CPU $(get "CPU_full_$t")) | $GV ms (CPU $(get "CPU_goverify_$t")) | $RF | ≤ 0.15 | $(yes_no "$RF" 0.15 le) |"
  echo "| floor of a full verify: sha256sum over the same $(awk -v b="$HASHED" 'BEGIN {printf "%.0f MiB", b/1048576}') (at sha256sum's $R MiB/s) + inflating alone (libdeflate $(iv "$t" libdeflate_mibs) MiB/s on one core, ÷ $CORES; zlib-rs $(iv "$t" zlib_rs_mibs) MiB/s) | $L | $FULL ms | $SHA_MS + $INF_MS = $FLOOR ms | $(ratio "$FULL" "$FLOOR") | | |"
  echo "| floor of a full verify in process: SHA-256 of the same bytes (sha2, $(iv "$t" sha256_mibs) MiB/s on one core) + inflating alone (libdeflate), both ÷ $CORES | $L | $FULL ms | $SHA_IN + $INF_MS = $FLOOR_IN ms | $(ratio "$FULL" "$FLOOR_IN") | | |"
  echo "| floor of a full verify that hashes each file once: inflating (libdeflate) + SHA-256 of the zip content, both ÷ $CORES; reading and comparing the extracted files not counted | $L | $FULL ms | $ONCE ms | $(ratio "$FULL" "$ONCE") | | |"
  echo "| that floor against \`go mod verify\`: the lowest ratio a full verify could reach on this machine | $L | $ONCE ms | $GV ms | $(ratio "$ONCE" "$GV") | | |"
  echo "| peak RSS: \`check --json --full\` vs \`go mod verify\` | $L | $(mib "$(get "RSS_full_$t")") | $(mib "$(get "RSS_goverify_$t")") | $RSSR | ≤ 2 | $(yes_no "$RSSR" 2 le) |"
  echo "| re-verify, unchanged cache (verify memo): \`check --json\` vs \`go mod verify\` | $L | $(get "MED_memo_$t") ms (CPU $(get "CPU_memo_$t")) | $GV ms | $RM | ≤ 0.05 | $(yes_no "$RM" 0.05 le) |"
  echo "| quick classification: \`check --quick --json\` vs \`go list -m -json all\` | $L | $(get "MED_quick_$t") ms (CPU $(get "CPU_quick_$t")) | $(get "MED_golist_$t") ms (CPU $(get "CPU_golist_$t")) | $(ratio "$(get "MED_quick_$t")" "$(get "MED_golist_$t")") | | |"
  echo "| module graph: \`graph --json\` vs \`go mod graph\` | $L | $(get "MED_graph_$t") ms (CPU $(get "CPU_graph_$t")) | $(get "MED_gograph_$t") ms (CPU $(get "CPU_gograph_$t")) | $RG | ≤ 0.3 | $(yes_no "$RG" 0.3 le) |"
done
L=synthetic
cat <<EOF
| first classified frame: the inspector in a pty, start → list on screen (quick-scan memo warm) vs \`go list -m -json all\`, alternating | $L | $(fv "$FRAME" first_frame_ms) ms | $(fv "$FRAME" reference_ms) ms | $(fv "$FRAME" ratio) | ≤ 0.2 | $(yes_no "$(fv "$FRAME" ratio)" 0.2 le) |
| first classified frame, no memo (first run on a cache) vs \`go list -m -json all\` | $L | $(fv "$FRAME_COLD" first_frame_ms) ms | $(fv "$FRAME_COLD" reference_ms) ms | $(fv "$FRAME_COLD" ratio) | | |
| peak RSS: \`check --quick --json\` | $HUGE modules | $(mib "$RSS_hquick") ($MED_hquick ms) | | | ≤ 100 MB | $(yes_no "$RSS_hquick" 97656 le) |
| peak RSS: \`check --full --json\` | $HUGE modules | $(mib "$RSS_hfull") ($MED_hfull ms) | | | ≤ 100 MB | $(yes_no "$RSS_hfull" 97656 le) |
| peak RSS: \`check --json\` (memo) | $HUGE modules | $(mib "$RSS_hmemo") ($MED_hmemo ms) | | | ≤ 100 MB | $(yes_no "$RSS_hmemo" 97656 le) |
| whole-cache inventory: \`cache --json\` vs \`du -s\` ($(find "$HC" | wc -l) entries) | $HUGE modules | $MED_cache ms (CPU $CPU_cache), $(mib "$RSS_cache") | $MED_du ms (CPU $CPU_du) | $(ratio "$MED_cache" "$MED_du") | ≤ 1.5, ≤ 200 MB | $(yes_no "$(ratio "$MED_cache" "$MED_du")" 1.5 le) |
| \`cache --json --projects\` (one project's graph too) | $HUGE modules | $MED_cacheproj ms, $(mib "$RSS_cacheproj") | $MED_du ms | $(ratio "$MED_cacheproj" "$MED_du") | | |
| keystroke → frame: filter char (update + draw) | $HUGE modules | median $(rv filter_median_ms) ms, p99 $(rv filter_p99_ms) ms | | | ≤ 16 ms | $(yes_no "$(rv filter_p99_ms)" 16 le) |
| keystroke → frame: MoveDown (update + draw) | $HUGE modules | median $(rv movedown_median_ms) ms, p99 $(rv movedown_p99_ms) ms | | | ≤ 16 ms | $(yes_no "$(rv movedown_p99_ms)" 16 le) |
| keystroke → frame, dense module graph (each module requires 2): MoveUp from the last row, "why" of each row | $HUGE modules | median $(rv dense_median_ms) ms, p99 $(rv dense_p99_ms) ms | | | ≤ 16 ms | $(yes_no "$(rv dense_p99_ms)" 16 le) |
$PROXY_ROW
EOF

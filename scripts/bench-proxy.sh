#!/usr/bin/env bash
# Round trips of `modscope proxy check`: a generated project of several hundred modules, its
# proxy served on 127.0.0.1 by scripts/latency_proxy.py with a fixed delay per request (as a
# team proxy a network away answers), checked with the default 16 requests in flight. Printed
# beside the floor: every request the check makes × the delay ÷ 16, and the ratio. No network.
#
#   bash scripts/bench-proxy.sh           # standalone: builds, prints the table
#
# scripts/bench.sh runs it for the last row of its table (BENCH_PROXY_ROW_ONLY=1, with its own
# binaries in BENCH_MODSCOPE and BENCH_FIXTURE and its directory in BENCH_DIR).
#
# Environment: BENCH_RUNS (timed runs, median reported; default 5), BENCH_PROXY_MODULES (default
# 400), BENCH_PROXY_LATENCY_MS (default 20), BENCH_DIR (keep the fixture there).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD

RUNS=${BENCH_RUNS:-5}
N=${BENCH_PROXY_MODULES:-400}
LAT=${BENCH_PROXY_LATENCY_MS:-20}
JOBS=16

for tool in go python3 awk; do
  command -v "$tool" >/dev/null || { echo "bench-proxy: $tool is required" >&2; exit 2; }
done
[ -x /usr/bin/time ] || { echo "bench-proxy: /usr/bin/time is required (apt-get install time)" >&2; exit 2; }

if [ -z "${BENCH_MODSCOPE:-}" ]; then
  echo "== building (release): modscope and examples/bench_fixture" >&2
  cargo build --release --quiet --bin modscope --example bench_fixture
fi
M=${BENCH_MODSCOPE:-${CARGO_TARGET_DIR:-$ROOT/target}/release/modscope}
B=${BENCH_FIXTURE:-${CARGO_TARGET_DIR:-$ROOT/target}/release/examples/bench_fixture}

SERVER=
if [ -n "${BENCH_DIR:-}" ]; then
  WORK=$(mkdir -p "$BENCH_DIR" && cd "$BENCH_DIR" && pwd)
  trap '[ -n "$SERVER" ] && kill "$SERVER" 2>/dev/null || true' EXIT
else
  WORK=$(mktemp -d /tmp/modscope-bench-proxy.XXXXXX)
  trap '[ -n "$SERVER" ] && kill "$SERVER" 2>/dev/null; chmod -R u+w "$WORK" 2>/dev/null; rm -rf "$WORK"' EXIT
fi
PX=$WORK/proxy-latency
export HOME=$WORK/home GOPATH=$WORK/gopath GOMODCACHE=$PX/modcache GOCACHE=$WORK/gocache
export GOENV=off GOFLAGS=-modcacherw GOSUMDB=off GOTOOLCHAIN=local GOWORK=off GO111MODULE=on
export GONOSUMDB= GOPRIVATE= GONOPROXY= MODSCOPE_CACHE_DIR=$WORK/modscope-cache
unset XDG_CACHE_HOME XDG_CONFIG_HOME NETRC GOAUTH
mkdir -p "$HOME" "$GOPATH" "$GOCACHE"

if [ "$(cat "$PX/.downloaded" 2>/dev/null)" != "$N" ]; then
  echo "== generating $N modules as a proxy; go mod download fills a cache from it" >&2
  chmod -R u+w "$PX" 2>/dev/null || true
  rm -rf "$PX"
  "$B" proxy "$PX" "$N" small >&2
  (cd "$PX/project" && GOPROXY=file://$PX/proxy go mod download)
  echo "$N" > "$PX/.downloaded"
fi

COUNT=$WORK/proxy-requests.log
: > "$COUNT"
PORT_FILE=$WORK/proxy-port
python3 "$ROOT/scripts/latency_proxy.py" "$PX/proxy" "$LAT" "$COUNT" > "$PORT_FILE" &
SERVER=$!
for _ in $(seq 100); do [ -s "$PORT_FILE" ] && break; sleep 0.05; done
URL=http://127.0.0.1:$(head -n 1 "$PORT_FILE")
export GOPROXY=$URL

# One run to count the requests (each entry of the audit is one request; a retry would add one,
# and the log counts those too), and to make sure the proxy is complete (no retries, no errors).
(cd "$PX/project" && "$M" proxy check "$URL" --json > "$WORK/proxy-audit.json") ||
  { echo "bench-proxy: the check did not find the proxy complete" >&2; exit 1; }
REQUESTS=$(wc -l < "$COUNT")
MODS=$(awk -F'"modules":' 'NF > 1 {split($2, a, /[,}]/); print a[1]; exit}' "$WORK/proxy-audit.json" | tr -d ' ')

# The same proxy with no delay: what the check costs besides the waiting (reading the
# project and its module graph, hashing the .mod files).
: > "$WORK/proxy-port-0"
python3 "$ROOT/scripts/latency_proxy.py" "$PX/proxy" 0 > "$WORK/proxy-port-0" &
SERVER0=$!
trap '[ -n "$SERVER" ] && kill "$SERVER" 2>/dev/null; kill "$SERVER0" 2>/dev/null; [ -z "${BENCH_DIR:-}" ] && { chmod -R u+w "$WORK" 2>/dev/null; rm -rf "$WORK"; }; true' EXIT
for _ in $(seq 100); do [ -s "$WORK/proxy-port-0" ] && break; sleep 0.05; done
URL0=http://127.0.0.1:$(head -n 1 "$WORK/proxy-port-0")

TMPF=$(mktemp)
median() { awk '{print $'"$1"'}' | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
# timed NAME URL: $RUNS runs of the check against URL; sets WALL_<NAME> and CPU_<NAME> (medians).
timed() {
  local name=$1 url=$2 samples="" i s e u sy rss
  echo "== $RUNS timed runs: modscope proxy check $url" >&2
  for ((i = 0; i < RUNS; i++)); do
    s=$EPOCHREALTIME
    (cd "$PX/project" && /usr/bin/time -f "%U %S %M" -o "$TMPF" "$M" proxy check "$url" >/dev/null 2>&1) || true
    e=$EPOCHREALTIME
    read -r u sy rss < <(tail -n 1 "$TMPF")
    samples+="$(awk -v s="$s" -v e="$e" -v u="$u" -v sy="$sy" -v r="$rss" 'BEGIN { printf "%.1f %.0f %s", (e - s) * 1000, (u + sy) * 1000, r }')"$'\n'
  done
  printf -v "WALL_$name" '%s' "$(printf '%s' "$samples" | median 1)"
  printf -v "CPU_$name" '%s' "$(printf '%s' "$samples" | median 2)"
  echo "   wall: $(printf '%s' "$samples" | awk '{printf "%s ", $1}')-> $(eval echo "\$WALL_$name") ms" >&2
}
timed delayed "$URL"
timed nodelay "$URL0"
rm -f "$TMPF"
FLOOR=$(awk -v n="$REQUESTS" -v l="$LAT" -v j="$JOBS" 'BEGIN { printf "%.1f", n * l / j }')
RATIO=$(awk -v a="$WALL_delayed" -v b="$FLOOR" 'BEGIN { printf "%.3f", a / b }')
ROW="| proxy check round trips: \`proxy check URL\` against a 127.0.0.1 proxy answering each request after $LAT ms, $JOBS in flight vs the floor ($REQUESTS requests × $LAT ms ÷ $JOBS) | $MODS modules | $WALL_delayed ms (CPU $CPU_delayed) | $FLOOR ms | $RATIO | | |
| the same check against the same proxy with no delay | $MODS modules | $WALL_nodelay ms (CPU $CPU_nodelay) | | | | |"

if [ -n "${BENCH_PROXY_ROW_ONLY:-}" ]; then
  echo "$ROW"
  exit 0
fi
cat <<EOF2

modscope proxy check benchmark — $(date -u +%Y-%m-%d), $(nproc) cores, $(go version | cut -d' ' -f3); load average $(cut -d' ' -f1-3 /proc/loadavg)
median of $RUNS runs; wall ms (CPU ms = user+sys)

| figure | cache | modscope | reference | ratio | target | met |
|---|---|---|---|---|---|---|
$ROW
EOF2

#!/usr/bin/env bash
# Screenshots of the real binary, for the README: `bash scripts/screenshots.sh` from anywhere.
#
# modscope --demo runs in a detached tmux at 120x40 (TERM=xterm-256color), driven with send-keys;
# each screen is captured with its colours (capture-pane -p -e), rendered as an SVG terminal
# window by scripts/ansi2svg.py (python rich) and turned into a PNG by resvg (PyPI resvg-cli).
# Both live in a venv under target/screenshot-venv, made on the first run. Writes:
#   screenshots/main.png             the main view once the full verification finished
#   screenshots/help.png             the help overlay (?)
#   screenshots/mismatch-detail.png  a mismatched module (filter uuid), detail maximised (Enter)
#   screenshots/repair.png           X on that module: every file that moves to the quarantine and
#                                    the go command, before y
#   screenshots/download.png         d on a missing module (filter logrus): the download job, then
#                                    the verify job, and the module cached
#   screenshots/export.png           o then e, Enter: the offline bundle exported as a job
# Needs: cargo, tmux, python3 (with venv), the DejaVu fonts (fonts-dejavu-core), PyPI access once.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD

COLS=120
ROWS=40
OUT=$ROOT/screenshots
VENV=$ROOT/target/screenshot-venv
FONTS=/usr/share/fonts/truetype/dejavu
SOCKET=modscope-shots-$$
T=(tmux -L "$SOCKET" -f /dev/null)
WORK=$(mktemp -d "${TMPDIR:-/tmp}/modscope-shots.XXXXXX")

cleanup() {
    # If we stopped half-way: let modscope quit (it removes its demo directory), then kill.
    if "${T[@]}" has-session -t shots 2>/dev/null; then
        "${T[@]}" send-keys -t shots q 2>/dev/null || true
        sleep 0.5
    fi
    "${T[@]}" kill-server 2>/dev/null || true
    rm -rf "$WORK"
}
trap cleanup EXIT

for tool in tmux python3 cargo; do
    command -v "$tool" >/dev/null || { echo "screenshots: $tool is needed" >&2; exit 1; }
done

# The venv is (re)made when it is missing or was made with other pins.
PINS="rich==15.0.0 resvg-cli==0.44.0"
if [ "$(cat "$VENV/.modscope-pins" 2>/dev/null)" != "$PINS" ] || [ ! -x "$VENV/bin/resvg" ]; then
    echo "== venv $VENV ($PINS)"
    rm -rf "$VENV"
    python3 -m venv "$VENV"
    # shellcheck disable=SC2086 # one word per pin
    "$VENV/bin/pip" install --quiet --disable-pip-version-check $PINS
    echo "$PINS" >"$VENV/.modscope-pins"
fi

echo "== cargo build --release"
cargo build --release --quiet
BIN=${CARGO_TARGET_DIR:-$ROOT/target}/release/modscope

# Fonts pinned when the DejaVu files are there (the same picture on every machine), else the
# system's monospace font.
RESVG_FONTS=(--monospace-family "DejaVu Sans Mono")
if [ -f "$FONTS/DejaVuSansMono.ttf" ]; then
    RESVG_FONTS+=(--skip-system-fonts)
    for f in DejaVuSansMono DejaVuSansMono-Bold DejaVuSans DejaVuSans-Bold; do
        if [ -f "$FONTS/$f.ttf" ]; then
            RESVG_FONTS+=(--use-font-file "$FONTS/$f.ttf")
        fi
    done
fi

SCREEN=$WORK/screen.txt
screen() { "${T[@]}" capture-pane -t shots -p; }

# Tests on the last captured screen, for wait_until.
has() { grep -qF -- "$1" "$SCREEN"; }
lacks() { ! has "$1"; }
line_has() { grep -F -- "$1" "$SCREEN" | grep -qF -- "$2"; } # one line holds both

# wait_until DESCRIPTION TEST: captures the screen every 0.1 s until TEST (evaluated) holds;
# fails after 30 s, or at once if modscope exited.
wait_until() {
    local what=$1 test=$2 i
    for i in $(seq 300); do
        screen >"$SCREEN"
        if eval "$test"; then
            return 0
        fi
        if ! "${T[@]}" has-session -t shots 2>/dev/null; then
            echo "screenshots: modscope exited while waiting for: $what" >&2
            exit 1
        fi
        sleep 0.1
    done
    echo "screenshots: timed out waiting for: $what" >&2
    cat "$SCREEN" >&2
    exit 1
}

wait_for() { wait_until "$1 on screen" "has $(printf '%q' "$1")"; }

keys() { "${T[@]}" send-keys -t shots "$@"; }

shot() {
    local name=$1
    # Let the last draw land (the app redraws only on change; nothing is animating here).
    sleep 0.3
    "${T[@]}" capture-pane -t shots -p -e >"$WORK/$name.ansi"
    "$VENV/bin/python" scripts/ansi2svg.py "$WORK/$name.ansi" "$WORK/$name.svg" "$COLS" "$ROWS" \
        "modscope --demo"
    "$VENV/bin/resvg" "${RESVG_FONTS[@]}" --zoom 2 "$WORK/$name.svg" "$OUT/$name.png" 2>/dev/null
    echo "   screenshots/$name.png"
}

mkdir -p "$OUT"
echo "== modscope --demo in tmux ${COLS}x${ROWS}"
# The demo writes itself to a temporary directory, removed when modscope quits.
"${T[@]}" new-session -d -s shots -x "$COLS" -y "$ROWS" \
    -e TERM=xterm-256color -e NO_COLOR= "$BIN --demo"

wait_until "the full verification done" \
    "line_has 'verify 23 modules' done && has 'Modules 23/23'"
shot main

keys '?'
wait_for " Keys "
shot help
keys '?'
wait_until "help closed" "lacks ' Keys '"

keys / u u i d Enter
wait_until "the list filtered to uuid" "has 'Modules 1/23' && has github.com/google/uuid"
keys Enter
wait_until "the detail maximised" "lacks 'Modules 1/23' && has extracted-files-modified"
shot mismatch-detail
keys Enter
wait_for "Modules 1/23"
keys X
wait_for "Repair: evict into the quarantine"
shot repair
keys y
wait_until "uuid repaired and verified again" \
    "line_has 'verify 1 module' done && line_has 'github.com/google/uuid' '✓ cached'"
keys Escape
wait_for "Modules 23/23"

keys / l o g r u s Enter
wait_until "the list filtered to logrus" \
    "has 'Modules 1/23' && line_has github.com/sirupsen/logrus missing"
keys d
wait_until "the download done, then the verify, and logrus cached" \
    "line_has 'go mod download -json github.com/sirupsen/logrus@v1.9.3' done \
     && line_has 'verify 1 module' done && line_has 'github.com/sirupsen/logrus' '✓ cached'"
shot download
keys Escape
wait_for "Modules 23/23"

keys o
wait_for "Offline readiness"
keys e
wait_for "Export offline bundle"
keys Enter
# The demo has planted faults: the bundle is written but incomplete, so the job ends "failed".
wait_until "the export job ended" \
    "grep -F 'export offline bundle' '$SCREEN' | grep -qE 'done|failed'"
shot export
keys Escape
wait_until "the export overlay closed" "lacks 'Export offline bundle'"
keys Escape
wait_for "Modules 23/23"

keys C
wait_until "the cache view scanned" "has 'Module cache' && has 'on disk'"
keys Enter
sleep 0.3
shot cache

keys q
for _ in $(seq 50); do
    "${T[@]}" has-session -t shots 2>/dev/null || break
    sleep 0.1
done
echo "== done"

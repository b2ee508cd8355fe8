#!/usr/bin/env bash
# Conformance check: for every go.mod, *.mod and go.work under $FIXTURES, compare
# `go mod edit -json FILE` (`go work edit -json FILE` for go.work) with `modscope parse FILE`.
# Both outputs are normalised with sorted keys. When go fails on a file, modscope must fail too.
# Then the printer: `go mod edit -fmt -print` (`go work edit -fmt -print`) against
# `modscope parse --fmt`, byte for byte, on a copy of each file in a scratch directory (the
# fixtures are never written), and again on a scrambled copy (block lines reversed, indented
# with spaces, trailing blank lines) so that sorting and layout are exercised too.
# Run from the repository root. Exit status 1 if any file differs.
set -euo pipefail

cd "$(dirname "$0")/.."
FIXTURES="${FIXTURES:-../shared/fixtures/real}"
[ -d "$FIXTURES" ] || { echo "conformance: no fixture directory $FIXTURES" >&2; exit 2; }
command -v go >/dev/null || { echo "conformance: go not found" >&2; exit 2; }

cargo build -q
MODSCOPE="${CARGO_TARGET_DIR:-$PWD/target}/debug/modscope"

export GOTOOLCHAIN=local GOFLAGS= GOWORK=off GOPROXY=off
# A scratch directory as cwd and GOPATH, so go never sees a go.mod/go.work or touches ~/go.
SCRATCH="$(mktemp -d)"
trap 'rm -rf "$SCRATCH"' EXIT
export GOPATH="$SCRATCH/gopath" GOMODCACHE="$SCRATCH/gopath/pkg/mod"

normalise() {
    python3 -c 'import json,sys; print(json.dumps(json.load(sys.stdin), sort_keys=True))'
}

passed=0
failed=0
while IFS= read -r -d '' file; do
    abs="$(cd "$(dirname "$file")" && pwd)/$(basename "$file")"
    case "$(basename "$file")" in
        go.work) gocmd=(go work edit -json "$abs") ;;
        *) gocmd=(go mod edit -json "$abs") ;;
    esac
    go_rc=0
    go_out="$(cd "$SCRATCH" && "${gocmd[@]}" 2>"$SCRATCH/go.err")" || go_rc=$?
    ms_rc=0
    ms_out="$("$MODSCOPE" parse "$abs" 2>"$SCRATCH/ms.err")" || ms_rc=$?

    if [ "$go_rc" -ne 0 ]; then
        if [ "$ms_rc" -ne 0 ]; then
            passed=$((passed + 1))
        else
            failed=$((failed + 1))
            echo "DIFF $file: go failed ($(head -c 300 "$SCRATCH/go.err" | tr '\n' ' ')) but modscope succeeded"
        fi
        continue
    fi
    if [ "$ms_rc" -ne 0 ]; then
        failed=$((failed + 1))
        echo "DIFF $file: modscope failed: $(head -c 300 "$SCRATCH/ms.err" | tr '\n' ' ')"
        continue
    fi
    want="$(printf '%s' "$go_out" | normalise)"
    got="$(printf '%s' "$ms_out" | normalise 2>/dev/null || echo '<invalid JSON>')"
    if [ "$want" == "$got" ]; then
        passed=$((passed + 1))
    else
        failed=$((failed + 1))
        echo "DIFF $file: JSON differs"
        diff <(printf '%s\n' "$want" | python3 -c 'import json,sys; print(json.dumps(json.load(sys.stdin), indent=1, sort_keys=True))') \
             <(printf '%s\n' "$got" | python3 -c 'import json,sys; print(json.dumps(json.load(sys.stdin), indent=1, sort_keys=True))' 2>/dev/null || echo "$got") \
             | head -20 | sed 's/^/    /' || true
    fi
done < <(find "$FIXTURES" -type f \( -name 'go.mod' -o -name '*.mod' -o -name 'go.work' \) -print0 | sort -z)

echo "conformance (-json): $passed passed, $failed failed"

# Reverses the lines inside each `verb (` ... `)` block, indents them with four spaces and adds
# blank lines at the end: the same file for go, in a layout `-fmt` has to undo.
scramble() {
    python3 -c '
import sys
out, block = [], None
for line in sys.stdin.read().split("\n"):
    s = line.strip()
    if block is not None:
        if s == ")":
            out.extend("    " + l.strip() if l.strip() else "" for l in reversed(block))
            out.append(")")
            block = None
        else:
            block.append(line)
    else:
        out.append(line)
        if s.endswith("(") and not s.startswith("//"):
            block = []
sys.stdout.write("\n".join(out) + "\n\n\n")
'
}

fmt_same=0
fmt_diff=0
fmt_check() { # LABEL FILE-IN-SCRATCH
    local label=$1 copy=$2 name go_rc=0 ms_rc=0
    name=$(basename "$copy")
    case "$name" in
        go.work) gocmd=(go work edit -fmt -print "$name"); kind=go-work ;;
        *) gocmd=(go mod edit -fmt -print "$name"); kind=go-mod ;;
    esac
    (cd "$(dirname "$copy")" && "${gocmd[@]}") >"$SCRATCH/want" 2>"$SCRATCH/go.err" || go_rc=$?
    "$MODSCOPE" parse --kind "$kind" --fmt "$copy" >"$SCRATCH/got" 2>"$SCRATCH/ms.err" || ms_rc=$?
    if [ "$go_rc" -ne 0 ] || [ "$ms_rc" -ne 0 ]; then
        if [ "$go_rc" -ne 0 ] && [ "$ms_rc" -ne 0 ]; then
            fmt_same=$((fmt_same + 1))
        else
            fmt_diff=$((fmt_diff + 1))
            echo "FMT DIFF $label: go exit $go_rc, modscope exit $ms_rc: $(head -c 300 "$SCRATCH/go.err" "$SCRATCH/ms.err" | tr '\n' ' ')"
        fi
    elif cmp -s "$SCRATCH/want" "$SCRATCH/got"; then
        fmt_same=$((fmt_same + 1))
    else
        fmt_diff=$((fmt_diff + 1))
        echo "FMT DIFF $label"
        diff "$SCRATCH/want" "$SCRATCH/got" | head -20 | sed 's/^/    /' || true
    fi
}

while IFS= read -r -d '' file; do
    name=$(basename "$file")
    # go.mod and go.work only: go mod edit insists on the name for other *.mod files.
    case "$name" in go.mod | go.work) ;; *) continue ;; esac
    rm -rf "$SCRATCH/fmt" && mkdir -p "$SCRATCH/fmt"
    cp "$file" "$SCRATCH/fmt/$name"
    fmt_check "$file" "$SCRATCH/fmt/$name"
    scramble <"$file" >"$SCRATCH/fmt/$name"
    fmt_check "$file (scrambled)" "$SCRATCH/fmt/$name"
done < <(find "$FIXTURES" -type f \( -name 'go.mod' -o -name 'go.work' \) -print0 | sort -z)

echo "conformance (-fmt): $fmt_same identical (or rejected by both), $fmt_diff different"
passed=$((passed + fmt_same))
failed=$((failed + fmt_diff))
echo "conformance: $passed passed, $failed failed"
[ "$failed" -eq 0 ]

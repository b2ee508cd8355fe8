#!/usr/bin/env python3
"""Render a terminal screen captured with `tmux capture-pane -p -e` (text with SGR colours) as an
SVG terminal window, with rich.

usage: ansi2svg.py SCREEN.ansi OUT.svg COLS ROWS [TITLE]

Every one of the ROWS lines is drawn (missing ones as blank), each cropped to COLS columns, so
every screenshot of one size has the same dimensions.
"""

import os
import re
import sys

from rich.console import Console
from rich.text import Text

# DejaVu Sans Mono: advance 1233/2048 em, ascent + descent 2384/2048 em.
FONT_PX = 21
ASPECT = FONT_PX * 1233 / 2048 / 20  # cell width / rich's 20 px char height
LINE_CLIP = re.compile(
    r'(<clipPath id="[^"]*-line-\d+">\s*<rect x="0" y=")([\d.]+)(" width="[\d.]+" height=")([\d.]+)(")'
)


def main() -> int:
    if len(sys.argv) not in (5, 6):
        print(__doc__.strip(), file=sys.stderr)
        return 2
    src, out, cols, rows = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
    title = sys.argv[5] if len(sys.argv) == 6 else "terminal"
    with open(src, encoding="utf-8") as f:
        lines = f.read().split("\n")
    # capture-pane ends the last row with a newline; keep exactly ROWS rows.
    lines = (lines + [""] * rows)[:rows]
    with open(os.devnull, "w", encoding="utf-8") as devnull:
        console = Console(
            record=True,
            width=cols,
            force_terminal=True,
            color_system="truecolor",
            file=devnull,
            legacy_windows=False,
        )
        for line in lines:
            console.print(Text.from_ansi(line), no_wrap=True, overflow="crop", crop=True)
        svg = console.export_svg(title=title, font_aspect_ratio=ASPECT)
    # Box drawing joined up: rich lays rows out 1.22 x 20 px apart, but a 20 px DejaVu Sans Mono
    # glyph is only 1.164 em tall, so a border showed a gap on every row. At 21 px the glyph
    # spans the row; ASPECT keeps the cells as wide as its 0.602 em advance.
    matrix = "font-size: 20px;"
    if svg.count(matrix) != 1:
        raise SystemExit("ansi2svg: rich's SVG layout changed (font-size), check the version")
    svg = svg.replace(matrix, f"font-size: {FONT_PX}px;")
    # Each row is clipped to its line box, which starts 1.5 px below the row's top while the
    # glyphs start 0.5 px below it: open each clip 1 px upwards so the rows meet.
    svg, clips = LINE_CLIP.subn(
        lambda m: f"{m[1]}{float(m[2]) - 1:.2f}{m[3]}{float(m[4]) + 1:.2f}{m[5]}", svg
    )
    if rows > 1 and clips == 0:
        raise SystemExit("ansi2svg: rich's SVG layout changed (line clips), check the version")
    # resvg has no font fallback for the title's "arial".
    svg = svg.replace("font-family: arial", "font-family: DejaVu Sans, sans-serif")
    with open(out, "w", encoding="utf-8") as f:
        f.write(svg)
    return 0


if __name__ == "__main__":
    sys.exit(main())

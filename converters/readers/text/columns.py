"""Side-by-side table layouts in hard-wrapped dumps: split the columns, read one after the other.

Old CMS templates lay the page out as a table; a terminal browser prints its cells side by side,
so one printed line holds a piece of the article on the left and a menu or a teaser on the
right, with a run of spaces between them that starts at the same column line after line. Read
as is, every line would mix the two. Here such a run of lines is cut at that column; the left
cells come first, then the right cells, each column re-wrapped at its own width later.
"""

from __future__ import annotations

import re
from collections import Counter

from converters.readers.text.lines import display_width

#: Spaces between two cells of one printed line (three or more: a sentence never has them).
CELL_GAP = re.compile(r"(?<=\S) {3,}(?=\S)")

#: A column must start at the same place on at least this many lines to count as a layout.
MIN_ROWS = 3

#: A right-hand cell on its own line is indented at least this far (the left cell is empty).
MIN_RIGHT_COLUMN = 16


def _column_of(line: str, index: int) -> int:
    """The display column of character ``index`` in ``line``."""
    return display_width(line[:index])


def _index_at(line: str, column: int) -> int:
    """The character index where display column ``column`` starts (``len(line)`` if past the end)."""
    width = 0
    for i, ch in enumerate(line):
        if width >= column:
            return i
        width += display_width(ch)
    return len(line)


def _right_starts(line: str) -> set[int]:
    """Display columns where a cell starts after a gap (or after a wide indent)."""
    starts = {_column_of(line, m.end()) for m in CELL_GAP.finditer(line)}
    indent = len(line) - len(line.lstrip(" "))
    if indent >= MIN_RIGHT_COLUMN and line.strip():
        starts.add(indent)
    return starts


def _fits(line: str, column: int) -> bool:
    """Can ``line`` be a row of a layout whose right column starts at ``column``?"""
    if not line.strip():
        return True
    if column in _right_starts(line):
        return True
    return display_width(line.rstrip()) < column - 2  # a row whose right cell is empty


def split_columns(raw_lines: list[str]) -> list[tuple[list[str], bool]]:
    """The dump as segments ``(lines, is_column)``: ordinary runs, and each layout's columns.

    A column segment must be re-wrapped at its own width, not at the page's.
    """
    counts = Counter(c for line in raw_lines for c in _right_starts(line) if c >= MIN_RIGHT_COLUMN)
    layout_columns = sorted(c for c, n in counts.items() if n >= MIN_ROWS)
    segments: list[tuple[list[str], bool]] = []
    plain: list[str] = []
    i = 0
    while i < len(raw_lines):
        column = next((c for c in layout_columns if c in _right_starts(raw_lines[i])), None)
        if column is None:
            plain.append(raw_lines[i])
            i += 1
            continue
        # Grow the layout down from this row while rows fit; it needs MIN_ROWS real splits.
        end = i
        while end < len(raw_lines) and _fits(raw_lines[end], column):
            end += 1
        rows = raw_lines[i:end]
        if sum(1 for r in rows if column in _right_starts(r)) < MIN_ROWS:
            plain.append(raw_lines[i])
            i += 1
            continue
        if plain:
            segments.append((plain, False))
            plain = []
        left = [r[: _index_at(r, column)].rstrip() for r in rows]
        right = [r[_index_at(r, column) :].rstrip() for r in rows]
        segments.append((left, True))
        segments.append((right, True))
        i = end
    if plain:
        segments.append((plain, False))
    return segments

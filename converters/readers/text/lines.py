"""From decoded text to logical lines: newline and space normalisation, w3m re-wrapping.

Two kinds of dump reach the text reader. A browser's select-all copy keeps one paragraph per
line. A terminal browser such as w3m hard-wraps every paragraph at 80 columns, counting a Han
character as two columns, and may lay table cells side by side (:mod:`.columns`). Here both
become the same thing: a list of :class:`Line` objects, one per paragraph or page element, with
wrapped lines joined back (without a space between Han characters, with one between two Latin
words) and image placeholders, thumbnails and bullets marked.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

#: Terminal widths a hard-wrapped dump may have been made for (w3m uses 80, printing 79).
MIN_WRAP_COLUMNS = 40
MAX_WRAP_COLUMNS = 132

#: Characters that carry no text: zero-width spaces and joiners, soft hyphens, BOMs.
_INVISIBLE = re.compile("[\u200b-\u200d\u2060\ufeff\u00ad]")

#: Horizontal whitespace of every kind (NBSP, ideographic space, tabs) becomes one space.
_HSPACE = re.compile(r"[ \t\u00a0\u2000-\u200a\u202f\u205f\u3000]+")

#: w3m's placeholders for images on a line of their own: ``[png]``, ``[IMG]``, ``[20240515d5]``,
#: several side by side (``[0df760ed26][1a8b50ea7b]``).
IMAGE_MARKER = re.compile(r"^(?:\[[\w.\-]{0,40}\]\s*)+$", re.ASCII)

#: An image placeholder inside a line of text (a logo before an outlet's name): an id-like name.
INLINE_IMAGE = re.compile(r"\s*\[(?=[\w\-]*\d)[\w\-]{8,40}\]\s*", re.ASCII)

#: A thumbnail placeholder in front of a link's text: ``[cdcb54dcf9] 标题``; teaser lists look so.
THUMBNAIL = re.compile(r"^\[[\w.\-]{1,40}\]\s+(?=\S)", re.ASCII)

#: w3m's marks around inserted/deleted text (``<ins>``/``<del>``): ``[INS:``, ``:INS]``, ``[DEL:``.
EDIT_MARK = re.compile(r"\[(?:INS|DEL):|:(?:INS|DEL)\]")

#: w3m's rendering of a form field or button: brackets around blanks, ``[搜索]``-style buttons.
FORM_FIELD = re.compile(r"\[\s{3,}\]|\[\s*\]")

#: A list bullet at the start of a line (w3m draws ``•``; copies keep ``·`` or ``●``).
BULLET = re.compile(r"^[•·●▪◆◇■□►▶]\s*")


@dataclass(frozen=True, slots=True)
class Line:
    """One logical line of the dump: its text (spaces normalised, not stripped of words)."""

    text: str
    indented: bool = False  # the dump indented it (paragraph text in most dumps)
    bullet: bool = False  # it started with a list bullet
    image: bool = False  # a placeholder where an image stood
    thumbnail: bool = False  # text behind a thumbnail placeholder (a teaser link)


def display_width(text: str) -> int:
    """Terminal columns ``text`` takes: wide and full-width characters count two."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _first_token(text: str) -> str:
    """The unit w3m would have tried to fit on the previous line: a Latin word or one character."""
    match = re.match(r"[A-Za-z0-9_\-.,:;!?%'\"/]+", text)
    return match.group(0) if match else text[:1]


#: How a paragraph ends; a line the terminal cut seldom does.
_SENTENCE_END = re.compile(r"[。！？!?…][”’」』)）]?$")


def wrap_width(raw_lines: list[str]) -> int | None:
    """The width the dump was hard-wrapped at, or ``None`` when its lines are paragraphs.

    A wrapped dump has no line wider than its terminal (w3m: 79 of 80 columns) and many lines
    that come close to it; a copy has paragraphs hundreds of columns wide.
    """
    widths = [display_width(line.rstrip()) for line in raw_lines]
    if not widths:
        return None
    widest = max(widths)
    if widest > MAX_WRAP_COLUMNS or widest < MIN_WRAP_COLUMNS:
        return None
    # Full lines (W, or W-1 before a wide character) that stop mid-sentence: cut by the terminal.
    cut = sum(
        1
        for line, w in zip(raw_lines, widths, strict=True)
        if w >= widest - 1 and not _SENTENCE_END.search(line.rstrip())
    )
    return widest if cut >= 3 else None


def _is_latin(ch: str) -> bool:
    return ch.isascii() and ch.isalnum()


def _continues(prev: str, nxt: str, columns: int) -> bool:
    """Did the renderer break ``prev`` here only because ``nxt``'s first word did not fit?"""
    body = nxt.strip()
    if not body or IMAGE_MARKER.match(body) or BULLET.match(body):
        return False
    width = display_width(prev.rstrip())
    token = _first_token(body)
    gap = 1 if _is_latin(token[:1]) else 0  # a Latin word would have needed a space before it
    return width + gap + display_width(token) > columns


def _join(prev: str, nxt: str) -> str:
    """Join a wrapped line: a space only between two Latin words, never beside Han text."""
    left, right = prev.rstrip(), nxt.strip()
    if left and right and _is_latin(left[-1]) and _is_latin(right[0]):
        return f"{left} {right}"
    return left + right


def unwrap(raw_lines: list[str], columns: int) -> list[str]:
    """Re-join lines that the renderer folded at ``columns``."""
    out: list[str] = []
    physical = ""  # the last line as w3m printed it: its width decides, not the joined text's
    for raw in raw_lines:
        if out and physical.strip() and _continues(physical, raw, columns):
            out[-1] = _join(out[-1], raw)
        else:
            out.append(raw.rstrip())
        physical = raw
    return out


def _unwrap_layout(raw: list[str], columns: int | None) -> list[str]:
    """Re-join a dump's folded lines, side-by-side table columns one after the other.

    Ordinary stretches are re-joined only when the page is hard-wrapped (``columns``); a table
    column is a printout of its own, re-joined when its lines fill its width.
    """
    from converters.readers.text.columns import split_columns  # it measures with this module

    out: list[str] = []
    for lines, is_column in split_columns(raw):
        if is_column:
            width = max((display_width(line) for line in lines), default=0)
            full = sum(1 for line in lines if display_width(line) >= width - 1)
            out += unwrap(lines, width) if width and full >= 2 else lines
            out.append("")  # a column ends its last paragraph
        else:
            out += unwrap(lines, columns) if columns else lines
    return out


def split_lines(text: str) -> list[Line]:
    """The dump as logical lines; blank lines are dropped (paragraph breaks are lines already)."""
    text = _INVISIBLE.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))
    raw = text.split("\n")
    if max((display_width(line) for line in raw), default=0) <= MAX_WRAP_COLUMNS:
        raw = _unwrap_layout(raw, wrap_width(raw))  # a terminal printout (or a copy of a short page)
    lines: list[Line] = []
    for item in raw:
        indented = item[:1] in (" ", "\t", "\u3000") and bool(item.strip())
        body = _HSPACE.sub(" ", FORM_FIELD.sub(" ", EDIT_MARK.sub("", item))).strip()
        if not body:
            continue
        bullet = bool(BULLET.match(body))
        if bullet:
            body = BULLET.sub("", body).strip()
            if not body:
                continue
        thumbnail = bool(THUMBNAIL.match(body))
        if thumbnail:
            body = THUMBNAIL.sub("", body)
        image = bool(IMAGE_MARKER.match(body))
        if not image:
            body = INLINE_IMAGE.sub(" ", body).strip()
        lines.append(Line(body, indented=indented, bullet=bullet, image=image, thumbnail=thumbnail))
    return lines

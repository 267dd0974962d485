"""The article's metadata: title, subtitle, date, 来源, 作者, 责任编辑, from the lines around its body.

The title sits just above the dateline (the nearest line with a date above the body), perhaps
with an account name or a channel label between them; a dash-led subtitle may sit under it. The
labels (``来源：``, ``作者:``, ``责任编辑｜``) are read in the few lines above the body and the few
below it (where the editor's line usually is); a label whose value is a button (手机查看) names
nothing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from converters.readers.text import patterns as p
from converters.readers.text.article import Span
from converters.readers.text.classify import Classified, han_count

#: The Han part of a name as bylines print it (``米歇尔·布兰`` keeps its middle dot).
PERSON_NAME = re.compile(rf"{p.HAN}+(?:[·・]{p.HAN}+)*")

#: How many text lines above the dateline may hold the title.
TITLE_LINES = 5

#: How far above the body the title and metadata may be, and how far below it the editor.
HEADER_WINDOW = 14
FOOTER_WINDOW = 10


@dataclass
class Found:
    """Metadata gathered from the lines around the body."""

    title: str | None = None
    subtitle: str | None = None
    date: str | None = None
    source: str | None = None
    author: str | None = None
    editor: str | None = None
    subeditor: str | None = None


def iso_date(text: str) -> str | None:
    """The first date in ``text`` as ISO 8601 (``2020-04-29`` or ``2020-04-29T10:30``)."""
    m = p.DATE.search(text)
    if not m:
        return None
    y, mo, d = int(m["y"]), int(m["m"]), int(m["d"])
    if not (1 <= mo <= 12 and 1 <= d <= 31):
        return None
    day = f"{y:04d}-{mo:02d}-{d:02d}"
    if m["H"] is not None and int(m["H"]) < 24:
        return f"{day}T{int(m['H']):02d}:{m['M']}"
    return day


def clean_value(value: str, field: str) -> str | None:
    """A label's value, or ``None`` when it is empty, a button label or a sentence."""
    value = value.strip(" \t[]【】()（）|｜:：,，;；")
    if not value or len(value) > 30 or p.UI_WORD.search(value) or p.PROSE_PUNCT.search(value.replace("、", "")):
        return None
    if p.DATE.search(value) or p.LABEL_LINE.match(value):
        return None
    if field in ("author", "editor", "subeditor"):
        # Names only: an editor's code after the name (``SF099``, ``李曦_NN2587``) is dropped.
        names = [m.group(0) for w in value.replace("、", " ").split() if (m := PERSON_NAME.match(w))]
        return " ".join(names) if names else None
    return value


def _labels(text: str, found: Found, fields: set[str]) -> None:
    for m in p.LABEL.finditer(text):
        field = dict(p.LABELS)[m["label"]]
        if field not in fields or getattr(found, field) or field == "date":
            continue
        value = clean_value(m["value"], field)
        if value:
            setattr(found, field, value)


def _value_after(items: list[Classified], i: int) -> str:
    """The text of the line after a bare label, if that line is its value."""
    if i + 1 < len(items) and items[i + 1].kind == "meta" and not p.LABEL_LINE.match(items[i + 1].text):
        return items[i + 1].text
    return ""


def _scan(items: list[Classified], lo: int, hi: int, found: Found, fields: set[str]) -> None:
    for i in range(max(lo, 0), min(hi, len(items))):
        item = items[i]
        if item.kind not in ("meta", "end", "furniture", "short") and len(item.text) > 60:
            continue
        text = item.text
        bare = p.BARE_LABEL.match(text)
        if bare:
            field = dict(p.LABELS)[bare["label"]]
            if field in fields and not getattr(found, field) and field != "date":
                value = clean_value(_value_after(items, i), field)
                if value:
                    setattr(found, field, value)
            continue
        _labels(text, found, fields)
        spaced = p.SPACED_LABEL.match(text)
        if spaced:
            field = dict(p.LABELS)[spaced["label"]]
            if field in fields and not getattr(found, field):
                setattr(found, field, clean_value(spaced["value"], field))
        byline = p.BYLINE.match(text)
        if byline and "author" in fields and not found.author:
            found.author = clean_value(byline["names"], "author")
        if "date" in fields and not found.date and item.kind == "meta":
            found.date = iso_date(text)


def _dateline(items: list[Classified], start: int) -> int | None:
    """The nearest metadata line with a date above the body (the title sits right above it)."""
    for i in range(start - 1, max(start - HEADER_WINDOW, 0) - 1, -1):
        if items[i].kind == "meta" and p.DATE.search(items[i].text):
            return i
        if items[i].kind == "end":
            return None
    return None


def _meta_top(items: list[Classified], start: int) -> int:
    """The first line of the metadata cluster right above the body (``start`` if there is none)."""
    lo = max(start - HEADER_WINDOW, 0)
    i, first_meta = start - 1, None
    while i >= lo:
        kind = items[i].kind
        if kind == "meta":
            first_meta = i
        elif kind not in ("furniture", "image") and first_meta is not None:
            break
        i -= 1
    return first_meta if first_meta is not None else start


#: A subtitle (副题) under the title opens with a dash: ``——记一位乡村教师``.
SUBTITLE = re.compile(r"^\s*(?:——|—|--|－－)\s*\S")


def _title(items: list[Classified], start: int) -> tuple[str | None, str | None]:
    """(title, subtitle): the nearest headline-sized line above the dateline (or the metadata
    cluster), and a dash-led subtitle line between them."""
    top = _dateline(items, start)
    if top is None:
        top = _meta_top(items, start)
    candidates: list[str] = []
    subtitle = None
    j, looked = top - 1, 0
    # Look at a few lines above, not counting furniture and image placeholders between them.
    while j >= max(top - HEADER_WINDOW, 0) and looked < TITLE_LINES and len(candidates) < 3:
        item = items[j]
        j -= 1
        if item.kind == "end":
            break
        if item.kind in ("furniture", "image"):
            continue
        looked += 1
        if not candidates and subtitle is None and SUBTITLE.match(item.text):
            subtitle = item.text
            continue
        if item.kind in ("short", "prose") and not item.text.endswith("。") and han_count(item.text) >= 4:
            candidates.append(item.text)
    if not candidates:
        return None, None
    # The nearest line that is long enough for a headline; an account name or a channel label
    # (short) may sit between the title and the date.
    title = next((text for text in candidates if han_count(text) >= 8), max(candidates, key=len))
    return title, subtitle


def find_meta(items: list[Classified], body: Span) -> Found:
    """Title, date and labels from above the body; editor and late labels from below it."""
    found = Found()
    found.title, found.subtitle = _title(items, body.start)
    dateline = _dateline(items, body.start)
    if dateline is not None:
        found.date = iso_date(items[dateline].text)  # the nearest date above the body is the article's
    every = {"date", "source", "author", "editor", "subeditor"}
    _scan(items, body.start - HEADER_WINDOW, body.start, found, every)
    _scan(items, body.start, body.end, found, every - {"date"})
    _scan(items, body.end, body.end + FOOTER_WINDOW, found, every)
    found.editor = found.editor or found.subeditor
    if not found.date:
        # Some pages print the date only far from the body (a dateline bar above the title).
        for item in items[: body.start]:
            if item.kind == "meta" and (date := iso_date(item.text)):
                found.date = date
                break
    return found

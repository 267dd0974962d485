"""Where the article is in a dump, and its metadata (title, date, 来源, 作者, 责任编辑).

The body is found like a maximum-sum run (Kadane): every prose line scores its length, every
other line a penalty, so the article's paragraphs form the densest run even with a few captions
and headings between them, while menus, comment threads (a name, a date and a "reply" per short
remark) and teaser lists cost more than they bring. The run is then cut at the first line that
opens the after-article zone. The title and the metadata sit in the few lines just above the body;
the editor and closing labels in the few lines just below it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from converters.readers.text import patterns as p
from converters.readers.text.classify import Classified, han_count

#: Cost of a line that is not prose: enough that ten menu items outweigh a stray sentence, small
#: enough that a caption between two paragraphs never splits the article.
PENALTY = {"short": 8, "furniture": 20, "meta": 30, "end": 60, "image": 0, "prose": 0}

#: The Han part of a name as bylines print it (``米歇尔·布兰`` keeps its middle dot).
PERSON_NAME = re.compile(rf"{p.HAN}+(?:[·・]{p.HAN}+)*")

#: How many text lines above the dateline may hold the title.
TITLE_LINES = 5

#: How far above the body the title and metadata may be, and how far below it the editor.
HEADER_WINDOW = 14
FOOTER_WINDOW = 10


@dataclass(frozen=True, slots=True)
class Span:
    """The article's body lines are ``lines[start:end]``."""

    start: int
    end: int


#: Weight of a prose line by how it ends: a sentence (。) counts fully; a line that ends on ！ or ？
#: or on nothing reads like a headline or a comment (teaser lists, "hot" rankings) and counts less.
SENTENCE_END = re.compile(r"[。…][”’」』)）]?$|[。.][)）]$")
HEADLINE_END = re.compile(r"[！？!?][”’」』]?$")

#: Prose after the after-article zone has opened (a 责任编辑 line, 相关推荐) counts for less:
#: pages put comments and teasers there, rarely the article.
AFTER_END_WEIGHT = 0.5


def _score(item: Classified, after_end: bool) -> float:
    if item.kind != "prose":
        return -PENALTY[item.kind]
    text = item.text
    if SENTENCE_END.search(text) or (len(text) > 60 and p.CLAUSE_PUNCT.search(text)):
        weight = 1.0
    elif HEADLINE_END.search(text):
        weight = 0.5
    elif p.CLAUSE_PUNCT.search(text):
        weight = 0.3
    else:
        weight = 0.1  # long but unpunctuated: a run of link texts
    return len(text) * weight * (AFTER_END_WEIGHT if after_end else 1.0)


def find_body(items: list[Classified]) -> Span:
    """The densest run of prose, cut at the first after-article marker inside it."""
    best, best_span = 0.0, Span(0, 0)
    total, start = 0.0, 0
    seen_sentence = after_end = False
    for i, item in enumerate(items):
        if item.kind == "prose" and SENTENCE_END.search(item.text):
            seen_sentence = True
        elif item.kind == "end" and seen_sentence:
            after_end = True
        if total <= 0:
            total, start = 0.0, i
        total += _score(item, after_end)
        if total > best:
            best, best_span = total, Span(start, i + 1)
    for i in range(best_span.start, best_span.end):
        if items[i].kind == "end":
            best_span = Span(best_span.start, i)
            break
    start = _lead_in(items, best_span.start)
    return Span(_lead_photo(items, start), _closing_credit(items, best_span.end))


def _long_prose(item: Classified) -> bool:
    return item.kind == "prose" and (len(item.text) > 60 or bool(SENTENCE_END.search(item.text)))


def _in_between(item: Classified) -> bool:
    """A line that may sit between two opening paragraphs: a short line or a byline."""
    if item.kind == "short":
        return True
    return item.kind == "meta" and bool(p.BYLINE.match(item.text) or p.BARE_BYLINE.match(item.text))


def _lead_in(items: list[Classified], start: int) -> int:
    """Move the start up over a weakly scored opening (a dateline paragraph, a byline under it).

    Only whole paragraphs (long or ending a sentence) qualify, with at most one short line
    between them, so a headline or a menu above the body is never taken in.
    """
    while start >= 1:
        if _long_prose(items[start - 1]):
            start -= 1
        elif start >= 2 and _in_between(items[start - 1]) and _long_prose(items[start - 2]):
            start -= 2
        else:
            break
    return start


#: How many lines after the last paragraph may still be its credit or byline.
CREDIT_LINES = 3


def _closing_credit(items: list[Classified], end: int) -> int:
    """Move the end down over closing credit lines (``（记者 张三）``, ``新华社发（某某摄）``)."""
    for i in range(end, min(end + CREDIT_LINES, len(items))):
        item = items[i]
        if item.kind in ("end", "prose") or not (p.CREDIT_LINE.match(item.text) or p.BYLINE.match(item.text)):
            return i
        end = i + 1
    return end


def _lead_photo(items: list[Classified], start: int) -> int:
    """Move the start up over a lead photo: an image placeholder and the short caption below it."""
    if start >= 2 and items[start - 1].kind == "short" and items[start - 2].kind == "image":
        return start - 2
    if start >= 1 and items[start - 1].kind == "image":
        return start - 1
    return start


# --------------------------------------------------------------------------- metadata


@dataclass
class Found:
    """Metadata gathered from the lines around the body."""

    title: str | None = None
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


def _title(items: list[Classified], start: int) -> str | None:
    """The title: the nearest headline-sized line above the dateline (or the metadata cluster)."""
    top = _dateline(items, start)
    if top is None:
        top = _meta_top(items, start)
    candidates: list[str] = []
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
        if item.kind in ("short", "prose") and not item.text.endswith("。") and han_count(item.text) >= 4:
            candidates.append(item.text)
    # The nearest line that is long enough for a headline; an account name or a channel label
    # (short) may sit between the title and the date.
    for text in candidates:
        if han_count(text) >= 8:
            return text
    return max(candidates, key=len) if candidates else None


def find_meta(items: list[Classified], body: Span) -> Found:
    """Title, date and labels from above the body; editor and late labels from below it."""
    found = Found()
    found.title = _title(items, body.start)
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

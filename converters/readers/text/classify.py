"""The line classifier: what each line of a dump is, from its own text and its neighbours.

Kinds:
- ``prose``: running text (prose punctuation, or long) - the article's paragraphs and also
  comments, teasers and footers, which the region search in :mod:`.article` tells apart;
- ``short``: a short line without prose punctuation - a heading, a caption, a name, a menu item;
- ``meta``: a date, a ``label: value`` line, a byline, or the value line after a bare label;
- ``furniture``: share buttons, QR and subscription blurbs, copyright lines, menus' markers;
- ``end``: a line that opens what follows an article (related links, comments, 责任编辑);
- ``image``: a w3m image placeholder.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from converters.readers.text import patterns as p
from converters.readers.text.lines import Line

Kind = Literal["prose", "short", "meta", "furniture", "end", "image"]

#: A short line is at most this many characters; longer lines count as prose even unpunctuated.
SHORT_MAX = 48

#: Meta and furniture lines are short: a longer line that mentions 来源 is a paragraph.
META_MAX = 64


@dataclass(frozen=True, slots=True)
class Classified:
    """A line with its kind."""

    line: Line
    kind: Kind

    @property
    def text(self) -> str:
        return self.line.text


def han_count(text: str) -> int:
    """Number of Han characters in ``text``."""
    return len(p.HAN_RE.findall(text))


def is_prose(text: str) -> bool:
    """Running text: prose punctuation with some Han characters, or long and punctuated at all.

    A long line of Han characters without a single mark is a run of link texts (a site list).
    """
    if p.PROSE_PUNCT.search(text) and han_count(text) >= 8:
        return True
    return len(text) > SHORT_MAX and han_count(text) >= 10 and bool(p.ANY_PUNCT.search(text))


def is_meta(text: str) -> bool:
    """A date, a label line or a byline (short lines only)."""
    if len(text) > META_MAX:
        return False
    if p.DATE_LINE.match(text) or p.LABEL_LINE.match(text) or p.SPACED_LABEL.match(text):
        return True
    if p.BYLINE.match(text) or p.BARE_BYLINE.match(text):
        return True
    # ``2024-05-15 08:58:52来源:新华网`` / ``2024年04月24日23:52 | 来源:新华网``: a date among labels.
    has_date = bool(p.DATE.search(text))
    return has_date and (bool(p.LABEL.search(text)) or not p.PROSE_PUNCT.search(text)) and han_count(text) < 24


def is_furniture(text: str) -> bool:
    """Page furniture: only short lines qualify, so prose that mentions 分享 stays prose."""
    return len(text) <= META_MAX and not _is_sentence(text) and bool(p.FURNITURE.search(text))


def _is_sentence(text: str) -> bool:
    return han_count(text) >= 16 and text.endswith(("。", "！", "？", "!", "?"))


def _is_end(text: str) -> bool:
    """A line that opens the after-article zone."""
    if p.DISCLAIMER.match(text):
        return True
    if len(text) > META_MAX:
        return False
    return bool(p.END_LINE.match(text) or p.END_PREFIX.match(text) or p.END_HEADING.match(text))


def merge_split_dates(lines: list[Line]) -> list[Line]:
    """Join a bare year line with the next line when together they make a date (``2020`` + ``/ 04/29``)."""
    out: list[Line] = []
    i = 0
    while i < len(lines):
        line = lines[i]
        if p.YEAR_LINE.match(line.text) and i + 1 < len(lines):
            joined = f"{line.text} {lines[i + 1].text}"
            if p.DATE.match(joined):
                out.append(Line(joined))
                i += 2
                continue
        out.append(line)
        i += 1
    return out


def classify(lines: list[Line]) -> list[Classified]:
    """Give every line a kind; a line right after a bare label (``来源:``) is its value."""
    out: list[Classified] = []
    after_label = False
    for line in lines:
        text = line.text
        kind: Kind
        if line.image:
            kind = "image"
        elif after_label and len(text) <= 30 and not is_prose(text):
            kind = "meta"
        elif _is_end(text):
            kind = "end"
        elif is_meta(text):
            kind = "meta"
        elif is_furniture(text):
            kind = "furniture"
        elif is_prose(text) and not line.thumbnail:
            kind = "prose"
        else:
            kind = "short"
        after_label = bool(p.BARE_LABEL.match(text))
        out.append(Classified(line, kind))
    return out


def strip_trailing_junk(text: str) -> str:
    """Drop "back to the site" fragments glued to a paragraph's end."""
    return re.sub(p.TRAILING_JUNK, "", text)

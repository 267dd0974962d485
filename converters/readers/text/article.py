"""Where the article is in a dump: the run of lines that holds its body.

The body is found like a maximum-sum run (Kadane): every prose line scores its length, every
other line a penalty, so the article's paragraphs form the densest run even with a few captions
and headings between them, while menus, comment threads (a name, a date and a "reply" per short
remark) and teaser lists cost more than they bring. The run is then cut where the after-article
zone opens: always at a hard end (责任编辑, 纠错, a disclaimer); at a soft end (相关阅读) unless
paragraphs go on right after its few links, which makes it a box set inside the article. The run
is widened to a dateline paragraph above it, a lead photo's caption and closing credit lines.
The metadata around the body is read in :mod:`.meta`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from converters.readers.text import patterns as p
from converters.readers.text.classify import Classified

#: Cost of a line that is not prose: enough that ten menu items outweigh a stray sentence, small
#: enough that a caption between two paragraphs never splits the article.
PENALTY = {"short": 8, "furniture": 20, "meta": 30, "end": 60, "image": 0, "prose": 0}

#: Cost of a soft end (相关阅读, 延伸阅读): enough to stop at a teaser list, not at a box of links
#: between two halves of the article.
SOFT_END_PENALTY = 25

#: A short line indented like the dump's paragraphs costs less: it is more likely the article's.
INDENTED_SHORT_PENALTY = 4



@dataclass(frozen=True, slots=True)
class Span:
    """The article's body lines are ``lines[start:end]`` except those in ``skip``."""

    start: int
    end: int
    skip: frozenset[int] = frozenset()


#: Weight of a prose line by how it ends: a sentence (。) counts fully; a line that ends on ！ or ？
#: or on nothing reads like a headline or a comment (teaser lists, "hot" rankings) and counts less.
SENTENCE_END = re.compile(r"[。…][”’」』)）]?$|[。.][)）]$")
HEADLINE_END = re.compile(r"[！？!?][”’」』]?$")

#: Prose after the after-article zone has opened (a 责任编辑 line, 相关推荐) counts for less:
#: pages put comments and teasers there, rarely the article.
AFTER_END_WEIGHT = 0.5


def _hard_end(item: Classified) -> bool:
    """An end marker that always ends the article: 责任编辑, 纠错, a disclaimer."""
    return bool(p.END_PREFIX.match(item.text) or p.DISCLAIMER.match(item.text))


def _score(item: Classified, after_end: bool) -> float:
    if item.kind == "short" and item.line.indented and not item.line.bullet:
        return -INDENTED_SHORT_PENALTY  # indented like the paragraphs: a caption or a heading
    if item.kind == "end" and not _hard_end(item):
        return -SOFT_END_PENALTY  # a "related" heading may head a box set inside the article
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
        elif item.kind == "end" and seen_sentence and _hard_end(item):
            after_end = True
        if total <= 0:
            total, start = 0.0, i
        total += _score(item, after_end)
        if total > best:
            best, best_span = total, Span(start, i + 1)
    end, skip = _cut_at_end(items, best_span.start, best_span.end)
    start = _lead_in(items, _trim_headline(items, best_span.start, end))
    return Span(_lead_photo(items, start), _closing_credit(items, end), frozenset(skip))


#: An inline "related" box is skipped, not taken for the article's end, when at least this many
#: paragraphs follow it one after another inside the run.
INLINE_BOX_PROSE = 2

#: An inline box holds a heading and a few links at most.
MAX_BOX_LINES = 8


def _cut_at_end(items: list[Classified], start: int, end: int) -> tuple[int, set[int]]:
    """Where the run really ends, and the lines of inline link boxes to leave out.

    A hard end (责任编辑, 纠错, a disclaimer) ends the article. A soft end (相关阅读, 延伸阅读)
    followed by more of the article's paragraphs is a box of links set into the article: its
    heading and links are skipped and the article goes on.
    """
    skip: set[int] = set()
    i = start
    while i < end:
        item = items[i]
        if item.kind != "end":
            i += 1
            continue
        if _hard_end(item):
            return i, skip
        j = i  # the box: its heading and the link lines up to the next sentence
        while j < end and not _sentence(items[j]):
            j += 1
        # The article goes on only if paragraphs follow one after another (a teaser list
        # alternates a headline and a summary instead).
        resumed = [x for x in items[j : min(j + INLINE_BOX_PROSE, end)] if x.kind != "image"]
        if j - i > MAX_BOX_LINES or len(resumed) < INLINE_BOX_PROSE or not all(map(_sentence, resumed)):
            return i, skip
        skip.update(range(i, j))
        i = j
    return end, skip


def _sentence(item: Classified) -> bool:
    return item.kind == "prose" and bool(SENTENCE_END.search(item.text))


def _trim_headline(items: list[Classified], start: int, end: int) -> int:
    """Leave a headline out of the run's start: a short punctuated line that ends no sentence
    (``某市出台新规，鼓励市民绿色出行``) right before the first paragraph is the title."""
    while start + 1 < end:
        item = items[start]
        text = item.text
        if item.kind != "prose" or len(text) > SHORT_MAX_HEADLINE or p.FINAL_PUNCT.search(text):
            break
        if "。" in text or p.CAPTION_CUE.search(text):
            break  # a sentence inside, or a photo's caption: not a headline
        start += 1
    return start


#: The longest line taken for a headline at the head of the body.
SHORT_MAX_HEADLINE = 40


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

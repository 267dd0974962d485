"""Body lines to blocks: paragraphs, section headings, caption-only figures and the closing credit.

A small state machine walks the body. Prose lines are paragraphs. A short unpunctuated line is a
heading or an image caption, told apart by:
- its own form: a ``kicker：title`` or numbered line reads as a heading; a photo credit (摄, 图为,
  资料图) as a caption;
- its position: a caption comes right after an image placeholder, or right before a heading
  (the photo opened the section); a heading comes right before a paragraph;
- the page's habit: when the page marks its headings with kickers or numbers, an unmarked short
  line between paragraphs is a caption, otherwise it is a heading.
Bylines inside the body and, after the last paragraph, bracketed bylines and office names become
:class:`Credit` blocks. Two or more bulleted lines in a row, or short lines numbered one after
another, become a :class:`List`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from converters.readers.text import patterns as p
from converters.readers.text.classify import SHORT_MAX, Classified, strip_trailing_junk
from converters.tree import Block, Credit, Figure, Heading, List, ListItem, Paragraph, Text

#: A line that opens like a caption (图为…) is one up to this length.
CAPTION_MAX = 120

#: Level of section headings inside an article (the title is the document's level 1).
SECTION_LEVEL = 2

#: A list item's number: ``1.``, ``2、``, ``3)``, ``一、``. Only a run of them in a row is a list.
ITEM_NUMBER = re.compile(r"^(?P<n>\d{1,2}|[一二三四五六七八九十]{1,3})\s*[、.．)）]\s*(?=\S)")
_CHINESE_DIGITS = {c: i for i, c in enumerate("一二三四五六七八九十", start=1)}


@dataclass(frozen=True, slots=True)
class _Line:
    """A body line on its way to a block."""

    text: str
    after_image: bool = False  # an image placeholder came right before it
    bullet: bool = False  # the dump drew a list bullet in front of it


def _item_number(text: str) -> int | None:
    m = ITEM_NUMBER.match(text)
    if not m:
        return None
    n = m["n"]
    if n.isdigit():
        return int(n)
    if len(n) == 1:
        return _CHINESE_DIGITS[n]
    if n[0] == "十":  # 十一 .. 十九
        return 10 + _CHINESE_DIGITS.get(n[1], 0)
    return _CHINESE_DIGITS.get(n[0], 0) * 10 + (_CHINESE_DIGITS.get(n[2], 0) if len(n) == 3 else 0)


def _list_at(lines: list[_Line], i: int, last_prose: int) -> tuple[List, int] | None:
    """A list starting at ``lines[i]`` and the index after it, or ``None``.

    Two or more bulleted lines in a row make a bulleted list; two or more short lines numbered
    one after the other (1. 2. 3. / 一、二、) make a numbered list. Numbered lines with
    paragraphs between them stay headings.
    """
    if i > last_prose:
        return None
    end = i
    if lines[i].bullet:
        while end < len(lines) and lines[end].bullet and end <= last_prose:
            end += 1
        if end - i < 2:
            return None
        items = tuple(ListItem((Paragraph((Text(line.text),)),)) for line in lines[i:end])
        return List(items, ordered=False), end
    first = _item_number(lines[i].text)
    if first is None or not _short(lines[i].text):
        return None
    expected = first
    while end < len(lines) and _item_number(lines[end].text) == expected and _short(lines[end].text):
        end += 1
        expected += 1
    if end - i < 2:
        return None
    items = tuple(ListItem((Paragraph((Text(ITEM_NUMBER.sub("", line.text)),)),)) for line in lines[i:end])
    return List(items, ordered=True, start=first), end


def _is_marked_heading(text: str) -> bool:
    return bool(p.KICKER_HEADING.match(text) or p.NUMBERED_HEADING.match(text))


def _is_caption_cue(text: str) -> bool:
    return bool(p.CAPTION_CUE.search(text))


def _short(text: str) -> bool:
    """A candidate heading or caption: short, without sentence punctuation, not a lead-in (…：)."""
    if len(text) > SHORT_MAX or p.FINAL_PUNCT.search(text) or p.CLAUSE_PUNCT.search(text):
        return False
    return not text.endswith(("：", ":"))


def _is_byline(text: str) -> bool:
    return bool(p.BYLINE.match(text) or p.BARE_BYLINE.match(text))


def _is_credit_text(inner: str) -> bool:
    return bool(p.CREDIT_WORD.search(inner)) or bool(p.NAME_LIST.match(inner.strip("（）() ")))


def _split_credit(text: str) -> tuple[str, str | None]:
    """Split a bracketed credit off the end of the last paragraph: (rest, credit)."""
    m = p.TRAILING_CREDIT.search(text)
    if not m or not _is_credit_text(m["credit"]):
        return text, None
    rest = text[: m.start()].rstrip()
    if rest and not p.FINAL_PUNCT.search(rest) and not rest.endswith(("”", "……")):
        return text, None  # the bracket is part of the sentence, not after it
    return rest, m["credit"]


def build_blocks(items: list[Classified]) -> tuple[Block, ...]:
    """The blocks of the body lines ``items`` (already cut to the article)."""
    lines: list[_Line] = []
    image_before = False
    for item in items:
        if item.kind == "image":
            image_before = True
            continue
        if item.kind == "meta" and _is_byline(item.text):
            lines.append(_Line(item.text))  # a byline inside the body stays, as a credit
            continue
        if item.kind in ("meta", "furniture", "end"):
            continue
        text = strip_trailing_junk(item.text).strip()
        if text:
            lines.append(_Line(text, image_before, item.line.bullet))
        image_before = False

    texts = [line.text for line in lines]
    marked_style = any(_short(t) and _is_marked_heading(t) and not _is_caption_cue(t) for t in texts)
    last_prose = max((i for i, t in enumerate(texts) if not _short(t)), default=-1)

    blocks: list[Block] = []
    i = 0
    while i < len(lines):
        found = _list_at(lines, i, last_prose)
        if found:
            blocks.append(found[0])
            i = found[1]
            continue
        text, after_image = texts[i], lines[i].after_image
        nxt = texts[i + 1] if i + 1 < len(texts) else None
        blocks += _blocks_of(text, i, last_prose, nxt, after_image, blocks, marked_style)
        i += 1
    return tuple(blocks)


def _blocks_of(
    text: str, i: int, last_prose: int, nxt: str | None, after_image: bool, blocks: list[Block], marked_style: bool
) -> list[Block]:
    """The block(s) of one body line; ``blocks`` so far tell what came right before it."""
    if i > last_prose:
        return [_tail_block(text, after_image)]
    if _is_byline(text):
        return [Credit((Text(text),))]
    if p.CAPTION_START.match(text) and len(text) <= CAPTION_MAX:
        return [Figure(image=None, caption=(Text(text),))]
    if not _short(text):
        if i < last_prose:
            return [Paragraph((Text(text),))]
        # The last paragraph may end with the closing credit: （记者 张三） / （某某工作室）.
        rest, credit = _split_credit(text)
        out: list[Block] = []
        if rest:
            out.append(Paragraph((Text(rest),)))
        if credit:
            out.append(Credit((Text(credit),)))
        return out
    after_figure = bool(blocks) and isinstance(blocks[-1], Figure)
    return [_short_block(text, nxt, after_image, after_figure, marked_style)]


def _short_block(text: str, nxt: str | None, after_image: bool, after_caption: bool, marked_style: bool) -> Block:
    """A short line inside the body: a heading or a caption-only figure.

    ``after_image``: an image placeholder is right above, so this is its caption.
    ``after_caption``: a photo was just captioned, so this is what follows the photo.
    """
    caption = Figure(image=None, caption=(Text(text),))
    heading = Heading(SECTION_LEVEL, (Text(text),))
    if after_image or _is_caption_cue(text):
        return caption
    if _is_marked_heading(text):
        return heading
    if nxt is not None and _short(nxt) and not _is_caption_cue(nxt):
        # Two short lines in a row: a photo's caption above its section's heading, unless a
        # photo was just captioned (then a heading and its subheading).
        return heading if after_caption else caption
    if marked_style:
        return caption  # the page marks its headings, and this line is unmarked
    return heading


def _tail_block(text: str, after_image: bool) -> Block:
    """A line after the last paragraph: a credit, a closing photo's caption, or a closing note."""
    if p.CREDIT_LINE.match(text) or p.BYLINE.match(text) or (_is_credit_text(text) and text.startswith(("（", "("))):
        return Credit((Text(text),))
    if after_image or _is_caption_cue(text):
        return Figure(image=None, caption=(Text(text),))
    return Paragraph((Text(text),))

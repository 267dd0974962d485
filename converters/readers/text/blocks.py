"""Body lines to blocks: paragraphs, section headings, caption-only figures and the closing credit.

A small state machine walks the body. Prose lines are paragraphs. A short unpunctuated line is a
heading or an image caption, told apart by:
- its own form: a ``kicker：title`` or numbered line reads as a heading; a photo credit (摄, 图为,
  资料图) as a caption;
- its position: a caption comes right after an image placeholder, or right before a heading
  (the photo opened the section); a heading comes right before a paragraph;
- the page's habit: when the page marks its headings with kickers or numbers, an unmarked short
  line between paragraphs is a caption, otherwise it is a heading.
After the last paragraph, bracketed bylines and office names become a :class:`Credit`.
"""

from __future__ import annotations

from converters.readers.text import patterns as p
from converters.readers.text.classify import SHORT_MAX, Classified, strip_trailing_junk
from converters.tree import Block, Credit, Figure, Heading, Paragraph, Text

#: A line that opens like a caption (图为…) is one up to this length.
CAPTION_MAX = 120

#: Level of section headings inside an article (the title is the document's level 1).
SECTION_LEVEL = 2


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
    texts: list[tuple[str, bool]] = []  # (text, an image placeholder came right before it)
    image_before = False
    for item in items:
        if item.kind == "image":
            image_before = True
            continue
        if item.kind == "meta" and _is_byline(item.text):
            texts.append((item.text, False))  # a byline inside the body stays, as a credit
            continue
        if item.kind in ("meta", "furniture", "end"):
            continue
        text = strip_trailing_junk(item.text).strip()
        if text:
            texts.append((text, image_before))
        image_before = False

    marked_style = any(_short(t) and _is_marked_heading(t) and not _is_caption_cue(t) for t, _ in texts)
    last_prose = max((i for i, (t, _) in enumerate(texts) if not _short(t)), default=-1)

    blocks: list[Block] = []
    for i, (text, after_image) in enumerate(texts):
        nxt = texts[i + 1][0] if i + 1 < len(texts) else None
        if i > last_prose:
            blocks.append(_tail_block(text, after_image))
            continue
        if _is_byline(text):
            blocks.append(Credit((Text(text),)))
            continue
        if p.CAPTION_START.match(text) and len(text) <= CAPTION_MAX:
            blocks.append(Figure(image=None, caption=(Text(text),)))
            continue
        if not _short(text):
            if i == last_prose:
                rest, credit = _split_credit(text)
                if rest:
                    blocks.append(Paragraph((Text(rest),)))
                if credit:
                    blocks.append(Credit((Text(credit),)))
            else:
                blocks.append(Paragraph((Text(text),)))
            continue
        after_figure = bool(blocks) and isinstance(blocks[-1], Figure)
        blocks.append(_short_block(text, nxt, after_image, after_figure, marked_style))
    return tuple(blocks)


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

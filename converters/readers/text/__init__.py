"""The scraped-text reader: a plain-text dump of a news page in, a clean article tree out.

Pipeline: decode the bytes (:func:`converters.decode.decode_bytes`) -> logical lines, re-joining
w3m's hard wraps and table columns (:mod:`.lines`, :mod:`.columns`) -> classify every line
(:mod:`.classify`) -> find the body (:mod:`.article`) and the metadata around it (:mod:`.meta`)
-> paragraphs, headings, figures, lists and credits (:mod:`.blocks`) -> cleaners (whitespace,
full-width punctuation, figure numbers). The named patterns live in :mod:`.patterns`.
"""

from __future__ import annotations

from converters.cleaners.figures import number_figures
from converters.cleaners.punctuation import restore_punctuation
from converters.cleaners.whitespace import normalise_whitespace
from converters.context import Context
from converters.decode import decode_bytes
from converters.errors import InputError
from converters.readers.text.article import find_body
from converters.readers.text.blocks import build_blocks
from converters.readers.text.classify import classify, merge_split_dates
from converters.readers.text.lines import split_lines
from converters.readers.text.meta import find_meta
from converters.tree import Document, Meta, Paragraph, Text

__all__ = ["read_text", "read_text_string"]

#: Frequent characters that exist only in traditional script, and their simplified forms.
_TRADITIONAL = frozenset("們這個來說時會對過還當與發經後國際區開關體學習點實將長門問題書東車見話機為無")
_SIMPLIFIED = frozenset("们这个来说时会对过还当与发经后国际区开关体学习点实将长门问题书东车见话机为无")


def _language(text: str) -> str:
    """``zh-TW`` when the text is written in traditional characters, else ``zh-CN``."""
    traditional = sum(c in _TRADITIONAL for c in text)
    simplified = sum(c in _SIMPLIFIED for c in text)
    return "zh-TW" if traditional > 2 * simplified and traditional >= 3 else "zh-CN"


def read_text_string(text: str, ctx: Context | None = None) -> Document:
    """Read an already decoded dump (see :func:`read_text`)."""
    ctx = ctx or Context()
    items = classify(merge_split_dates(split_lines(text)))
    if not items:
        raise InputError("the file holds no text", code="empty-input", where=ctx.source_name)
    body = find_body(items)
    if body.end <= body.start:
        # No page around an article: a plain note. Keep every line of text as it is.
        ctx.warn("no-article", "found no news article layout; every line of text is kept as a paragraph")
        notes = [item for item in items if item.kind in ("prose", "short")]
        blocks = tuple(Paragraph((Text(item.text),)) for item in notes)
        return restore_punctuation(normalise_whitespace(Document(Meta(language=_language(text)), blocks)))
    found = find_meta(items, body)
    meta = Meta(
        title=found.title,
        subtitle=found.subtitle,
        date=found.date,
        source=found.source,
        author=found.author,
        editor=found.editor,
        language=_language(text),
    )
    headlines = {found.title, found.subtitle}
    lines = [
        item
        for i, item in enumerate(items[body.start : body.end], start=body.start)
        if i not in body.skip and item.text not in headlines  # inline link boxes, repeated headlines
    ]
    doc = Document(meta, build_blocks(lines))
    return number_figures(restore_punctuation(normalise_whitespace(doc)))


def read_text(data: bytes, ctx: Context) -> Document:
    """Read a plain-text dump of a news page (UTF-8, GB18030/GBK or Big5) into a document."""
    return read_text_string(decode_bytes(data, ctx.source_name), ctx)

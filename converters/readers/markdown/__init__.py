"""Markdown reader: CommonMark (markdown-it-py) with YAML front matter, back into the tree.

It reads what :mod:`converters.writers.markdown` writes, exactly (``read(write(doc)) == doc``),
and ordinary hand-written CommonMark. The conventions beyond CommonMark, all documented in the
writer, are recognised here:

* YAML front matter holds :class:`~converters.tree.Meta` (``yaml.safe_load`` only);
* a paragraph made of one image is a figure whose caption is the alt text (pandoc's
  ``implicit_figures``); a paragraph whose source line starts ``*图`` or ``<em>图`` and is one
  emphasis ``图 N　caption`` is a figure caption, after an image line or on its own;
* ``<div align="right">`` around one paragraph is the closing credit;
* the inline tags ``<em> <i> <strong> <b> <a> <br> <img>`` map to their nodes (the writer falls
  back to them where CommonMark's flanking rules would not parse ``*``/``**`` next to CJK marks).

A soft line break between two wide (CJK) characters disappears instead of becoming a space,
like pandoc's ``east_asian_line_breaks``.
"""

from __future__ import annotations

import html
import re

from markdown_it.token import Token

from converters.context import Context
from converters.decode import decode_bytes
from converters.errors import Diagnostic
from converters.readers.markdown.front_matter import parse_front_matter
from converters.readers.markdown.inlines import (
    CAPTION_MARKER,
    CAPTION_SOURCE,
    DROPPED_KINDS,
    TAG,
    alt_caption,
    attrs,
    caption_parts,
    inlines_of,
    normalise_inlines,
    parse_inlines,
    parser,
    warn_dropped,
)
from converters.tree import (
    Block,
    BlockQuote,
    Credit,
    Document,
    Emph,
    Figure,
    Heading,
    Image,
    Inline,
    LineBreak,
    List,
    ListItem,
    Meta,
    Paragraph,
    Text,
    ThematicBreak,
    plain_text,
)

__all__ = [
    "CAPTION_MARKER",
    "CAPTION_SOURCE",
    "alt_caption",
    "caption_parts",
    "classify_paragraph",
    "normalise_inlines",
    "parse_front_matter",
    "parse_inlines",
    "read_markdown",
]

CREDIT_OPEN = re.compile(r'<div\s+align\s*=\s*["\']?right["\']?\s*>', re.IGNORECASE)
CREDIT_CLOSE = re.compile(r"</div\s*>", re.IGNORECASE)


def classify_paragraph(children: tuple[Inline, ...], source: str) -> Block:
    """A paragraph, or the figure the Markdown conventions above make of it."""
    if len(children) == 1 and isinstance(children[0], Image):
        return Figure(children[0], alt_caption(children[0]))
    image: Image | None = None
    line, rest = source, children
    if len(children) == 3 and isinstance(children[0], Image) and isinstance(children[1], LineBreak):
        image, line, rest = children[0], source.partition("\n")[2], children[2:]
    if len(rest) == 1 and isinstance(rest[0], Emph) and line.startswith(CAPTION_SOURCE):
        parts = caption_parts(rest[0].children)
        if parts is not None:
            return Figure(image, parts[1], parts[0])
    return Paragraph(children)


# --------------------------------------------------------------------------- blocks


def _blocks(tokens: list[Token], i: int, stop: str, ctx: Context, raw: bool = False) -> tuple[list[Block], int]:
    """Blocks from ``tokens[i:]`` up to the token of type ``stop`` (or a credit's closing div)."""
    out: list[Block] = []
    while i < len(tokens):
        t = tokens[i]
        if t.type == stop:
            return out, i + 1
        if t.nesting == -1:  # the enclosing container ends first (a credit div left open in a list)
            return out, i
        if t.type == "html_block" and stop == "credit_close" and CREDIT_CLOSE.fullmatch(t.content.strip()):
            return out, i + 1
        if t.type == "paragraph_open":
            inline = tokens[i + 1]
            children = normalise_inlines(inlines_of(inline.children or [], ctx))
            if children:  # a paragraph of nothing but dropped tags is no paragraph
                out.append(Paragraph(children) if raw else classify_paragraph(children, inline.content))
            i += 3
        elif t.type == "heading_open":
            out.append(Heading(int(t.tag[1]), normalise_inlines(inlines_of(tokens[i + 1].children or [], ctx))))
            i += 3
        elif t.type == "blockquote_open":
            inner, i = _blocks(tokens, i + 1, "blockquote_close", ctx)
            out.append(BlockQuote(tuple(inner)))
        elif t.type in ("bullet_list_open", "ordered_list_open"):
            ordered = t.type == "ordered_list_open"
            given = t.attrGet("start")  # absent when the list starts at 1; may be 0
            start = int(given) if ordered and given is not None else 1
            close = t.type.replace("_open", "_close")
            items: list[ListItem] = []
            i += 1
            while tokens[i].type != close:
                inner, i = _blocks(tokens, i + 1, "list_item_close", ctx)
                items.append(ListItem(tuple(inner)))
            out.append(List(tuple(items), ordered, start))
            i += 1
        elif t.type == "hr":
            out.append(ThematicBreak())
            i += 1
        elif t.type == "html_block":
            i = _html_block(tokens, i, out, ctx)
        elif t.type in ("fence", "code_block"):
            lines = t.content.rstrip("\n").split("\n")
            kids: list[Inline] = []
            for n, line in enumerate(lines):
                kids += [LineBreak()] * bool(n) + [Text(line)]
            if code := normalise_inlines(kids):
                out.append(Paragraph(code))
            i += 1
        else:
            i += 1
    return out, i


def _html_block(tokens: list[Token], i: int, out: list[Block], ctx: Context) -> int:
    source = tokens[i].content.strip()
    if CREDIT_OPEN.fullmatch(source):
        inner, i = _blocks(tokens, i + 1, "credit_close", ctx, raw=True)
        if not inner:
            out.append(Credit(()))
        elif len(inner) == 1 and isinstance(inner[0], Paragraph):
            out.append(Credit(inner[0].children))
        else:
            out.extend(inner)
        return i
    m = TAG.fullmatch(source)
    if m and m[2].lower() == "img" and not m[1]:
        a = attrs(m[3])
        out.append(Paragraph((Image(a.get("src", ""), a.get("alt", ""), a.get("title", "")),)))
        return i + 1
    # A script or style body is code, never article text (an unclosed one runs to the block's end).
    for m in re.finditer(r"(?is)<(script|style)\b", source):
        warn_dropped(ctx, "script-block", f"a raw <{m[1].lower()}> element")
    source = re.sub(r"(?is)<(script|style)\b.*?(?:</\1\s*>|\Z)|<!--.*?-->", " ", source)
    # Block-level tags separate words; inline ones (<b>, <span>) must not put spaces into CJK text.
    source = re.sub(r"(?i)</?(?:p|div|br|li|ul|ol|h[1-6]|tr|td|th|table|blockquote|section)\b[^>]*>", " ", source)
    text = html.unescape(re.sub(r"<[^>]*>", "", source))
    if text.strip():
        ctx.warn("markdown-html-dropped", "a raw HTML block was kept as plain text")
        out.append(Paragraph(normalise_inlines((Text(" ".join(text.split())),))))
    return i + 1


def _count_dropped(ctx: Context, start: int) -> None:
    """Fold the per-occurrence warnings about active content into one counted warning."""
    counts = {code: 0 for code in DROPPED_KINDS}
    kept: list[Diagnostic] = []
    for d in ctx.diagnostics[start:]:
        if d.code in counts:
            counts[d.code] += 1
        else:
            kept.append(d)
    parts = [f"{n} {DROPPED_KINDS[code]}{'' if n == 1 else 's'}" for code, n in counts.items() if n]
    del ctx.diagnostics[start:]
    if parts:
        ctx.warn("active-content", f"dropped {', '.join(parts)}")
    ctx.diagnostics.extend(kept)


def read_markdown(data: bytes, ctx: Context) -> Document:
    """Parse CommonMark with YAML front matter into a :class:`Document`."""
    text = decode_bytes(data, ctx.source_name)
    tokens = parser().parse(text)
    meta = Meta()
    has_front_matter = bool(tokens) and tokens[0].type == "front_matter"
    if has_front_matter:
        meta = parse_front_matter(tokens[0].content, ctx)
        tokens = tokens[1:]
    start = len(ctx.diagnostics)
    blocks, _ = _blocks(tokens, 0, "", ctx)
    _count_dropped(ctx, start)
    if not has_front_matter and blocks and isinstance(blocks[0], Heading) and blocks[0].level == 1:
        # Hand-written Markdown without front matter: its leading level-1 heading is the title.
        meta = Meta(title=plain_text(blocks[0]).strip() or None)
        blocks = blocks[1:]
    return Document(meta, tuple(blocks))

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

import dataclasses
import datetime
import html
import re
import unicodedata
from collections.abc import Sequence
from functools import cache
from typing import Any

import yaml
from markdown_it import MarkdownIt
from markdown_it.token import Token
from mdit_py_plugins.front_matter import front_matter_plugin

from converters.context import Context
from converters.decode import decode_bytes
from converters.errors import InputError
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
    Link,
    List,
    ListItem,
    Meta,
    Paragraph,
    Strong,
    Text,
    ThematicBreak,
    plain_text,
)

#: ``图 12　`` opening a caption; without the ideographic space only when the caption is empty.
CAPTION_MARKER = re.compile(r"图(?: (-?[0-9]+))?(\u3000|$)")
#: Source prefixes that make an emphasised paragraph a caption (an entity-escaped 图 does not).
CAPTION_SOURCE = ("*图", "<em>图")
CREDIT_OPEN = re.compile(r'<div\s+align\s*=\s*["\']?right["\']?\s*>', re.IGNORECASE)
CREDIT_CLOSE = re.compile(r"</div\s*>", re.IGNORECASE)
_TAG = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9-]*)((?:\s[^>]*?)?)\s*(/?)>", re.DOTALL)
_ATTR = re.compile(r"""([A-Za-z_:][-A-Za-z0-9_:.]*)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+)))?""")
_INLINE_KINDS = {"em": "emph", "i": "emph", "strong": "strong", "b": "strong", "a": "link"}


def _verbatim(link: str) -> str:
    return link


@cache
def parser() -> MarkdownIt:
    """The one markdown-it instance: CommonMark, raw HTML on, front matter, URLs kept as written."""
    md = MarkdownIt("commonmark").use(front_matter_plugin)
    # Keep destinations verbatim: the tree stores URLs as the source wrote them, not %-encoded.
    md.normalizeLink = _verbatim  # type: ignore[method-assign,assignment]
    md.normalizeLinkText = _verbatim  # type: ignore[method-assign]
    return md


# --------------------------------------------------------------------------- inlines


def _wide(ch: str) -> bool:
    return unicodedata.east_asian_width(ch) in ("W", "F")


def _resolve_soft_breaks(text: str) -> str:
    """A soft break joins two wide characters directly and is a space otherwise."""
    if "\n" not in text:
        return text
    out = []
    for i, ch in enumerate(text):
        if ch != "\n":
            out.append(ch)
        elif not (0 < i < len(text) - 1 and _wide(text[i - 1]) and _wide(text[i + 1])):
            out.append(" ")
    return "".join(out)


def normalise_inlines(nodes: Sequence[Inline]) -> tuple[Inline, ...]:
    """Merge adjacent text, drop empty text/emphasis, trim edge line breaks and whitespace (recursively)."""
    out: list[Inline] = []
    for node in nodes:
        if isinstance(node, (Emph, Strong)):
            inner = normalise_inlines(node.children)
            if not inner:
                continue
            node = type(node)(inner)
        elif isinstance(node, Link):
            node = Link(normalise_inlines(node.children), node.url, node.title)
        elif isinstance(node, Text):
            if not node.text:
                continue
            if out and isinstance(out[-1], Text):
                out[-1] = Text(out[-1].text + node.text)
                continue
        out.append(node)
    out = [Text(_resolve_soft_breaks(n.text)) if isinstance(n, Text) else n for n in out]
    while out and isinstance(out[0], LineBreak):
        out.pop(0)
    while out and isinstance(out[-1], LineBreak):
        out.pop()
    if out and isinstance(out[0], Text):
        out[0] = Text(out[0].text.lstrip())
    if out and isinstance(out[-1], Text):
        out[-1] = Text(out[-1].text.rstrip())
    return tuple(n for n in out if not (isinstance(n, Text) and not n.text))


def _attrs(source: str) -> dict[str, str]:
    return {m[1].lower(): html.unescape(m[2] or m[3] or m[4] or "") for m in _ATTR.finditer(source)}


def _token_text(tokens: Sequence[Token]) -> str:
    """Plain text of inline tokens, as markdown-it computes an image's alt."""
    parts: list[str] = []
    for t in tokens:
        if t.type in ("text", "code_inline"):
            parts.append(t.content)
        elif t.type == "image":
            parts.append(_token_text(t.children or []))
        elif t.type in ("softbreak", "hardbreak"):
            parts.append(" ")
    return "".join(parts)


class _Frame:
    """An open container while inline tokens are folded into a tree."""

    def __init__(self, kind: str, origin: str, attrs: dict[str, str]) -> None:
        self.kind, self.origin, self.attrs = kind, origin, attrs
        self.children: list[Inline] = []

    def close(self) -> Inline:
        kids = tuple(self.children)
        if self.kind == "emph":
            return Emph(kids)
        if self.kind == "strong":
            return Strong(kids)
        return Link(kids, self.attrs.get("href", ""), self.attrs.get("title", ""))


def _inlines(tokens: Sequence[Token], ctx: Context | None) -> tuple[Inline, ...]:
    root = _Frame("root", "", {})
    stack = [root]

    def close(kind: str, origin: str) -> None:
        for depth in range(len(stack) - 1, 0, -1):
            if stack[depth].kind == kind and stack[depth].origin == origin:
                while len(stack) > depth:
                    frame = stack.pop()
                    if frame.attrs.get("unsafe"):  # an <a> to javascript: and the like: keep the text only
                        stack[-1].children.extend(frame.children)
                    else:
                        stack[-1].children.append(frame.close())
                return

    for t in tokens:
        top = stack[-1].children
        if t.type in ("text", "code_inline"):
            top.append(Text(t.content))
        elif t.type == "softbreak":
            top.append(Text("\n"))
        elif t.type == "hardbreak":
            top.append(LineBreak())
        elif t.type == "image":
            top.append(Image(str(t.attrGet("src") or ""), _token_text(t.children or []), str(t.attrGet("title") or "")))
        elif t.type in ("em_open", "strong_open", "link_open"):
            kind = {"em_open": "emph", "strong_open": "strong", "link_open": "link"}[t.type]
            attrs = {"href": str(t.attrGet("href") or ""), "title": str(t.attrGet("title") or "")}
            stack.append(_Frame(kind, "md", attrs))
        elif t.type in ("em_close", "strong_close", "link_close"):
            close({"em_close": "emph", "strong_close": "strong", "link_close": "link"}[t.type], "md")
        elif t.type == "html_inline":
            _html_inline(t.content, stack, close, ctx)
    while len(stack) > 1:  # unclosed HTML tags: keep their content, drop the tag
        frame = stack.pop()
        stack[-1].children.extend(frame.children)
    return tuple(root.children)


def _html_inline(source: str, stack: list[_Frame], close: Any, ctx: Context | None) -> None:
    m = _TAG.fullmatch(source.strip())
    if not m:  # a comment, a processing instruction...: nothing of the article
        return
    closing, name = bool(m[1]), m[2].lower()
    if name == "br":
        stack[-1].children.append(LineBreak())
    elif name == "img":
        a = _attrs(m[3])
        if parser().validateLink(a.get("src", "")):
            stack[-1].children.append(Image(a.get("src", ""), a.get("alt", ""), a.get("title", "")))
    elif name in _INLINE_KINDS:
        kind = _INLINE_KINDS[name]
        if closing:
            close(kind, "html")
        else:
            # Raw tags get the same URL check markdown-it applies to Markdown links.
            attrs = _attrs(m[3]) if kind == "link" else {}
            if kind == "link" and not parser().validateLink(attrs.get("href", "")):
                attrs["unsafe"] = "1"
            stack.append(_Frame(kind, "html", attrs))
    elif ctx is not None and not closing:
        ctx.warn("markdown-html-dropped", f"raw HTML tag <{m[1]}{name}> dropped, its text kept")


def parse_inlines(source: str, ctx: Context | None = None) -> tuple[Inline, ...]:
    """Parse one block's inline Markdown into normalised inlines (the writer checks its output with it)."""
    tokens = parser().parseInline(source)
    return normalise_inlines(_inlines(tokens[0].children or [], ctx)) if tokens else ()


def caption_parts(children: Sequence[Inline]) -> tuple[int | None, tuple[Inline, ...]] | None:
    """Split an emphasis's children into figure number and caption when they start ``图 N　``."""
    if not children or not isinstance(children[0], Text):
        return None
    m = CAPTION_MARKER.match(children[0].text)
    if not m:
        return None
    rest = children[0].text[m.end() :]
    if not m[2] and (rest or len(children) > 1):
        return None  # ``图`` without the ideographic space only stands for an empty caption
    caption = ((Text(rest),) if rest else ()) + tuple(children[1:])
    return (int(m[1]) if m[1] else None), caption


def alt_caption(image: Image) -> tuple[Inline, ...]:
    """The caption an image alone in its paragraph stands for (pandoc's implicit figure)."""
    return (Text(image.alt),) if image.alt else ()


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
        if t.type == "html_block" and stop == "credit_close" and CREDIT_CLOSE.fullmatch(t.content.strip()):
            return out, i + 1
        if t.type == "paragraph_open":
            inline = tokens[i + 1]
            children = normalise_inlines(_inlines(inline.children or [], ctx))
            out.append(Paragraph(children) if raw else classify_paragraph(children, inline.content))
            i += 3
        elif t.type == "heading_open":
            out.append(Heading(int(t.tag[1]), normalise_inlines(_inlines(tokens[i + 1].children or [], ctx))))
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
            out.append(Paragraph(normalise_inlines(kids)))
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
    m = _TAG.fullmatch(source)
    if m and m[2].lower() == "img" and not m[1]:
        a = _attrs(m[3])
        out.append(Paragraph((Image(a.get("src", ""), a.get("alt", ""), a.get("title", "")),)))
        return i + 1
    source = re.sub(r"(?is)<(script|style)\b.*?</\1\s*>|<!--.*?-->", " ", source)
    # Block-level tags separate words; inline ones (<b>, <span>) must not put spaces into CJK text.
    source = re.sub(r"(?i)</?(?:p|div|br|li|ul|ol|h[1-6]|tr|td|th|table|blockquote|section)\b[^>]*>", " ", source)
    text = html.unescape(re.sub(r"<[^>]*>", "", source))
    if text.strip():
        ctx.warn("markdown-html-dropped", "a raw HTML block was kept as plain text")
        out.append(Paragraph(normalise_inlines((Text(" ".join(text.split())),))))
    return i + 1


# --------------------------------------------------------------------------- front matter

_META_FIELDS = {f.name for f in dataclasses.fields(Meta)}


def parse_front_matter(source: str, ctx: Context) -> Meta:
    """Metadata from YAML front matter; a malformed block or a field of the wrong type is an InputError."""
    where = ctx.source_name
    try:
        data = yaml.safe_load(source) if source.strip() else {}
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = f" (line {mark.line + 2})" if mark is not None else ""
        raise InputError(f"the YAML front matter is malformed{line}", code="bad-front-matter", where=where) from None
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise InputError(
            "the YAML front matter must be a mapping of field: value", code="bad-front-matter", where=where
        )
    kwargs: dict[str, Any] = {}
    for key, value in data.items():
        if key not in _META_FIELDS:
            # Other tools' fields (layout, tags...) are not errors, but say they are not kept.
            ctx.warn("front-matter-ignored", f"front matter field {key!r} is not Pressroom metadata; ignored")
            continue
        if key == "keywords":
            if value is None:
                value = []
            if not isinstance(value, list) or not all(isinstance(k, str) for k in value):
                raise InputError(
                    "front matter 'keywords' must be a list of strings", code="bad-front-matter", where=where
                )
            kwargs[key] = tuple(value)
            continue
        if key == "date" and isinstance(value, (datetime.date, datetime.datetime)):
            value = value.isoformat()
        if value is not None and not isinstance(value, str):
            raise InputError(
                f"front matter {key!r} must be text, not {type(value).__name__}; quote it",
                code="bad-front-matter",
                where=where,
            )
        if key == "language" and value is None:
            continue
        kwargs[key] = value
    return Meta(**kwargs)


def read_markdown(data: bytes, ctx: Context) -> Document:
    """Parse CommonMark with YAML front matter into a :class:`Document`."""
    text = decode_bytes(data, ctx.source_name)
    tokens = parser().parse(text)
    meta = Meta()
    has_front_matter = bool(tokens) and tokens[0].type == "front_matter"
    if has_front_matter:
        meta = parse_front_matter(tokens[0].content, ctx)
        tokens = tokens[1:]
    blocks, _ = _blocks(tokens, 0, "", ctx)
    if not has_front_matter and blocks and isinstance(blocks[0], Heading) and blocks[0].level == 1:
        # Hand-written Markdown without front matter: its leading level-1 heading is the title.
        meta = Meta(title=plain_text(blocks[0]).strip() or None)
        blocks = blocks[1:]
    return Document(meta, tuple(blocks))

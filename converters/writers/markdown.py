"""Markdown writer: CommonMark with YAML front matter, readable on GitHub and lossless on read-back.

``read_markdown(write_markdown(doc)) == doc`` for every normalised tree. The conventions:

* **Metadata** is YAML front matter (``yaml.safe_dump``, field names as in :class:`Meta`).
* **Paragraphs** are one line each, never wrapped: a soft break would show as a space between
  Han characters. A hard line break is a backslash at the end of the line (``<br>`` in headings).
* **Figures.** An image alone in its paragraph is a figure whose caption is its alt text
  (pandoc's ``implicit_figures``); other figures put the caption on the image's next line as one
  emphasis starting with the number, the way Chinese papers print it::

      ![改造后的粮仓外景](images/photo.jpg)\\
      *图 3　改造后的粮仓外景（摄影　张三）*

  A figure whose photo is missing is the caption line alone (``*图 1　高速口值班值守*``), which
  any CommonMark viewer shows as an italic caption. Without a number the marker is ``图　``.
* **Credit**: the closing credit paragraph inside ``<div align="right">``, right-aligned on
  GitHub and in browsers.
* **Escaping.** ASCII specials are backslash-escaped where CommonMark could read them as syntax
  (always ``\\ ` * _ [ ] < | ~``; ``# > - + = 1.`` at line starts; ``&`` before an entity-like
  name; ``!`` before a link); CJK text is never touched. A paragraph that would read back as a
  figure writes its ``图`` as ``&#22270;``; an image alone in a plain paragraph is an ``<img>``.
* **Emphasis.** ``*em*`` and ``**strong**`` where CommonMark parses them back; next to CJK
  punctuation (``**“中文”**后面``) the flanking rules forbid that, and the writer falls back to
  ``<em>``/``<strong>``, checking each block's inline Markdown by parsing it again.
* **Lists** use ``-`` and ``1.``; a list right after one of the same kind uses ``*`` or ``1)``,
  or CommonMark would merge them. Rules are ``---`` (``___`` inside list items, where ``- ---``
  would itself be a rule). A link holding a link is an ``<a>`` tag (Markdown links cannot nest).

Figures are not renumbered: Markdown is an interchange format and keeps the tree as it is.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import yaml

from converters.context import Context
from converters.errors import UsageError
from converters.readers.markdown import (
    CAPTION_SOURCE,
    alt_caption,
    caption_parts,
    normalise_inlines,
    parse_inlines,
)
from converters.tree import (
    Block,
    BlockQuote,
    Book,
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
    Paragraph,
    Strong,
    Text,
    ThematicBreak,
    meta_to_json,
    walk,
)

_ALWAYS = frozenset("\\`*_[]<|~")
_ENTITY = re.compile(r"&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{0,31});")
_ORDERED_START = re.compile(r"[0-9]{1,9}[.)]")
_THEMATIC = re.compile(r" {0,3}([-*_])(?:[ \t]*\1){2,}[ \t]*")
CREDIT_OPEN, CREDIT_CLOSE = '<div align="right">', "</div>"


@dataclass
class _State:
    """Where the inline renderer is: which nodes fall back to HTML, whether a line just began."""

    html: set[int] = field(default_factory=set)
    heading: bool = False
    at_line_start: bool = True
    in_list: bool = False


# --------------------------------------------------------------------------- text escaping


def _entity(ch: str) -> str:
    return f"&#{ord(ch)};"


def escape_text(text: str, line_start: bool = False, line_end: bool = False, hashes: bool = False) -> str:
    """Backslash-escape what CommonMark would read as syntax in ``text``; leave CJK alone.

    ``hashes`` escapes every ``#`` (in headings, where a trailing run would be a closing sequence).
    """
    out: list[str] = []
    n = len(text)
    for i, ch in enumerate(text):
        if ch in _ALWAYS or (hashes and ch == "#"):
            out.append("\\" + ch)
        elif ch == "&" and _ENTITY.match(text, i):
            out.append("\\&")
        elif ch == "!" and i == n - 1:
            out.append("\\!")  # a link or image may follow: ``!`` + ``[..](..)`` would be an image
        elif ch in "\r\n":
            out.append(_entity(ch))
        else:
            out.append(ch)
    if line_end:
        j = n
        while j > 0 and text[j - 1].isspace():
            j -= 1
            out[j] = _entity(text[j])
    if line_start and text:
        first = text[0]
        if first.isspace():
            out[0] = _entity(first)  # leading whitespace would be stripped
        elif first == ">":
            out[0] = "\\>"
        elif first in "#-+=":
            # ``# h``, ``- item``, ``+ item``, ``---`` and ``===`` open blocks; ``#话题#`` or ``-5℃`` do not.
            run = len(text) - len(text.lstrip(first))
            after = text[run : run + 1]
            if (not after or after.isspace()) and (first != "#" or run <= 6):
                out[0] = "\\" + first
        elif first.isdigit() and (m := _ORDERED_START.match(text)):
            after = text[m.end() : m.end() + 1]
            if not after or after.isspace():
                out[m.end() - 1] = "\\" + text[m.end() - 1]
    return "".join(out)


def _destination(url: str) -> str:
    if not url or any(c.isspace() or c in "<>" for c in url):
        return "<" + _ENTITY.sub(lambda m: "\\" + m[0], re.sub(r"([\\<>])", r"\\\1", url)) + ">"
    return _ENTITY.sub(lambda m: "\\" + m[0], re.sub(r"([\\()])", r"\\\1", url))


def _title(title: str) -> str:
    if not title:
        return ""
    escaped = _ENTITY.sub(lambda m: "\\" + m[0], re.sub(r'([\\"])', r"\\\1", title))
    return f' "{escaped}"'


def _attr(value: str) -> str:
    return html.escape(value, quote=True)


# --------------------------------------------------------------------------- inlines


def _seq(nodes: Sequence[Inline], st: _State, block_end: bool = False) -> str:
    parts: list[str] = []
    for k, node in enumerate(nodes):
        last = k == len(nodes) - 1
        if isinstance(node, Text):
            before_break = (last and block_end) or (not last and isinstance(nodes[k + 1], LineBreak))
            parts.append(escape_text(node.text, st.at_line_start and not st.heading, before_break, st.heading))
            st.at_line_start = False
        else:
            parts.append(HANDLERS[type(node)](node, st))
    return "".join(parts)


def _text(node: Text, st: _State) -> str:
    st.at_line_start = False
    return escape_text(node.text)


def _wrap(node: Emph | Strong, st: _State, delim: str, tag: str) -> str:
    if id(node) in st.html:
        opener, closer = f"<{tag}>", f"</{tag}>"
    else:
        opener, closer = delim, delim
    st.at_line_start = False
    return opener + _seq(node.children, st) + closer


def _emph(node: Emph, st: _State) -> str:
    return _wrap(node, st, "*", "em")


def _strong(node: Strong, st: _State) -> str:
    return _wrap(node, st, "**", "strong")


def _link(node: Link, st: _State) -> str:
    st.at_line_start = False
    # CommonMark links cannot nest: a link holding another link is written as an <a> tag.
    nested = any(isinstance(n, Link) for child in node.children for n in walk(child))
    if nested or id(node) in st.html:
        title = f' title="{_attr(node.title)}"' if node.title else ""
        return f'<a href="{_attr(node.url)}"{title}>' + _seq(node.children, st) + "</a>"
    return "[" + _seq(node.children, st) + "](" + _destination(node.url) + _title(node.title) + ")"


def _image(node: Image, st: _State) -> str:
    st.at_line_start = False
    return "![" + escape_text(node.alt) + "](" + _destination(node.src) + _title(node.title) + ")"


def _line_break(node: LineBreak, st: _State) -> str:
    if st.heading:
        return "<br>"
    st.at_line_start = True
    return "\\\n"


def _fallback_order(nodes: Sequence[Inline]) -> list[Inline]:
    """Emphasis and links, innermost first: the order in which they fall back to HTML tags."""
    order: list[Inline] = []
    for node in nodes:
        if isinstance(node, (Emph, Strong, Link)):
            order += _fallback_order(node.children)
            order.append(node)
    return order


def render_inlines(nodes: Sequence[Inline], heading: bool = False) -> str:
    """One block's inlines as Markdown that parses back to the same inlines.

    Delimiters first; while the parse differs, emphasis and links fall back to HTML tags one by
    one, innermost first; then each tag that turned out not to be needed goes back to Markdown.
    """
    target = normalise_inlines(nodes)

    def attempt(html: set[int]) -> tuple[str, bool]:
        out = _seq(nodes, _State(html=html, heading=heading), block_end=True)
        return out, parse_inlines(out) == target

    html: set[int] = set()
    out, ok = attempt(html)
    order = _fallback_order(nodes)
    for node in order:
        if ok:
            break
        html = html | {id(node)}
        out, ok = attempt(html)
    if ok and len(html) > 1:
        for node in reversed(order):
            if id(node) in html:
                trial, trial_ok = attempt(html - {id(node)})
                if trial_ok:
                    html, out = html - {id(node)}, trial
    return out


# --------------------------------------------------------------------------- blocks


def _paragraph(node: Paragraph, st: _State) -> str:
    kids = node.children
    if len(kids) == 1 and isinstance(kids[0], Image):
        # Alone, ``![..](..)`` would be a figure; an <img> HTML block stays a plain image.
        img = kids[0]
        title = f' title="{_attr(img.title)}"' if img.title else ""
        return f'<img src="{_attr(img.src)}" alt="{_attr(img.alt)}"{title}>'
    text = render_inlines(kids)
    # Escape a paragraph that would read back as a figure caption: its 图 becomes an entity.
    rest = kids[2:] if len(kids) == 3 and isinstance(kids[0], Image) and isinstance(kids[1], LineBreak) else kids
    if len(rest) == 1 and isinstance(rest[0], Emph) and caption_parts(rest[0].children) is not None:
        head, sep, line = text.partition("\n") if rest is not kids else ("", "", text)
        for prefix in CAPTION_SOURCE:
            if line.startswith(prefix):
                line = prefix[:-1] + "&#22270;" + line[len(prefix) :]
        text = head + sep + line
    return text


def _caption_marker(number: int | None, has_caption: bool) -> str:
    return "图" + (f" {number}" if number is not None else "") + ("\u3000" if has_caption else "")


def _figure(node: Figure, st: _State) -> str:
    img = node.image
    if img is not None and node.number is None and node.caption == alt_caption(img):
        return _image(img, st)  # pandoc reads an image alone in its paragraph as this figure
    caption = Emph(normalise_inlines((Text(_caption_marker(node.number, bool(node.caption))), *node.caption)))
    inlines: tuple[Inline, ...] = (caption,) if img is None else (img, LineBreak(), caption)
    return render_inlines(inlines)


def _heading(node: Heading, st: _State) -> str:
    text = render_inlines(node.children, heading=True)
    level = min(max(node.level, 1), 6)
    return "#" * level + (" " + text if text else "")


def _block_quote(node: BlockQuote, st: _State) -> str:
    inner = render_blocks(node.children, st.in_list)
    return "\n".join(">" + (" " + line if line else "") for line in inner.split("\n")) if inner else ">"


def _list(node: List, st: _State, alternate: bool = False) -> str:
    tight = all(len(item.children) == 1 and isinstance(item.children[0], Paragraph) for item in node.children)
    tight = tight and not any(
        isinstance(item.children[0], Paragraph) and _lone_image(item.children[0]) for item in node.children
    )
    items = []
    for k, item in enumerate(node.children):
        # Two lists in a row need different markers, or CommonMark makes them one list.
        bullet = "*" if alternate else "-"
        marker = f"{node.start + k}{')' if alternate else '.'}" if node.ordered else bullet
        body = render_blocks(item.children, in_list=True)
        if not body:
            items.append(marker)
            continue
        pad = " " * (len(marker) + 1)
        lines = body.split("\n")
        first = marker + " " + lines[0]
        if _THEMATIC.fullmatch(first):
            # Nested empty lists (``- - -``) would read as a rule: start the item on its next line.
            first, lines = marker, ["", *lines]
        items.append("\n".join([first] + [pad + line if line else "" for line in lines[1:]]))
    return ("\n" if tight else "\n\n").join(items)


def _lone_image(p: Paragraph) -> bool:
    return len(p.children) == 1 and isinstance(p.children[0], Image)


def _list_item(node: ListItem, st: _State) -> str:
    return _list(List((node,)), st)


def _thematic_break(node: ThematicBreak, st: _State) -> str:
    # ``- ---`` is itself a thematic break line, so inside lists use underscores.
    return "___" if st.in_list else "---"


def _credit(node: Credit, st: _State) -> str:
    body = render_inlines(node.children)
    return f"{CREDIT_OPEN}\n\n{body}\n\n{CREDIT_CLOSE}" if body else f"{CREDIT_OPEN}\n\n{CREDIT_CLOSE}"


HANDLERS: dict[type, Callable[[Any, _State], str]] = {
    Text: _text,
    Emph: _emph,
    Strong: _strong,
    Link: _link,
    LineBreak: _line_break,
    Image: _image,
    Heading: _heading,
    Paragraph: _paragraph,
    Figure: _figure,
    BlockQuote: _block_quote,
    List: _list,
    ListItem: _list_item,
    ThematicBreak: _thematic_break,
    Credit: _credit,
}


def render_blocks(blocks: Sequence[Block], in_list: bool = False) -> str:
    """Blocks separated by blank lines; two lists in a row alternate markers so they stay apart."""
    parts: list[str] = []
    previous: Block | None = None
    alternate = False
    for block in blocks:
        st = _State(in_list=in_list)
        if isinstance(block, List):
            same = isinstance(previous, List) and previous.ordered == block.ordered
            alternate = same and not alternate
            parts.append(_list(block, st, alternate))
        else:
            parts.append(HANDLERS[type(block)](block, st))
        previous = block
    return "\n\n".join(parts)


def front_matter(doc: Document) -> str:
    """The metadata as a YAML front matter block."""
    data = meta_to_json(doc.meta)
    dumped = yaml.safe_dump(data, allow_unicode=True, sort_keys=False, default_flow_style=False, width=2**16)
    return "---\n" + dumped + "---\n"


def write_markdown(tree: Document | Book, ctx: Context) -> str:
    """The document as CommonMark with YAML front matter."""
    if isinstance(tree, Book):
        raise UsageError("the Markdown writer takes one article; write a book as EPUB or PDF", code="no-book-writer")
    body = render_blocks(tree.blocks)
    return front_matter(tree) + ("\n" + body + "\n" if body else "")

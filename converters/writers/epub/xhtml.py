"""The XHTML body of an EPUB chapter: one handler per tree node, dispatched through ``HANDLERS``.

Handlers append lxml elements to a parent in the XHTML namespace. Text goes through
:func:`clean_text` because scraped pages carry control characters that XML 1.0 forbids.
Images are embedded through :func:`converters.resources.load_image` (via ``Renderer.image_href``);
an image that cannot be loaded leaves its caption (figures) or its alt text (inline images).
"""

from __future__ import annotations

import re
import urllib.parse
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from lxml import etree

from converters.resources import split_url
from converters.tree import (
    BlockQuote,
    Credit,
    Document,
    Emph,
    Figure,
    Heading,
    Image,
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

XHTML_NS = "http://www.w3.org/1999/xhtml"
EPUB_NS = "http://www.idpf.org/2007/ops"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
NSMAP: dict[str | None, str] = {None: XHTML_NS, "epub": EPUB_NS}

# Characters XML 1.0 cannot carry (C0 controls but tab/newline/CR, lone surrogates, U+FFFE/FFFF).
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
# Links a reader can follow; anything else (relative paths into the scraped site, javascript:)
# would be a broken or unsafe reference inside the book, so it is kept as plain text.
_LINK_SCHEMES = ("http", "https", "mailto")
_URL_SAFE = ":/?#[]@!$&'()*+,;=%~"


def clean_text(text: str) -> str:
    """``text`` without the characters XML 1.0 forbids."""
    return _NOT_XML.sub("", text)


def el(tag: str, parent: Any | None = None, text: str | None = None, **attrs: str) -> Any:
    """An XHTML element (``class_`` for ``class``), appended to ``parent`` when given."""
    qname = f"{{{XHTML_NS}}}{tag}"
    attrib = {k.rstrip("_"): v for k, v in attrs.items()}
    node = etree.Element(qname, attrib, nsmap=NSMAP) if parent is None else etree.SubElement(parent, qname, attrib)
    if text:
        node.text = clean_text(text)
    return node


def add_text(parent: Any, text: str) -> None:
    """Append ``text`` after the last child of ``parent`` (or as its text when it has none)."""
    text = clean_text(text)
    if not text:
        return
    if len(parent):
        last = parent[-1]
        last.tail = (last.tail or "") + text
    else:
        parent.text = (parent.text or "") + text


def safe_href(url: str) -> str | None:
    """``url`` percent-encoded where needed, or ``None`` when a reader should not follow it."""
    url = clean_text(url).strip()
    parts = split_url(url) if url else None
    if parts is None or parts.scheme.lower() not in _LINK_SCHEMES:
        return None
    return urllib.parse.quote(url, safe=_URL_SAFE)


@dataclass
class NavHeading:
    """A heading as the navigation sees it: its level in the chapter, its anchor and its text."""

    level: int
    anchor: str
    text: str


@dataclass
class Renderer:
    """Per-chapter rendering state.

    ``image_href`` maps an image ``src`` to the chapter-relative href of the embedded file (or
    ``None`` when it cannot be embedded); the package module supplies it.
    """

    image_href: Callable[[str], str | None]
    heading_shift: int = 1
    figures: int = 0
    in_link: bool = False
    headings: list[NavHeading] = field(default_factory=list)

    def inlines(self, parent: Any, nodes: tuple[Any, ...]) -> None:
        """Render inline ``nodes`` into ``parent``."""
        for node in nodes:
            HANDLERS[type(node)](node, self, parent)

    def blocks(self, parent: Any, nodes: tuple[Any, ...]) -> None:
        """Render block ``nodes`` into ``parent``."""
        for node in nodes:
            HANDLERS[type(node)](node, self, parent)


# --------------------------------------------------------------------------- inlines


def _text(node: Text, r: Renderer, parent: Any) -> None:
    add_text(parent, node.text)


def _emph(node: Emph, r: Renderer, parent: Any) -> None:
    r.inlines(el("em", parent), node.children)


def _strong(node: Strong, r: Renderer, parent: Any) -> None:
    r.inlines(el("strong", parent), node.children)


def _link(node: Link, r: Renderer, parent: Any) -> None:
    href = safe_href(node.url)
    if href is None or r.in_link:  # HTML forbids a link inside a link: the outer one wins
        r.inlines(el("span", parent), node.children)
        return
    attrs = {"href": href}
    if node.title:
        attrs["title"] = clean_text(node.title)
    r.in_link = True
    try:
        r.inlines(el("a", parent, **attrs), node.children)
    finally:
        r.in_link = False


def _line_break(node: LineBreak, r: Renderer, parent: Any) -> None:
    el("br", parent)


def _image(node: Image, r: Renderer, parent: Any) -> None:
    href = r.image_href(node.src)
    if href is None:
        add_text(parent, node.alt)  # the words stand in for a picture the reader cannot see
        return
    attrs = {"src": href, "alt": clean_text(node.alt), "class_": "inline"}
    if node.title:
        attrs["title"] = clean_text(node.title)
    el("img", parent, **attrs)


# --------------------------------------------------------------------------- blocks


def _heading(node: Heading, r: Renderer, parent: Any) -> None:
    level = min(max(node.level + r.heading_shift, 2), 6)  # h1 is the article title
    anchor = f"sec{len(r.headings) + 1}"
    h = el(f"h{level}", parent, id=anchor)
    r.inlines(h, node.children)
    r.headings.append(NavHeading(level, anchor, " ".join(clean_text(plain_text(node)).split())))


def _paragraph(node: Paragraph, r: Renderer, parent: Any) -> None:
    r.inlines(el("p", parent), node.children)


def _figure(node: Figure, r: Renderer, parent: Any) -> None:
    # Ids count figures in order: a source's own numbers may repeat, ids must not.
    r.figures += 1
    fig = el("figure", parent, id=f"fig{r.figures}")
    if node.image is not None:
        href = r.image_href(node.image.src)
        if href is not None:
            alt = node.image.alt or plain_text(node.caption)
            el("img", fig, src=href, alt=clean_text(alt))
    if not len(fig):
        fig.set("class", "no-image")  # the caption stands alone: the page's photo is not available
    cap = el("figcaption", fig)
    if node.number is not None:
        el("span", cap, f"图 {node.number}", class_="figure-label")
        if node.caption:
            add_text(cap, " ")
    r.inlines(cap, node.caption)


def _block_quote(node: BlockQuote, r: Renderer, parent: Any) -> None:
    r.blocks(el("blockquote", parent), node.children)


def _list(node: List, r: Renderer, parent: Any) -> None:
    attrs = {"start": str(node.start)} if node.ordered and node.start != 1 else {}
    lst = el("ol" if node.ordered else "ul", parent, **attrs)
    for item in node.children:
        HANDLERS[ListItem](item, r, lst)


def _list_item(node: ListItem, r: Renderer, parent: Any) -> None:
    r.blocks(el("li", parent), node.children)


def _thematic_break(node: ThematicBreak, r: Renderer, parent: Any) -> None:
    el("hr", parent)


def _credit(node: Credit, r: Renderer, parent: Any) -> None:
    r.inlines(el("p", parent, class_="credit"), node.children)


HANDLERS: dict[type, Callable[[Any, Renderer, Any], None]] = {
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

# --------------------------------------------------------------------------- documents


def meta_line(meta: Meta) -> list[tuple[str, str]]:
    """The 日期 · 来源 · 作者 · 责任编辑 items present in ``meta``, as (class, text) pairs."""
    items: list[tuple[str, str]] = []
    if meta.date:
        items.append(("date", meta.date))
    for cls, label, value in (
        ("source", "来源", meta.source),
        ("author", "作者", meta.author),
        ("editor", "责任编辑", meta.editor),
    ):
        if value:
            items.append((cls, f"{label}：{value}"))
    return items


def new_page(title: str, lang: str, stylesheets: list[str], epub_type: str = "") -> tuple[Any, Any]:
    """An empty XHTML page: the root ``html`` and its ``body``."""
    html = el("html", lang=lang)
    html.set(XML_LANG, lang)
    head = el("head", html)
    el("meta", head, charset="utf-8")
    el("title", head, title)
    for href in stylesheets:
        el("link", head, rel="stylesheet", type="text/css", href=href)
    body = el("body", html)
    if epub_type:
        body.set(f"{{{EPUB_NS}}}type", epub_type)
    return html, body


def title_block(parent: Any, meta: Meta, title: str) -> None:
    """The article's header: title, subtitle and the metadata line."""
    header = el("header", parent, class_="title-block")
    el("h1", header, title, id="title")
    if meta.subtitle:
        el("p", header, meta.subtitle, class_="subtitle")
    items = meta_line(meta)
    if items:
        line = el("p", header, class_="meta")
        for i, (cls, text) in enumerate(items):
            if i:
                add_text(line, " · ")
            if cls == "date":
                el("time", line, text, class_=cls, datetime=clean_text(text)[:10])
            else:
                el("span", line, text, class_=cls)


def chapter_page(
    doc: Document, title: str, stylesheets: list[str], image_href: Callable[[str], str | None]
) -> tuple[Any, list[NavHeading]]:
    """One article as a chapter page; returns the page and its headings for the navigation."""
    lang = doc.meta.language or "zh-CN"
    html, body = new_page(title, lang, stylesheets, "bodymatter")
    section = el("section", body, role="doc-chapter", **{"aria-labelledby": "title"})
    section.set(f"{{{EPUB_NS}}}type", "chapter")
    title_block(section, doc.meta, title)
    # A source that uses level-1 headings inside the body would clash with the title's h1.
    shift = 1 if any(isinstance(b, Heading) and b.level == 1 for b in doc.blocks) else 0
    r = Renderer(image_href=image_href, heading_shift=shift)
    r.blocks(section, doc.blocks)
    return html, r.headings


def serialize(root: Any) -> bytes:
    """An XHTML page as UTF-8 bytes with the XML declaration and the HTML doctype."""
    data: bytes = etree.tostring(
        root, encoding="utf-8", xml_declaration=True, pretty_print=True, doctype="<!DOCTYPE html>"
    )
    return data

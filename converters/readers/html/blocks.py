"""The chosen article element as document-tree blocks, keeping the page's structure.

Headings, paragraphs, lists, block quotes and figures become their tree nodes; ``<b>``/``<strong>``
and ``<i>``/``<em>`` become Strong/Emph, safe links become Link. A paragraph made only of bold
text is the subhead Chinese CMSs write as ``<p><strong>…</strong></p>``. Figures take their
caption from ``<figcaption>``, from the short centred paragraph right after the image, or from
the image's alt text. ``<br>`` ends a paragraph: CMS bodies often separate paragraphs with it.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from lxml import etree

from converters.readers.html.content import BLOCK_TAGS, link_density
from converters.readers.html.dom import safe_url, text_of
from converters.tree import (
    Block,
    BlockQuote,
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
)

_WS = re.compile(r"[ \t\r\n\f\v\xa0\u200b\ufeff]+")
_CENTRED = re.compile(r"text-align\s*:\s*center", re.IGNORECASE)
_CAPTION_CLASS = re.compile(r"caption|pic|img|photo|\btu\b|desc|note|center", re.IGNORECASE)
_ICON_SRC = re.compile(
    r"icon|logo|share|qrcode|qr_code|erweima|button|btn|spacer|blank\.gif|pixel|loading|avatar|emoji|arrow",
    re.IGNORECASE,
)
_CAPTION_TEXT = re.compile(
    r"(?:摄|摄影|供图|图片来源\s*[:：].{0,30}|资料图片?|视觉中国|新华社发.{0,20})\s*[)）]?\s*$|"
    r"^\s*(?:图为|图\s*[:：]|图注|图片\s*[:：]|上图|下图|左图|右图)"
)
_LAZY_ATTRS = ("data-src", "data-original", "data-lazy-src", "data-url", "data-actualsrc", "original", "file")
_IMAGE_URL = re.compile(r"^(?:https?:)?//|\.(?:jpe?g|png|gif|webp)(?:[?#]|$)", re.IGNORECASE)
#: ``data:`` URIs shorter than this are 1x1 placeholders of lazy-loading scripts.
_PLACEHOLDER_CHARS = 2048
#: Longest text we accept as a caption (captions are one or two sentences).
MAX_CAPTION_CHARS = 150
MAX_CENTRED_CAPTION_CHARS = 60
MAX_SUBHEAD_CHARS = 40


@dataclass
class Flow:
    """Blocks built so far and the inlines of the paragraph being gathered."""

    blocks: list[Block] = field(default_factory=list)
    inlines: list[Inline] = field(default_factory=list)
    centred: bool = False

    def flush(self) -> None:
        inlines = normalise_inlines(self.inlines)
        self.inlines = []
        if not inlines:
            return
        if all(isinstance(i, Image) for i in inlines):
            return
        para = Paragraph(tuple(inlines))
        # A short line right after a figure without caption is its caption when it is centred or
        # reads like one (``图为…``, ``…摄``, ``…供图``).
        prev = self.blocks[-1] if self.blocks else None
        text = inline_text(inlines)
        # Whole articles are sometimes centred, so centring alone only makes a short line a caption.
        short_centred = self.centred and len(text) <= MAX_CENTRED_CAPTION_CHARS
        looks_like_caption = short_centred or bool(_CAPTION_TEXT.search(text))
        if looks_like_caption and isinstance(prev, Figure) and not prev.caption and len(text) <= MAX_CAPTION_CHARS:
            self.blocks[-1] = Figure(prev.image, tuple(inlines))
            return
        if _is_subhead(inlines):
            self.blocks.append(Heading(2, tuple(_unwrap_strong(inlines))))
            return
        self.blocks.append(para)


def inline_text(inlines: list[Inline] | tuple[Inline, ...]) -> str:
    """Plain text of inlines (images excluded)."""
    out: list[str] = []
    for i in inlines:
        if isinstance(i, Text):
            out.append(i.text)
        elif isinstance(i, (Emph, Strong, Link)):
            out.append(inline_text(i.children))
    return "".join(out)


def _is_subhead(inlines: list[Inline]) -> bool:
    meaningful = [i for i in inlines if not (isinstance(i, Text) and not i.text.strip())]
    # One bold run, or several separated only by spaces (a two-part subhead).
    if not meaningful or not all(isinstance(i, Strong) for i in meaningful):
        return False
    text = inline_text(meaningful).strip()
    return 0 < len(text) <= MAX_SUBHEAD_CHARS and not text.endswith(("。", "；", "，", ";", ",", "：", ":"))


def _unwrap_strong(inlines: list[Inline]) -> list[Inline]:
    out: list[Inline] = []
    for i in inlines:
        out.extend(i.children if isinstance(i, Strong) else [i])
    return normalise_inlines(out)


def normalise_inlines(inlines: list[Inline] | tuple[Inline, ...]) -> list[Inline]:
    """Merge adjacent texts, collapse whitespace, trim the ends, drop empty wrappers."""
    merged: list[Inline] = []
    for i in inlines:
        if isinstance(i, Text):
            text = _WS.sub(" ", i.text)
            if merged and isinstance(merged[-1], Text):
                merged[-1] = Text(merged[-1].text + text)
            elif text:
                merged.append(Text(text))
        elif isinstance(i, (Emph, Strong)):
            children = normalise_inlines(i.children)
            if children and inline_text(children).strip():
                merged.append(type(i)(tuple(children)))
            elif children:
                merged.extend(children)
        elif isinstance(i, Link):
            children = normalise_inlines(i.children)
            if children:
                merged.append(Link(tuple(children), i.url, i.title))
        else:
            merged.append(i)
    while merged and isinstance(merged[0], (Text, LineBreak)) and not _strip_text(merged[0]):
        merged.pop(0)
    while merged and isinstance(merged[-1], (Text, LineBreak)) and not _strip_text(merged[-1]):
        merged.pop()
    if merged and isinstance(merged[0], Text):
        merged[0] = Text(merged[0].text.lstrip())
    if merged and isinstance(merged[-1], Text):
        merged[-1] = Text(merged[-1].text.rstrip())
    return [i for i in merged if not (isinstance(i, Text) and not i.text)]


def _strip_text(i: Inline) -> str:
    return i.text.strip() if isinstance(i, Text) else ""


def _is_centred(el: etree._Element) -> bool:
    return (
        (el.get("align") or "").lower() == "center"
        or bool(_CENTRED.search(el.get("style") or ""))
        or el.tag.lower() == "center"
        or bool(_CAPTION_CLASS.search(el.get("class") or ""))
    )


class Builder:
    """Turns an element into blocks; ``resolve_image`` maps an ``<img>`` src to the tree's src."""

    def __init__(self, resolve_image: Callable[[str], str | None]) -> None:
        self.resolve_image = resolve_image

    # ------------------------------------------------------------------ images

    def image(self, el: etree._Element) -> Image | Figure | None:
        """The ``<img>`` as an Image; a refused one as a caption-only Figure; icons and unsafe ones as None."""
        src = _image_source(el)
        src = safe_url(src, image=True)
        if not src or _ICON_SRC.search(src.rsplit("/", 1)[-1]) or _is_tiny(el):
            return None
        alt = _clean_alt(el.get("alt"))
        resolved = self.resolve_image(src)
        if resolved is None:  # refused (outside the page's folder): the caption survives
            return Figure(None, (Text(alt),)) if alt else None
        return Image(resolved, alt, (el.get("title") or "").strip())

    # ------------------------------------------------------------------ inlines

    def inlines(self, el: etree._Element, flow: Flow) -> None:
        """Append ``el``'s children (not ``el`` itself) to ``flow`` as inlines and blocks."""
        if el.text:
            flow.inlines.append(Text(el.text))
        for child in el:
            self.node(child, flow)
            if child.tail:
                flow.inlines.append(Text(child.tail))

    def collect(self, el: etree._Element) -> list[Inline]:
        """Inline content of an inline element (blocks inside it are flattened into text)."""
        sub = Flow()
        self.inlines(el, sub)
        out = list(sub.inlines)
        for block in sub.blocks:
            if isinstance(block, Paragraph):
                out = [*out, *block.children]
        return out

    def node(self, el: etree._Element, flow: Flow) -> None:
        if not isinstance(el.tag, str):
            return
        tag = el.tag.lower()
        if tag == "br":
            flow.flush()
            return
        if tag == "img":
            image = self.image(el)
            if image is not None:
                flow.flush()
                flow.blocks.append(image if isinstance(image, Figure) else Figure(image, ()))
            return
        if tag in BLOCK_TAGS:
            flow.flush()
            self.block(el, flow)
            flow.flush()
            return
        if _holds_blocks(el):
            # An inline wrapper around images or paragraphs (<a href=big.jpg><img></a>, <span><p>…):
            # keep what is inside, as blocks, rather than flattening it into a run of text.
            self.inlines(el, flow)
        elif tag in ("b", "strong"):
            flow.inlines.append(Strong(tuple(self.collect(el))))
        elif tag in ("i", "em", "cite", "dfn"):
            flow.inlines.append(Emph(tuple(self.collect(el))))
        elif tag == "a":
            url = safe_url(el.get("href"))
            children = self.collect(el)
            if url and not url.startswith("#") and inline_text(children).strip():
                flow.inlines.append(Link(tuple(children), url, (el.get("title") or "").strip()))
            else:
                flow.inlines.extend(children)
        else:
            self.inlines(el, flow)

    # ------------------------------------------------------------------ blocks

    def block(self, el: etree._Element, flow: Flow) -> None:
        tag = el.tag.lower()
        if tag in ("h1", "h2", "h3", "h4", "h5", "h6"):
            inlines = normalise_inlines(_flatten_strong(self.collect(el)))
            if inlines:
                flow.blocks.append(Heading(int(tag[1]), tuple(inlines)))
            return
        if tag in ("ul", "ol"):
            self.list_(el, flow, ordered=tag == "ol")
            return
        if tag == "blockquote":
            inner = self.blocks(el)
            if inner:
                flow.blocks.append(BlockQuote(tuple(inner)))
            return
        if tag == "figure":
            self.figure(el, flow)
            return
        if tag == "hr":
            return
        centred = _is_centred(el)
        outer = flow.centred
        flow.centred = centred or outer
        self.inlines(el, flow)
        flow.flush()
        flow.centred = outer

    def blocks(self, el: etree._Element) -> list[Block]:
        """Blocks of ``el``'s content."""
        flow = Flow(centred=_is_centred(el))
        self.inlines(el, flow)
        flow.flush()
        return flow.blocks

    def list_(self, el: etree._Element, flow: Flow, ordered: bool) -> None:
        if link_density(el) > 0.6 and len(text_of(el)) > 0:
            return  # a list of links inside the body is a "related" list, not article content
        items: list[ListItem] = []
        for li in el:
            if not isinstance(li.tag, str):
                continue
            inner = self.blocks(li)
            if inner:
                items.append(ListItem(tuple(inner)))
        if items:
            start = el.get("start") or "1"
            flow.blocks.append(List(tuple(items), ordered, int(start) if start.isdigit() else 1))

    def figure(self, el: etree._Element, flow: Flow) -> None:
        caption_el = next(iter(el.iter("figcaption")), None)
        caption: list[Inline] = []
        if caption_el is not None:
            caption = normalise_inlines(self.collect(caption_el))
            caption_el.getparent().remove(caption_el)
        images = [im for im in (self.image(i) for i in el.iter("img")) if isinstance(im, Image)]
        if not images and not caption:
            return
        if not caption and images and images[0].alt:
            caption = [Text(images[0].alt)]
        flow.blocks.append(Figure(images[0] if images else None, tuple(caption)))
        for extra in images[1:]:
            flow.blocks.append(Figure(extra, ()))


def _image_source(el: etree._Element) -> str | None:
    """The image's real address: lazy-loading attributes first, small ``data:`` placeholders skipped."""
    candidates = [el.get(attr) for attr in _LAZY_ATTRS]
    # Any other data-* attribute holding an image address (data-lazyload, data-echo, ...).
    candidates += [v for k, v in el.attrib.items() if k.startswith("data-") and _IMAGE_URL.search(v or "")]
    candidates.append(el.get("src"))
    fallback = None
    for value in candidates:
        value = (value or "").strip()
        if not value:
            continue
        if value.lower().startswith("data:"):
            if len(value) > _PLACEHOLDER_CHARS and fallback is None:
                fallback = value  # a real inline image, used only when there is nothing better
            continue
        return value
    return fallback


def _holds_blocks(el: etree._Element) -> bool:
    return any(
        isinstance(d.tag, str) and (d.tag.lower() in BLOCK_TAGS or d.tag.lower() == "img") for d in el.iterdescendants()
    )


def _flatten_strong(inlines: list[Inline]) -> list[Inline]:
    out: list[Inline] = []
    for i in inlines:
        out.extend(_flatten_strong(list(i.children)) if isinstance(i, Strong) else [i])
    return out


def _is_tiny(el: etree._Element) -> bool:
    for attr in ("width", "height"):
        value = (el.get(attr) or "").strip().rstrip("px")
        if value.isdigit() and int(value) < 40:
            return True
    return False


def _clean_alt(alt: str | None) -> str:
    text = _WS.sub(" ", alt or "").strip()
    if not text or re.fullmatch(r"[\w\-.]+\.(jpe?g|png|gif|webp|bmp)|图片|image|img|photo|\d+", text, re.IGNORECASE):
        return ""
    return text

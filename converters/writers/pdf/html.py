"""Document tree -> HTML for WeasyPrint: one handler per node type, the styles live in templates/pdf/.

Images are embedded as ``data:`` URIs made from the bytes :func:`converters.resources.load_image`
accepted, so WeasyPrint never reads a file or the network on its own. A figure whose image is
missing keeps its numbered caption (see :func:`figure`).
"""

from __future__ import annotations

import base64
import html
import itertools
import math
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from converters.cleaners.figures import number_figures
from converters.context import Context
from converters.resources import load_image, split_url
from converters.tree import (
    BlockQuote,
    Book,
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
from converters.writers.pdf import cjk

LINK_SCHEMES = frozenset({"http", "https", "mailto", "ftp"})
LABEL_SPACE = "\u00a0"  # 图 1: a space that never breaks the label apart


@dataclass
class Renderer:
    """What the handlers share: the context, the measure and the figure height limit (pt)."""

    ctx: Context
    text_width: float
    max_figure_height: float
    body_size: float

    def text(self, value: str, *, ends_paragraph: bool = False) -> str:
        """Escaped text prepared for CJK layout, with the optional spacing features."""
        opts = self.ctx.options
        return cjk.to_html(
            value,
            cjk_latin_space=opts.cjk_latin_space,
            punctuation_compression=opts.punctuation_compression,
            ends_paragraph=ends_paragraph,
        )

    def inlines(self, nodes: tuple[Any, ...], *, paragraph: bool = False) -> str:
        """Render a sequence of inline nodes (a ``paragraph``'s: its last line keeps two characters).

        An inline image is an object to the line breaker, so the word joiners of
        :mod:`~converters.writers.pdf.cjk` cannot reach it: an opening mark before an image and
        a closing mark after one are kept on its line by a no-wrap span instead.
        """
        out: list[str] = []
        pending = ""  # an opening mark taken off a text to sit with the image after it
        for i, node in enumerate(nodes):
            before = nodes[i - 1] if i else None
            after = nodes[i + 1] if i + 1 < len(nodes) else None
            if isinstance(node, Text):
                text = node.text
                # ("" is in every string: a text may be empty, or emptied by the first step.)
                if isinstance(before, Image) and text and text[0] in cjk.NO_LINE_START:
                    text = text[1:]  # already set inside the image's span
                if isinstance(after, Image) and text and text[-1] in cjk.NO_LINE_END:
                    text, pending = text[:-1], text[-1]
                out.append(self.text(text, ends_paragraph=paragraph and after is None) if text else "")
            elif isinstance(node, Image):
                closing = ""
                if isinstance(after, Text) and after.text and after.text[0] in cjk.NO_LINE_START:
                    closing = after.text[0]
                glued = f"{self.text(pending) if pending else ''}{render(node, self)}"
                glued += self.text(closing) if closing else ""
                out.append(f'<span class="nobr">{glued}</span>' if pending or closing else glued)
                pending = ""
            else:
                out.append(render(node, self))
        return "".join(out)

    def blocks(self, nodes: tuple[Any, ...]) -> str:
        """Render a sequence of block nodes."""
        return "".join(render(node, self) for node in nodes)


def render(node: object, r: Renderer) -> str:
    """Dispatch on the node's class."""
    handler = HANDLERS.get(type(node))
    if handler is None:
        raise TypeError(f"the PDF writer cannot render {type(node).__name__}")
    return handler(node, r)


def attr(value: str) -> str:
    """An escaped attribute value."""
    return html.escape(value, quote=True)


# --------------------------------------------------------------------------- inlines


def text(node: Text, r: Renderer) -> str:
    return r.text(node.text)


def emph(node: Emph, r: Renderer) -> str:
    # Chinese house style sets emphasis in the Hei face, not in a faked italic.
    return f"<em>{r.inlines(node.children)}</em>"


def strong(node: Strong, r: Renderer) -> str:
    return f"<strong>{r.inlines(node.children)}</strong>"


def link(node: Link, r: Renderer) -> str:
    # Only links that lead somewhere from a PDF: a relative or fragment link would point into
    # the machine that made the file (or to an anchor that does not exist): keep its text.
    parts = split_url(node.url)
    if parts is None or parts.scheme.lower() not in LINK_SCHEMES:
        return r.inlines(node.children)
    title = f' title="{attr(node.title)}"' if node.title else ""
    return f'<a href="{attr(node.url)}"{title}>{r.inlines(node.children)}</a>'


def line_break(node: LineBreak, r: Renderer) -> str:
    return "<br>"


def data_uri(src: str, r: Renderer) -> tuple[str, int, int] | None:
    """The image as a ``data:`` URI with its pixel size, or ``None`` (a warning is recorded)."""
    loaded = load_image(src, r.ctx)
    if loaded is None:
        return None
    return f"data:{loaded.mime};base64,{base64.b64encode(loaded.data).decode()}", loaded.width, loaded.height


def image(node: Image, r: Renderer) -> str:
    loaded = data_uri(node.src, r)
    if loaded is None:
        return f'<span class="image-missing">{r.text(node.alt)}</span>' if node.alt else ""
    uri, _, _ = loaded
    return f'<img class="inline" src="{uri}" alt="{attr(node.alt)}">'


# --------------------------------------------------------------------------- blocks


def heading(node: Heading, r: Renderer) -> str:
    # The article title is the <h1>; section headings start at <h2> (bookmark level 2).
    level = min(node.level + 1, 6)
    label = attr(" ".join(plain_text(node).split()))
    return f'<h{level} class="section" data-label="{label}">{r.inlines(node.children)}</h{level}>'


def paragraph(node: Paragraph, r: Renderer) -> str:
    return f"<p>{r.inlines(node.children, paragraph=True)}</p>"


def _figure_size(width_px: int, height_px: int, r: Renderer) -> tuple[float, float]:
    """The figure at the full measure, or shorter when that would exceed the height limit (pt)."""
    width = r.text_width
    height = width * height_px / max(width_px, 1)
    if height > r.max_figure_height:
        height = r.max_figure_height
        width = height * width_px / max(height_px, 1)
    return width, height


def figure(node: Figure, r: Renderer) -> str:
    """A figure with its numbered caption underneath.

    A caption whose photo is unavailable is still set as a caption (same face, same numbering),
    above a hairline and followed by （图略） "figure omitted", the convention Chinese papers use
    when a reprint drops a picture: the numbering stays continuous and the reader knows why.
    """
    label = f'<span class="label">图{LABEL_SPACE}{node.number}</span>' if node.number is not None else ""
    caption = r.inlines(node.caption)
    sep = "\u3000" if label and caption else ""
    loaded = data_uri(node.image.src, r) if node.image is not None else None
    if loaded is None:
        note = '<span class="omitted">（图略）</span>'
        return f'<figure class="figure no-image"><figcaption>{label}{sep}{caption}{note}</figcaption></figure>'
    uri, w, h = loaded
    width, height = _figure_size(w, h, r)
    alt = attr(node.image.alt) if node.image is not None else ""
    return (
        f'<figure class="figure"><img src="{uri}" alt="{alt}" '
        f'style="width: {width:.2f}pt; height: {height:.2f}pt">'
        f"<figcaption>{label}{sep}{caption}</figcaption></figure>"
    )


def block_quote(node: BlockQuote, r: Renderer) -> str:
    return f"<blockquote>{r.blocks(node.children)}</blockquote>"


def list_(node: List, r: Renderer) -> str:
    items = "".join(render(item, r) for item in node.children)
    if node.ordered:
        start = f' start="{node.start}"' if node.start != 1 else ""
        return f"<ol{start}>{items}</ol>"
    return f"<ul>{items}</ul>"


def list_item(node: ListItem, r: Renderer) -> str:
    return f"<li>{r.blocks(node.children)}</li>"


def thematic_break(node: ThematicBreak, r: Renderer) -> str:
    return '<hr class="break">'


def credit(node: Credit, r: Renderer) -> str:
    return f'<p class="credit">{r.inlines(node.children)}</p>'


HANDLERS: dict[type, Callable[[Any, Renderer], str]] = {
    Text: text,
    Emph: emph,
    Strong: strong,
    Link: link,
    LineBreak: line_break,
    Image: image,
    Heading: heading,
    Paragraph: paragraph,
    Figure: figure,
    BlockQuote: block_quote,
    List: list_,
    ListItem: list_item,
    ThematicBreak: thematic_break,
    Credit: credit,
}

# --------------------------------------------------------------------------- documents


def display_date(iso: str | None) -> str | None:
    """``2020-04-29`` as ``2020年4月29日`` (and the time when there is one)."""
    if not iso:
        return None
    try:
        value = datetime.fromisoformat(iso)
    except ValueError:
        return iso
    out = f"{value.year}年{value.month}月{value.day}日"
    if "T" in iso or " " in iso.strip():
        out += f" {value:%H:%M}"
    return out


TITLE_EM = 1.75  # the title's size in body ems (templates/pdf/article.css, h1.title)
_TITLE_BREAKS = "：，、；！？ \u3000"


def _width_em(text: str) -> float:
    """Rough width in ems: CJK characters one em, others about half."""
    return sum(1.0 if cjk.HAN_RE.match(ch) or ch in "“”" else 0.55 for ch in text)


def _split(title: str, capacity: float, count: int) -> list[str] | None:
    """The most even split of ``title`` into ``count`` lines at clause breaks, or ``None``."""
    cuts = [i + 1 for i, ch in enumerate(title[:-1]) if ch in _TITLE_BREAKS]
    best: tuple[float, list[str]] | None = None
    for chosen in itertools.combinations(cuts, count - 1):
        bounds = (0, *chosen, len(title))
        lines = [title[a:b].strip() for a, b in itertools.pairwise(bounds)]
        widths = [_width_em(line) for line in lines]
        if not all(lines) or max(widths) > capacity:
            continue
        if best is None or max(widths) - min(widths) < best[0]:
            best = (max(widths) - min(widths), lines)
    return best[1] if best else None


def title_lines(title: str, measure: float) -> tuple[float, list[str]]:
    """(size in body ems, lines) for a headline on a measure of ``measure`` body ems.

    Headlines break between clauses (after ：，、 or at the space separating two clauses), not
    wherever the measure runs out (which leaves 打|烊). As a desk would, we first set the title a
    little smaller to keep the same number of lines, then accept one more line; otherwise the
    title flows as it comes.
    """
    total = _width_em(title)
    if total * TITLE_EM <= measure:
        return TITLE_EM, [title]
    lines = math.ceil(total * TITLE_EM / measure)
    for size in (TITLE_EM, TITLE_EM - 0.1, TITLE_EM - 0.2):
        found = _split(title, measure / size, lines)
        if found:
            return size, found
    return TITLE_EM, _split(title, measure / TITLE_EM, lines + 1) or [title]


def title_block(meta: Meta, r: Renderer, *, tag: str = "h1") -> str:
    """Title, subtitle and one line with 日期 · 来源 · 作者 · 责任编辑 where present."""
    parts: list[str] = []
    if meta.title:
        size, lines = title_lines(meta.title, r.text_width / r.body_size)
        style = f' style="font-size: {size:.2f}em"' if size != TITLE_EM else ""
        markup = "<br>".join(r.text(line) for line in lines)
        label = attr(" ".join(meta.title.split()))
        parts.append(f'<{tag} class="title" data-label="{label}"{style}>{markup}</{tag}>')
    if meta.subtitle:
        parts.append(f'<p class="subtitle">{r.text(meta.subtitle)}</p>')
    facts = [
        display_date(meta.date),
        f"来源：{meta.source}" if meta.source else None,
        f"作者：{meta.author}" if meta.author else None,
        f"责任编辑：{meta.editor}" if meta.editor else None,
    ]
    items = [f'<span class="fact">{r.text(f)}</span>' for f in facts if f]
    if items:
        # A no-break space before the dot: a line may break after a separator, never before one.
        parts.append('<p class="byline">' + '<span class="dot">\u00a0· </span>'.join(items) + "</p>")
    return f'<header class="title-block">{"".join(parts)}</header>' if parts else ""


def article(doc: Document, r: Renderer, *, tag: str = "h1") -> str:
    """One article: the title block and the numbered body."""
    doc = number_figures(doc)
    return f'<article class="article">{title_block(doc.meta, r, tag=tag)}{r.blocks(doc.blocks)}</article>'


def head(meta: Meta, created: str | None, modified: str | None) -> str:
    """``<head>``: what WeasyPrint turns into the PDF's document information and XMP."""
    fields = [('<meta charset="utf-8">')]
    if meta.title:
        fields.append(f"<title>{html.escape(meta.title)}</title>")
    for name, value in (
        ("author", meta.author),
        ("description", meta.subtitle),
        ("keywords", ", ".join(meta.keywords) if meta.keywords else None),
        ("dcterms.created", created),
        ("dcterms.modified", modified),
        ("generator", "Pressroom"),
    ):
        if value:
            fields.append(f'<meta name="{name}" content="{attr(value)}">')
    return "<head>" + "".join(fields) + "</head>"


def to_html(tree: Document | Book, r: Renderer, created: str | None, modified: str | None) -> str:
    """The whole HTML document for one article or an anthology."""
    lang = attr(tree.meta.language or "zh-CN")
    if isinstance(tree, Book):
        cover = f'<section class="book-title">{title_block(tree.meta, r, tag="div")}</section>'
        body = cover + "".join(article(doc, r) for doc in tree.documents)
        cls = "book"
    else:
        body = article(tree, r)
        cls = "single"
    head_html = head(tree.meta, created, modified)
    return f'<!DOCTYPE html><html lang="{lang}">{head_html}<body class="{cls}">{body}</body></html>'

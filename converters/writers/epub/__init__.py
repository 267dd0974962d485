"""EPUB 3 writer: one article, or an anthology (:class:`~converters.tree.Book`) as a news periodical.

Layout inside the zip (``EPUB/``): ``cover.xhtml`` (generated: title, date, source, and the
``--cover`` image when given), ``nav.xhtml`` (contents and landmarks; in the reading order for a
book), ``ch001.xhtml``… one page per article, ``toc.ncx`` for EPUB 2 readers, ``images/``,
``styles/`` and, with ``--embed-fonts``, ``fonts/``. A book's contents are grouped by date (or by
source with ``group_by="source"``), each article's headings nested under its title.
"""

from __future__ import annotations

import dataclasses
import string
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape, quoteattr

from converters.cleaners.figures import number_figures
from converters.context import Context
from converters.errors import UsageError
from converters.templates import TEMPLATES as BUNDLED
from converters.tree import Book, Document, Meta
from converters.writers.epub import fonts
from converters.writers.epub.nav import Entry, Landmark, heading_entries, nav_page, ncx
from converters.writers.epub.package import (
    ImageStore,
    Parts,
    Resource,
    identifier,
    load_cover,
    modified_time,
    package,
    title_of,
)
from converters.writers.epub.xhtml import HANDLERS, chapter_page, clean_text, meta_line, serialize

__all__ = ["HANDLERS", "write_epub"]

TEMPLATES = BUNDLED / "epub"
NO_DATE = "日期不详"
NO_SOURCE = "来源不详"


def _template(ctx: Context, name: str) -> str:
    """A template file: from ``--template`` (a folder, or the style sheet itself), else the default."""
    chosen = ctx.options.template
    if chosen is not None:
        if chosen.is_dir() and (chosen / name).is_file():
            return (chosen / name).read_text(encoding="utf-8")
        if chosen.is_file() and chosen.suffix == Path(name).suffix:
            return chosen.read_text(encoding="utf-8")
        if not chosen.exists():
            raise UsageError(f"--template {chosen} does not exist", code="bad-template")
    return (TEMPLATES / name).read_text(encoding="utf-8")


def _cover_page(ctx: Context, meta: Meta, title: str, stylesheets: list[str], image: str | None) -> Any:
    from lxml import etree

    items = [text for cls, text in meta_line(meta) if cls in ("date", "source")]
    if not items and meta.publisher:
        items = [meta.publisher]
    subs = {
        "lang": escape(meta.language or "zh-CN"),
        "title": escape(clean_text(title)),
        "stylesheets": "\n".join(f'<link rel="stylesheet" type="text/css" href={quoteattr(s)}/>' for s in stylesheets),
        "image": f'<div class="cover-image"><img src={quoteattr(image)} alt={quoteattr(clean_text(title))}/></div>'
        if image
        else "",
        "subtitle": f'<p class="cover-subtitle">{escape(clean_text(meta.subtitle))}</p>' if meta.subtitle else "",
        "meta": "\n".join(f'<p class="cover-meta">{escape(clean_text(t))}</p>' for t in items),
    }
    text = string.Template(_template(ctx, "cover.xhtml")).safe_substitute(subs)
    try:
        return etree.fromstring(text.encode("utf-8"), etree.XMLParser(remove_blank_text=True))
    except etree.XMLSyntaxError as exc:
        raise UsageError(f"the EPUB cover template is not well-formed XHTML: {exc}", code="bad-template") from None


def _book_cover_meta(book: Book) -> Meta:
    """A book's cover shows its latest date and the sources of its articles."""
    sources: dict[str, None] = {}
    for doc in book.documents:
        if doc.meta.source:
            sources.setdefault(doc.meta.source.strip(), None)
    names = list(sources)
    source = "、".join(names[:3]) + ("等" if len(names) > 3 else "") if names else book.meta.source
    return dataclasses.replace(book.meta, source=source)


def _groups(book: Book, key: str) -> list[tuple[str, list[int]]]:
    """Article indexes grouped by date (oldest first, undated last) or by source (first seen first)."""
    groups: dict[str, list[int]] = {}
    for i, doc in enumerate(book.documents):
        if key == "source":
            label = (doc.meta.source or doc.meta.publisher or NO_SOURCE).strip()
        else:
            label = (doc.meta.date or "")[:10] or NO_DATE
        groups.setdefault(label, []).append(i)
    items = list(groups.items())
    if key != "source":
        items.sort(key=lambda g: (g[0] == NO_DATE, g[0]))
    return items


def write_epub(tree: Document | Book, ctx: Context) -> bytes:
    """Render an article or a book as EPUB 3 bytes (reproducible for a fixed SOURCE_DATE_EPOCH)."""
    if isinstance(tree, Book) and not tree.documents:
        raise UsageError("a book needs at least one article", code="empty-book")
    if isinstance(tree, Book):
        # The reading order follows the contents: articles of one group are read together.
        groups = _groups(tree, ctx.options.group_by)
        order = [i for _, members in groups for i in members]
        docs = [number_figures(tree.documents[i]) for i in order]
    else:
        groups, docs = [], [number_figures(tree)]
    meta = tree.meta
    lang = meta.language or "zh-CN"
    title = title_of(meta, tree if isinstance(tree, Document) else None)
    uid = identifier(tree)
    images = ImageStore(ctx)
    styles = [Resource("css", "styles/style.css", "text/css", _template(ctx, "style.css").encode("utf-8"))]
    for i, extra in enumerate(ctx.options.css, 1):
        try:
            styles.append(Resource(f"css{i}", f"styles/extra{i}.css", "text/css", extra.read_bytes()))
        except OSError as exc:
            raise UsageError(f"--css {extra}: {exc.strerror or exc}", code="bad-css") from None
    if ctx.options.embed_fonts or ctx.options.font_serif or ctx.options.font_sans:
        styles.insert(1, Resource("fonts-css", "styles/fonts.css", "text/css", b""))  # filled in below
    sheets = [s.href for s in styles]

    # Pages: cover, (book) contents, one chapter per article.
    cover_href = images.add(load_cover(ctx.options.cover_image, ctx)) if ctx.options.cover_image else None
    cover_meta = meta if isinstance(tree, Document) else _book_cover_meta(tree)
    cover = _cover_page(ctx, cover_meta, title, sheets, cover_href)
    pages: list[tuple[str, str, Any]] = [("cover", "cover.xhtml", cover)]
    chapters: list[tuple[str, Entry]] = []
    for i, doc in enumerate(docs, 1):
        page = f"ch{i:03d}.xhtml"
        ch_title = title_of(doc.meta, doc)
        html, headings = chapter_page(doc, ch_title, sheets, images.href)
        pages.append((f"ch{i:03d}", page, html))
        chapters.append((page, Entry(ch_title, page, heading_entries(headings, page))))

    if isinstance(tree, Book):
        entries, start = [], 0
        for label, members in groups:
            entries.append(Entry(label, None, [c[1] for c in chapters[start : start + len(members)]]))
            start += len(members)
    else:
        # One article: the contents are its headings (the chapter itself opens the book);
        # an article without headings is listed by its title.
        entries = chapters[0][1].children or [chapters[0][1]]
    landmarks = [Landmark("cover", "cover.xhtml", "封面")]
    if isinstance(tree, Book):
        landmarks.append(Landmark("toc", "nav.xhtml#toc", "目录"))
    landmarks.append(Landmark("bodymatter", chapters[0][0], "正文"))
    nav_html = nav_page(entries, landmarks, lang, sheets)

    if ctx.options.embed_fonts or ctx.options.font_serif or ctx.options.font_sans:
        _font_styles(ctx, styles, [p[2] for p in pages], nav_html)

    nav_bytes, ncx_bytes = serialize(nav_html), ncx(entries, uid, title, lang)
    parts = [(name, href, serialize(html)) for name, href, html in pages]
    if isinstance(tree, Book):
        parts.insert(1, ("nav", "nav.xhtml", nav_bytes))  # a periodical shows its contents after the cover
    return package(
        tree,
        Parts(title, uid, parts, nav_bytes, ncx_bytes, [*styles, *images.resources.values()], cover_href, landmarks),
        modified_time(meta, ctx),
    )


def _font_styles(ctx: Context, styles: list[Resource], pages: list[Any], nav_html: Any) -> None:
    """Fill in ``styles/fonts.css``; with ``--embed-fonts``, subset each face to the text it draws."""
    ns = {"x": "http://www.w3.org/1999/xhtml"}

    def chars(roots: list[Any], xpath: str) -> str:
        found: set[str] = set()
        for root in roots:
            for node in root.xpath(xpath, namespaces=ns):
                found.update("".join(node.itertext()))
        # Spaces, and the digits and bullets a reader draws for list markers, are not in the text
        # nodes but must be in the font, or they show as boxes.
        found.update(fonts.ALWAYS)
        return "".join(sorted(c for c in found if c not in "\n\r\t"))

    serif, sans = ctx.options.font_serif, ctx.options.font_sans
    embedded: list[tuple[fonts.Face, str]] = []
    if ctx.options.embed_fonts:
        chapters = pages[1:]
        regular, bold, sans_regular, sans_bold = fonts.faces(serif, sans)
        wanted = [
            (regular, chars(chapters, fonts.SERIF_XPATH)),
            (bold, chars(chapters, fonts.SERIF_BOLD_XPATH)),
            (sans_regular, chars([*pages, nav_html], fonts.SANS_XPATH)),
            (sans_bold, chars([*pages, nav_html], fonts.SANS_BOLD_XPATH)),
        ]
        for face, text in wanted:
            if not set(text) - set(fonts.ALWAYS) or not fonts.available(face):
                continue
            data = fonts.subset_face(face, text)
            extension, media_type = fonts.font_file(data)
            href = f"fonts/{face.stem}{extension}"
            styles.append(Resource(f"font-{face.stem}", href, media_type, data))
            embedded.append((face, f"../{href}"))
    css = next(s for s in styles if s.uid == "fonts-css")
    css.data = fonts.font_css(embedded, serif, sans).encode("utf-8")

"""Assembling the EPUB: pages, images, styles, fonts, metadata, and a reproducible zip.

ebooklib writes the package document (metadata, manifest, spine, guide) and the container; the
pages, the navigation and the NCX are ours (see :mod:`.xhtml`, :mod:`.nav`). Two of ebooklib's
defaults would make every build differ: a random uuid4 identifier when none is set, and
``dcterms:modified`` taken from local time and stamped ``Z``. The identifier here is derived from
the article's URL (or its content), the modification time is an aware UTC instant from
``SOURCE_DATE_EPOCH`` or the article date, and the zip is rewritten with fixed entry times.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import os
import uuid
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from converters.context import Context
from converters.errors import UsageError
from converters.resources import LoadedImage, as_png_or_jpeg, load_image
from converters.tree import Book, Document, Meta, dumps, plain_text
from converters.writers.epub.xhtml import clean_text

EPUB_MIMETYPE = b"application/epub+zip"
FALLBACK_TITLE = "无标题"
# ZIP timestamps cannot go below 1980; a SOURCE_DATE_EPOCH of 0 is common in reproducible builds.
ZIP_EPOCH = dt.datetime(1980, 1, 1, tzinfo=dt.UTC)
# EPUB 3.2 (epubcheck 4.2) does not count WebP as a core media type; GIF, PNG and JPEG are.
CORE_IMAGE_TYPES = frozenset({"image/jpeg", "image/png", "image/gif"})


def document_key(doc: Document) -> str:
    """What makes an article the same article: its URL, else a hash of its content."""
    if doc.meta.url:
        return doc.meta.url.strip()
    return "sha256:" + hashlib.sha256(dumps(doc).encode("utf-8")).hexdigest()


def identifier(tree: Document | Book) -> str:
    """A ``urn:uuid:`` stable for the same article (or the same articles in the same order)."""
    if isinstance(tree, Document):
        name = document_key(tree)
    else:
        name = "\n".join(["pressroom-book", tree.meta.title or "", *(document_key(d) for d in tree.documents)])
    return f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, name)}"


def parse_date(value: str | None) -> dt.datetime | None:
    """An ISO date or date-time as an aware UTC datetime (naive times are taken as UTC)."""
    if not value:
        return None
    try:
        when = dt.datetime.fromisoformat(value.strip())
    except ValueError:
        try:
            when = dt.datetime.fromisoformat(value.strip()[:10])
        except ValueError:
            return None
    return when.replace(tzinfo=dt.UTC) if when.tzinfo is None else when.astimezone(dt.UTC)


def source_date_epoch(ctx: Context) -> int | None:
    """``Options.source_date_epoch``, else the ``SOURCE_DATE_EPOCH`` environment variable."""
    if ctx.options.source_date_epoch is not None:
        return ctx.options.source_date_epoch
    raw = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if not raw:
        return None
    try:
        return int(raw)
    except ValueError:
        raise UsageError(f"SOURCE_DATE_EPOCH must be whole seconds since 1970, got {raw!r}") from None


def modified_time(meta: Meta, ctx: Context) -> dt.datetime:
    """``dcterms:modified``: SOURCE_DATE_EPOCH, else the article date, else now (all UTC)."""
    epoch = source_date_epoch(ctx)
    if epoch is not None:
        return dt.datetime.fromtimestamp(epoch, dt.UTC)
    return parse_date(meta.date) or dt.datetime.now(dt.UTC).replace(microsecond=0)


def w3c_date(value: str | None) -> str | None:
    """The calendar date of ``value`` (dc:date must be W3CDTF; a time without a zone is not)."""
    when = parse_date(value)
    return value.strip()[:10] if when is not None and value else None


@dataclass
class Resource:
    """A file in the book other than a page: an image, a style sheet, a font."""

    uid: str
    href: str
    media_type: str
    data: bytes
    properties: list[str] = field(default_factory=list)


class ImageStore:
    """Embeds each distinct image once, named by its content hash, under ``images/``."""

    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx
        self.by_src: dict[str, str | None] = {}
        self.resources: dict[str, Resource] = {}

    def add(self, image: LoadedImage) -> str:
        """The book href of ``image``, adding it the first time (the same picture is stored once)."""
        if image.mime not in CORE_IMAGE_TYPES:
            image = as_png_or_jpeg(image)
        digest = hashlib.sha256(image.data).hexdigest()[:16]
        href = f"images/{digest}{image.extension}"
        if href not in self.resources:
            self.resources[href] = Resource(f"img-{digest}", href, image.mime, image.data)
        return href

    def href(self, src: str) -> str | None:
        """The href for the image ``src`` (``None``, with the loader's warning, when it cannot be used)."""
        if src not in self.by_src:
            loaded = load_image(src, self.ctx)
            self.by_src[src] = self.add(loaded) if loaded is not None else None
        return self.by_src[src]


def load_cover(path: Path, ctx: Context) -> LoadedImage:
    """The user's ``--cover`` image; it was asked for explicitly, so failing to read it is an error."""
    path = path.expanduser().resolve()
    cover_ctx = Context(options=ctx.options, base_dir=path.parent, source_name=str(path))
    loaded = load_image(path.name, cover_ctx)
    if loaded is None:
        reason = cover_ctx.diagnostics[-1].message if cover_ctx.diagnostics else "unreadable"
        raise UsageError(f"--cover {path}: {reason}", code="bad-cover")
    return loaded


def creators(tree: Document | Book) -> list[str]:
    """dc:creator: the author, else the source; for a book, else every article's source."""
    meta = tree.meta
    if meta.author or meta.source:
        return [str(meta.author or meta.source)]
    if isinstance(tree, Book):
        seen: dict[str, None] = {}
        for doc in tree.documents:
            name = doc.meta.author or doc.meta.source
            if name:
                seen.setdefault(name.strip(), None)
        return list(seen)
    return []


def title_of(meta: Meta, doc: Document | None = None) -> str:
    """The title to show: the metadata's, else the first words of the text."""
    if meta.title and meta.title.strip():
        return " ".join(meta.title.split())
    if doc is not None:
        words = " ".join(plain_text(doc.blocks).split())
        if words:
            return words[:30] + ("…" if len(words) > 30 else "")
    return FALLBACK_TITLE


def set_metadata(book: Any, tree: Document | Book, title: str, uid: str) -> None:
    """dc:identifier, title, language, creator, date, publisher, source, description, subject.

    Every value goes through ``clean_text``: ebooklib drops (with only a log line) an element
    whose text XML cannot carry, so a control character from a scraped page would silently
    lose the creator or the title.
    """
    meta = tree.meta
    book.set_identifier(uid)
    book.set_title(clean_text(title))
    book.set_language(clean_text(meta.language or "zh-CN"))
    for i, name in enumerate(creators(tree)):
        book.add_author(clean_text(name), uid=f"creator{i + 1}")
    if meta.editor:
        book.add_metadata("DC", "contributor", clean_text(meta.editor), {"id": "editor"})
        book.add_metadata(None, "meta", "edt", {"refines": "#editor", "property": "role", "scheme": "marc:relators"})
    date = w3c_date(meta.date)
    if date:
        book.add_metadata("DC", "date", date)
    for name, value in (("publisher", meta.publisher), ("source", meta.url), ("description", meta.subtitle)):
        if value and clean_text(value).strip():
            book.add_metadata("DC", name, clean_text(value).strip())
    for keyword in meta.keywords:
        book.add_metadata("DC", "subject", clean_text(keyword))


def set_accessibility(book: Any, has_images: bool) -> None:
    """Accessibility metadata (EPUB Accessibility 1.1) for catalogues and reading systems.

    Headings, a contents list and numbered captions are always there; pictures, when there are
    any, carry alt text or their caption.
    """
    pairs = [("schema:accessMode", "textual")]
    if has_images:
        pairs.append(("schema:accessMode", "visual"))
    pairs += [
        ("schema:accessModeSufficient", "textual"),
        ("schema:accessibilityFeature", "structuralNavigation"),
        ("schema:accessibilityFeature", "tableOfContents"),
    ]
    if has_images:
        pairs.append(("schema:accessibilityFeature", "alternativeText"))
    pairs.append(("schema:accessibilityHazard", "none"))
    for prop, value in pairs:
        book.add_metadata(None, "meta", value, {"property": prop})


@dataclass
class Parts:
    """Everything rendered, ready to package: pages in reading order as (id, href, bytes)."""

    title: str
    uid: str
    pages: list[tuple[str, str, bytes]]
    nav: bytes
    ncx: bytes
    resources: list[Resource]
    cover_href: str | None
    landmarks: list[Any]  # nav.Landmark: kind, href, label


def package(tree: Document | Book, parts: Parts, when: dt.datetime) -> bytes:
    """The EPUB file: ebooklib writes the package document and container, then the zip is normalised."""
    from ebooklib import epub

    book = epub.EpubBook()
    set_metadata(book, tree, parts.title, parts.uid)
    set_accessibility(book, any(r.media_type.startswith("image/") for r in parts.resources))
    spine: list[Any] = []
    for uid, href, content in parts.pages:
        item = epub.EpubItem(uid=uid, file_name=href, media_type="application/xhtml+xml", content=content)
        item.properties = ["nav"] if uid == "nav" else []
        book.add_item(item)
        spine.append(item)
    if not any(uid == "nav" for uid, _, _ in parts.pages):
        nav = epub.EpubItem(uid="nav", file_name="nav.xhtml", media_type="application/xhtml+xml", content=parts.nav)
        nav.properties = ["nav"]
        book.add_item(nav)
    # The NCX gets the id "ncx": ebooklib names the spine's toc attribute after it.
    ncx = epub.EpubItem(uid="ncx", file_name="toc.ncx", media_type="application/x-dtbncx+xml", content=parts.ncx)
    book.add_item(ncx)
    for res in parts.resources:
        item = epub.EpubItem(uid=res.uid, file_name=res.href, media_type=res.media_type, content=res.data)
        item.properties = ["cover-image"] if res.href == parts.cover_href else res.properties
        book.add_item(item)
        if res.href == parts.cover_href:  # EPUB 2 readers find the cover through this meta
            book.add_metadata(None, "meta", "", {"name": "cover", "content": res.uid})
    book.spine = spine
    # The EPUB 2 guide mirrors the landmarks for old readers ("text" is its name for bodymatter).
    book.guide = [
        {"href": m.href, "title": m.label, "type": "text" if m.kind == "bodymatter" else m.kind}
        for m in parts.landmarks
    ]
    out = io.BytesIO()
    writer = epub.EpubWriter(out, book, {"epub3_landmark": False, "epub3_pages": False, "mtime": when})
    writer.process()
    writer.write()
    return normalise_zip(out.getvalue(), when)


def normalise_zip(data: bytes, when: dt.datetime) -> bytes:
    """The zip rewritten reproducibly: ``mimetype`` first and stored, fixed times, modes and order."""
    stamp = max(when, ZIP_EPOCH).timetuple()[:6]
    with zipfile.ZipFile(io.BytesIO(data)) as src:
        entries = [(info.filename, src.read(info)) for info in src.infolist()]
    entries.sort(key=lambda e: (e[0] != "mimetype", e[0] != "META-INF/container.xml"))  # stable: keeps the rest
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as dst:
        for name, content in entries:
            info = zipfile.ZipInfo(name, date_time=stamp)
            info.create_system = 3  # Unix, whatever machine builds it
            info.external_attr = 0o644 << 16
            if name == "mimetype":
                info.compress_type = zipfile.ZIP_STORED
                content = EPUB_MIMETYPE
            else:
                info.compress_type = zipfile.ZIP_DEFLATED
            dst.writestr(info, content, compresslevel=9)
    return out.getvalue()

"""HTML reader: a saved news page into the document tree.

Decoding trusts the bytes before the page's declaration (:mod:`.decoding`); parsing is safe and
strips anything executable (:mod:`.dom`); the article body is found by readability-style scoring
(:mod:`.content`), built into blocks with its structure (:mod:`.blocks`), and trimmed of the
byline lines and trailing page furniture it usually carries (:mod:`.tidy`); the metadata comes
from structured data first and the byline zone second (:mod:`.meta`).
"""

from __future__ import annotations

import contextlib
import re
import urllib.parse

from converters.context import Context
from converters.decode import decode_bytes
from converters.errors import InputError
from converters.readers.html import content, meta, tidy
from converters.readers.html.blocks import Builder
from converters.readers.html.decoding import declared_charset
from converters.readers.html.dom import parse, strip_unsafe
from converters.resources import split_url
from converters.tree import Document, Meta

__all__ = ["read_html"]

#: Element count above which a page is refused. The reader makes several Python passes over the
#: tree (about 20 us an element in all, so 200 000 elements take some 4 s of CPU); a real news page
#: has a few thousand elements, and a page of millions is generated junk that would take minutes.
MAX_ELEMENTS = 200_000


def _image_resolver(ctx: Context, page_url: str | None) -> Builder:
    base = ctx.base_dir.resolve() if ctx.base_dir else None
    if page_url is not None and split_url(page_url) is None:  # http://[x: nothing to resolve against
        page_url = None

    def resolve(src: str) -> str | None:
        parts = split_url(src)
        if parts is None:  # http://[x: not an address anything could fetch
            ctx.warn("resource-malformed-url", f"image {src[:60]!r} has a malformed URL; not used")
            return None
        if src.startswith("//"):
            return "https:" + src
        scheme = parts.scheme.lower()
        if scheme in ("http", "https", "data"):
            return src
        if scheme and len(scheme) > 1:
            return None
        path = urllib.parse.unquote(parts.path)
        if base is not None and path and not path.startswith("/"):
            local = (base / path).resolve()
            # Only look inside the page's folder: a saved page's NAME_files/ lives there.
            if not local.is_relative_to(base):
                ctx.warn("resource-outside-folder", f"image {src!r} is outside the page's folder; not used")
                return None
            with contextlib.suppress(OSError):  # a name too long to stat is no saved file either
                if local.is_file():
                    return local.relative_to(base).as_posix()
        if page_url:
            return urllib.parse.urljoin(page_url, src)
        return src

    return Builder(resolve)


def read_html(data: bytes, ctx: Context) -> Document:
    """Read a saved HTML news page into a :class:`Document`."""
    text = decode_bytes(data, ctx.source_name, declared=declared_charset(data))
    root = parse(text)
    count = int(root.xpath("count(//*)"))  # counted in libxml2: no Python object an element
    if count > MAX_ELEMENTS:
        raise InputError(
            f"the page has too many elements ({count:,}; the limit is {MAX_ELEMENTS:,}); "
            "save only the article's part of the page",
            code="input-too-large",
            where=ctx.source_name,
        )
    found = meta.extract(root)
    dropped = strip_unsafe(root)
    if summary := dropped.summary():
        ctx.warn("active-content", f"dropped {summary}")
    body = root.find("body")
    if body is None:
        body = root
    title = found.get("title")
    zone = tidy.byline_zone(body, title)
    content.drop_boilerplate(body)
    content.drop_teaser_lists(body)
    builder = _image_resolver(ctx, found.get("url"))
    blocks = [block for element in content.article_elements(body) for block in builder.blocks(element)]
    blocks, from_body = tidy.tidy(blocks, title)
    zone_meta = meta.from_text(zone)
    merged = {**from_body, **zone_meta, **{k: v for k, v in found.items() if v}}
    # Last resorts for the date: the page's address (/2024-05/13/, /20240513/), then its first date.
    page_text = re.sub(r"\s+", " ", body.text_content())
    date = merged.get("date") or meta.url_date(merged.get("url")) or meta.iso_date(page_text)
    if date:
        merged["date"] = date
    # Pages without a byline credit their 责任编辑 only (as fundus and GNE read them): use that.
    author = merged.get("author") or merged.get("author_late") or merged.get("editor")
    doc_meta = Meta(
        title=title,
        date=merged.get("date"),
        source=merged.get("source") or merged.get("source_fallback"),
        author=author,
        editor=merged.get("editor"),
        publisher=merged.get("publisher") or merged.get("site_suffix") or None,
        url=merged.get("url"),
    )
    if not blocks:
        ctx.warn("html-no-article", "no article text found in the page")
    return Document(doc_meta, tuple(blocks))



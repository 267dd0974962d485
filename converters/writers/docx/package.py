"""What the DOCX writer adds to python-docx's package: properties, the article record, fixed ZIP bytes.

python-docx keeps the parts, relationships and content types. Pressroom adds the core properties
(from the article, never python-docx's defaults), the custom XML record the reader restores
metadata from, and rewrites python-docx's ZIP, whose entries carry the current time, with fixed
times and order, so the same article gives the same bytes.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from typing import Any

from docx.opc.constants import CONTENT_TYPE as CT
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.opc.part import Part
from lxml import etree

from converters.tree import Meta
from converters.writers.docx.xml import NS, clean_xml_text, serialize

#: The article record's fixed data-store id: one per Pressroom document kind, so output is reproducible.
ITEM_ID = "{6F1D2C9E-5A7B-4C3D-9E8F-0A1B2C3D4E5F}"
#: python-docx refuses longer core-property strings; the exact values live in the article record.
CORE_TEXT_LIMIT = 255


def article_datetime(date: str | None) -> dt.datetime | None:
    """The article's ISO date (``2020-04-29`` or ``…T10:30``) as a UTC+8 moment, ``None`` if unreadable."""
    if not date:
        return None
    try:
        moment = dt.datetime.fromisoformat(date)
    except ValueError:
        try:
            moment = dt.datetime.fromisoformat(date[:10])
        except ValueError:
            return None
    if moment.tzinfo is None:  # Chinese news dates are Beijing time
        moment = moment.replace(tzinfo=dt.timezone(dt.timedelta(hours=8)))
    return moment


def _clean(text: str) -> str:
    return clean_xml_text(text)[0]


def set_core_properties(core: Any, meta: Meta, created: dt.datetime | None, modified: dt.datetime | None) -> None:
    """Title, creator (author, else source), subject, keywords, language and dates on an empty core part.

    ``core`` is python-docx's ``CoreProperties``; the prepared reference's core part is empty, so
    nothing of python-docx's defaults (author "python-docx", a 2013 date) can leak in.
    """
    texts = (("title", meta.title), ("subject", meta.subtitle or meta.source),
             ("author", meta.author or meta.source), ("keywords", ", ".join(meta.keywords)),
             ("comments", meta.url), ("language", meta.language), ("last_modified_by", "Pressroom"))
    for name, value in texts:
        if value:
            setattr(core, name, _clean(value)[:CORE_TEXT_LIMIT])
    # python-docx writes the clock time with a ``Z`` as it is: hand it UTC.
    if created is not None:
        core.created = created.astimezone(dt.UTC)
    if modified is not None:
        core.modified = modified.astimezone(dt.UTC)


def app_xml() -> bytes:
    """``docProps/app.xml``: the application name only (no template, no statistics to go stale)."""
    ns = "http://schemas.openxmlformats.org/officeDocument/2006/extended-properties"
    root = etree.Element(f"{{{ns}}}Properties", nsmap={None: ns})
    etree.SubElement(root, f"{{{ns}}}Application").text = "Pressroom"
    etree.SubElement(root, f"{{{ns}}}DocSecurity").text = "0"
    return serialize(root)


def article_record_xml(meta: Meta) -> bytes:
    """``customXml/item1.xml``: every metadata field exactly, so the DOCX reader restores the tree."""
    pr = NS["pr"]
    root = etree.Element(f"{{{pr}}}article", nsmap={"pr": pr})
    for name in ("title", "subtitle", "date", "source", "author", "editor", "publisher", "url", "language"):
        value = getattr(meta, name)
        if value is not None:
            etree.SubElement(root, f"{{{pr}}}{name}").text = _clean(value)
    for keyword in meta.keywords:
        etree.SubElement(root, f"{{{pr}}}keyword").text = _clean(keyword)
    return serialize(root)


def item_props_xml() -> bytes:
    """``customXml/itemProps1.xml``: the data-store item Word needs to keep the record on saving."""
    ns = "http://schemas.openxmlformats.org/officeDocument/2006/customXml"
    root = etree.Element(f"{{{ns}}}datastoreItem", nsmap={"ds": ns})
    root.set(f"{{{ns}}}itemID", ITEM_ID)
    refs = etree.SubElement(root, f"{{{ns}}}schemaRefs")
    etree.SubElement(refs, f"{{{ns}}}schemaRef").set(f"{{{ns}}}uri", NS["pr"])
    return serialize(root)


def add_article_record(document_part: Any, meta: Meta) -> None:
    """Relate the custom XML record (and the data-store properties Word wants with it) to the document."""
    package = document_part.package
    item = Part(PackURI("/customXml/item1.xml"), CT.XML, article_record_xml(meta), package)
    props = Part(PackURI("/customXml/itemProps1.xml"), CT.OFC_CUSTOM_XML_PROPERTIES, item_props_xml(), package)
    item.relate_to(props, RT.CUSTOM_XML_PROPS)
    document_part.relate_to(item, RT.CUSTOM_XML)


def zip_time(epoch: int | None) -> tuple[int, int, int, int, int, int]:
    """ZIP entry time: ``SOURCE_DATE_EPOCH`` when given, else 1980-01-01 (ZIP's own epoch)."""
    if epoch is None:
        return (1980, 1, 1, 0, 0, 0)
    moment = dt.datetime.fromtimestamp(max(epoch, 315532800), tz=dt.UTC)
    return (moment.year, moment.month, moment.day, moment.hour, moment.minute, moment.second)


def zip_parts(parts: list[tuple[str, bytes]], epoch: int | None = None) -> bytes:
    """A ZIP of ``parts`` in the given order with fixed times and modes: same parts, same bytes."""
    buffer = io.BytesIO()
    stamp = zip_time(epoch)
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in parts:
            info = zipfile.ZipInfo(name, date_time=stamp)
            info.external_attr = 0o644 << 16
            # Images are already compressed; deflating them again costs time and saves nothing.
            info.compress_type = zipfile.ZIP_STORED if name.startswith("word/media/") else zipfile.ZIP_DEFLATED
            archive.writestr(info, data, compresslevel=6)
    return buffer.getvalue()


class _Members:
    """Collects what python-docx's package writer would put in the ZIP, as (member name, bytes)."""

    def __init__(self) -> None:
        self.members: list[tuple[str, bytes]] = []

    def write(self, pack_uri: Any, blob: bytes) -> None:
        self.members.append((pack_uri.membername, blob))


def package_bytes(package: Any, epoch: int | None) -> bytes:
    """The python-docx package as a ZIP with fixed times and a fixed order (content types first).

    Does what ``OpcPackage.save`` does, through python-docx's own ``PackageWriter`` steps, but
    collects the members instead of zipping them with the current time: one ZIP pass, not a save
    and a rewrite. python-docx is pinned below 2, whose ``PackageWriter`` has these steps.
    """
    from docx.opc.pkgwriter import PackageWriter

    writer: Any = PackageWriter  # its steps are untyped in python-docx

    parts = list(package.parts)
    for part in parts:
        part.before_marshal()
    collector: Any = _Members()  # duck-types PhysPkgWriter.write
    writer._write_content_types_stream(collector, parts)
    writer._write_pkg_rels(collector, package.rels)
    writer._write_parts(collector, parts)
    members = sorted(collector.members, key=lambda m: (m[0] != "[Content_Types].xml", m[0]))
    return zip_parts(members, epoch)


__all__ = ["add_article_record", "app_xml", "package_bytes", "set_core_properties", "zip_parts"]

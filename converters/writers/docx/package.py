"""The OPC package around the document: parts, relationships, properties, reproducible ZIP."""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass, field

from lxml import etree

from converters.tree import Meta
from converters.writers.docx.xml import CT_NS, NS, PKG_RELS, REL, XML_NS, clean_xml_text, serialize

CT_MAIN = "application/vnd.openxmlformats-officedocument.wordprocessingml"
CONTENT_TYPES = {
    "word/document.xml": f"{CT_MAIN}.document.main+xml",
    "word/styles.xml": f"{CT_MAIN}.styles+xml",
    "word/settings.xml": f"{CT_MAIN}.settings+xml",
    "word/fontTable.xml": f"{CT_MAIN}.fontTable+xml",
    "word/numbering.xml": f"{CT_MAIN}.numbering+xml",
    "word/webSettings.xml": f"{CT_MAIN}.webSettings+xml",
    "word/theme/theme1.xml": "application/vnd.openxmlformats-officedocument.theme+xml",
    "docProps/core.xml": "application/vnd.openxmlformats-package.core-properties+xml",
    "docProps/app.xml": "application/vnd.openxmlformats-officedocument.extended-properties+xml",
    "customXml/itemProps1.xml": "application/vnd.openxmlformats-officedocument.customXmlProperties+xml",
}
DEFAULT_TYPES = {"rels": "application/vnd.openxmlformats-package.relationships+xml", "xml": "application/xml",
                 "png": "image/png", "jpeg": "image/jpeg", "jpg": "image/jpeg", "gif": "image/gif",
                 "emf": "image/x-emf", "wmf": "image/x-wmf"}
#: Relationship type of each part the main document refers to.
PART_RELS = {
    "styles.xml": "styles",
    "settings.xml": "settings",
    "fontTable.xml": "fontTable",
    "numbering.xml": "numbering",
    "webSettings.xml": "webSettings",
    "theme/theme1.xml": "theme",
}
#: The article record's fixed data-store id: one per Pressroom document kind, so output is reproducible.
ITEM_ID = "{6F1D2C9E-5A7B-4C3D-9E8F-0A1B2C3D4E5F}"


@dataclass
class Relationships:
    """The main document's relationships: ``rId1``… in the order parts ask for them."""

    rels: list[tuple[str, str, str, bool]] = field(default_factory=list)  # id, type, target, external
    _by_key: dict[tuple[str, str], str] = field(default_factory=dict)

    def add(self, rel_type: str, target: str, external: bool = False) -> str:
        """The id of the relationship to ``target`` (one per distinct target)."""
        key = (rel_type, target)
        rid = self._by_key.get(key)
        if rid is None:
            rid = f"rId{len(self.rels) + 1}"
            self._by_key[key] = rid
            self.rels.append((rid, rel_type, target, external))
        return rid

    def to_xml(self) -> bytes:
        """The ``word/_rels/document.xml.rels`` part."""
        return rels_xml((rid, REL + kind, target, ext) for rid, kind, target, ext in self.rels)


def rels_xml(rels: Iterable[tuple[str, str, str, bool]]) -> bytes:
    """A relationships part from ``(id, full type, target, external)`` rows."""
    root = etree.Element(f"{{{PKG_RELS}}}Relationships", nsmap={None: PKG_RELS})
    for rid, kind, target, external in rels:
        e = etree.SubElement(root, f"{{{PKG_RELS}}}Relationship", Id=rid, Type=kind, Target=target)
        if external:
            e.set("TargetMode", "External")
    return serialize(root)


def content_types_xml(names: Iterable[str]) -> bytes:
    """``[Content_Types].xml`` for the part names present."""
    root = etree.Element(f"{{{CT_NS}}}Types", nsmap={None: CT_NS})
    for ext, default in DEFAULT_TYPES.items():
        etree.SubElement(root, f"{{{CT_NS}}}Default", Extension=ext, ContentType=default)
    for name in names:
        mime = CONTENT_TYPES.get(name)
        for kind in ("header", "footer"):
            if re.fullmatch(rf"word/{kind}\d*\.xml", name):
                mime = f"{CT_MAIN}.{kind}+xml"
        if mime:
            etree.SubElement(root, f"{{{CT_NS}}}Override", PartName="/" + name, ContentType=mime)
    return serialize(root)


def package_rels_xml(with_custom: bool = False) -> bytes:
    """``_rels/.rels``: the main document and the two property parts."""
    pkg = "http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties"
    return rels_xml([
        ("rId1", REL + "officeDocument", "word/document.xml", False),
        ("rId2", pkg, "docProps/core.xml", False),
        ("rId3", REL + "extended-properties", "docProps/app.xml", False),
    ])


def w3cdtf(moment: dt.datetime) -> str:
    """A timestamp as core properties want it (UTC, seconds, ``Z``)."""
    return moment.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


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


def core_xml(meta: Meta, created: dt.datetime | None, modified: dt.datetime | None) -> bytes:
    """``docProps/core.xml``: title, creator (author, else source), subject, keywords, language, dates."""
    root = etree.Element(f"{{{NS['cp']}}}coreProperties",
                         nsmap={k: NS[k] for k in ("cp", "dc", "dcterms", "xsi")})

    def add(tag: str, text: str | None) -> etree._Element | None:
        if not text:
            return None
        prefix, _, local = tag.partition(":")
        e = etree.SubElement(root, f"{{{NS[prefix]}}}{local}")
        e.text = _clean(text)
        return e

    add("dc:title", meta.title)
    add("dc:subject", meta.subtitle or meta.source)
    add("dc:creator", meta.author or meta.source)
    add("cp:keywords", ", ".join(meta.keywords))
    add("dc:description", meta.url)
    add("dc:language", meta.language)
    add("cp:lastModifiedBy", "Pressroom")
    for tag, moment in (("dcterms:created", created), ("dcterms:modified", modified)):
        if moment is not None:
            e = add(tag, w3cdtf(moment))
            assert e is not None
            e.set(f"{{{NS['xsi']}}}type", "dcterms:W3CDTF")
    return serialize(root)


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


def custom_item_rels() -> bytes:
    """``customXml/_rels/item1.xml.rels``."""
    return rels_xml([("rId1", REL + "customXmlProps", "itemProps1.xml", False)])


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


__all__ = ["XML_NS", "Relationships", "zip_parts"]

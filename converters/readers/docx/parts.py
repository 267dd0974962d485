"""The parts of a DOCX package the reader needs: relationships, styles, numbering, metadata."""

from __future__ import annotations

import posixpath
import zipfile
from dataclasses import dataclass, field

from lxml import etree

from converters.errors import InputError
from converters.tree import Meta
from converters.writers.docx.xml import NS, PKG_RELS, qn

OFFICE_DOCUMENT = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument"
STRICT_DOCUMENT = "http://purl.oclc.org/ooxml/officeDocument/relationships/officeDocument"
MAX_PART_BYTES = 256 * 1024 * 1024
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=True, remove_blank_text=False)


@dataclass
class Style:
    """What the reader needs of a paragraph or character style."""

    name: str
    based_on: str | None = None
    outline: int | None = None
    num: tuple[str, int] | None = None  # numId, ilvl
    right: bool = False  # right-aligned


@dataclass
class Package:
    """A DOCX opened for reading."""

    archive: zipfile.ZipFile
    main: str
    rels: dict[str, tuple[str, str, bool]] = field(default_factory=dict)  # id -> type, target, external
    styles: dict[str, Style] = field(default_factory=dict)
    default_style: str = "normal"
    lists: dict[str, tuple[dict[int, str], dict[int, int]]] = field(default_factory=dict)  # numId -> fmts, starts

    def read(self, name: str) -> bytes | None:
        """A part's bytes, ``None`` if absent or absurdly large."""
        try:
            info = self.archive.getinfo(name)
        except KeyError:
            return None
        if info.file_size > MAX_PART_BYTES:
            raise InputError(f"the DOCX part {name} is over {MAX_PART_BYTES // 2**20} MiB", code="input-too-large")
        return self.archive.read(info)

    def xml(self, name: str) -> etree._Element | None:
        data = self.read(name)
        if data is None:
            return None
        try:
            return etree.fromstring(data, _PARSER)
        except etree.XMLSyntaxError as exc:
            raise InputError(f"the DOCX part {name} is not well-formed XML ({exc})", code="bad-docx") from None

    def target(self, rid: str) -> tuple[str, bool] | None:
        """A relationship's target: a part name inside the package, or an external URL."""
        rel = self.rels.get(rid)
        if rel is None:
            return None
        _, target, external = rel
        if external:
            return target, True
        base = posixpath.dirname(self.main)
        path = target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join(base, target))
        return path, False

    def style_chain(self, style_id: str | None) -> list[Style]:
        """The style and the styles it is based on (cycles cut)."""
        chain: list[Style] = []
        seen: set[str] = set()
        while style_id and style_id not in seen and style_id in self.styles:
            seen.add(style_id)
            style = self.styles[style_id]
            chain.append(style)
            style_id = style.based_on
        return chain


def _rels(pkg: Package, name: str) -> dict[str, tuple[str, str, bool]]:
    folder, base = posixpath.split(name)
    root = pkg.xml(posixpath.join(folder, "_rels", base + ".rels"))
    out: dict[str, tuple[str, str, bool]] = {}
    if root is not None:
        for rel in root.iter(f"{{{PKG_RELS}}}Relationship"):
            out[rel.get("Id", "")] = (rel.get("Type", ""), rel.get("Target", ""), rel.get("TargetMode") == "External")
    return out


def _val(e: etree._Element | None, attr: str = "w:val") -> str | None:
    return e.get(qn(attr)) if e is not None else None


def _load_styles(pkg: Package) -> None:
    root = pkg.xml(posixpath.join(posixpath.dirname(pkg.main), "styles.xml"))
    if root is None:
        return
    for style in root.iter(qn("w:style")):
        sid = style.get(qn("w:styleId")) or ""
        name = (_val(style.find(qn("w:name"))) or sid).lower()
        ppr = style.find(qn("w:pPr"))
        outline = _val(ppr.find(qn("w:outlineLvl"))) if ppr is not None else None
        num = ppr.find(qn("w:numPr")) if ppr is not None else None
        num_id = _val(num.find(qn("w:numId"))) if num is not None else None
        ilvl = _val(num.find(qn("w:ilvl"))) if num is not None else None
        jc = _val(ppr.find(qn("w:jc"))) if ppr is not None else None
        pkg.styles[sid] = Style(
            name=name,
            based_on=_val(style.find(qn("w:basedOn"))),
            outline=int(outline) if outline and outline.isdigit() else None,
            num=(num_id, int(ilvl) if ilvl and ilvl.isdigit() else 0) if num_id else None,
            right=jc in ("right", "end"),
        )
        if style.get(qn("w:default")) in ("1", "true") and style.get(qn("w:type")) == "paragraph":
            pkg.default_style = sid


def _int(text: str | None, default: int) -> int:
    try:
        return int(text) if text is not None else default
    except ValueError:
        return default


def _load_numbering(pkg: Package) -> None:
    root = pkg.xml(posixpath.join(posixpath.dirname(pkg.main), "numbering.xml"))
    if root is None:
        return
    abstract: dict[str, tuple[dict[int, str], dict[int, int]]] = {}
    for a in root.iter(qn("w:abstractNum")):
        fmts: dict[int, str] = {}
        starts: dict[int, int] = {}
        for lvl in a.iter(qn("w:lvl")):
            level = _int(lvl.get(qn("w:ilvl")), 0)
            fmts[level] = _val(lvl.find(qn("w:numFmt"))) or "decimal"
            starts[level] = _int(_val(lvl.find(qn("w:start"))), 1)
        abstract[a.get(qn("w:abstractNumId")) or ""] = (fmts, starts)
    for num in root.iter(qn("w:num")):
        fmts, starts = abstract.get(_val(num.find(qn("w:abstractNumId"))) or "", ({}, {}))
        starts = dict(starts)
        for override in num.iter(qn("w:lvlOverride")):
            start = override.find(qn("w:startOverride"))
            if start is not None:
                starts[_int(override.get(qn("w:ilvl")), 0)] = _int(_val(start), 1)
        pkg.lists[num.get(qn("w:numId")) or ""] = (fmts, starts)


def open_package(data: bytes, where: str) -> Package:
    """Open ``data`` as a DOCX: the main document part, its relationships, styles and numbering."""
    import io

    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, ValueError):
        raise InputError("not a DOCX file (it is not a ZIP package)", code="bad-docx", where=where) from None
    pkg = Package(archive=archive, main="word/document.xml")
    for _rid, (kind, target, _ext) in _rels(pkg, "").items():
        if kind in (OFFICE_DOCUMENT, STRICT_DOCUMENT):
            pkg.main = target.lstrip("/")
    if pkg.read(pkg.main) is None:
        raise InputError("not a Word document (no main document part)", code="bad-docx", where=where)
    pkg.rels = _rels(pkg, pkg.main)
    _load_styles(pkg)
    _load_numbering(pkg)
    return pkg


def article_record(pkg: Package) -> Meta | None:
    """The metadata Pressroom stored in ``customXml``, if this is a Pressroom document."""
    for name in pkg.archive.namelist():
        if not (name.startswith("customXml/item") and name.endswith(".xml")) or "Props" in name:
            continue
        root = pkg.xml(name)
        if root is None or root.tag != f"{{{NS['pr']}}}article":
            continue
        values: dict[str, str] = {}
        keywords: list[str] = []
        for child in root:
            local = etree.QName(child).localname
            if local == "keyword":
                keywords.append(child.text or "")
            elif local in ("title", "subtitle", "date", "source", "author", "editor", "publisher", "url", "language"):
                values[local] = child.text or ""
        return Meta(**values, keywords=tuple(keywords))
    return None


def core_meta(pkg: Package) -> Meta:
    """Metadata of a plain Word document: title, keywords and language from its core properties."""
    root = pkg.xml("docProps/core.xml")
    if root is None:
        return Meta()

    def text(tag: str) -> str | None:
        prefix, _, local = tag.partition(":")
        e = root.find(f"{{{NS[prefix]}}}{local}")
        return e.text.strip() if e is not None and e.text and e.text.strip() else None

    raw = text("cp:keywords") or ""
    keywords = tuple(k.strip() for k in raw.replace("；", ";").replace("，", ",").replace(";", ",").split(",")
                     if k.strip())
    return Meta(title=text("dc:title"), language=text("dc:language") or "zh-CN", keywords=keywords)

"""The parts of a DOCX the reader needs, through python-docx: relationships, styles, numbering, metadata."""

from __future__ import annotations

import io
import zipfile
import zlib
from dataclasses import dataclass, field
from typing import Any

import docx
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.exceptions import PackageNotFoundError
from lxml import etree

from converters.errors import InputError
from converters.tree import Meta
from converters.writers.docx.xml import NS, qn

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
    """A DOCX opened by python-docx for reading, with its style and numbering tables."""

    document: Any  # python-docx's Document
    styles: dict[str, Style] = field(default_factory=dict)
    default_style: str = "normal"
    lists: dict[str, tuple[dict[int, str], dict[int, int]]] = field(default_factory=dict)  # numId -> fmts, starts

    @property
    def body(self) -> etree._Element | None:
        body: etree._Element | None = self.document.element.body
        return body

    def target(self, rid: str) -> tuple[str, bool] | None:
        """A relationship's target: a part name inside the package, or an external URL."""
        rel = self.document.part.rels.get(rid)
        if rel is None:
            return None
        if rel.is_external:
            return rel.target_ref, True
        return str(rel.target_part.partname).lstrip("/"), False

    def blob(self, rid: str) -> tuple[bytes, str] | None:
        """An embedded part's bytes and content type (a picture's), ``None`` for external targets."""
        rel = self.document.part.rels.get(rid)
        if rel is None or rel.is_external:
            return None
        part = rel.target_part
        return part.blob, part.content_type

    def related(self, reltype: str) -> Any:
        """The part the main document relates to by ``reltype``, ``None`` if it has none.

        python-docx's own accessors would create missing styles or numbering from its template.
        """
        try:
            return self.document.part.part_related_by(reltype)
        except (KeyError, ValueError):
            return None

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


def _val(e: etree._Element | None, attr: str = "w:val") -> str | None:
    return e.get(qn(attr)) if e is not None else None


def _load_styles(pkg: Package) -> None:
    styles_part = pkg.related(RT.STYLES)
    if styles_part is None:
        return
    for style in styles_part.styles:
        element = style.element
        sid = style.style_id or ""
        name = (style.name or sid).lower()
        ppr = element.find(qn("w:pPr"))
        outline = _val(ppr.find(qn("w:outlineLvl"))) if ppr is not None else None
        num = ppr.find(qn("w:numPr")) if ppr is not None else None
        num_id = _val(num.find(qn("w:numId"))) if num is not None else None
        ilvl = _val(num.find(qn("w:ilvl"))) if num is not None else None
        jc = _val(ppr.find(qn("w:jc"))) if ppr is not None else None
        pkg.styles[sid] = Style(
            name=name,
            based_on=_val(element.find(qn("w:basedOn"))),
            outline=int(outline) if outline and outline.isdigit() else None,
            num=(num_id, int(ilvl) if ilvl and ilvl.isdigit() else 0) if num_id else None,
            right=jc in ("right", "end"),
        )
        if element.get(qn("w:default")) in ("1", "true") and element.get(qn("w:type")) == "paragraph":
            pkg.default_style = sid


def _int(text: str | None, default: int) -> int:
    try:
        return int(text) if text is not None else default
    except ValueError:
        return default


def _load_numbering(pkg: Package) -> None:
    part = pkg.related(RT.NUMBERING)
    if part is None:
        return
    root = part.element
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


def _parse(data: bytes, what: str) -> etree._Element:
    try:
        return etree.fromstring(data, _PARSER)
    except etree.XMLSyntaxError as exc:
        raise InputError(f"the DOCX part {what} is not well-formed XML ({exc})", code="bad-docx") from None


def open_package(data: bytes, where: str) -> Package:
    """Open ``data`` with python-docx: the main document part, its relationships, styles and numbering."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            # python-docx reads every part into memory: refuse a ZIP bomb before it does.
            big = next((i.filename for i in archive.infolist() if i.file_size > MAX_PART_BYTES), None)
            encrypted = any(i.flag_bits & 0x1 for i in archive.infolist())
    except (zipfile.BadZipFile, ValueError):
        raise InputError("not a DOCX file (it is not a ZIP package)", code="bad-docx", where=where) from None
    except NotImplementedError as exc:
        # zipfile refuses a member needing a ZIP version or compression method it does not implement.
        raise InputError(f"damaged DOCX package: {exc}", code="bad-docx", where=where) from None
    if encrypted:  # zipfile would ask for a password part-way through python-docx's reading
        raise InputError("the DOCX package has encrypted parts; save the document without a password",
                         code="bad-docx", where=where)
    if big is not None:
        raise InputError(f"the DOCX part {big} is over {MAX_PART_BYTES // 2**20} MiB", code="input-too-large",
                         where=where)
    try:
        document = docx.Document(io.BytesIO(data))
    except KeyError as exc:
        if "Content_Types" in str(exc) or "officeDocument" in str(exc):
            raise InputError("not a Word document (no main document part)", code="bad-docx", where=where) from None
        raise InputError(f"the DOCX package is damaged (a part it refers to is missing: {exc})", code="bad-docx",
                         where=where) from None
    except (ValueError, PackageNotFoundError):
        raise InputError("not a Word document (no main document part)", code="bad-docx", where=where) from None
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, OSError, zlib.error, NotImplementedError) as exc:
        # python-docx reads every part here: zlib.error is a corrupt deflate stream, NotImplementedError a
        # compression method zipfile lacks. No part is read lazily later, so this is the one boundary.
        raise InputError(f"damaged DOCX package: {exc}", code="bad-docx", where=where) from None
    except (AttributeError, TypeError):
        # python-docx assumes each package part's XML has the root its schema names; a part such as
        # [Content_Types].xml holding some other element fails inside it as a bare AttributeError.
        raise InputError("damaged DOCX package: a package part holds the wrong kind of XML", code="bad-docx",
                         where=where) from None
    except etree.XMLSyntaxError as exc:
        if "depth" in str(exc).lower():  # libxml2's own limit on nesting
            raise InputError("the Word document is nested too deeply to read", code="bad-docx",
                             where=where) from None
        raise InputError(f"a part of the DOCX is not well-formed XML ({exc})", code="bad-docx",
                         where=where) from None
    pkg = Package(document=document)
    _load_styles(pkg)
    _load_numbering(pkg)
    return pkg


def article_record(pkg: Package) -> Meta | None:
    """The metadata Pressroom stored in ``customXml``, if this is a Pressroom document."""
    for rel in pkg.document.part.rels.values():
        if rel.is_external or rel.reltype != RT.CUSTOM_XML:
            continue
        root = _parse(rel.target_part.blob, str(rel.target_part.partname))
        if root.tag != f"{{{NS['pr']}}}article":
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
    try:  # python-docx's ``core_properties`` would invent defaults ("Word Document") for a file without any
        core = pkg.document.part.package.part_related_by(RT.CORE_PROPERTIES).core_properties
    except (KeyError, ValueError):
        return Meta()

    def text(value: str) -> str | None:
        return value.strip() or None

    raw = core.keywords or ""
    keywords = tuple(k.strip() for k in raw.replace("；", ";").replace("，", ",").replace(";", ",").split(",")
                     if k.strip())
    return Meta(title=text(core.title), language=text(core.language) or "zh-CN", keywords=keywords)

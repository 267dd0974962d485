"""The reference document: house styles, settings and page set-up, prepared once per process.

The reference is opened with python-docx and trimmed to what an article needs: styles (with the
ones a newsroom's reference lacks copied from Pressroom's), settings, fonts, theme, numbering,
the page set-up with its headers and footers, an empty body and empty core properties. The
result is saved once and cached as bytes; every article opens its own copy with python-docx.

Styles are found by their built-in *name* (``heading 1``, ``caption``), never by id: Chinese
Word saves ``heading 1`` with the id ``1`` and ``Normal`` as ``a``.
"""

from __future__ import annotations

import copy
import io
import zipfile
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import docx
from docx.opc.constants import CONTENT_TYPE as CT
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.opc.part import Part, XmlPart
from lxml import etree

from converters.errors import InputError
from converters.templates import TEMPLATES
from converters.writers.docx.package import app_xml
from converters.writers.docx.xml import NS, qn, serialize

DEFAULT_REFERENCE = TEMPLATES / "docx" / "reference.docx"

#: Style names the writer uses, in the order a document uses them.
NEEDED = ("normal", "body text", "title", "subtitle", "article meta", "heading 1", "heading 2", "heading 3",
          "heading 4", "heading 5", "heading 6", "figure", "caption", "quote", "list paragraph", "credit",
          "thematic break", "footer")
#: Styles set in the Hei (sans) face; ``--font-sans`` replaces their East Asian font.
SANS_STYLES = frozenset({"title", "caption", *(f"heading {n}" for n in range(1, 7))})
#: Styles set in Kai (subtitle, quotations) keep it whatever ``--font-serif`` says.
KAI_STYLES = frozenset({"subtitle", "quote"})
#: What the main document keeps of the reference's relationships (headers and footers: if the page uses them).
KEPT_PARTS = frozenset({RT.STYLES, RT.SETTINGS, RT.FONT_TABLE, RT.NUMBERING, RT.WEB_SETTINGS, RT.THEME})
#: What the package keeps: no thumbnail, custom properties or stray custom XML from the reference.
KEPT_PACKAGE = frozenset({RT.OFFICE_DOCUMENT, RT.CORE_PROPERTIES, RT.EXTENDED_PROPERTIES})
EMU_PER_TWIP = 635
_R = f"{{{NS['r']}}}"


@dataclass(frozen=True)
class Template:
    """A reference document prepared for writing: the package bytes, style ids by name, text area."""

    package: bytes
    style_ids: dict[str, str]
    text_width_emu: int
    text_height_emu: int
    is_default: bool


def open_docx(data: bytes, where: str) -> Any:
    """``data`` opened by python-docx; a file it cannot open is the user's to fix."""
    try:
        return docx.Document(io.BytesIO(data))
    except (zipfile.BadZipFile, KeyError, ValueError, etree.XMLSyntaxError) as exc:
        raise InputError(f"the reference document is not a readable DOCX ({exc}); check --reference-doc",
                         code="bad-reference-doc", where=where) from None


def _style_name(style: etree._Element) -> str:
    name = style.find(qn("w:name"))
    return (name.get(qn("w:val")) or "").lower() if name is not None else ""


def _set_east_asia(rpr_parent: etree._Element, font: str) -> None:
    """Set the East Asian face of a style (or docDefaults) and drop theme attributes that would win."""
    rpr = rpr_parent.find(qn("w:rPr"))
    if rpr is None:
        rpr = etree.SubElement(rpr_parent, qn("w:rPr"))
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = etree.Element(qn("w:rFonts"))
        rpr.insert(0, fonts)
    for attr in list(fonts.attrib):
        if attr.endswith("Theme"):
            del fonts.attrib[attr]
    fonts.set(qn("w:eastAsia"), font)


@lru_cache(maxsize=1)
def _own_styles() -> etree._Element:
    return _related(open_docx(DEFAULT_REFERENCE.read_bytes(), str(DEFAULT_REFERENCE)).part, RT.STYLES).element


def _merge_missing_styles(styles: etree._Element, ids: dict[str, str]) -> None:
    """Copy the styles the writer needs from Pressroom's reference into a newsroom's."""
    own = _own_styles()
    own_ids = {s.get(qn("w:styleId")): _style_name(s) for s in own.iter(qn("w:style"))}
    taken = {s.get(qn("w:styleId")) for s in styles.iter(qn("w:style"))}
    for style in own.iter(qn("w:style")):
        name = _style_name(style)
        if name not in NEEDED or name in ids:
            continue
        new = copy.deepcopy(style)
        new_id = style.get(qn("w:styleId")) or name.replace(" ", "")
        while new_id in taken:
            new_id += "Pr"
        new.set(qn("w:styleId"), new_id)
        for link in ("w:basedOn", "w:next"):  # point at the newsroom's ids for the same names
            ref = new.find(qn(link))
            if ref is not None:
                target = ids.get(own_ids.get(ref.get(qn("w:val")), ""), "")
                if target:
                    ref.set(qn("w:val"), target)
                else:
                    new.remove(ref)
        styles.append(new)
        taken.add(new_id)
        ids[name] = new_id


def _related(part: Any, reltype: str) -> Any:
    try:
        return part.part_related_by(reltype)
    except (KeyError, ValueError):
        return None


def _strip_relationship_refs(root: etree._Element) -> bool:
    """Drop elements pointing into relationships not carried over; whether any were.

    An attached template (``w:attachedTemplate``), mail-merge sources, embedded fonts or picture
    bullets would otherwise leave dangling ``r:id`` references, which Word reports as damage.
    """
    doomed = [e for e in root.iter() if any(str(a).startswith(_R) for a in e.attrib)]
    for e in doomed:
        parent = e.getparent()
        if parent is not None:
            parent.remove(e)
    return bool(doomed)


def _clean_part(part: Any, font_entries: tuple[str, ...] = ()) -> None:
    """A settings, font-table, theme, web-settings or numbering part without relationships to follow."""
    for rid in list(part.rels):
        del part.rels[rid]
    if isinstance(part, XmlPart):
        _strip_relationship_refs(part.element)
        return
    root = etree.fromstring(part.blob)
    changed = _strip_relationship_refs(root)
    for font in font_entries:  # a newsroom face in the font table, so Word knows its script
        if not any(f.get(qn("w:name")) == font for f in root.iter(qn("w:font"))):
            entry = etree.SubElement(root, qn("w:font"))
            entry.set(qn("w:name"), font)
            etree.SubElement(entry, qn("w:charset")).set(qn("w:val"), "86")
            changed = True
    if changed:
        part._blob = serialize(root)  # python-docx keeps a generic part's bytes there and saves them


def _page_setup(document: Any) -> etree._Element:
    """An empty body ending in the reference's page set-up, with only the headers and footers it has."""
    part, body = document.part, document.element.body
    sect = body.find(qn("w:sectPr"))
    if sect is None:
        own = open_docx(DEFAULT_REFERENCE.read_bytes(), str(DEFAULT_REFERENCE))
        sect = copy.deepcopy(own.element.body.find(qn("w:sectPr")))
    for child in list(body):
        body.remove(child)
    body.append(sect)
    kept: set[str] = set()
    for ref in [e for e in sect if e.tag in (qn("w:headerReference"), qn("w:footerReference"))]:
        rel = part.rels.get(ref.get(qn("r:id"), ""))
        if rel is None or rel.is_external or rel.reltype not in (RT.HEADER, RT.FOOTER):
            sect.remove(ref)
        else:
            kept.add(rel.rId)
    for attr in list(sect.attrib):
        if attr.startswith(f"{{{sect.nsmap.get('w14', '')}}}") or attr.endswith("rsidR") or attr.endswith("rsidSect"):
            del sect.attrib[attr]
    for rid, rel in list(part.rels.items()):
        if rid not in kept and (rel.is_external or rel.reltype not in KEPT_PARTS):
            del part.rels[rid]
    return sect


def _properties(document: Any) -> None:
    """Empty core properties (filled per article) and Pressroom's own extended properties."""
    package = document.part.package
    for rid, rel in list(package.rels.items()):
        if rel.is_external or rel.reltype not in KEPT_PACKAGE:
            del package.rels[rid]
    core = document.core_properties._element  # a reference's author or python-docx's defaults: gone
    for child in list(core):
        core.remove(child)
    app = _related(package, RT.EXTENDED_PROPERTIES)
    if app is not None:
        app._blob = app_xml()
    else:
        package.relate_to(Part(PackURI("/docProps/app.xml"), CT.OFC_EXTENDED_PROPERTIES, app_xml(), package),
                          RT.EXTENDED_PROPERTIES)


def _twips(e: etree._Element | None, attr: str, default: int) -> int:
    value = e.get(qn(attr)) if e is not None else None
    try:
        return int(float(value)) if value else default
    except ValueError:
        return default


@lru_cache(maxsize=8)
def load_template(path: Path | None, font_serif: str | None, font_sans: str | None, mtime: float = 0.0) -> Template:
    """Prepare a reference document (cached: a batch prepares it once; ``mtime`` invalidates edits)."""
    source = path or DEFAULT_REFERENCE
    try:
        data = source.read_bytes()
    except OSError:
        raise InputError("cannot read the reference document; check --reference-doc", code="bad-reference-doc",
                         where=str(source)) from None
    document = open_docx(data, str(source))
    styles_part = _related(document.part, RT.STYLES)
    if styles_part is None:
        raise InputError("the reference document has no styles; save it from Word or LibreOffice as .docx",
                         code="bad-reference-doc", where=str(source))
    styles = styles_part.element
    ids: dict[str, str] = {}
    for style in styles.iter(qn("w:style")):
        name = _style_name(style)
        if name and name not in ids and style.get(qn("w:type")) == "paragraph":
            ids[name] = style.get(qn("w:styleId")) or ""
    if path is not None:
        _merge_missing_styles(styles, ids)
    if font_serif or font_sans:
        defaults = styles.find(f"{qn('w:docDefaults')}/{qn('w:rPrDefault')}")
        if font_serif and defaults is not None:
            _set_east_asia(defaults, font_serif)
        for style in styles.iter(qn("w:style")):
            name = _style_name(style)
            if font_sans and name in SANS_STYLES:
                _set_east_asia(style, font_sans)
            elif font_serif and name in NEEDED and name not in SANS_STYLES | KAI_STYLES:
                _set_east_asia(style, font_serif)
    sect = _page_setup(document)
    new_fonts = tuple(f for f in (font_serif, font_sans) if f)
    for reltype in (RT.SETTINGS, RT.FONT_TABLE, RT.THEME, RT.WEB_SETTINGS, RT.NUMBERING):
        part = _related(document.part, reltype)
        if part is not None:
            _clean_part(part, new_fonts if reltype == RT.FONT_TABLE else ())
    _properties(document)
    size, margins = sect.find(qn("w:pgSz")), sect.find(qn("w:pgMar"))
    width = _twips(size, "w:w", 11906) - _twips(margins, "w:left", 1800) - _twips(margins, "w:right", 1800)
    height = _twips(size, "w:h", 16838) - _twips(margins, "w:top", 1440) - _twips(margins, "w:bottom", 1440)
    out = io.BytesIO()
    document.save(out)
    return Template(
        package=out.getvalue(),
        style_ids=ids,
        text_width_emu=max(width, 1440) * EMU_PER_TWIP,
        text_height_emu=max(height, 1440) * EMU_PER_TWIP,
        is_default=path is None,
    )


def template_for(reference: Path | None, font_serif: str | None, font_sans: str | None) -> Template:
    """The prepared template for these options (re-read when the reference file changes)."""
    if reference is None:
        return load_template(None, font_serif, font_sans)
    try:
        mtime = reference.stat().st_mtime
    except OSError:
        raise InputError("cannot read the reference document; check --reference-doc", code="bad-reference-doc",
                         where=str(reference)) from None
    return load_template(reference.resolve(), font_serif, font_sans, mtime)


__all__ = ["Template", "open_docx", "template_for"]

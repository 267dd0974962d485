"""The reference document: house styles, settings and page set-up, loaded once per process.

Styles are found by their built-in *name* (``heading 1``, ``caption``), never by id: Chinese
Word saves ``heading 1`` with the id ``1`` and ``Normal`` as ``a``. Styles the writer needs but a
newsroom's ``--reference-doc`` lacks are copied in from Pressroom's own reference document.
"""

from __future__ import annotations

import copy
import zipfile
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from lxml import etree

from converters.errors import InputError
from converters.writers.docx.xml import qn, serialize

DEFAULT_REFERENCE = Path(__file__).resolve().parents[3] / "templates" / "docx" / "reference.docx"

#: Style names the writer uses, in the order a document uses them.
NEEDED = ("normal", "body text", "title", "subtitle", "article meta", "heading 1", "heading 2", "heading 3",
          "heading 4", "heading 5", "heading 6", "figure", "caption", "quote", "list paragraph", "credit",
          "thematic break", "footer")
#: Styles set in the Hei (sans) face; ``--font-sans`` replaces their East Asian font.
SANS_STYLES = frozenset({"title", "caption", *(f"heading {n}" for n in range(1, 7))})
#: Styles set in Kai (subtitle, quotations) keep it whatever ``--font-serif`` says.
KAI_STYLES = frozenset({"subtitle", "quote"})
EMU_PER_TWIP = 635


@dataclass(frozen=True)
class Template:
    """A reference document prepared for writing: parts as bytes, style ids by name, text area."""

    styles: bytes
    style_ids: dict[str, str]
    parts: dict[str, bytes]  # settings, fontTable, theme, webSettings, as found
    numbering: etree._Element | None
    sect_pr: etree._Element
    sect_parts: tuple[tuple[str, str, bytes], ...]  # header/footer: relationship kind, target, bytes
    extra_parts: dict[str, bytes]  # what the headers and footers refer to (their rels, pictures)
    text_width_emu: int
    text_height_emu: int
    is_default: bool


def _read_zip(path: Path) -> dict[str, bytes]:
    try:
        with zipfile.ZipFile(path) as archive:
            return {name: archive.read(name) for name in archive.namelist() if not name.endswith("/")}
    except (OSError, zipfile.BadZipFile) as exc:
        raise InputError(f"the reference document is not a readable DOCX ({exc}); check --reference-doc",
                         code="bad-reference-doc", where=str(path)) from None


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


def _merge_missing_styles(styles: etree._Element, ids: dict[str, str]) -> None:
    """Copy the styles the writer needs from Pressroom's reference into a newsroom's."""
    own = etree.fromstring(_read_zip(DEFAULT_REFERENCE)["word/styles.xml"])
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


def _relationships(files: dict[str, bytes], rels_name: str) -> dict[str, tuple[str, str, bool]]:
    if rels_name not in files:
        return {}
    root = etree.fromstring(files[rels_name])
    out = {}
    for r in root:
        kind = r.get("Type", "").rsplit("/", 1)[-1]
        out[r.get("Id", "")] = (kind, r.get("Target", ""), r.get("TargetMode") == "External")
    return out


def _headers_and_footers(sect: etree._Element, files: dict[str, bytes]
                         ) -> tuple[tuple[tuple[str, str, bytes], ...], dict[str, bytes]]:
    """The reference's headers and footers (page numbers…), with the parts they use; dangling ones dropped."""
    rels = _relationships(files, "word/_rels/document.xml.rels")
    found: list[tuple[str, str, bytes]] = []
    extra: dict[str, bytes] = {}
    for ref in [e for e in sect if e.tag in (qn("w:headerReference"), qn("w:footerReference"))]:
        kind, target, external = rels.get(ref.get(qn("r:id"), ""), ("", "", True))
        name = "word/" + target.lstrip("/").removeprefix("word/")
        if external or kind not in ("header", "footer") or name not in files:
            sect.remove(ref)
            continue
        found.append((kind, name.removeprefix("word/"), files[name]))
        part_rels = f"word/_rels/{name.removeprefix('word/')}.rels"
        if part_rels in files:
            extra[part_rels] = files[part_rels]
            for _, sub_target, sub_external in _relationships(files, part_rels).values():
                sub_name = "word/" + sub_target.lstrip("/").removeprefix("word/")
                if not sub_external and sub_name in files:
                    extra[sub_name] = files[sub_name]
    return tuple(found), extra


def _without_relationships(part: bytes) -> bytes:
    """A settings, font-table or numbering part without what points into relationships not carried over.

    An attached template (``w:attachedTemplate``), mail-merge sources or embedded fonts would
    otherwise leave dangling ``r:id`` references, which Word reports as a damaged file.
    """
    root = etree.fromstring(part)
    relationship_ns = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
    doomed = [e for e in root.iter() if any(str(a).startswith(relationship_ns) for a in e.attrib)]
    if not doomed:
        return part
    for e in doomed:
        parent = e.getparent()
        if parent is not None:
            parent.remove(e)
    return serialize(root)


def _add_font_entry(font_table: bytes, font: str) -> bytes:
    root = etree.fromstring(font_table)
    if any(f.get(qn("w:name")) == font for f in root.iter(qn("w:font"))):
        return font_table
    entry = etree.SubElement(root, qn("w:font"))
    entry.set(qn("w:name"), font)
    etree.SubElement(entry, qn("w:charset")).set(qn("w:val"), "86")
    return serialize(root)


@lru_cache(maxsize=8)
def load_template(path: Path | None, font_serif: str | None, font_sans: str | None, mtime: float = 0.0) -> Template:
    """Prepare a reference document (cached: a batch parses it once; ``mtime`` invalidates edits)."""
    source = path or DEFAULT_REFERENCE
    files = _read_zip(source)
    if "word/styles.xml" not in files or "word/document.xml" not in files:
        raise InputError("the reference document has no styles; save it from Word or LibreOffice as .docx",
                         code="bad-reference-doc", where=str(source))
    styles = etree.fromstring(files["word/styles.xml"])
    ids = {}
    for style in styles.iter(qn("w:style")):
        name = _style_name(style)
        if name and name not in ids and style.get(qn("w:type")) == "paragraph":
            ids[name] = style.get(qn("w:styleId")) or ""
    if path is not None:
        _merge_missing_styles(styles, ids)
    names = ("word/settings.xml", "word/fontTable.xml", "word/theme/theme1.xml", "word/webSettings.xml")
    parts: dict[str, bytes] = {name: _without_relationships(files[name]) for name in names if name in files}
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
        for font in (font_serif, font_sans):
            if font and "word/fontTable.xml" in parts:
                parts["word/fontTable.xml"] = _add_font_entry(parts["word/fontTable.xml"], font)
    body = etree.fromstring(files["word/document.xml"]).find(qn("w:body"))
    sect = body.find(qn("w:sectPr")) if body is not None else None
    if sect is None:
        sect = etree.fromstring(_read_zip(DEFAULT_REFERENCE)["word/document.xml"]).find(f".//{qn('w:sectPr')}")
    sect = copy.deepcopy(sect)
    sect_parts, extra_parts = _headers_and_footers(sect, files)
    for attr in list(sect.attrib):
        if attr.startswith(f"{{{sect.nsmap.get('w14', '')}}}") or attr.endswith("rsidR") or attr.endswith("rsidSect"):
            del sect.attrib[attr]
    size, margins = sect.find(qn("w:pgSz")), sect.find(qn("w:pgMar"))

    def twips(e: etree._Element | None, attr: str, default: int) -> int:
        value = e.get(qn(attr)) if e is not None else None
        try:
            return int(float(value)) if value else default
        except ValueError:
            return default

    width = twips(size, "w:w", 11906) - twips(margins, "w:left", 1800) - twips(margins, "w:right", 1800)
    height = twips(size, "w:h", 16838) - twips(margins, "w:top", 1440) - twips(margins, "w:bottom", 1440)
    numbering = (etree.fromstring(_without_relationships(files["word/numbering.xml"]))
                 if "word/numbering.xml" in files else None)
    return Template(
        styles=serialize(styles),
        style_ids=ids,
        parts=parts,
        numbering=numbering,
        sect_pr=sect,
        sect_parts=sect_parts,
        extra_parts=extra_parts,
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


__all__ = ["Template", "template_for"]

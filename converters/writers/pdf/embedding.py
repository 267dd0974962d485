"""How fonts get into the PDF, made cheap for batches: file bytes read once, subsets made in one pass.

Both functions patch private parts of WeasyPrint 70's ``weasyprint.pdf.fonts`` (the versions
:data:`converters.writers.pdf.justify.SUPPORTED` pins); the output bytes are unchanged, which
the tests check against WeasyPrint's own code.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

_FONT_FILES: dict[int, tuple[object, bytes]] = {}
_DROPPED_TABLES = (b"BASE", b"DSIG", b"EBDT", b"EBLC", b"EBSC", b"GPOS", b"GSUB", b"JSTF", b"LTSH", b"PCLT", b"SVG ")
_installed: set[str] = set()
#: WeasyPrint's own two-pass subsetter, kept when :func:`install_one_pass_subsetting` replaces it.
weasyprint_subset: Any = None


def install_font_file_cache() -> None:
    """Read each font file's bytes once per process instead of once per document.

    For every face a document uses, WeasyPrint copies the whole font file out of HarfBuzz
    (``Font.__init__``: some 20 MB for a Noto CJK collection) before subsetting it. The faces
    come from Pango, which keeps them for the life of the shared font configuration, so the
    bytes are kept with them: the second article of a batch no longer pays for the copies.
    """
    if "file-cache" in _installed:
        return
    from weasyprint.pdf import fonts as pdf_fonts
    from weasyprint.text.ffi import ffi, harfbuzz

    read_blob = pdf_fonts.get_hb_object_data
    source_face = pdf_fonts.get_pango_font_hb_face
    sources: dict[int, object] = {}

    def key(face: object) -> int:
        return int(ffi.cast("uintptr_t", face))

    def pango_face(pango_font: object) -> object:
        face = source_face(pango_font)
        # Hold a reference: a face address known here is never reused for another face.
        sources.setdefault(key(face), harfbuzz.hb_face_reference(face))
        return face

    def face_bytes(hb_object: object, ot_color: object = None, glyph: object = None) -> object:
        if ot_color is not None or key(hb_object) not in sources:
            return read_blob(hb_object, ot_color, glyph)
        cached = _FONT_FILES.get(key(hb_object))
        if cached is None:
            cached = _FONT_FILES[key(hb_object)] = (sources[key(hb_object)], read_blob(hb_object))
        return cached[1]

    pdf_fonts.get_pango_font_hb_face = pango_face
    pdf_fonts.get_hb_object_data = face_bytes
    _installed.add("file-cache")


def _subset_face(face: Any, glyphs: Sequence[int], flags: int) -> Any:
    """One ``hb_subset_or_fail`` call keeping ``glyphs`` (sorted); a NULL face when HarfBuzz fails."""
    from weasyprint.text.ffi import ffi, harfbuzz, harfbuzz_subset

    request = ffi.gc(harfbuzz_subset.hb_subset_input_create_or_fail(), harfbuzz_subset.hb_subset_input_destroy)
    # Open array types ("[]"): cffi parses a type string once, and every length would be a new one.
    kept = ffi.new("hb_codepoint_t[]", list(glyphs))
    harfbuzz.hb_set_add_sorted_array(harfbuzz_subset.hb_subset_input_glyph_set(request), kept, len(glyphs))
    harfbuzz_subset.hb_subset_input_set_flags(request, flags)
    tags = sorted(harfbuzz.hb_tag_from_string(name, -1) for name in _DROPPED_TABLES)
    drop = harfbuzz_subset.hb_subset_input_set(request, harfbuzz_subset.HB_SUBSET_SETS_DROP_TABLE_TAG)
    harfbuzz.hb_set_add_sorted_array(drop, ffi.new("hb_codepoint_t[]", tags), len(tags))
    return ffi.gc(harfbuzz_subset.hb_subset_or_fail(face, request), harfbuzz.hb_face_destroy)


def subset_in_one_pass(font: Any, to_unicode: dict[int, Any], hinting: bool) -> None:
    """WeasyPrint's ``Font._harfbuzz_subset`` with the same result, usually in one HarfBuzz pass.

    WeasyPrint subsets twice: once keeping the used glyphs at their IDs, then again over the
    glyphs up to the last used one, to drop the empty slots after it and the hints. HarfBuzz 6
    already stops at the last kept glyph when IDs are retained, so for CFF faces (the Noto CJK
    ones) one pass that also drops the hints gives the same bytes; on a CJK face the second
    pass cost ~25 ms per face per document. The second pass is still made if a face comes back
    with slots after the last used glyph. TrueType faces keep WeasyPrint's two passes: there
    one pass keeps an unknown table (FontForge's FFTM) that the second pass drops.
    """
    from weasyprint.logger import LOGGER
    from weasyprint.text.ffi import harfbuzz, harfbuzz_subset
    from weasyprint.text.fonts import get_hb_object_data

    if "CFF " not in font.tables:
        weasyprint_subset(font, to_unicode, hinting)
        return
    retain = harfbuzz_subset.HB_SUBSET_FLAGS_RETAIN_GIDS
    flags = harfbuzz_subset.HB_SUBSET_FLAGS_PASSTHROUGH_UNRECOGNIZED | harfbuzz_subset.HB_SUBSET_FLAGS_DESUBROUTINIZE
    if not hinting:
        flags |= harfbuzz_subset.HB_SUBSET_FLAGS_NO_HINTING
    if font.missing:
        flags |= harfbuzz_subset.HB_SUBSET_FLAGS_NOTDEF_OUTLINE
    last = max(to_unicode)
    face = _subset_face(font.hb_face, sorted(to_unicode), flags | retain)
    if face and harfbuzz.hb_face_get_glyph_count(face) > last + 1:
        face = _subset_face(face, range(last + 1), flags)
    if face:
        data = get_hb_object_data(face)
        if data:
            font.file_content = data
            return
    LOGGER.warning('Unable to subset "%s" with HarfBuzz', font.family)


def install_one_pass_subsetting() -> None:
    """Make :func:`subset_in_one_pass` WeasyPrint's HarfBuzz subsetter (idempotent)."""
    global weasyprint_subset
    if "one-pass" in _installed:
        return
    from weasyprint.pdf import fonts as pdf_fonts

    weasyprint_subset = pdf_fonts.Font._harfbuzz_subset

    pdf_fonts.Font._harfbuzz_subset = lambda self, to_unicode, hinting: subset_in_one_pass(self, to_unicode, hinting)
    _installed.add("one-pass")

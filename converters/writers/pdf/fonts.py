"""Font resolution through fontconfig: the faces the PDF writer needs, checked before layout.

WeasyPrint silently falls back to any installed font (usually DejaVu, which has no Han glyphs:
the result is tofu or a mixed-face page). We check up front that each requested family is
really installed, and fail with one message naming the package to install.
"""

from __future__ import annotations

import functools
import shutil
import subprocess

from converters.errors import EnvironmentProblem

DEFAULT_SERIF = "Noto Serif CJK SC"
DEFAULT_SANS = "Noto Sans CJK SC"
INSTALL_HINT = "apt-get install fonts-noto-cjk"


@functools.cache
def installed_families() -> frozenset[str]:
    """Every family name fontconfig knows (all of a face's localised names), lower-cased."""
    if shutil.which("fc-list") is None:
        raise EnvironmentProblem("fontconfig's fc-list is missing; install it with apt-get install fontconfig")
    out = subprocess.run(["fc-list", ":", "family"], capture_output=True, text=True, check=False).stdout
    names: set[str] = set()
    for line in out.splitlines():
        names.update(name.strip().lower() for name in line.split(",") if name.strip())
    return frozenset(names)


@functools.cache
def cjk_families() -> tuple[str, ...]:
    """The families that cover Simplified Chinese, for ``pressroom doctor``."""
    if shutil.which("fc-list") is None:
        return ()
    out = subprocess.run(["fc-list", ":lang=zh-cn", "family"], capture_output=True, text=True, check=False).stdout
    return tuple(sorted({line.split(",")[0].strip() for line in out.splitlines() if line.strip()}))


def check_families(*families: str) -> None:
    """Raise one :class:`EnvironmentProblem` naming every family that is not installed."""
    known = installed_families()
    missing = [f for f in families if f.lower() not in known]
    if not missing:
        return
    defaults = {DEFAULT_SERIF, DEFAULT_SANS}
    hint = (
        INSTALL_HINT if set(missing) & defaults else "install the font or choose another with --font-serif/--font-sans"
    )
    raise EnvironmentProblem(
        f"font {', '.join(repr(m) for m in missing)} not found by fontconfig; {hint}", code="font-missing"
    )


def css_family(name: str) -> str:
    """A family name quoted for CSS."""
    return '"' + name.replace("\\", "\\\\").replace('"', '\\"') + '"'


def css_stack(chosen: str | None, default: str) -> str:
    """``font-family`` value: the chosen face, then the default CJK face."""
    if not chosen or chosen.lower() == default.lower():
        return css_family(default)
    return f"{css_family(chosen)}, {css_family(default)}"


# --------------------------------------------------------------------------- batch speed

_FONT_FILES: dict[int, tuple[object, bytes]] = {}
_file_cache_installed = False


def install_font_file_cache() -> None:
    """Read each font file's bytes once per process instead of once per document.

    For every face a document uses, WeasyPrint copies the whole font file out of HarfBuzz
    (``Font.__init__``: some 20 MB for a Noto CJK collection) before subsetting it. The faces
    come from Pango, which keeps them for the life of the shared font configuration, so the
    bytes are kept with them: the second article of a batch no longer pays for the copies.
    """
    global _file_cache_installed
    if _file_cache_installed:
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
    _file_cache_installed = True

"""``pressroom doctor``: check the fonts and libraries the PDF writer needs, and say what to install.

Each check prints one line (``ok`` or ``MISSING``/``warning`` with the fix). The exit code is 1
when something the default PDF output needs is missing, so scripts can gate on it.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import sys
from collections.abc import Callable
from dataclasses import dataclass

from converters.writers.pdf import fonts


@dataclass(frozen=True, slots=True)
class Check:
    """The result of one check: ``needed`` ones make the exit code 1 when they fail."""

    name: str
    ok: bool
    detail: str
    fix: str = ""
    needed: bool = True


def _library(soname: str) -> ctypes.CDLL | None:
    try:
        return ctypes.CDLL(soname)
    except OSError:
        return None


def check_fonts() -> list[Check]:
    """The default faces, and every family fontconfig lists for Simplified Chinese."""
    try:
        families = fonts.installed_families()
    except Exception as exc:  # fontconfig itself missing
        return [Check("fontconfig", False, str(exc), "apt-get install fontconfig")]
    out = []
    for family in (fonts.DEFAULT_SERIF, fonts.DEFAULT_SANS):
        ok = family.lower() in families
        out.append(Check(f"font {family}", ok, "installed" if ok else "not found", fonts.INSTALL_HINT))
    cjk = fonts.cjk_families()
    out.append(
        Check(
            "CJK fonts (fontconfig :lang=zh-cn)",
            bool(cjk),
            ", ".join(cjk) if cjk else "none",
            fonts.INSTALL_HINT,
        )
    )
    return out


def check_harfbuzz_subset() -> Check:
    """HarfBuzz's subsetter: without it WeasyPrint subsets CJK fonts with fontTools (~15 s a document)."""
    lib = _library("libharfbuzz-subset.so.0")
    return Check(
        "HarfBuzz subset (libharfbuzz-subset.so.0)",
        lib is not None,
        "found" if lib is not None else "not found: font subsetting falls back to fontTools, ~15 s per document",
        "apt-get install libharfbuzz-subset0",
    )


def check_pango() -> Check:
    """Pango's version (WeasyPrint 70 needs 1.44 or later)."""
    lib = _library("libpango-1.0.so.0")
    if lib is None:
        return Check("Pango", False, "libpango-1.0.so.0 not found", "apt-get install libpango-1.0-0 libpangoft2-1.0-0")
    lib.pango_version_string.restype = ctypes.c_char_p
    version = lib.pango_version_string().decode()
    major, minor = (int(x) for x in version.split(".")[:2])
    ok = (major, minor) >= (1, 44)
    return Check("Pango", ok, version, "apt-get install libpango-1.0-0 (1.44 or later)")


def check_weasyprint() -> Check:
    """WeasyPrint's version against the range the CJK justification patch supports."""
    try:
        import weasyprint
    except Exception as exc:
        return Check("WeasyPrint", False, f"cannot import ({exc})", "pip install 'weasyprint>=70,<71'")
    from converters.writers.pdf import justify

    version = str(weasyprint.__version__)
    ok = version.startswith(justify.SUPPORTED)
    return Check("WeasyPrint", ok, version, "pip install 'weasyprint>=70,<71'")


def checks() -> list[Check]:
    """Every check, in the order they are printed."""
    steps: list[Callable[[], Check | list[Check]]] = [check_fonts, check_harfbuzz_subset, check_pango, check_weasyprint]
    out: list[Check] = []
    for step in steps:
        result = step()
        out.extend(result if isinstance(result, list) else [result])
    return out


def run_doctor() -> int:
    """Print the report; 0 when everything needed is there, 1 otherwise."""
    results = checks()
    for c in results:
        status = "ok     " if c.ok else ("MISSING" if c.needed else "warning")
        print(f"{status} {c.name}: {c.detail}")
    missing = [c for c in results if not c.ok and c.needed]
    if missing:
        fixes = sorted({c.fix for c in missing if c.fix})
        print("\nTo fix:\n" + "\n".join(f"  {fix}" for fix in fixes), file=sys.stdout)
        return 1
    print("\nEverything the PDF writer needs is installed.")
    return 0

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

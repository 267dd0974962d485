"""``--embed-fonts``: the Noto CJK SC faces, subset to the characters a book uses.

A reader without CJK fonts (many e-ink devices, some phone apps) shows boxes for Chinese text;
embedding the full Noto CJK fonts would add ~60 MB, so each face is cut down to the characters
it has to draw: the serif body face to the text of the chapters, the sans faces to the headings,
captions, metadata line, contents and cover. Subsetting uses HarfBuzz (``uharfbuzz``, ~0.05 s a
face) and falls back to fontTools (~2 s a face) when it is not installed.

Noto CJK ships as ``.ttc`` collections of the JP/KR/SC/TC/HK faces; fontconfig tells which file
and which index inside it is the SC face. The fonts are under the SIL Open Font License, which
allows embedding, so they are not obfuscated.
"""

from __future__ import annotations

import io
import shutil
import subprocess
from dataclasses import dataclass
from functools import cache

from converters.errors import EnvironmentProblem

#: Which text each face draws, as XPath over the book's pages (``x:`` is XHTML). The sans
#: selectors are the ones ``templates/epub/style.css`` sets in sans-serif.
SERIF_XPATH = "//x:body"
SERIF_BOLD_XPATH = "//x:strong | //x:em"
SANS_XPATH = "//x:figcaption | //x:*[@class='subtitle'] | //x:*[@class='meta'] | //x:nav | //x:*[@class='cover']"
SANS_BOLD_XPATH = (
    "//x:h1 | //x:h2 | //x:h3 | //x:h4 | //x:h5 | //x:h6 | //x:strong | //x:em | //x:*[@class='figure-label']"
)

#: Characters every subset keeps: the space, and what readers draw for list markers.
ALWAYS = " \u00a0\u30000123456789.•◦▪·"


@dataclass(frozen=True)
class Face:
    """A face to embed: the CSS family and weight it serves and the fontconfig family that finds it."""

    css_family: str  # the @font-face family name used in the generated style sheet
    weight: str  # normal | bold
    family: str  # the installed family (fontconfig name)
    stem: str  # file name inside the EPUB, without the extension

    @property
    def pattern(self) -> str:
        """The fontconfig pattern for this face."""
        return f"{self.family}:weight={'bold' if self.weight == 'bold' else 'regular'}"


DEFAULT_SERIF = "Noto Serif CJK SC"
DEFAULT_SANS = "Noto Sans CJK SC"
# The stacks of templates/epub/style.css, for the generated sheet that puts a chosen face first.
SERIF_STACK = '"Source Han Serif SC", "Source Han Serif CN", "Songti SC", "STSong", "SimSun", serif'
SANS_STACK = '"Source Han Sans SC", "Source Han Sans CN", "PingFang SC", "Microsoft YaHei", "Heiti SC", sans-serif'
SANS_SELECTORS = "h1, h2, h3, h4, h5, h6, figcaption, .subtitle, .meta, nav, .cover"


def faces(serif: str | None = None, sans: str | None = None) -> list[Face]:
    """The four faces to embed: body (serif) regular and bold, headings/captions (sans) regular and bold."""
    serif, sans = serif or DEFAULT_SERIF, sans or DEFAULT_SANS
    return [
        Face("Pressroom Serif", "normal", serif, "serif"),
        Face("Pressroom Serif", "bold", serif, "serif-bold"),
        Face("Pressroom Sans", "normal", sans, "sans"),
        Face("Pressroom Sans", "bold", sans, "sans-bold"),
    ]


SERIF, SERIF_BOLD, SANS, SANS_BOLD = faces()

INSTALL_HINT = "install the Noto CJK fonts (apt-get install fonts-noto-cjk) or leave out --embed-fonts"
FC_BOLD = 180  # fontconfig weight scale: regular 80, medium 100, demibold 180, bold 200


@cache
def locate(pattern: str) -> tuple[str, int, int]:
    """The font file, face index and weight fontconfig picks for ``pattern``; the family must match."""
    if shutil.which("fc-match") is None:
        raise EnvironmentProblem(f"--embed-fonts needs fontconfig's fc-match; {INSTALL_HINT}", code="no-fontconfig")
    out = subprocess.run(
        ["fc-match", "-f", "%{file}\t%{index}\t%{family}\t%{weight}", pattern],
        capture_output=True,
        text=True,
        check=False,
    )
    family = pattern.partition(":")[0]
    parts = out.stdout.split("\t")
    names = {name.strip().casefold() for name in parts[2].split(",")} if len(parts) == 4 else set()
    if out.returncode != 0 or family.casefold() not in names:
        raise EnvironmentProblem(f"font {family!r} not found; {INSTALL_HINT}", code="font-missing")
    weight = int(float(parts[3])) if parts[3].strip().replace(".", "").isdigit() else 80
    return parts[0], int(parts[1] or 0), weight


def available(face: Face) -> bool:
    """Whether ``face`` exists: a family without a bold face is left to the reader's synthetic bold."""
    _, _, weight = locate(face.pattern)
    return face.weight != "bold" or weight >= FC_BOLD


def _subset_harfbuzz(path: str, index: int, chars: str) -> bytes:
    import uharfbuzz as hb

    face = hb.Face(hb.Blob.from_file_path(path), index)
    spec = hb.SubsetInput()
    spec.sets(hb.SubsetInputSets.UNICODE).update(ord(c) for c in chars)
    # Hinting is useless at reading sizes on high-density screens and CFF hints are large.
    spec.flags = hb.SubsetFlags.NO_HINTING
    result = hb.subset(face, spec)
    if result is None:
        raise EnvironmentProblem(f"HarfBuzz could not subset {path}", code="subset-failed")
    data: bytes = result.blob.data
    return data


def _subset_fonttools(path: str, index: int, chars: str) -> bytes:
    from fontTools import subset
    from fontTools.ttLib import TTFont

    # recalcTimestamp=False: saving would otherwise stamp head.modified with the current time.
    font = TTFont(path, fontNumber=index, lazy=True, recalcTimestamp=False)
    options = subset.Options()
    options.hinting = False
    options.layout_features = ["*"]  # keep vert, halt, locl… the reader may use them
    subsetter = subset.Subsetter(options)
    subsetter.populate(text=chars)
    subsetter.subset(font)
    out = io.BytesIO()
    font.save(out)
    return out.getvalue()


def subset_face(face: Face, chars: str) -> bytes:
    """The face cut down to ``chars`` (plus what the font's layout features reach)."""
    path, index, _ = locate(face.pattern)
    try:
        import uharfbuzz  # noqa: F401
    except ImportError:
        return _subset_fonttools(path, index, chars)
    return _subset_harfbuzz(path, index, chars)


def font_file(data: bytes) -> tuple[str, str]:
    """The extension and media type of a font: CFF-flavoured OpenType or TrueType."""
    return (".otf", "font/otf") if data[:4] == b"OTTO" else (".ttf", "font/ttf")


def _css_name(name: str) -> str:
    return '"' + "".join(c for c in name if c not in '"\\;{}\n\r') + '"'


def font_css(embedded: list[tuple[Face, str]], serif: str | None, sans: str | None) -> str:
    """``@font-face`` rules for the embedded faces (with their hrefs), then the families that use them.

    The chosen faces (``--font-serif``/``--font-sans``, else Noto CJK SC) go first in the stacks,
    with the embedded copies before them.
    """
    rules = [
        f'@font-face {{\n  font-family: "{face.css_family}";\n  font-weight: {face.weight};\n'
        f'  font-style: normal;\n  src: url("{href}");\n}}\n'
        for face, href in embedded
    ]
    families = {face.css_family for face, _ in embedded}
    for css_family, chosen, default, stack, selector in (
        ("Pressroom Serif", serif, DEFAULT_SERIF, SERIF_STACK, "html"),
        ("Pressroom Sans", sans, DEFAULT_SANS, SANS_STACK, SANS_SELECTORS),
    ):
        names = [f'"{css_family}"'] if css_family in families else []
        names += [_css_name(chosen)] if chosen else []
        names += [_css_name(default), stack]
        rules.append(f"{selector} {{\n  font-family: {', '.join(names)};\n}}\n")
    return "".join(rules)

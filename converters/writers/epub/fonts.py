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
    """A face to embed: the CSS family and weight it serves and the fontconfig pattern that finds it."""

    family: str  # the @font-face family name used in the generated style sheet
    weight: str  # normal | bold
    pattern: str  # fontconfig pattern
    file_name: str  # name inside the EPUB


SERIF = Face("Pressroom Serif", "normal", "Noto Serif CJK SC:weight=regular", "serif.otf")
SERIF_BOLD = Face("Pressroom Serif", "bold", "Noto Serif CJK SC:weight=bold", "serif-bold.otf")
SANS = Face("Pressroom Sans", "normal", "Noto Sans CJK SC:weight=regular", "sans.otf")
SANS_BOLD = Face("Pressroom Sans", "bold", "Noto Sans CJK SC:weight=bold", "sans-bold.otf")

INSTALL_HINT = "install the Noto CJK fonts (apt-get install fonts-noto-cjk) or leave out --embed-fonts"


@cache
def locate(pattern: str) -> tuple[str, int]:
    """The font file and face index fontconfig picks for ``pattern``; it must be the family asked for."""
    if shutil.which("fc-match") is None:
        raise EnvironmentProblem(f"--embed-fonts needs fontconfig's fc-match; {INSTALL_HINT}", code="no-fontconfig")
    out = subprocess.run(
        ["fc-match", "-f", "%{file}\t%{index}\t%{family}", pattern], capture_output=True, text=True, check=False
    )
    family = pattern.partition(":")[0]
    parts = out.stdout.split("\t")
    if out.returncode != 0 or len(parts) != 3 or family not in parts[2].split(","):
        raise EnvironmentProblem(f"font {family!r} not found; {INSTALL_HINT}", code="font-missing")
    return parts[0], int(parts[1] or 0)


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
    """The face cut down to ``chars`` (plus what the font's layout features reach), as OpenType/CFF."""
    path, index = locate(face.pattern)
    try:
        import uharfbuzz  # noqa: F401
    except ImportError:
        return _subset_fonttools(path, index, chars)
    return _subset_harfbuzz(path, index, chars)


def font_face_css(faces: list[Face], href_prefix: str) -> str:
    """``@font-face`` rules for the embedded faces and the families that use them."""
    rules = [
        f'@font-face {{\n  font-family: "{f.family}";\n  font-weight: {f.weight};\n  font-style: normal;\n'
        f'  src: url("{href_prefix}{f.file_name}");\n}}\n'
        for f in faces
    ]
    serif = '"Pressroom Serif", "Noto Serif CJK SC", "Source Han Serif SC", serif'
    sans = '"Pressroom Sans", "Noto Sans CJK SC", "Source Han Sans SC", sans-serif'
    rules.append(f"html {{ font-family: {serif}; }}\n")
    rules.append(
        "h1, h2, h3, h4, h5, h6, figcaption, .subtitle, .meta, nav, .cover {\n" f"  font-family: {sans};\n}}\n"
    )
    return "".join(rules)

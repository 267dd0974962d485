"""Page geometry and document dates: the part of the style sheet that depends on the options.

The text block is made a whole number of body characters wide (clreq §2.3.2: the 版心 is set on
the character grid), so a line of pure Han text fills the measure without any stretching and
justification only has to absorb what Latin words, digits and punctuation leave over.
"""

from __future__ import annotations

import math
import os
import re
from dataclasses import dataclass
from datetime import UTC, datetime

from converters.context import Options
from converters.errors import UsageError

MM = 72 / 25.4  # points per millimetre
BLEED_MM = 3.0


@dataclass(frozen=True, slots=True)
class PageSpec:
    """A trim size with its house margins (mm) and body size (pt)."""

    width: float
    height: float
    side: float  # minimum inner/outer margin; the grid fit may widen it slightly
    top: float
    bottom: float
    font_size: float


SIZES: dict[str, PageSpec] = {
    "A4": PageSpec(210, 297, 24, 24, 24, 12.0),  # 小四 on A4: about 38 characters a line
    "A5": PageSpec(148, 210, 15, 18, 17, 10.5),  # 五号 on A5: 31 characters a line
    "B5": PageSpec(176, 250, 19, 21, 20, 10.5),
    "16K": PageSpec(185, 260, 20, 22, 21, 10.5),  # 16开 (大16开 trimmed)
}
_CUSTOM = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*[x×*]\s*(\d+(?:\.\d+)?)\s*(?:mm)?\s*$", re.IGNORECASE)


def page_spec(name: str) -> PageSpec:
    """The spec for ``A4``/``A5``/``B5``/``16K`` or a custom ``WIDTHxHEIGHT`` in mm."""
    key = name.strip().upper().replace("开", "K")
    if key in SIZES:
        return SIZES[key]
    match = _CUSTOM.match(name)
    if not match:
        raise UsageError(
            f"unknown page size {name!r}; use A4, A5, B5, 16K or WIDTHxHEIGHT in mm (e.g. 150x220)",
            code="bad-page-size",
        )
    width, height = float(match.group(1)), float(match.group(2))
    if not (70 <= width <= 600 and 90 <= height <= 900):
        raise UsageError(f"page size {name!r} is out of range (70-600 mm by 90-900 mm)", code="bad-page-size")
    font_size = 10.5 if width < 200 else 12.0
    return PageSpec(
        width, height, max(12.0, width * 0.1), max(15.0, height * 0.085), max(14.0, height * 0.08), font_size
    )


def text_width_pt(spec: PageSpec) -> float:
    """The measure: the widest whole number of body characters that fits between the margins."""
    room = spec.width * MM - 2 * spec.side * MM
    return math.floor(room / spec.font_size + 1e-6) * spec.font_size


def text_height_pt(spec: PageSpec) -> float:
    """The height of the text block (for the maximum figure height)."""
    return (spec.height - spec.top - spec.bottom) * MM


def page_css(options: Options) -> str:
    """``@page`` geometry, body size and, in print mode, bleed and crop marks."""
    spec = page_spec(options.page_size)
    side = (spec.width * MM - text_width_pt(spec)) / 2
    rules = [
        "@page {",
        f"  size: {spec.width}mm {spec.height}mm;",
        f"  margin: {spec.top}mm {side:.3f}pt {spec.bottom}mm {side:.3f}pt;",
    ]
    if options.print_mode:
        rules += [f"  bleed: {BLEED_MM}mm;", "  marks: crop;"]
    # The body's own margin would shift the grid-fitted measure: the page margins are the margins.
    rules += ["}", f"html {{ font-size: {spec.font_size}pt; }}", "body { margin: 0; }"]
    return "\n".join(rules) + "\n"


def epoch() -> int | None:
    """``SOURCE_DATE_EPOCH`` from the options or the environment (``None`` when unset or bad)."""
    raw = os.environ.get("SOURCE_DATE_EPOCH", "")
    return int(raw) if raw.strip().isdigit() else None


def w3c_date(iso: str | None) -> str | None:
    """An article date (``2020-04-29`` or ``2020-04-29T10:30``) as a full W3C date-time, UTC."""
    if not iso:
        return None
    try:
        value = datetime.fromisoformat(iso)
    except ValueError:
        return None
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.strftime("%Y-%m-%dT%H:%M:%S%z")[:-2] + ":" + value.strftime("%z")[-2:]


def document_dates(article_date: str | None, options: Options) -> tuple[str | None, str | None]:
    """(created, modified): the article's date, and ``SOURCE_DATE_EPOCH`` (else the article date).

    Nothing here reads the clock, so the same input and options give the same PDF.
    """
    created = w3c_date(article_date)
    stamp = options.source_date_epoch if options.source_date_epoch is not None else epoch()
    modified = w3c_date(datetime.fromtimestamp(stamp, UTC).isoformat()) if stamp is not None else created
    return created or modified, modified

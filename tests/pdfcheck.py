"""Reading a rendered PDF back for the PDF writer's tests: lines, their geometry, their text.

Lines are rebuilt from pdfplumber's characters (same page, same baseline); a paragraph's lines
are found by consuming lines until their text adds up to the paragraph's text, which checks the
order too. Invisible layout characters (word joiners, zero-width spaces) are ignored.
"""

from __future__ import annotations

import re
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pdfplumber

from converters.tree import Document, Paragraph, plain_text

INVISIBLE = re.compile("[\\s\u2060\u200b\ufeff]+")
CJK = re.compile("[\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uff00-\uffef“”]")


def norm(text: str) -> str:
    """Text without whitespace and invisible characters, for order-insensitive-to-wrapping compares."""
    return INVISIBLE.sub("", text)


@dataclass
class Line:
    """One line of text on a page."""

    page: int
    top: float
    x0: float
    x1: float
    size: float
    text: str
    fonts: set[str]
    chars: list[dict]


def lines(pdf: Path, size: float | None = None) -> list[Line]:
    """Every line (optionally only those set in ``size`` pt), in page and reading order."""
    out: list[Line] = []
    with pdfplumber.open(pdf) as doc:
        for number, page in enumerate(doc.pages, 1):
            rows: dict[float, list[dict]] = {}
            for char in page.chars:
                if size is not None and abs(char["size"] - size) > 0.05:
                    continue
                key = round(char["bottom"], 0)
                rows.setdefault(key, []).append(char)
            for key in sorted(rows):
                chars = sorted(rows[key], key=lambda c: c["x0"])
                visible = [c for c in chars if not INVISIBLE.fullmatch(c["text"])]
                if not visible:
                    continue
                out.append(
                    Line(
                        number,
                        key,
                        visible[0]["x0"],
                        visible[-1]["x1"],
                        visible[0]["size"],
                        "".join(c["text"] for c in chars),
                        {c["fontname"] for c in visible},
                        visible,
                    )
                )
    return out


def paragraph_lines(body: list[Line], doc: Document) -> list[list[Line]]:
    """The lines of each paragraph of ``doc`` (top level), in order; fails if the text does not match."""
    result: list[list[Line]] = []
    index = 0
    for block in doc.blocks:
        if not isinstance(block, Paragraph):
            continue
        want = norm(plain_text(block))
        got = ""
        mine: list[Line] = []
        while got != want:
            assert index < len(body), f"ran out of lines looking for {want[:30]!r}"
            line = body[index]
            index += 1
            if not mine and not want.startswith(norm(line.text)):
                continue  # a line of something else (a heading set in the body size)
            mine.append(line)
            got += norm(line.text)
            assert want.startswith(got), f"paragraph text differs: {got[-30:]!r} vs {want[: len(got)][-30:]!r}"
        result.append(mine)
    return result


def ragged(paragraphs: list[list[Line]], right_edge: float, tolerance: float = 0.6) -> list[tuple[Line, float]]:
    """Paragraph-internal lines (all but each paragraph's last) not ending within tolerance of the edge."""
    bad: list[tuple[Line, float]] = []
    for para in paragraphs:
        for line in para[:-1]:
            if abs(right_edge - line.x1) > tolerance:
                bad.append((line, right_edge - line.x1))
    return bad


def pdftotext(pdf: Path, *args: str) -> str:
    """``pdftotext`` output (UTF-8)."""
    return subprocess.run(["pdftotext", *args, str(pdf), "-"], capture_output=True, check=True).stdout.decode()


def pdffonts(pdf: Path) -> list[dict[str, str]]:
    """``pdffonts`` rows as dicts (name, type, emb, sub, uni)."""
    out = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True).stdout
    rows = []
    for row in out.splitlines()[2:]:
        parts = row.split()
        # name type... emb sub uni objnum gen: read the flags from the right
        rows.append({"name": parts[0], "emb": parts[-5], "sub": parts[-4], "uni": parts[-3]})
    return rows


def sample_like_document(sample: Path) -> Document:
    """A tree made from the bundled sample's indented paragraphs (no reader involved).

    The sample is a text dump of a web page; its article paragraphs are the lines indented with
    two spaces. Each becomes a paragraph, so the justification is measured on the real text.
    """
    from converters.tree import Meta, Text

    lines_ = sample.read_text(encoding="utf-8").splitlines()
    paras = [line.strip() for line in lines_ if line.startswith("  ") and line.strip() and "•" not in line]
    meta = Meta(
        title="济南先行区：万众一心全力奋战抗击疫情 汇聚起众志成城的强大战“疫”力量",
        date="2020-04-29",
        source="灯塔-党建在线",
    )
    return Document(meta, tuple(Paragraph((Text(p),)) for p in paras))


def render(doc: object, path: Path, **options: object) -> Path:
    """Write ``doc`` as PDF to ``path`` through the writer (options as :class:`Options` fields)."""
    from converters.context import Context, Options
    from converters.writers.pdf import write_pdf

    base_dir = options.pop("base_dir", None)
    ctx = Context(options=Options(**options), base_dir=base_dir)  # type: ignore[arg-type]
    path.write_bytes(write_pdf(doc, ctx))  # type: ignore[arg-type]
    render.last_ctx = ctx  # type: ignore[attr-defined]
    return path


def right_edge(page_size: str = "A5") -> float:
    """The text block's right edge in PDF points for a page size (default geometry)."""
    from converters.writers.pdf import page

    spec = page.page_spec(page_size)
    return (spec.width * page.MM + page.text_width_pt(spec)) / 2


def left_edge(page_size: str = "A5") -> float:
    """The text block's left edge in PDF points."""
    from converters.writers.pdf import page

    spec = page.page_spec(page_size)
    return (spec.width * page.MM - page.text_width_pt(spec)) / 2


def body_text(pdf: Path, page_size: str = "A5") -> str:
    """``pdftotext`` of the text block only (running heads and folios cropped away)."""
    from converters.writers.pdf import page

    spec = page.page_spec(page_size)
    top, height = spec.top * page.MM - 1, (spec.height - spec.top - spec.bottom) * page.MM + 2
    crop = ["-x", "0", "-y", str(int(top)), "-W", str(int(spec.width * page.MM) + 1), "-H", str(int(height) + 1)]
    # -raw: content-stream order, which is the document's order (a centred caption's label and
    # text would otherwise be read as two columns).
    return pdftotext(pdf, "-raw", "-r", "72", *crop)


def visible_text(node: object) -> str:
    """The text a node prints (inline images print no text, unlike :func:`plain_text`)."""
    from converters.tree import Image, LineBreak, Text, walk

    parts = []
    for n in walk(node):
        if isinstance(n, Text):
            parts.append(n.text)
        elif isinstance(n, LineBreak):
            parts.append("\n")
        elif isinstance(n, Image) and n is not node:
            parts.append("")
    return "".join(parts)


def text_units(doc: Document) -> list[str]:
    """The texts a reader must find, in order: every paragraph, heading, credit and figure caption."""
    from converters.tree import Credit, Figure, Heading, walk

    out: list[str] = []
    for node in walk(doc.blocks):
        if isinstance(node, (Paragraph, Heading, Credit)):
            out.append(visible_text(node))
        elif isinstance(node, Figure):
            out.append(f"图{node.number}" if node.number is not None else "")
            out.append(visible_text(node.caption))
    return [t for t in out if norm(t)]


def assert_in_order(text: str, wanted: list[str]) -> None:
    """Every string of ``wanted`` occurs in ``text`` after the previous one (whitespace ignored)."""
    text = norm(text)
    position = 0
    for want in wanted:
        want = norm(want)
        found = text.find(want, position)
        assert found >= 0, f"missing or out of order: {want[:30]!r} after {text[max(0, position - 20) : position]!r}"
        position = found + len(want)

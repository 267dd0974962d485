"""PDF writer options: page sizes, print mode, PDF variants, fonts, CJK spacing features, templates."""

from __future__ import annotations

import dataclasses
import itertools
import subprocess
from pathlib import Path

import pdfplumber
import pytest

from converters.errors import EnvironmentProblem, UsageError
from converters.tree import Document, Meta, Paragraph, Text, loads
from converters.writers.pdf import VARIANTS, fonts, page
from tests import pdfcheck
from tests.conftest import FIXTURES, SAMPLE

pytestmark = pytest.mark.slow
MM = 72 / 25.4


@pytest.fixture(scope="module")
def canonical() -> Document:
    return loads((FIXTURES / "canonical.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def short_sample() -> Document:
    doc = pdfcheck.sample_like_document(SAMPLE)
    return dataclasses.replace(doc, blocks=doc.blocks[:10])


def boxes(pdf: Path) -> dict[str, list[float]]:
    """The first page's boxes, from qpdf's JSON."""
    import json

    data = json.loads(subprocess.run(["qpdf", "--json=1", str(pdf)], capture_output=True, text=True, check=True).stdout)
    first = data["pages"][0]["object"]
    obj = data["objects"][first]
    return {k.strip("/"): [float(x) for x in v] for k, v in obj.items() if k.endswith("Box")}


@pytest.mark.parametrize(
    ("size", "width", "height"),
    [("A4", 210, 297), ("A5", 148, 210), ("B5", 176, 250), ("16K", 185, 260), ("150x220", 150, 220)],
)
def test_page_sizes_and_justification(
    size: str, width: float, height: float, short_sample: Document, tmp_path: Path
) -> None:
    pdf = pdfcheck.render(short_sample, tmp_path / "s.pdf", page_size=size)
    media = boxes(pdf)["MediaBox"]
    assert abs(media[2] - width * MM) < 0.5 and abs(media[3] - height * MM) < 0.5
    spec = page.page_spec(size)
    paragraphs = pdfcheck.paragraph_lines(pdfcheck.lines(pdf, spec.font_size), short_sample)
    assert sum(len(p) - 1 for p in paragraphs) >= 15
    assert not pdfcheck.ragged(paragraphs, pdfcheck.right_edge(size))


def test_bad_page_size_is_a_usage_error(canonical: Document, tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="WIDTHxHEIGHT"):
        pdfcheck.render(canonical, tmp_path / "x.pdf", page_size="letter")


def test_print_mode_bleed_trim_and_crop_marks(canonical: Document, tmp_path: Path) -> None:
    pdf = pdfcheck.render(canonical, tmp_path / "p.pdf", base_dir=FIXTURES, print_mode=True)
    b = boxes(pdf)
    bleed = 3 * MM
    media, trim = b["MediaBox"], b["TrimBox"]
    assert abs(media[2] - media[0] - (148 * MM + 2 * bleed)) < 0.5
    assert abs(media[3] - media[1] - (210 * MM + 2 * bleed)) < 0.5
    assert abs(trim[0] - media[0] - bleed) < 0.5 and abs(trim[2] - trim[0] - 148 * MM) < 0.5
    assert abs(trim[3] - trim[1] - 210 * MM) < 0.5
    assert "BleedBox" in b
    with pdfplumber.open(pdf) as doc:
        first = doc.pages[0]
        edge = bleed + 0.5
        drawn = first.lines + first.curves + first.rects
        marks = [ln for ln in drawn if ln["x1"] < edge or ln["x0"] > first.width - edge]
    assert len(marks) >= 4, "no crop marks in the bleed area"
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    assert "PDF version:     1.6" in info  # PDF/X-4 by default in print mode


@pytest.mark.parametrize("variant", [None, *VARIANTS])
def test_every_variant_passes_qpdf_check(variant: str | None, canonical: Document, tmp_path: Path) -> None:
    pdf = pdfcheck.render(canonical, tmp_path / "v.pdf", base_dir=FIXTURES, pdf_variant=variant)
    check = subprocess.run(["qpdf", "--check", str(pdf)], capture_output=True, text=True)
    assert check.returncode == 0, check.stdout + check.stderr
    raw = subprocess.run(
        ["qpdf", "--qdf", "--object-streams=disable", str(pdf), "-"], capture_output=True, check=True
    ).stdout
    if variant and variant.startswith("pdf/a"):
        assert b"pdfaid:part" in raw
    if variant == "pdf/ua-1":
        assert b"/StructTreeRoot" in raw and b"pdfuaid:part" in raw
    if variant and variant.startswith("pdf/x"):
        assert b"GTS_PDFXVersion" in raw and b"/TrimBox" in raw
    again = pdfcheck.render(canonical, tmp_path / "again.pdf", base_dir=FIXTURES, pdf_variant=variant)
    assert again.read_bytes() == pdf.read_bytes(), "the same input must give the same file"


def test_unknown_variant_is_a_usage_error(canonical: Document, tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="pdf/a-2b"):
        pdfcheck.render(canonical, tmp_path / "x.pdf", pdf_variant="pdf/z-9")


def test_font_overrides(tmp_path: Path) -> None:
    doc = Document(Meta(title="标题"), (Paragraph((Text("正文用另一种字体。"),)),))
    pdf = pdfcheck.render(doc, tmp_path / "f.pdf", font_serif="Noto Serif CJK TC", font_sans="Noto Sans CJK TC")
    names = {row["name"].split("+")[-1] for row in pdfcheck.pdffonts(pdf)}
    assert names == {"Noto-Serif-CJK-TC", "Noto-Sans-CJK-TC-Bold"}


def test_missing_fonts_are_one_clear_error(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setattr(fonts, "installed_families", lambda: frozenset({"dejavu sans"}))
    doc = Document(Meta(title="标题"), ())
    with pytest.raises(EnvironmentProblem, match="apt-get install fonts-noto-cjk") as err:
        pdfcheck.render(doc, tmp_path / "x.pdf")
    assert "Noto Serif CJK SC" in str(err.value) and "Noto Sans CJK SC" in str(err.value)


def _gap_before(pdf: Path, char: str) -> float:
    """Horizontal gap between ``char`` and the character drawn before it (first occurrence)."""
    with pdfplumber.open(pdf) as doc:
        chars = [c for c in doc.pages[0].chars if c["size"] == 10.5 and c["text"] != "\u2060"]
    for prev, cur in itertools.pairwise(chars):
        if cur["text"] == char:
            return float(cur["x0"] - prev["x1"])
    raise AssertionError(f"{char!r} not found")


def test_cjk_latin_space_is_a_quarter_em(tmp_path: Path) -> None:
    doc = Document(Meta(title="标题"), (Paragraph((Text("共有1255个网格。"),)),))
    plain = pdfcheck.render(doc, tmp_path / "a.pdf")
    spaced = pdfcheck.render(doc, tmp_path / "b.pdf", cjk_latin_space=True)
    assert abs(_gap_before(plain, "1")) < 0.3
    assert abs(_gap_before(spaced, "1") - 10.5 / 4) < 0.3
    assert abs(_gap_before(spaced, "个") - 10.5 / 4) < 0.3
    assert "共有1255个网格。" in pdfcheck.norm(pdfcheck.pdftotext(spaced))


def _pair_width(pdf: Path, pair: str) -> float:
    """Pen advance over two adjacent marks: from the first one to the character after the pair."""
    with pdfplumber.open(pdf) as doc:
        chars = [c for c in doc.pages[0].chars if c["size"] == 10.5 and c["text"] not in "\u2060\u200b"]
    text = "".join(c["text"] for c in chars)
    i = text.index(pair)
    return float(chars[i + 2]["x0"] - chars[i]["x0"])


def test_consecutive_punctuation_is_squeezed(tmp_path: Path) -> None:
    doc = Document(Meta(title="标题"), (Paragraph((Text("他说：“好。”然后（走了）。再读。《书》《报》（“注”）"),)),))
    default = pdfcheck.render(doc, tmp_path / "a.pdf")
    every = pdfcheck.render(doc, tmp_path / "b.pdf", punctuation_compression=True)
    for pair in ("：“", "。”", "）。", "。《", "》《"):
        assert abs(_pair_width(default, pair) - 15.75) < 0.3, pair  # one blank half squeezed out
    assert abs(_pair_width(default, "（“") - 21) < 0.3  # two openings: only with the option
    assert abs(_pair_width(every, "（“") - 15.75) < 0.3
    assert abs(_pair_width(default, "”然") - 21) < 0.3  # not a pair of marks
    assert "他说：“好。”然后（走了）。再读。《书》《报》（“注”）" in pdfcheck.norm(pdfcheck.pdftotext(every))


def test_template_and_css_overrides(canonical: Document, tmp_path: Path) -> None:
    css = tmp_path / "extra.css"
    css.write_text("p { color: rgb(255, 0, 0); }", encoding="utf-8")
    pdf = pdfcheck.render(canonical, tmp_path / "c.pdf", base_dir=FIXTURES, css=(css,))
    with pdfplumber.open(pdf) as doc:
        colours = {tuple(c["non_stroking_color"] or ()) for c in doc.pages[0].chars if c["text"] == "清"}
    assert colours == {(1, 0, 0)}
    template = tmp_path / "tpl"
    template.mkdir()
    (template / "article.css").write_text("body { text-align: left; } p { text-indent: 0; }", encoding="utf-8")
    pdf = pdfcheck.render(canonical, tmp_path / "t.pdf", base_dir=FIXTURES, template=template)
    first = next(ln for ln in pdfcheck.lines(pdf, 10.5) if ln.text.startswith("清晨"))
    assert abs(first.x0 - pdfcheck.left_edge()) < 0.6  # no indent: the template replaced ours


@pytest.mark.parametrize("options", [{}, {"cjk_latin_space": True}, {"punctuation_compression": True}])
def test_lines_made_of_many_boxes_are_justified(options: dict, tmp_path: Path) -> None:
    from converters.tree import Emph, Link, Strong

    runs: list = []
    for i in range(14):
        runs.append(Text(f"第{i}段的正文，含有数字{i * 37}和“引号”。"))
        wrapper = (Strong, Emph, lambda c: Link(c, "https://example.cn/a"))[i % 3]
        runs.append(wrapper((Text(f"重点内容{i}号"),)))
    doc = Document(Meta(title="标题"), (Paragraph(tuple(runs)),))
    pdf = pdfcheck.render(doc, tmp_path / "m.pdf", **options)
    paragraphs = pdfcheck.paragraph_lines(pdfcheck.lines(pdf, 10.5), doc)
    assert sum(len(p) - 1 for p in paragraphs) >= 8
    assert not pdfcheck.ragged(paragraphs, pdfcheck.right_edge())
    # A Latin run that starts a line sits on the margin: its ¼-em space is dropped there.
    assert all(abs(line.x0 - pdfcheck.left_edge()) < 0.6 for line in paragraphs[0][1:])
    if options.get("cjk_latin_space"):
        assert any(line.text[0].isdigit() for line in paragraphs[0][1:])

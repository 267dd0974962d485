"""The PDF writer on the bundled sample article: justification, line-break rules, fonts, text.

The sample is rendered once per module (A5, default options) from a tree built from its
paragraphs; a second test reads it through the text reader when that reader exists.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from converters.tree import Document, Figure, Heading, Paragraph, plain_text
from converters.writers.pdf import justify
from converters.writers.pdf.cjk import NO_LINE_END, NO_LINE_START
from tests import pdfcheck
from tests.conftest import ROOT, SAMPLE

pytestmark = pytest.mark.slow
GOLDEN_PNG = ROOT / "tests" / "goldens" / "pdf" / "sample-page1.png"
HAN = "[\u3400-\u9fff]"


@pytest.fixture(scope="module")
def doc() -> Document:
    return pdfcheck.sample_like_document(SAMPLE)


@pytest.fixture(scope="module")
def pdf(doc: Document, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return pdfcheck.render(doc, tmp_path_factory.mktemp("sample") / "sample.pdf")


@pytest.fixture(scope="module")
def body(pdf: Path) -> list[pdfcheck.Line]:
    return pdfcheck.lines(pdf, 10.5)


def test_every_paragraph_internal_line_reaches_the_right_edge(doc: Document, body: list[pdfcheck.Line]) -> None:
    paragraphs = pdfcheck.paragraph_lines(body, doc)
    internal = sum(len(p) - 1 for p in paragraphs)
    assert internal >= 80, f"only {internal} paragraph-internal lines found"
    bad = pdfcheck.ragged(paragraphs, pdfcheck.right_edge())
    assert not bad, [(line.page, round(gap, 2), line.text[-10:]) for line, gap in bad]


def test_lines_start_at_the_left_edge_or_the_indent(doc: Document, body: list[pdfcheck.Line]) -> None:
    left = pdfcheck.left_edge()
    for para in pdfcheck.paragraph_lines(body, doc):
        assert abs(para[0].x0 - (left + 21)) < 0.6, para[0].text[:10]  # 2 em of 10.5 pt
        for line in para[1:]:
            # A squeezed opening mark starting a line has its blank half hanging left of the margin.
            hang = 5.25 if pdfcheck.norm(line.text)[0] in NO_LINE_END else 0
            assert abs(line.x0 - left) < 0.6 or abs(line.x0 - (left - hang)) < 0.6, line.text[:10]


def test_no_prohibited_line_start_or_end(body: list[pdfcheck.Line], pdf: Path) -> None:
    every = pdfcheck.lines(pdf)
    assert len(every) > len(body)
    starts = [line.text for line in every if pdfcheck.norm(line.text)[:1] in NO_LINE_START]
    ends = [line.text for line in every if pdfcheck.norm(line.text)[-1:] in NO_LINE_END]
    assert not starts and not ends, (starts, ends)


def test_fonts_are_embedded_subset_cjk_faces(pdf: Path) -> None:
    rows = pdfcheck.pdffonts(pdf)
    assert rows
    for row in rows:
        assert (row["emb"], row["sub"], row["uni"]) == ("yes", "yes", "yes"), row
        assert "CJK" in row["name"], row
    names = " ".join(row["name"] for row in rows)
    assert "Noto-Serif-CJK-SC" in names and "Noto-Sans-CJK-SC" in names


def test_cjk_characters_come_only_from_cjk_faces(pdf: Path) -> None:
    import pdfplumber

    with pdfplumber.open(pdf) as document:
        chars = [c for page in document.pages for c in page.chars]
    cjk = [c for c in chars if pdfcheck.CJK.match(c["text"])]
    assert len(cjk) > 3000
    assert {c["fontname"].split("+")[-1] for c in cjk} <= {
        "Noto-Serif-CJK-SC",
        "Noto-Sans-CJK-SC",
        "Noto-Sans-CJK-SC-Bold",
    }
    assert "\ufffd" not in "".join(c["text"] for c in chars)


def test_text_has_every_paragraph_in_order(doc: Document, pdf: Path) -> None:
    text = pdfcheck.norm(pdfcheck.body_text(pdf))
    position = 0
    for block in doc.blocks:
        want = pdfcheck.norm(plain_text(block))
        found = text.find(want, position)
        assert found >= 0, f"missing or out of order: {want[:30]!r}"
        position = found + len(want)


def test_copy_paste_of_justified_lines_has_no_inserted_spaces(doc: Document, pdf: Path) -> None:
    source = "\n".join(plain_text(b) for b in doc.blocks) + (doc.meta.title or "")
    text = pdfcheck.pdftotext(pdf)
    inserted = [m.group() for m in re.finditer(f"{HAN} +{HAN}", text) if m.group() not in source]
    assert not inserted, inserted[:5]


def test_the_patch_is_what_justifies(tmp_path: Path) -> None:
    """WeasyPrint alone leaves CJK lines ragged; with the patch installed they are flush."""
    from converters.tree import Meta, Text

    para = Paragraph((Text("他说，项目总投资约450万元，工期8个月。" * 12),))
    doc = Document(Meta(title="测试"), (para,))
    pdfcheck.render(doc, tmp_path / "with.pdf")
    assert justify.installed()
    justify.uninstall()
    try:
        original = justify.install
        justify.install = lambda: None  # type: ignore[assignment]
        pdfcheck.render(doc, tmp_path / "without.pdf")
    finally:
        justify.install = original  # type: ignore[assignment]
        justify.install()
    edge = pdfcheck.right_edge()
    with_patch = pdfcheck.ragged(pdfcheck.paragraph_lines(pdfcheck.lines(tmp_path / "with.pdf", 10.5), doc), edge)
    without = pdfcheck.ragged(pdfcheck.paragraph_lines(pdfcheck.lines(tmp_path / "without.pdf", 10.5), doc), edge)
    assert not with_patch
    assert len(without) >= 3


def test_patch_refuses_other_weasyprint_versions(monkeypatch: pytest.MonkeyPatch) -> None:
    import weasyprint

    from converters.errors import EnvironmentProblem

    justify.uninstall()
    monkeypatch.setattr(weasyprint, "__version__", "71.0")
    try:
        with pytest.raises(EnvironmentProblem, match="weasyprint>=70,<71"):
            justify.install()
    finally:
        monkeypatch.undo()
        justify.install()
    assert justify.installed()


def test_page_one_picture_for_review(pdf: Path, tmp_path: Path) -> None:
    """Page 1 as a PNG kept for human review; the test compares its geometry, not its pixels.

    The picture shows the sample as the pipeline reads it when the text reader is there (the
    reviewed golden was made that way), else the tree made from the sample's paragraphs.
    """
    if shutil.which("pdftoppm") is None:
        pytest.skip("pdftoppm (poppler-utils) is not installed")
    try:
        from converters import pipeline

        pdf = pdfcheck.render(pipeline.read(SAMPLE), tmp_path / "read.pdf", base_dir=SAMPLE.parent)
    except ImportError:
        pass
    subprocess.run(
        ["pdftoppm", "-r", "80", "-png", "-f", "1", "-l", "1", "-singlefile", str(pdf), str(tmp_path / "p")], check=True
    )
    rendered = tmp_path / "p.png"
    if os.environ.get("PRESSROOM_ACCEPT"):
        GOLDEN_PNG.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(rendered, GOLDEN_PNG)
    assert GOLDEN_PNG.is_file(), "no reviewed picture yet: run make accept and look at it"
    from PIL import Image

    with Image.open(rendered) as now, Image.open(GOLDEN_PNG) as golden:
        assert now.size == golden.size == (467, 662)  # A5 (148 x 210 mm) at 80 dpi, rounded up


def test_sample_through_the_text_reader(tmp_path: Path) -> None:
    """The acceptance measurement on the sample as the text reader reads it."""
    try:
        import converters.readers.text  # noqa: F401
    except ImportError:
        pytest.skip("the text reader (converters.readers.text) is not available yet")
    from converters import pipeline

    doc = pipeline.read(SAMPLE)
    pdf = pdfcheck.render(doc, tmp_path / "sample.pdf", base_dir=SAMPLE.parent)
    paragraphs = pdfcheck.paragraph_lines(pdfcheck.lines(pdf, 10.5), doc)
    assert sum(len(p) - 1 for p in paragraphs) >= 60
    assert not pdfcheck.ragged(paragraphs, pdfcheck.right_edge())
    every = pdfcheck.lines(pdf)
    assert not [line.text for line in every if pdfcheck.norm(line.text)[:1] in NO_LINE_START]
    assert not [line.text for line in every if pdfcheck.norm(line.text)[-1:] in NO_LINE_END]
    text = pdfcheck.norm(pdfcheck.body_text(pdf))
    position = 0
    for block in doc.blocks:
        if isinstance(block, (Paragraph, Heading, Figure)):
            want = pdfcheck.norm(plain_text(block.caption if isinstance(block, Figure) else block))
            found = text.find(want, position)
            assert found >= 0, f"missing or out of order: {want[:30]!r}"
            position = found + len(want)

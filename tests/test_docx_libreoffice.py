"""LibreOffice opens Pressroom's DOCX files: headless conversion to PDF, text present and in order."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from converters.context import Context
from converters.tree import (
    BlockQuote,
    Credit,
    Document,
    Emph,
    Figure,
    Heading,
    Image,
    LineBreak,
    Link,
    List,
    ListItem,
    Paragraph,
    Text,
    loads,
    walk,
)
from converters.writers.docx import write_docx
from tests.conftest import FIXTURES, ROOT, SAMPLE

pytestmark = pytest.mark.slow

FONTCONFIG = ROOT / "templates" / "docx" / "fontconfig.conf"

CANONICAL = loads((FIXTURES / "canonical.json").read_text(encoding="utf-8"))
MISSING = Document(blocks=(Paragraph((Text("前文"), Image("nowhere/gone.png", "缺失的图"), Text("后文"))),
                           Figure(Image("nowhere/lost.jpg", "丢失"), (Text("这张图片找不到了"),)),
                           Paragraph((Text("结尾"), LineBreak(), Link((Text("链接"),), "a b.html")))))
NESTED = Document(blocks=(
    BlockQuote((Paragraph((Text("第一段引文"),)),)),
    BlockQuote((Paragraph((Text("第二段引文"),)), BlockQuote((Heading(3, (Text("引文中的标题"),)),)))),
    List((ListItem((Heading(4, (Text("列表中的标题"),)), Paragraph((Text("列表项正文"),)))),
          ListItem((Paragraph((Emph((Emph((Text("重复强调"),)),)), Emph((Text("相邻强调"),)))),))),
         ordered=True, start=3),
    Credit((Text("（通讯员 李雷）"),)),
))


def squash(text: str) -> str:
    """Text without any whitespace: PDF extraction adds spaces and line breaks of its own."""
    return re.sub(r"\s+", "", text)


def expected_texts(doc: Document) -> list[str]:
    """Every block's visible text (image alt texts are not printed), in document order."""
    out = [squash(t) for t in (doc.meta.title, doc.meta.subtitle) if t]
    for node in walk(doc.blocks):
        if isinstance(node, (Paragraph, Figure)) or type(node).__name__ in ("Heading", "Credit"):
            inlines = node.caption if isinstance(node, Figure) else node.children  # type: ignore[attr-defined]
            text = "".join(n.text for n in walk(inlines) if isinstance(n, Text))
            if isinstance(node, Figure):
                text = f"图{node.number or ''}" + text if node.number else "图" + text
            out.append(squash(text))
    return [t for t in out if t]


def assert_in_order(texts: list[str], pdf_text: str) -> None:
    position = 0
    for text in texts:
        found = pdf_text.find(text, position)
        assert found >= 0, f"{text!r} missing (or out of order) after position {position}"
        position = found + len(text)


@pytest.fixture(scope="module")
def pdfs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Each test document written as DOCX and converted to PDF by LibreOffice in one run."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None or shutil.which("pdftotext") is None:
        pytest.skip("LibreOffice or pdftotext is not installed")
    folder = tmp_path_factory.mktemp("lo")
    docs: dict[str, tuple[Document, Path | None]] = {
        "canonical": (CANONICAL, FIXTURES), "missing": (MISSING, folder), "nested": (NESTED, folder)}
    try:
        from converters.pipeline import read

        docs["sample"] = (read(SAMPLE), SAMPLE.parent)
    except ImportError:
        pass  # the text reader has not landed yet
    for name, (doc, base) in docs.items():
        (folder / f"{name}.docx").write_bytes(write_docx(doc, Context(base_dir=base)))
    profile = (folder / "profile").as_uri()
    env = {**os.environ, "FONTCONFIG_FILE": str(FONTCONFIG)}  # 宋体/黑体 -> Noto Serif/Sans CJK
    run = subprocess.run(
        [soffice, f"-env:UserInstallation={profile}", "--headless", "--convert-to", "pdf", "--outdir", str(folder),
         *(str(folder / f"{name}.docx") for name in docs)],
        capture_output=True, text=True, timeout=300, env=env,
    )
    assert run.returncode == 0, run.stderr
    for name in docs:
        assert (folder / f"{name}.pdf").exists(), f"LibreOffice wrote no PDF for {name}: {run.stdout} {run.stderr}"
    return {name: folder / f"{name}.pdf" for name in docs}


@pytest.fixture(scope="module")
def converted(pdfs: dict[str, Path]) -> dict[str, str]:
    """The PDFs' text, whitespace squashed, page numbers (lines of digits alone) dropped."""
    out = {}
    for name, pdf in pdfs.items():
        text = subprocess.run(["pdftotext", "-layout", "-enc", "UTF-8", str(pdf), "-"], capture_output=True, text=True,
                              check=True).stdout
        out[name] = squash("\n".join(line for line in text.splitlines() if not line.strip().isdigit()))
    return out


def test_canonical_with_images_keeps_every_paragraph_in_order(converted: dict[str, str]) -> None:
    from converters.cleaners.figures import number_figures

    assert_in_order(expected_texts(number_figures(CANONICAL)), converted["canonical"])
    assert "2024年3月11日·来源：示例日报·作者：张三李四·责任编辑：王五" in converted["canonical"]


def test_missing_images_leave_no_visible_trace(converted: dict[str, str]) -> None:
    text = converted["missing"]
    assert_in_order(["前文后文", "图1这张图片找不到了", "结尾链接"], text)
    for leak in ("PRESSROOM", "ADDIN", "nowhere", "src", "缺失的图"):
        assert leak not in text


def test_pages_are_numbered_in_the_footer(pdfs: dict[str, Path]) -> None:
    pdf = pdfs["canonical"]
    pages = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    count = int(re.search(r"Pages:\s+(\d+)", pages).group(1))  # type: ignore[union-attr]
    assert count >= 2
    for page in range(1, count + 1):
        text = subprocess.run(["pdftotext", "-layout", "-f", str(page), "-l", str(page), str(pdf), "-"],
                              capture_output=True, text=True, check=True).stdout
        assert [line.strip() for line in text.splitlines() if line.strip()][-1] == str(page)


def test_body_in_song_headings_in_hei(pdfs: dict[str, Path]) -> None:
    """With the house faces resolvable, LibreOffice sets body text in a serif and headings in a sans CJK face."""
    if shutil.which("pdffonts") is None:
        pytest.skip("pdffonts is not installed")
    listing = subprocess.run(["pdffonts", str(pdfs["canonical"])], capture_output=True, text=True, check=True).stdout
    fonts = [line.split()[0] for line in listing.splitlines()[2:] if line.strip()]
    assert any("SerifCJK" in f for f in fonts), fonts
    assert any("SansCJK" in f for f in fonts), fonts


def test_content_controls_render_their_content_once(converted: dict[str, str]) -> None:
    text = converted["nested"]
    assert_in_order(expected_texts(NESTED), text)
    assert "3.列表中的标题" not in text  # the number goes on the first paragraph only
    for once in ("第二段引文", "引文中的标题", "列表项正文", "重复强调相邻强调"):
        assert text.count(once) == 1, once


def test_sample_keeps_every_paragraph_in_order(converted: dict[str, str]) -> None:
    if "sample" not in converted:
        pytest.skip("the text reader has not landed yet")
    from converters.cleaners.figures import number_figures
    from converters.pipeline import read

    assert_in_order(expected_texts(number_figures(read(SAMPLE))), converted["sample"])

"""The PDF writer on the canonical document (every node type), anthologies and bad input."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pdfplumber
import pytest

from converters.context import Context
from converters.tree import Book, Document, Figure, Heading, Image, Link, Meta, Paragraph, Text, loads, plain_text, walk
from converters.writers.pdf import _fetcher, write_pdf
from tests import pdfcheck
from tests.conftest import FIXTURES

pytestmark = pytest.mark.slow
EPOCH = 1_700_000_000  # 2023-11-14T22:13:20Z


@pytest.fixture(scope="module")
def canonical() -> Document:
    return loads((FIXTURES / "canonical.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def pdf(canonical: Document, tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("canonical") / "canonical.pdf"
    return pdfcheck.render(canonical, path, base_dir=FIXTURES, source_date_epoch=EPOCH)


def qpdf_json(pdf: Path) -> dict:
    import json

    out = subprocess.run(["qpdf", "--json=1", str(pdf)], capture_output=True, check=True, text=True).stdout
    return json.loads(out)


def test_text_has_title_block_headings_paragraphs_and_captions_in_order(canonical: Document, pdf: Path) -> None:
    from converters.cleaners.figures import number_figures

    meta = canonical.meta
    head = [meta.title or "", meta.subtitle or "", "2024年3月11日 · 来源：示例日报 · 作者：张三 李四 · 责任编辑：王五"]
    pdfcheck.assert_in_order(pdfcheck.body_text(pdf), head + pdfcheck.text_units(number_figures(canonical)))


def test_figures_are_numbered_and_a_missing_photo_keeps_its_caption(pdf: Path) -> None:
    text = pdfcheck.norm(pdfcheck.body_text(pdf))
    assert re.search("图1改造后的粮仓外景", text)
    assert "图2夜间的阅读区（图略）" in text
    assert "图3书房平面示意图" in text


def test_images_fit_the_measure(pdf: Path) -> None:
    left, right = pdfcheck.left_edge(), pdfcheck.right_edge()
    with pdfplumber.open(pdf) as doc:
        images = [img for page in doc.pages for img in page.images if img["width"] > 50]
    assert len(images) == 2
    for img in images:
        assert img["x0"] >= left - 0.5 and img["x1"] <= right + 0.5
        assert img["height"] <= 0.65 * (210 - 18 - 17) / 25.4 * 72
    # The landscape photo spans the measure; the square diagram is limited by the height.
    assert abs(images[0]["width"] - (right - left)) < 0.5


def test_caption_is_under_its_figure_on_the_same_page(pdf: Path) -> None:
    with pdfplumber.open(pdf) as doc:
        for page in doc.pages:
            for img in (i for i in page.images if i["width"] > 50):
                below = [w for w in page.extract_words() if w["top"] > img["bottom"]]
                assert below and below[0]["text"].startswith("图"), page.page_number


def test_headings_are_kept_with_the_next_paragraph(canonical: Document, pdf: Path) -> None:
    headings = [plain_text(b) for b in canonical.blocks if isinstance(b, Heading)]
    with pdfplumber.open(pdf) as doc:
        for page in doc.pages:
            lines = [ln for ln in pdfcheck.lines(pdf) if ln.page == page.page_number and ln.size > 9]
            if lines:
                assert pdfcheck.norm(lines[-1].text) not in headings


def test_credit_is_right_aligned(pdf: Path) -> None:
    lines = [ln for ln in pdfcheck.lines(pdf, 10.5) if "本报记者" in ln.text]
    assert len(lines) == 1
    assert abs(lines[0].x1 - pdfcheck.right_edge()) < 0.6


def test_links_are_pdf_links(canonical: Document, pdf: Path) -> None:
    urls = {n.url for n in walk(canonical) if isinstance(n, Link) and n.url.startswith("http")}
    with pdfplumber.open(pdf) as doc:
        found = {h["uri"] for page in doc.pages for h in page.hyperlinks}
    assert urls and urls <= found


def test_metadata_language_dates_and_bookmarks(canonical: Document, pdf: Path) -> None:
    info = subprocess.run(["pdfinfo", "-isodates", str(pdf)], capture_output=True, text=True, check=True).stdout
    assert f"Title:           {canonical.meta.title}" in info
    assert "Author:          张三 李四" in info
    assert "Subject:         一座旧粮仓的新生" in info
    assert "Keywords:        城市书房, 公共文化" in info
    assert "CreationDate:    2024-03-11T00:00:00Z" in info
    assert "ModDate:         2023-11-14T22:13:20Z" in info
    data = qpdf_json(pdf)
    catalog = next(v for v in data["objects"].values() if isinstance(v, dict) and v.get("/Type") == "/Catalog")
    assert catalog["/Lang"] in ("zh-CN", "u:zh-CN")
    outline = data["outlines"]
    assert [o["title"] for o in outline] == [canonical.meta.title]
    sections = [k["title"] for k in outline[0]["kids"]]
    top = min(b.level for b in canonical.blocks if isinstance(b, Heading))
    assert sections == [plain_text(b) for b in canonical.blocks if isinstance(b, Heading) and b.level == top]
    assert [k["title"] for k in outline[0]["kids"][-1]["kids"]] == ["读者心声"]


def test_same_input_same_text_and_dates(canonical: Document, tmp_path: Path) -> None:
    a = pdfcheck.render(canonical, tmp_path / "a.pdf", base_dir=FIXTURES, source_date_epoch=EPOCH)
    b = pdfcheck.render(canonical, tmp_path / "b.pdf", base_dir=FIXTURES, source_date_epoch=EPOCH)
    assert a.read_bytes() == b.read_bytes()


def test_book_starts_each_article_on_a_new_page(canonical: Document, tmp_path: Path) -> None:
    second = Document(
        Meta(title="第二篇：社区食堂开业", date="2024-03-12"), (Paragraph((Text("社区食堂今天开业。"),)),)
    )
    book = Book(Meta(title="示例日报合集"), (canonical, second))
    pdf = pdfcheck.render(book, tmp_path / "book.pdf", base_dir=FIXTURES)
    with pdfplumber.open(pdf) as doc:
        top = 18 / 25.4 * 72  # the running head sits in the top margin: read the text block only
        pages = [pdfcheck.norm(p.crop((0, top, p.width, p.height)).extract_text() or "") for p in doc.pages]
    first_title = pdfcheck.norm(canonical.meta.title or "")
    starts = [i for i, text in enumerate(pages) if text.startswith(first_title) or text.startswith("第二篇")]
    assert pages[0].startswith("示例日报合集")
    assert len(starts) == 2 and starts[0] == 1
    assert pages[starts[1]].startswith("第二篇：社区食堂开业")
    assert "社区食堂今天开业" not in "".join(pages[: starts[1]])


def _doc_with_image(src: str) -> Document:
    return Document(
        Meta(title="图片测试"),
        (
            Paragraph((Text("正文第一段。"),)),
            Figure(Image(src, "示意"), (Text("现场照片"),)),
            Paragraph((Text("正文第二段。"),)),
        ),
    )


def _huge_png(path: Path) -> None:
    import struct
    import zlib

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", 10_000, 6_000, 8, 0, 0, 0, 0)  # 60 MP, grey
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"\0" * 100)))


@pytest.mark.parametrize(
    ("name", "code"),
    [
        ("missing.png", "image-missing"),
        ("corrupt.jpg", "image-corrupt"),
        ("huge.png", "image-too-large"),
        ("http://127.0.0.1:9/remote.png", "remote-not-fetched"),
        ("../outside.png", "resource-outside-folder"),
    ],
)
def test_bad_image_keeps_the_caption_and_warns(name: str, code: str, tmp_path: Path) -> None:
    folder = tmp_path / "article"
    folder.mkdir()
    (folder / "corrupt.jpg").write_bytes(b"\xff\xd8\xff\xe0 not really a jpeg")
    _huge_png(folder / "huge.png")
    (tmp_path / "outside.png").write_bytes((FIXTURES / "images" / "diagram.png").read_bytes())
    ctx = Context(base_dir=folder)
    data = write_pdf(_doc_with_image(name), ctx)
    pdf = tmp_path / "out.pdf"
    pdf.write_bytes(data)
    assert [d.code for d in ctx.diagnostics] == [code]
    text = pdfcheck.norm(pdfcheck.body_text(pdf))
    assert "正文第一段。图1现场照片（图略）正文第二段。" in text
    with pdfplumber.open(pdf) as doc:
        assert not any(page.images for page in doc.pages)


def test_fetcher_serves_nothing_outside_the_allowed_folders(tmp_path: Path) -> None:
    fetcher = _fetcher((tmp_path.resolve(),), False)
    (tmp_path / "ok.css").write_text("p {}", encoding="utf-8")
    assert fetcher.fetch((tmp_path / "ok.css").as_uri()).read() == b"p {}"
    for url in ("file:///etc/passwd", "http://127.0.0.1:9/x.png", "https://example.com/a.css", "ftp://x/y"):
        with pytest.raises(ValueError):
            fetcher.fetch(url)


def test_paragraphs_with_inline_markup_are_justified(canonical: Document, pdf: Path) -> None:
    """Links, bold and emphasis split a line into several boxes; the line still reaches the edge.

    A hard line break ends a line like a paragraph end, so each segment is measured on its own.
    """
    from converters.tree import LineBreak

    segments: list[Paragraph] = []
    for block in canonical.blocks:
        if isinstance(block, Paragraph):
            current: list = []
            for child in (*block.children, LineBreak()):
                if isinstance(child, LineBreak):
                    segments.append(Paragraph(tuple(current)))
                    current = []
                else:
                    current.append(child)
    split = Document(canonical.meta, tuple(segments))
    paragraphs = pdfcheck.paragraph_lines(pdfcheck.lines(pdf, 10.5), split)
    assert sum(len(p) - 1 for p in paragraphs) >= 5
    assert not pdfcheck.ragged(paragraphs, pdfcheck.right_edge())


def test_inline_image_sits_in_its_caption_line(pdf: Path) -> None:
    with pdfplumber.open(pdf) as doc:
        for page in doc.pages:
            icons = [i for i in page.images if i["width"] < 20]
            if not icons:
                continue
            icon = icons[0]
            opening = next(c for c in page.chars if c["text"] == "（" and c["size"] < 10)
            assert opening["top"] - 2 < (icon["top"] + icon["bottom"]) / 2 < opening["bottom"] + 2
            assert abs(icon["x0"] - opening["x1"]) < 1.5
            return
    raise AssertionError("no inline image found")


def test_marks_around_an_inline_image_stay_with_it() -> None:
    from converters.writers.pdf import html_for

    ctx = Context(base_dir=FIXTURES)
    para = Paragraph((Text("图标（"), Image("images/diagram.png", "点"), Text("）表示入口")))
    markup = html_for(Document(Meta(), (para,)), ctx)
    assert re.search(r'图标<span class="nobr">（<img class="inline"[^>]+>\u2060?）</span>表示入\u2060?口', markup)


def test_a_single_mark_between_two_inline_images_is_set_once() -> None:
    # Found by the property test: the mark went into the first image's span, leaving an empty
    # text before the second image, whose "last character" lookup then failed.
    from converters.writers.pdf import html_for

    ctx = Context(base_dir=FIXTURES)
    para = Paragraph((Image("images/diagram.png", "甲"), Text("、"), Image("images/diagram.png", "乙"), Text("")))
    markup = html_for(Document(Meta(), (para,)), ctx)
    assert markup.count("、") == 1 and markup.count('<img class="inline"') == 2


def test_the_last_line_of_a_paragraph_never_holds_a_lone_character(tmp_path: Path) -> None:
    from converters.writers.pdf import page

    # Each paragraph is cut where it would end with one character on its own line.
    base = "记者从市文化局获悉，全市公共图书馆今年共接待读者三百余万人次，比上年增长两成"
    paras = tuple(Paragraph((Text(base[: n] + "。"),)) for n in range(28, len(base) + 1))
    doc = Document(Meta(title="孤字测试"), paras)
    pdf = pdfcheck.render(doc, tmp_path / "runts.pdf")
    lines = pdfcheck.paragraph_lines(pdfcheck.lines(pdf, page.page_spec("A5").font_size), doc)
    multi = [p for p in lines if len(p) > 1]
    assert multi, "no paragraph ran over a line: the test measures nothing"
    runts = [pdfcheck.norm(p[-1].text) for p in multi if len(pdfcheck.norm(p[-1].text).rstrip("。")) < 2]
    assert not runts

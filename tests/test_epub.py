"""EPUB writer: XML parts against goldens, read back with ebooklib, zip layout, reproducibility.

The validity checks with both EPUBCheck versions are in ``test_epub_check.py``.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from lxml import etree

from converters import pipeline
from converters.context import Context, Options
from converters.tree import Book, Document, Figure, Heading, Image, Link, Meta, Paragraph, Text, plain_text, query
from converters.writers.epub import write_epub
from converters.writers.epub.package import title_of
from tests.conftest import FIXTURES, ROOT, SAMPLE
from tests.golden import assert_golden
from tests.strategies import documents

GOLDENS = Path(__file__).resolve().parent / "goldens" / "epub"
EPOCH = 1_710_000_000  # 2024-03-09T16:00:00Z
NS = {"x": "http://www.w3.org/1999/xhtml", "epub": "http://www.idpf.org/2007/ops"}
OPF = {"opf": "http://www.idpf.org/2007/opf", "dc": "http://purl.org/dc/elements/1.1/"}
CANONICAL = FIXTURES / "canonical.json"
#: Every article under tests/ (our fixtures); the bundled sample is added when the text reader exists.
ARTICLES = [CANONICAL, *sorted(FIXTURES.glob("epub-*.json"))]


def text_reader_available() -> bool:
    try:
        pipeline.read(SAMPLE)
    except ImportError:
        return False
    return True


def build(tree: Document | Book, **options: object) -> tuple[bytes, Context]:
    ctx = Context(options=Options(source_date_epoch=EPOCH, **options), base_dir=FIXTURES)  # type: ignore[arg-type]
    return write_epub(tree, ctx), ctx


def anthology_inputs() -> list[Path]:
    return [*ARTICLES, *([SAMPLE] if text_reader_available() else [])]


def anthology(**options: object) -> bytes:
    docs = [pipeline.read(p) for p in anthology_inputs()]
    opts = Options(book_title="三月新闻选", source_date_epoch=EPOCH, **options)  # type: ignore[arg-type]
    return write_epub(pipeline.make_book(docs, opts), Context(options=opts, base_dir=FIXTURES))


def part(epub: bytes, name: str) -> str:
    with zipfile.ZipFile(io.BytesIO(epub)) as z:
        return z.read(f"EPUB/{name}").decode("utf-8")


def xml(epub: bytes, name: str) -> etree._Element:
    return etree.fromstring(part(epub, name).encode("utf-8"))


@pytest.fixture(scope="module")
def canonical_doc() -> Document:
    return pipeline.read(CANONICAL)


@pytest.fixture(scope="module")
def canonical_epub(canonical_doc: Document) -> bytes:
    return build(canonical_doc)[0]


@pytest.fixture(scope="module")
def sample_doc() -> Document:
    if not text_reader_available():
        pytest.skip("the text reader is not available yet")
    return pipeline.read(SAMPLE)


@pytest.fixture(scope="module")
def book_epub() -> bytes:
    return anthology()


# --------------------------------------------------------------------------- goldens

GOLDEN_PARTS = ["content.opf", "nav.xhtml", "toc.ncx", "cover.xhtml", "ch001.xhtml"]


@pytest.mark.parametrize("name", GOLDEN_PARTS)
def test_canonical_parts_match_goldens(canonical_epub: bytes, name: str) -> None:
    assert_golden(part(canonical_epub, name), GOLDENS / "canonical" / name)


@pytest.mark.parametrize("name", ["content.opf", "nav.xhtml", "toc.ncx", "cover.xhtml"])
def test_anthology_parts_match_goldens(name: str) -> None:
    docs = [pipeline.read(p) for p in ARTICLES]  # without the sample: its reader is another module's
    opts = Options(book_title="三月新闻选", source_date_epoch=EPOCH)
    epub = write_epub(pipeline.make_book(docs, opts), Context(options=opts, base_dir=FIXTURES))
    assert_golden(part(epub, name), GOLDENS / "anthology" / name)


# --------------------------------------------------------------------------- zip and reproducibility


def test_mimetype_is_first_and_stored(canonical_epub: bytes) -> None:
    with zipfile.ZipFile(io.BytesIO(canonical_epub)) as z:
        first = z.infolist()[0]
        assert first.filename == "mimetype"
        assert first.compress_type == zipfile.ZIP_STORED
        assert not first.extra
        assert z.read(first) == b"application/epub+zip"
    # Readers sniff the bytes at offset 30: the name, then the media type, with nothing between.
    assert canonical_epub[30:38] == b"mimetype"
    assert canonical_epub[38:58] == b"application/epub+zip"


def test_two_processes_with_same_source_date_epoch_give_identical_files(tmp_path: Path) -> None:
    env = {**os.environ, "SOURCE_DATE_EPOCH": str(EPOCH), "PYTHONPATH": str(ROOT)}
    outs = []
    for i, seed in enumerate(["1", "2"]):  # different hash seeds: no set or dict order may leak
        out = tmp_path / f"b{i}.epub"
        cmd = [sys.executable, "-m", "converters", "convert", *map(str, ARTICLES), "-o", str(out), "--title", "合集"]
        cmd += ["--embed-fonts", "--cover", str(FIXTURES / "images" / "photo.jpg")]
        subprocess.run(cmd, cwd=ROOT, env={**env, "PYTHONHASHSEED": seed}, check=True, capture_output=True)
        outs.append(out.read_bytes())
    assert outs[0] == outs[1]
    with zipfile.ZipFile(io.BytesIO(outs[0])) as z:
        stamps = {info.date_time for info in z.infolist()}
    assert stamps == {dt.datetime.fromtimestamp(EPOCH, dt.UTC).timetuple()[:6]}


def test_modified_comes_from_epoch_else_article_date(canonical_doc: Document, monkeypatch) -> None:
    def modified(epub: bytes) -> str:
        return str(xml(epub, "content.opf").xpath("//opf:meta[@property='dcterms:modified']/text()", namespaces=OPF)[0])

    assert modified(build(canonical_doc)[0]) == "2024-03-09T16:00:00Z"
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    assert modified(write_epub(canonical_doc, Context(base_dir=FIXTURES))) == "2024-03-11T00:00:00Z"
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "0")
    assert modified(write_epub(canonical_doc, Context(base_dir=FIXTURES))) == "1970-01-01T00:00:00Z"


# --------------------------------------------------------------------------- reading back


def read_back(epub: bytes, tmp_path: Path):  # type: ignore[no-untyped-def]
    from ebooklib import epub as ebook

    path = tmp_path / "book.epub"
    path.write_bytes(epub)
    return ebook.read_epub(str(path), {"ignore_ncx": False})


def dc(book, name: str) -> list[str]:  # type: ignore[no-untyped-def]
    return [value for value, _ in book.get_metadata("DC", name)]


def test_metadata_reads_back(canonical_doc: Document, canonical_epub: bytes, tmp_path: Path) -> None:
    book = read_back(canonical_epub, tmp_path)
    meta = canonical_doc.meta
    assert dc(book, "title") == [meta.title]
    assert dc(book, "language") == ["zh-CN"]
    assert dc(book, "creator") == [meta.author]
    assert dc(book, "date") == [meta.date]
    assert dc(book, "publisher") == [meta.publisher]
    assert dc(book, "source") == [meta.url]
    assert dc(book, "contributor") == [meta.editor]
    (uid,) = dc(book, "identifier")
    assert uid.startswith("urn:uuid:")
    again = write_epub(canonical_doc, Context(options=Options(source_date_epoch=1), base_dir=FIXTURES))
    assert dc(read_back(again, tmp_path), "identifier") == [uid]  # the same article, the same identifier


def test_identifier_without_url_follows_content_and_creator_falls_back_to_source(tmp_path: Path) -> None:
    doc = Document(Meta(title="无网址的稿件", source="示例电台"), (Paragraph((Text("正文第一段。"),)),))
    other = dataclasses.replace(doc, blocks=(Paragraph((Text("正文改了一个字。"),)),))
    first, second, changed = (read_back(build(d)[0], tmp_path) for d in (doc, doc, other))
    assert dc(first, "identifier") == dc(second, "identifier") != dc(changed, "identifier")
    assert dc(first, "creator") == ["示例电台"]
    assert dc(first, "source") == []


def toc_labels(nav: etree._Element) -> list[str]:
    return [" ".join(a.itertext()) for a in nav.xpath("//x:nav[@epub:type='toc']//x:a", namespaces=NS)]


def flatten_toc(entries) -> list[str]:  # type: ignore[no-untyped-def]
    out: list[str] = []
    for entry in entries:
        if isinstance(entry, tuple):
            out += [entry[0].title, *flatten_toc(entry[1])]
        else:
            out.append(entry.title)
    return out


def test_nav_lists_the_headings(canonical_doc: Document, canonical_epub: bytes, tmp_path: Path) -> None:
    headings = [plain_text(h) for h in query(canonical_doc, Heading)]
    assert toc_labels(xml(canonical_epub, "nav.xhtml")) == headings
    assert flatten_toc(read_back(canonical_epub, tmp_path).toc) == headings
    ncx_labels = xml(canonical_epub, "toc.ncx").xpath("//n:navLabel/n:text/text()", namespaces={"n": "http://www.daisy.org/z3986/2005/ncx/"})
    assert ncx_labels == headings
    landmarks = xml(canonical_epub, "nav.xhtml").xpath("//x:nav[@epub:type='landmarks']//x:a/@epub:type", namespaces=NS)
    assert landmarks == ["cover", "bodymatter"]


def captions(epub: bytes, page: str) -> list[str]:
    figs = xml(epub, page).xpath("//x:figure/x:figcaption", namespaces=NS)
    return ["".join(f.itertext()) for f in figs]


def test_canonical_figures_are_numbered_and_embedded(canonical_epub: bytes) -> None:
    caps = captions(canonical_epub, "ch001.xhtml")
    assert [c.split(" ", 2)[:2] for c in caps] == [["图", "1"], ["图", "2"], ["图", "3"]]
    assert caps[1] == "图 2 夜间的阅读区"  # a caption without its picture keeps its number
    from PIL import Image as PILImage

    manifest = xml(canonical_epub, "content.opf").xpath("//opf:item", namespaces=OPF)
    pictures = [i for i in manifest if i.get("media-type").startswith("image/")]
    assert len(pictures) == 2  # photo.jpg, diagram.png (used twice, stored once)
    with zipfile.ZipFile(io.BytesIO(canonical_epub)) as z:
        for item in pictures:
            with PILImage.open(io.BytesIO(z.read("EPUB/" + item.get("href")))) as img:
                assert item.get("media-type") == PILImage.MIME[img.format]


def test_sample_has_five_numbered_figcaptions(sample_doc: Document, tmp_path: Path) -> None:
    epub = build(sample_doc)[0]
    caps = captions(epub, "ch001.xhtml")
    assert [c.split(" ")[:2] for c in caps] == [["图", str(n)] for n in range(1, 6)]
    book = read_back(epub, tmp_path)
    assert dc(book, "title") == [sample_doc.meta.title]
    headings = [" ".join(plain_text(h).split()) for h in query(sample_doc, Heading)]
    assert toc_labels(xml(epub, "nav.xhtml")) == headings
    assert flatten_toc(book.toc) == headings


def test_article_without_headings_is_listed_by_its_title(canonical_doc: Document) -> None:
    doc = Document(canonical_doc.meta, tuple(b for b in canonical_doc.blocks if not isinstance(b, Heading)))
    assert toc_labels(xml(build(doc)[0], "nav.xhtml")) == [canonical_doc.meta.title]


def test_missing_and_corrupt_images_keep_captions_with_warnings(tmp_path: Path) -> None:
    (tmp_path / "broken.jpg").write_bytes(b"\xff\xd8\xff\xe0 not really a jpeg")
    doc = Document(
        Meta(title="图片缺失"),
        (
            Figure(Image("gone.jpg", "不在了"), (Text("丢失的图片"),)),
            Figure(Image("broken.jpg", "坏了"), (Text("损坏的图片"),)),
        ),
    )
    ctx = Context(options=Options(source_date_epoch=EPOCH), base_dir=tmp_path)
    epub = write_epub(doc, ctx)
    assert captions(epub, "ch001.xhtml") == ["图 1 丢失的图片", "图 2 损坏的图片"]
    assert not xml(epub, "ch001.xhtml").xpath("//x:img", namespaces=NS)
    assert {d.code for d in ctx.diagnostics} == {"image-missing", "image-corrupt"}


# --------------------------------------------------------------------------- anthology


def test_anthology_has_a_chapter_per_article_grouped_by_date(book_epub: bytes, tmp_path: Path) -> None:
    docs = [pipeline.read(p) for p in anthology_inputs()]
    nav = xml(book_epub, "nav.xhtml")
    groups = nav.xpath("//x:nav[@epub:type='toc']/x:ol/x:li/x:span/text()", namespaces=NS)
    dates = sorted({d.meta.date for d in docs if d.meta.date})
    assert groups[: len(dates)] == dates
    assert groups[len(dates) :] == (["日期不详"] if any(not d.meta.date for d in docs) else [])
    chapters = nav.xpath("//x:nav[@epub:type='toc']/x:ol/x:li/x:ol/x:li/x:a/text()", namespaces=NS)
    assert sorted(chapters) == sorted(title_of(d.meta, d) for d in docs)
    book = read_back(book_epub, tmp_path)
    assert dc(book, "title") == ["三月新闻选"]
    spine = [idref for idref, _ in book.spine]
    assert spine == ["cover", "nav", *(f"ch{i:03d}" for i in range(1, len(docs) + 1))]
    # Every chapter has its own metadata line.
    for i in range(1, len(docs) + 1):
        page = xml(book_epub, f"ch{i:03d}.xhtml")
        assert page.xpath("//x:header/x:h1/text()", namespaces=NS)
        title = page.xpath("//x:header/x:h1/text()", namespaces=NS)[0]
        doc = next(d for d in docs if title_of(d.meta, d) == title)
        line = "".join(t for m in page.xpath("//x:p[@class='meta']", namespaces=NS) for t in m.itertext())
        assert not doc.meta.source or f"来源：{doc.meta.source}" in line
        assert (doc.meta.date or "") in line


def test_anthology_grouped_by_source() -> None:
    docs = [pipeline.read(p) for p in ARTICLES]
    opts = Options(book_title="按来源", group_by="source", source_date_epoch=EPOCH)
    epub = write_epub(pipeline.make_book(docs, opts), Context(options=opts, base_dir=FIXTURES))
    groups = xml(epub, "nav.xhtml").xpath("//x:nav[@epub:type='toc']/x:ol/x:li/x:span/text()", namespaces=NS)
    assert groups == list(dict.fromkeys(d.meta.source for d in docs))


# --------------------------------------------------------------------------- any tree


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(doc=documents)
def test_any_document_gives_wellformed_pages_with_its_text(doc: Document) -> None:
    epub, _ = build(doc)
    page = xml(epub, "ch001.xhtml")  # parses: well-formed XML
    text = "".join(page.xpath("//x:section", namespaces=NS)[0].itertext())
    squeeze = "".join
    for para in query(doc, Paragraph):
        words = plain_text(para).replace("\n", "")
        assert squeeze(words.split()) in squeeze(text.split()) or query(para, Image)
    figures = query(doc, Figure)
    assert len(page.xpath("//x:figcaption/x:span[@class='figure-label']", namespaces=NS)) == len(figures)
    ids = page.xpath("//@id")
    assert len(ids) == len(set(ids))
    assert not page.xpath("//x:a//x:a", namespaces=NS)  # HTML forbids nested links


def test_book_command_makes_one_chapter_per_article(tmp_path: Path, monkeypatch) -> None:
    from converters.cli import main

    folder = tmp_path / "articles"
    shutil.copytree(FIXTURES / "images", folder / "images")
    for path in ARTICLES:
        shutil.copy(path, folder / path.name)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(EPOCH))
    out = tmp_path / "book.epub"
    assert main(["book", str(folder), "-o", str(out), "--title", "合集", "--group-by", "source"]) == 0
    epub = out.read_bytes()
    assert xml(epub, "content.opf").xpath("//dc:title/text()", namespaces=OPF) == ["合集"]
    with zipfile.ZipFile(io.BytesIO(epub)) as z:
        assert sorted(n for n in z.namelist() if n.startswith("EPUB/ch")) == [
            f"EPUB/ch{i:03d}.xhtml" for i in range(1, len(ARTICLES) + 1)
        ]



def test_control_characters_and_unsafe_links_do_not_reach_the_xml() -> None:
    doc = Document(
        Meta(title="标题\x01里有\ufffe控制符", source="来\x01源"),
        (
            Paragraph(
                (Text("正文\x08一段"), Link((Text("脚本"),), "javascript:alert(1)"), Link((Text("站内"),), "/a b.html"))
            ),
            Paragraph((Link((Text("外链"),), "https://example.cn/新闻 1.html"),)),
        ),
    )
    epub, _ = build(doc)
    page = xml(epub, "ch001.xhtml")
    assert page.xpath("//x:h1/text()", namespaces=NS) == ["标题里有控制符"]
    assert page.xpath("//x:a/@href", namespaces=NS) == ["https://example.cn/%E6%96%B0%E9%97%BB%201.html"]
    assert "".join(page.xpath("//x:section/x:p", namespaces=NS)[0].itertext()) == "正文一段脚本站内"
    assert xml(epub, "content.opf").xpath("//dc:creator/text()", namespaces=OPF) == ["来源"]


def test_headings_nest_in_the_contents_by_level() -> None:
    doc = Document(
        Meta(title="层级"),
        tuple(Heading(level, (Text(name),)) for level, name in [(1, "一"), (3, "一之一"), (2, "一之二"), (1, "二")]),
    )
    nav = xml(build(doc)[0], "nav.xhtml")
    top = nav.xpath("//x:nav[@epub:type='toc']/x:ol/x:li", namespaces=NS)
    tree = [(li.xpath("string(x:a)", namespaces=NS), li.xpath("x:ol/x:li/x:a/text()", namespaces=NS)) for li in top]
    assert tree == [("一", ["一之一", "一之二"]), ("二", [])]
    page = xml(build(doc)[0], "ch001.xhtml")  # level-1 headings move down one: h1 is the title
    levels = page.xpath("//x:section/*[starts-with(local-name(), 'h') and local-name() != 'header']", namespaces=NS)
    assert [h.tag.split("}")[1] for h in levels] == ["h2", "h4", "h3", "h2"]

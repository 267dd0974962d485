"""DOCX writer: XML parts against goldens, the issue's acceptance counts, CJK styling, reproducibility."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import docx
import pytest
from lxml import etree

from converters.context import Context, Options
from converters.readers.docx import read_docx
from converters.tree import Credit, Document, Figure, Heading, Image, List, ListItem, Meta, Paragraph, Text, loads
from converters.writers.docx import write_docx
from tests.conftest import FIXTURES, SAMPLE
from tests.golden import assert_golden

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
GOLDENS = Path(__file__).resolve().parent / "goldens" / "docx"
CANONICAL = loads((FIXTURES / "canonical.json").read_text(encoding="utf-8"))
PARTS = [
    "[Content_Types].xml",
    "_rels/.rels",
    "word/document.xml",
    "word/_rels/document.xml.rels",
    "word/styles.xml",
    "word/numbering.xml",
    "word/settings.xml",
    "word/fontTable.xml",
    "word/footer1.xml",
    "docProps/core.xml",
    "docProps/app.xml",
    "customXml/item1.xml",
]


def build(doc: Document, base: Path | None = FIXTURES, **options: object) -> tuple[bytes, Context]:
    ctx = Context(options=Options(**options), base_dir=base)  # type: ignore[arg-type]
    return write_docx(doc, ctx), ctx


def parts(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def pretty(xml: bytes) -> str:
    root = etree.fromstring(xml, etree.XMLParser(remove_blank_text=True))
    return etree.tostring(root, pretty_print=True, encoding="unicode")


@pytest.fixture(scope="module")
def canonical_parts() -> dict[str, bytes]:
    return parts(build(CANONICAL, source_date_epoch=1710000000)[0])


@pytest.mark.parametrize("name", PARTS)
def test_canonical_part_matches_golden(canonical_parts: dict[str, bytes], name: str) -> None:
    stem = name.replace("/", "__").replace("[", "").replace("]", "")
    golden = GOLDENS / (stem if stem.endswith(".xml") else stem + ".xml")
    assert_golden(pretty(canonical_parts[name]), golden)


STRUCTURES = loads((FIXTURES / "docx" / "structures.json").read_text(encoding="utf-8"))


@pytest.mark.parametrize("name", ["word/document.xml", "word/numbering.xml", "word/_rels/document.xml.rels",
                                  "customXml/item1.xml", "docProps/core.xml"])
def test_structures_part_matches_golden(name: str, tmp_path: Path) -> None:
    """Containers Word paragraphs cannot express, links with titles and anchors, a missing picture."""
    data, ctx = build(STRUCTURES, base=tmp_path)
    assert [d.code for d in ctx.diagnostics] == ["image-missing"]
    stem = name.replace("/", "__")
    golden = GOLDENS / "structures" / (stem if stem.endswith(".xml") else stem + ".xml")
    assert_golden(pretty(parts(data)[name]), golden)
    assert read_docx(data, Context()) == STRUCTURES


def test_two_runs_give_identical_bytes() -> None:
    assert build(CANONICAL)[0] == build(CANONICAL)[0]


def _style_names(data: bytes) -> dict[str, etree._Element]:
    styles = etree.fromstring(parts(data)["word/styles.xml"])
    return {s.get(f"{W}styleId"): s for s in styles.iter(f"{W}style")}


def acceptance_counts(data: bytes) -> dict[str, object]:
    """What the issue measures on an article's DOCX, read from the XML itself."""
    files = parts(data)
    body = etree.fromstring(files["word/document.xml"])
    styles = _style_names(data)
    name = {sid: s.find(f"{W}name").get(f"{W}val") for sid, s in styles.items()}
    paragraphs = list(body.iter(f"{W}p"))

    def style_of(p: etree._Element) -> str:
        e = p.find(f"{W}pPr/{W}pStyle")
        return name.get(e.get(f"{W}val"), "") if e is not None else "Normal"

    captions = [p for p in paragraphs if style_of(p) == "caption"]
    used = {e.get(f"{W}val") for e in body.iter(f"{W}pStyle")}
    no_east_asia = [sid for sid in used if styles[sid].find(f"{W}rPr/{W}rFonts[@{W}eastAsia]") is None]
    return {
        "headings": sum(style_of(p).startswith("heading ") for p in paragraphs),
        "captions": len(captions),
        "captions_with_seq": sum(
            any("SEQ Figure" in (t.text or "") for t in p.iter(f"{W}instrText")) for p in captions
        ),
        "body_indented": sum(
            style_of(p) == "Body Text" and p.find(f"{W}pPr/{W}ind[@{W}firstLineChars='200']") is not None
            for p in paragraphs
        ),
        "styles_without_east_asia": no_east_asia,
        "east_asian_language": etree.fromstring(files["word/styles.xml"]).find(
            f".//{W}docDefaults//{W}lang").get(f"{W}eastAsia"),
    }


def test_canonical_acceptance_properties() -> None:
    data, _ = build(CANONICAL)
    counts = acceptance_counts(data)
    assert counts == {
        "headings": 3,
        "captions": 3,
        "captions_with_seq": 3,
        "body_indented": 6,
        "styles_without_east_asia": [],
        "east_asian_language": "zh-CN",
    }
    core = docx.Document(io.BytesIO(data)).core_properties
    assert (core.title, core.author, core.language) == (CANONICAL.meta.title, "张三 李四", "zh-CN")
    assert core.subject == "一座旧粮仓的新生" and core.keywords == "城市书房, 公共文化"
    assert core.created.isoformat().startswith("2024-03-10T16:00")  # 2024-03-11 00:00 Beijing time


def test_sample_acceptance_properties() -> None:
    pipeline = pytest.importorskip("converters.pipeline")
    pytest.importorskip("converters.readers.text", reason="the text reader has not landed yet")
    doc = pipeline.read(SAMPLE)
    data = write_docx(doc, Context(base_dir=SAMPLE.parent))
    counts = acceptance_counts(data)
    assert counts["headings"] == 6
    assert counts["captions"] == counts["captions_with_seq"] == 5
    assert counts["body_indented"] == 21
    assert counts["styles_without_east_asia"] == []
    assert counts["east_asian_language"] == "zh-CN"
    core = docx.Document(io.BytesIO(data)).core_properties
    assert core.title and core.language == "zh-CN" and core.created is not None
    assert read_docx(data, Context()) == doc


def test_python_docx_template_traps_are_gone() -> None:
    files = parts(build(CANONICAL)[0])
    everything = b"".join(files.values())
    for trap in (b"eastAsiaTheme", b"asciiTheme", b"hAnsiTheme", b'w:eastAsia="en-US"', b"ja-JP",
                 b"python-docx", b"2013-12-23"):
        assert trap not in everything, trap
    assert not any(name.startswith("docProps/thumbnail") for name in files)
    core = docx.Document(io.BytesIO(build(CANONICAL)[0])).core_properties
    assert core.author != "python-docx" and core.last_modified_by == "Pressroom"


def test_headings_use_word_builtin_styles_with_outline_levels() -> None:
    data, _ = build(CANONICAL)
    document = docx.Document(io.BytesIO(data))
    headings = [(p.style.name, p.text) for p in document.paragraphs if p.style.name.startswith("Heading")]
    assert headings == [("Heading 2", "改造：保留老墙，换上新窗"), ("Heading 2", "运营：自助借还，夜间无人值守"),
                        ("Heading 3", "读者心声")]
    styles = _style_names(data)
    assert styles["Heading2"].find(f"{W}pPr/{W}outlineLvl").get(f"{W}val") == "1"


def test_fonts_are_overridable() -> None:
    data, _ = build(CANONICAL, font_serif="方正书宋_GBK", font_sans="方正黑体_GBK")
    styles = _style_names(data)
    font = {sid: s.find(f"{W}rPr/{W}rFonts").get(f"{W}eastAsia") for sid, s in styles.items()
            if s.find(f"{W}rPr/{W}rFonts") is not None}
    assert font["BodyText"] == font["Normal"] == font["Footer"] == "方正书宋_GBK"
    assert font["Heading1"] == font["Caption"] == font["Title"] == "方正黑体_GBK"
    table = parts(data)["word/fontTable.xml"].decode()
    assert "方正书宋_GBK" in table and "方正黑体_GBK" in table
    assert _style_names(build(CANONICAL)[0])["BodyText"].find(f"{W}rPr/{W}rFonts").get(f"{W}eastAsia") == "宋体"


def test_reference_doc_from_python_docx_is_used_by_style_name(tmp_path: Path) -> None:
    """A newsroom reference without our custom styles: its own styles win, ours fill the gaps."""
    house = docx.Document()
    house.styles["Heading 1"].font.size = docx.shared.Pt(30)
    reference = tmp_path / "house.docx"
    house.save(str(reference))
    doc = Document(Meta(title="标题"), (Heading(1, (Text("小标题"),)), Paragraph((Text("正文。"),)),
                                      Figure(None, (Text("图说"),)), Credit((Text("（记者 甲）"),))))
    data, _ = build(doc, reference_doc=reference)
    styles = _style_names(data)
    assert styles["Heading1"].find(f"{W}rPr/{W}sz").get(f"{W}val") == "60"
    for sid in ("Credit", "ArticleMeta", "ThematicBreak", "Figure"):
        assert sid in styles
    assert read_docx(data, Context()) == doc


def test_control_characters_are_dropped_with_a_warning() -> None:
    doc = Document(Meta(title="标\x01题"), (Paragraph((Text("正\x00文\x0b内容\ufffe。"),)),))
    data, ctx = build(doc)
    assert [d.code for d in ctx.diagnostics] == ["xml-forbidden-characters"]
    back = read_docx(data, Context())
    assert back.blocks == (Paragraph((Text("正文内容。"),)),)
    assert back.meta.title == "标题"


def test_very_long_paragraph() -> None:
    text = "长段落测试，" * 40000
    data, _ = build(Document(blocks=(Paragraph((Text(text),)),)))
    assert read_docx(data, Context()).blocks == (Paragraph((Text(text),)),)


def test_images_are_embedded_and_scaled_to_text_width() -> None:
    doc = Document(blocks=(Figure(Image("images/photo.jpg", "外景"), (Text("外景"),)),
                           Figure(Image("images/tall.png", "长图"), (Text("长图"),))))
    data, ctx = build(doc)
    assert not ctx.diagnostics
    body = etree.fromstring(parts(data)["word/document.xml"])
    wp = "{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}"
    extents = [(int(e.get("cx")), int(e.get("cy"))) for e in body.iter(f"{wp}extent")]
    text_width = (11906 - 2 * 1800) * 635
    assert extents[0][0] == text_width and extents[0][1] == text_width * 400 // 640
    assert extents[1][0] < text_width and extents[1][1] <= (16838 - 2 * 1440) * 635  # tall: height-bound
    assert sorted(n for n in parts(data) if n.startswith("word/media/")) == ["word/media/image1.jpg",
                                                                            "word/media/image2.png"]


def test_missing_image_keeps_numbered_caption_and_warns(tmp_path: Path) -> None:
    doc = Document(blocks=(Figure(Image("gone.jpg", "不在"), (Text("说明"),)),))
    data, ctx = build(doc, base=tmp_path)
    assert [d.code for d in ctx.diagnostics] == ["image-missing"]
    paragraphs = docx.Document(io.BytesIO(data)).paragraphs
    assert [(p.style.name, p.text) for p in paragraphs] == [("Caption", "图 1\u3000说明")]


def test_lists_restart_and_honour_start() -> None:
    item = ListItem((Paragraph((Text("项"),)),))
    doc = Document(blocks=(List((item, item), ordered=True, start=3), List((item,), ordered=True),
                           List((item,), ordered=False)))
    numbering = etree.fromstring(parts(build(doc)[0])["word/numbering.xml"])
    starts = [n.find(f"{W}lvlOverride/{W}startOverride") for n in numbering.iter(f"{W}num")]
    assert [s.get(f"{W}val") if s is not None else None for s in starts] == ["3", "1", None]
    formats = [a.find(f"{W}lvl/{W}numFmt").get(f"{W}val") for a in numbering.iter(f"{W}abstractNum")]
    assert formats == ["decimal", "decimal", "bullet"]
    assert read_docx(build(doc)[0], Context()) == doc


def test_template_folder_or_file_selects_the_reference(tmp_path: Path) -> None:
    house = docx.Document()
    house.styles["Normal"].font.size = docx.shared.Pt(9)
    house.save(str(tmp_path / "reference.docx"))
    for template in (tmp_path, tmp_path / "reference.docx"):
        normal = _style_names(build(CANONICAL, template=template)[0])["Normal"]
        assert normal.find(f"{W}rPr/{W}sz").get(f"{W}val") == "18"


def test_source_date_epoch_fixes_zip_times_and_modified(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1735689600")  # 2025-01-01T00:00:00Z
    doc = Document(Meta(title="无日期"), (Paragraph((Text("正文"),)),))
    data, _ = build(doc)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert {info.date_time for info in archive.infolist()} == {(2025, 1, 1, 0, 0, 0)}
    core = docx.Document(io.BytesIO(data)).core_properties
    assert core.created.isoformat().startswith("2025-01-01") and core.modified == core.created
    monkeypatch.delenv("SOURCE_DATE_EPOCH")
    assert docx.Document(io.BytesIO(build(doc)[0])).core_properties.created is None


def test_traditional_chinese_article_is_marked_zh_tw() -> None:
    doc = Document(Meta(title="標題", language="zh-TW"), (Paragraph((Text("正文"),)),))
    styles = parts(build(doc)[0])["word/styles.xml"]
    assert b'w:eastAsia="zh-TW"' in styles and b'w:eastAsia="zh-CN"' not in styles


def test_reference_document_is_generated_by_its_script() -> None:
    """``templates/docx/reference.docx`` is exactly what ``make_reference.py`` writes (no hand edits)."""
    import importlib.util

    script = Path(__file__).resolve().parent.parent / "templates" / "docx" / "make_reference.py"
    spec = importlib.util.spec_from_file_location("make_reference", script)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert module.build() == (script.parent / "reference.docx").read_bytes()


def test_reference_headers_and_footers_are_carried_over(tmp_path: Path) -> None:
    house = docx.Document()
    house.sections[0].header.paragraphs[0].text = "示例日报 · 要闻版"
    house.save(str(tmp_path / "house.docx"))
    data, _ = build(CANONICAL, reference_doc=tmp_path / "house.docx")
    reopened = docx.Document(io.BytesIO(data))
    assert reopened.sections[0].header.paragraphs[0].text == "示例日报 · 要闻版"
    assert read_docx(data, Context()) == CANONICAL


def test_default_footer_numbers_pages() -> None:
    footer = parts(build(CANONICAL)[0])["word/footer1.xml"]
    assert b" PAGE " in footer


def test_reference_settings_lose_dangling_relationships(tmp_path: Path) -> None:
    """A reference saved from a template keeps ``w:attachedTemplate r:id``; its target is not copied."""
    source = tmp_path / "plain.docx"
    docx.Document().save(str(source))
    with zipfile.ZipFile(source) as archive:
        files = {name: archive.read(name) for name in archive.namelist()}
    files["word/settings.xml"] = files["word/settings.xml"].replace(
        b"<w:zoom ", b'<w:attachedTemplate r:id="rId1"/><w:zoom ', 1)
    reference = tmp_path / "house.docx"
    with zipfile.ZipFile(reference, "w") as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    settings = parts(build(CANONICAL, reference_doc=reference)[0])["word/settings.xml"]
    assert b"attachedTemplate" not in settings and b"w:zoom" in settings


def test_reference_saved_by_chinese_word_is_matched_by_style_name(tmp_path: Path) -> None:
    """Chinese Word saves ``heading 1`` as id ``1`` and Normal as ``a``: the writer goes by names."""
    reference = Path(__file__).resolve().parent.parent / "templates" / "docx" / "reference.docx"
    with zipfile.ZipFile(reference) as archive:
        files = {name: archive.read(name) for name in archive.namelist()}
    ids = {"Normal": "a", "Heading1": "1", "Heading2": "2", "Heading3": "3", "BodyText": "a4", "Caption": "a5",
           "Title": "a6", "Quote": "a7", "ListParagraph": "a8"}
    styles = etree.fromstring(files["word/styles.xml"])
    for style in list(styles.iter(f"{W}style")):
        if style.get(f"{W}styleId") == "Credit":
            styles.remove(style)  # missing from the house styles: Pressroom's is copied in
            continue
        style.set(f"{W}styleId", ids.get(style.get(f"{W}styleId"), style.get(f"{W}styleId")))
        for link in (f"{W}basedOn", f"{W}next"):
            ref = style.find(link)
            if ref is not None:
                ref.set(f"{W}val", ids.get(ref.get(f"{W}val"), ref.get(f"{W}val")))
    files["word/styles.xml"] = etree.tostring(styles)
    house = tmp_path / "house.docx"
    with zipfile.ZipFile(house, "w") as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    data, _ = build(CANONICAL, reference_doc=house)
    used = {e.get(f"{W}val") for e in etree.fromstring(parts(data)["word/document.xml"]).iter(f"{W}pStyle")}
    assert {"2", "3", "a4", "a5", "a6", "a7", "a8", "Credit"} <= used
    assert _style_names(data)["Credit"].find(f"{W}basedOn").get(f"{W}val") == "a"
    assert read_docx(data, Context()) == CANONICAL


def test_a_book_is_refused() -> None:
    from converters.errors import UsageError
    from converters.tree import Book

    with pytest.raises(UsageError, match="one article"):
        write_docx(Book(Meta(title="合集"), (CANONICAL,)), Context())

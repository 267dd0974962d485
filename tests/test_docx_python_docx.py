"""DOCX output as python-docx sees it: it opens, its API reads the house styles, and saving keeps the meaning."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import docx
import pytest
from lxml import etree

from converters.context import Context, Options
from converters.readers.docx import read_docx
from converters.tree import Document, loads
from converters.writers.docx import write_docx
from tests.conftest import FIXTURES, SAMPLE

CANONICAL = loads((FIXTURES / "canonical.json").read_text(encoding="utf-8"))
STRUCTURES = loads((FIXTURES / "docx" / "structures.json").read_text(encoding="utf-8"))
CASES = {"canonical": (CANONICAL, FIXTURES), "structures": (STRUCTURES, None)}


def write(doc: Document, base: Path | None, **options: object) -> bytes:
    return write_docx(doc, Context(options=Options(**options), base_dir=base))  # type: ignore[arg-type]


def xml_parts(data: bytes) -> dict[str, str]:
    """Every XML part, canonicalised (C14N) so serialisation details do not count."""
    out = {}
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for name in archive.namelist():
            if name.endswith((".xml", ".rels")):
                root = etree.fromstring(archive.read(name), etree.XMLParser(remove_blank_text=True))
                out[name] = etree.tostring(root, method="c14n2").decode()
    return out


def resave(data: bytes) -> bytes:
    out = io.BytesIO()
    docx.Document(io.BytesIO(data)).save(out)
    return out.getvalue()


@pytest.mark.parametrize("case", sorted(CASES))
def test_saving_through_python_docx_keeps_every_part_and_the_tree(case: str, tmp_path: Path) -> None:
    doc, base = CASES[case]
    data = write(doc, base or tmp_path)
    again = resave(data)
    before, after = xml_parts(data), xml_parts(again)
    assert sorted(before) == sorted(after)
    # Content types may be listed in another order; every other part is unchanged.
    types = "[Content_Types].xml"
    assert {k: v for k, v in before.items() if k != types} == {k: v for k, v in after.items() if k != types}
    entries = [sorted(etree.tostring(e) for e in etree.fromstring(x[types].encode())) for x in (before, after)]
    assert entries[0] == entries[1]
    with zipfile.ZipFile(io.BytesIO(data)) as a, zipfile.ZipFile(io.BytesIO(again)) as b:
        media = [n for n in a.namelist() if n.startswith("word/media/")]
        assert [a.read(n) for n in media] == [b.read(n) for n in media]
    assert read_docx(again, Context()) == read_docx(data, Context()) == doc


def test_python_docx_reads_the_house_styles_and_properties() -> None:
    data = write(CANONICAL, FIXTURES, source_date_epoch=1720000000)  # after the article date
    document = docx.Document(io.BytesIO(data))
    styles = [p.style.name for p in document.paragraphs]
    assert styles[:3] == ["Title", "Subtitle", "Article Meta"]
    assert sum(name.startswith("Heading ") for name in styles) == 3
    assert styles.count("Caption") == 3 and styles.count("Figure") == 2
    body = [p for p in document.paragraphs if p.style.name == "Body Text"]
    assert body and all(p.style.font.name == "Times New Roman" for p in body)
    east_asia = body[0].style.element.find(f"{{{docx.oxml.ns.nsmap['w']}}}rPr/{{{docx.oxml.ns.nsmap['w']}}}rFonts")
    assert east_asia is not None and east_asia.get(docx.oxml.ns.qn("w:eastAsia")) == "宋体"
    assert len(document.inline_shapes) == 3  # two figures and a picture inside a line
    assert all(shape.width <= document.sections[0].page_width - document.sections[0].left_margin
               - document.sections[0].right_margin for shape in document.inline_shapes)
    core = document.core_properties
    assert (core.title, core.language, core.last_modified_by) == (CANONICAL.meta.title, "zh-CN", "Pressroom")
    assert core.modified is not None and core.modified.timestamp() == 1720000000
    assert core.revision == 0  # no python-docx default part: no revision element at all


def test_sample_through_python_docx() -> None:
    pipeline = pytest.importorskip("converters.pipeline")
    pytest.importorskip("converters.readers.text", reason="the text reader has not landed yet")
    doc = pipeline.read(SAMPLE)
    data = write(doc, SAMPLE.parent)
    document = docx.Document(io.BytesIO(data))
    styles = [p.style.name for p in document.paragraphs]
    assert sum(name.startswith("Heading ") for name in styles) == 6
    assert styles.count("Caption") == 5
    assert read_docx(resave(data), Context()) == doc


def test_python_docx_default_template_as_reference_leaks_nothing(tmp_path: Path) -> None:
    """A reference saved by python-docx brings its 2013 core properties, thumbnail and custom XML: all dropped."""
    reference = tmp_path / "house.docx"
    docx.Document().save(str(reference))
    data = write(CANONICAL, FIXTURES, reference_doc=reference)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        names = archive.namelist()
        core = archive.read("docProps/core.xml")
        app = archive.read("docProps/app.xml")
    assert not any(name.startswith("docProps/thumbnail") for name in names)
    assert b"python-docx" not in core and b"2013" not in core and b"Pressroom" in app
    assert [n for n in names if n.startswith("customXml/item") and "Props" not in n] == ["customXml/item1.xml"]
    assert read_docx(data, Context()) == CANONICAL


def test_jpeg_without_jfif_header_is_still_embedded(tmp_path: Path) -> None:
    """python-docx's image parser knows JPEGs only by a JFIF or Exif segment; many cameras write neither."""
    from PIL import Image as PILImage

    from converters.tree import Figure, Image, Paragraph, Text

    buffer = io.BytesIO()
    PILImage.new("RGB", (640, 400), (180, 40, 40)).save(buffer, "JPEG")
    jfif = buffer.getvalue()
    assert jfif[2:4] == b"\xff\xe0"  # APP0: the JFIF segment, dropped below
    (tmp_path / "bare.jpg").write_bytes(jfif[:2] + jfif[4 + int.from_bytes(jfif[4:6], "big"):])
    (tmp_path / "plain.jpg").write_bytes(jfif)
    doc = Document(blocks=(Figure(Image("bare.jpg", "无头"), (Text("无头"),)), Paragraph((Text("正文"),)),
                           Figure(Image("plain.jpg", "常规"), (Text("常规"),))))
    context = Context(base_dir=tmp_path)
    data = write_docx(doc, context)
    assert not context.diagnostics
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        media = sorted(n for n in archive.namelist() if n.startswith("word/media/"))
        assert archive.read(media[1])[2:4] == b"\xff\xdb"  # the bare one, as it was
    assert media == ["word/media/image1.jpg", "word/media/picture1.jpeg"]
    assert len(docx.Document(io.BytesIO(data)).inline_shapes) == 2
    assert read_docx(data, Context()) == doc
    assert read_docx(resave(data), Context()) == doc

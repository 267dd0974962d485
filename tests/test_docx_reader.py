"""DOCX reader on documents Pressroom did not write: a Word-style article built with python-docx."""

from __future__ import annotations

import io
import subprocess
import sys
from pathlib import Path

import docx
import pytest
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm

from converters.context import Context
from converters.errors import InputError
from converters.readers.docx import read_docx
from converters.tree import (
    BlockQuote,
    Credit,
    Document,
    Emph,
    Figure,
    Heading,
    Image,
    Link,
    List,
    ListItem,
    Paragraph,
    Strong,
    Text,
    ThematicBreak,
)
from tests.conftest import FIXTURES, ROOT


def _seq_caption(document: docx.document.Document, label: str, number: int, text: str) -> None:
    """A caption as Chinese Word inserts it: label, ``SEQ 图`` complex field, text."""
    p = document.add_paragraph(style="Caption")
    p.add_run(f"{label} ")
    for kind, value in (("begin", None), ("instr", " SEQ 图 \\* ARABIC "), ("separate", None), ("text", str(number)),
                        ("end", None)):
        run = p.add_run()
        if kind == "instr":
            instr = OxmlElement("w:instrText")
            instr.set(qn("xml:space"), "preserve")
            instr.text = value
            run._r.append(instr)
        elif kind == "text":
            run.text = value
        else:
            fld = OxmlElement("w:fldChar")
            fld.set(qn("w:fldCharType"), kind)
            run._r.append(fld)
    p.add_run(f" {text}")


def plain_word_article() -> bytes:
    d = docx.Document()
    d.add_paragraph("春季植树活动启动", style="Title")
    d.add_paragraph("   ")  # an empty spacer paragraph, as people type them
    intro = d.add_paragraph("本报讯 ")
    intro.add_run("三月十二日").bold = True
    intro.add_run("，全市")
    intro.add_run("二十个").italic = True
    intro.add_run("街道同步开展植树活动。")
    d.add_heading("活动安排", level=1)
    d.add_paragraph("第一站：滨河公园", style="List Number")
    d.add_paragraph("第二站：北山林场", style="List Number")
    d.add_paragraph("携带水壶", style="List Bullet")
    d.add_heading("现场", level=2)
    d.add_picture(str(FIXTURES / "images" / "diagram.png"), width=Cm(4))
    _seq_caption(d, "图", 1, "志愿者在滨河公园植树")
    d.add_paragraph("“种下一棵树，就是种下一份希望。”", style="Quote")
    rule = d.add_paragraph()
    border = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for key, value in (("w:val", "single"), ("w:sz", "6"), ("w:space", "1"), ("w:color", "auto")):
        bottom.set(qn(key), value)
    border.append(bottom)
    rule._p.get_or_add_pPr().append(border)
    d.add_paragraph("（记者 陈晨）").alignment = WD_ALIGN_PARAGRAPH.RIGHT
    d.core_properties.keywords = "植树；环保"
    out = io.BytesIO()
    d.save(out)
    return out.getvalue()


def test_plain_word_article_reads_sensibly() -> None:
    doc = read_docx(plain_word_article(), Context())
    assert doc.meta.title == "春季植树活动启动"
    assert doc.meta.keywords == ("植树", "环保")
    blocks = list(doc.blocks)
    figure = blocks[5]
    assert isinstance(figure, Figure) and isinstance(figure.image, Image)
    assert figure.image.src.startswith("data:image/png;base64,")
    blocks[5] = Figure(None, figure.caption, figure.number)
    assert blocks == [
        Paragraph((Text("本报讯 "), Strong((Text("三月十二日"),)), Text("，全市"), Emph((Text("二十个"),)),
                   Text("街道同步开展植树活动。"))),
        Heading(1, (Text("活动安排"),)),
        List((ListItem((Paragraph((Text("第一站：滨河公园"),)),)), ListItem((Paragraph((Text("第二站：北山林场"),)),))),
             ordered=True),
        List((ListItem((Paragraph((Text("携带水壶"),)),)),), ordered=False),
        Heading(2, (Text("现场"),)),
        Figure(None, (Text("志愿者在滨河公园植树"),), 1),
        BlockQuote((Paragraph((Text("“种下一棵树，就是种下一份希望。”"),)),)),
        ThematicBreak(),
        Credit((Text("（记者 陈晨）"),)),
    ]


def test_embedded_picture_is_usable_by_other_writers() -> None:
    """The data: URI goes through the common image policy like any other source."""
    from converters.resources import load_image

    doc = read_docx(plain_word_article(), Context())
    figure = next(b for b in doc.blocks if isinstance(b, Figure))
    assert figure.image is not None
    loaded = load_image(figure.image.src, Context())
    assert loaded is not None and (loaded.width, loaded.height) == (300, 300)


@pytest.mark.parametrize("data", [b"", b"not a zip at all", b"PK\x03\x04broken"])
def test_not_a_docx_is_an_input_error(data: bytes) -> None:
    with pytest.raises(InputError):
        read_docx(data, Context())


def test_zip_without_a_word_document_is_an_input_error() -> None:
    buffer = io.BytesIO()
    import zipfile

    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("hello.txt", "hi")
    with pytest.raises(InputError, match="not a Word document"):
        read_docx(buffer.getvalue(), Context())


def test_cli_converts_docx(tmp_path: Path) -> None:
    """``pressroom convert article.docx -o …``: to JSON always, to Markdown once that writer exists."""
    source = tmp_path / "article.docx"
    source.write_bytes(plain_word_article())
    targets = ["article.json"]
    try:
        __import__("converters.writers.markdown")
        targets.append("article.md")
    except ImportError:
        pass
    for name in targets:
        run = subprocess.run([sys.executable, "-m", "converters", "convert", str(source), "-o", str(tmp_path / name)],
                             cwd=ROOT, capture_output=True, text=True)
        assert run.returncode == 0, run.stderr
        assert "活动安排" in (tmp_path / name).read_text(encoding="utf-8")


def test_docx_to_docx_keeps_the_tree(tmp_path: Path) -> None:
    from converters.writers.docx import write_docx

    first = read_docx(plain_word_article(), Context())
    again = read_docx(write_docx(first, Context(base_dir=tmp_path)), Context())
    assert again == Document(first.meta, first.blocks)


PANDOC_MARKDOWN = """---
title: 春季植树
author: 陈晨
date: 2024年3月12日
---

本报讯 **三月十二日**，全市*二十个*街道同步开展[植树](https://example.cn/a)活动。

# 活动安排

3. 第一站
4. 第二站

> 种下一棵树。

![志愿者植树](diagram.png)

---

（记者 陈晨）
"""


def test_docx_written_by_pandoc(tmp_path: Path) -> None:
    """pandoc's styles: Author/Date lines, First Paragraph, Compact lists, Block Text, captioned figures."""
    import shutil

    if shutil.which("pandoc") is None:
        pytest.skip("pandoc is not installed")
    (tmp_path / "a.md").write_text(PANDOC_MARKDOWN, encoding="utf-8")
    (tmp_path / "diagram.png").write_bytes((FIXTURES / "images" / "diagram.png").read_bytes())
    subprocess.run(["pandoc", "a.md", "-o", "a.docx"], cwd=tmp_path, check=True)
    doc = read_docx((tmp_path / "a.docx").read_bytes(), Context())
    assert (doc.meta.title, doc.meta.author, doc.meta.date) == ("春季植树", "陈晨", "2024-03-12")
    figure = doc.blocks[4]
    assert isinstance(figure, Figure) and figure.image is not None and figure.image.alt == "志愿者植树"
    assert list(doc.blocks[:4]) + list(doc.blocks[5:]) == [
        Paragraph((Text("本报讯 "), Strong((Text("三月十二日"),)), Text("，全市"), Emph((Text("二十个"),)),
                   Text("街道同步开展"), Link((Text("植树"),), "https://example.cn/a"), Text("活动。"))),
        Heading(1, (Text("活动安排"),)),
        List((ListItem((Paragraph((Text("第一站"),)),)), ListItem((Paragraph((Text("第二站"),)),))), True, 3),
        BlockQuote((Paragraph((Text("种下一棵树。"),)),)),
        ThematicBreak(),
        Paragraph((Text("（记者 陈晨）"),)),
    ]
    assert figure.caption == (Text("志愿者植树"),)


def test_absurdly_nested_content_controls_are_an_input_error() -> None:
    depth = 1000  # libxml2 refuses documents nested this deep by itself
    body = "<w:sdt><w:sdtContent>" * depth + "<w:p/>" + "</w:sdtContent></w:sdt>" * depth
    xml = ('<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
           f"<w:body>{body}</w:body></w:document>")
    import zipfile

    plain = io.BytesIO()
    docx.Document().save(plain)  # a real package (content types, relationships) around the deep body
    buffer = io.BytesIO()
    with zipfile.ZipFile(plain) as source, zipfile.ZipFile(buffer, "w") as archive:
        for name in source.namelist():
            archive.writestr(name, xml if name == "word/document.xml" else source.read(name))
    with pytest.raises(InputError, match="nested too deeply"):
        read_docx(buffer.getvalue(), Context())


def test_hyperlink_fields_and_tabs_in_plain_documents() -> None:
    """Older Word files keep links as ``HYPERLINK`` fields; results of other fields are kept as text."""
    d = docx.Document()
    p = d.add_paragraph("详见")
    for kind, value in (("begin", None), ("instr", ' HYPERLINK "https://example.cn/n" \\l "p2" '),
                        ("separate", None), ("text", "通知"), ("end", None)):
        run = p.add_run()
        if kind == "instr":
            instr = OxmlElement("w:instrText")
            instr.text = value
            run._r.append(instr)
        elif kind == "text":
            run.text = value
            run.bold = True
        else:
            fld = OxmlElement("w:fldChar")
            fld.set(qn("w:fldCharType"), kind)
            run._r.append(fld)
    p.add_run("\t第二页")
    simple = OxmlElement("w:fldSimple")
    simple.set(qn("w:instr"), " PAGE ")
    inner = OxmlElement("w:r")
    text = OxmlElement("w:t")
    text.text = "2"
    inner.append(text)
    simple.append(inner)
    p._p.append(simple)
    out = io.BytesIO()
    d.save(out)
    doc = read_docx(out.getvalue(), Context())
    # Formatting shared by all of a link's runs is read as outside the link: Word cannot tell the two apart.
    assert doc.blocks == (Paragraph((Text("详见"), Strong((Link((Text("通知"),), "https://example.cn/n#p2"),)),
                                     Text("\t第二页2"))),)


def test_missing_part_is_reported_as_damage() -> None:
    """python-docx follows every relationship; a package missing a part it names is damaged, not foreign."""
    import zipfile

    plain = io.BytesIO()
    docx.Document().save(plain)
    buffer = io.BytesIO()
    with zipfile.ZipFile(plain) as source, zipfile.ZipFile(buffer, "w") as archive:
        for name in source.namelist():
            if name != "word/webSettings.xml":
                archive.writestr(name, source.read(name))
    with pytest.raises(InputError, match=r"damaged.*webSettings"):
        read_docx(buffer.getvalue(), Context())

"""EPUB writer options: the cover image, embedded and chosen fonts, style sheets and templates, image formats."""

from __future__ import annotations

import io
import shutil
import sys
import zipfile
from pathlib import Path

import pytest
from lxml import etree

from converters import pipeline
from converters.context import Context, Options
from converters.errors import UsageError
from converters.tree import Document, Figure, Image, Meta, Text
from converters.writers.epub import write_epub
from tests.test_epub import CANONICAL, EPOCH, FIXTURES, NS, OPF, anthology, build, part, xml


@pytest.fixture(scope="module")
def canonical_doc() -> Document:
    return pipeline.read(CANONICAL)



def test_cover_image_is_the_cover_and_the_cover_page_is_linear(canonical_doc: Document) -> None:
    epub = build(canonical_doc, cover_image=FIXTURES / "images" / "tall.png")[0]
    opf = xml(epub, "content.opf")
    (cover,) = opf.xpath("//opf:item[@properties='cover-image']", namespaces=OPF)
    assert cover.get("media-type") == "image/png"
    assert opf.xpath("//opf:meta[@name='cover']/@content", namespaces=OPF) == [cover.get("id")]
    first = opf.xpath("//opf:spine/opf:itemref", namespaces=OPF)[0]
    assert first.get("idref") == "cover" and first.get("linear") is None
    page = xml(epub, "cover.xhtml")
    assert page.xpath("//x:img/@src", namespaces=NS) == [cover.get("href")]
    meta = canonical_doc.meta
    words = "".join(page.xpath("//x:body", namespaces=NS)[0].itertext()).split()
    assert words == [meta.title, meta.subtitle, meta.date, f"来源：{meta.source}"]


def test_unreadable_cover_is_a_usage_error(canonical_doc: Document, tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="--cover"):
        build(canonical_doc, cover_image=tmp_path / "nope.jpg")


def test_embedded_fonts_cover_every_character_of_the_text() -> None:
    from fontTools.ttLib import TTFont

    epub = anthology(embed_fonts=True)
    opf = xml(epub, "content.opf")
    fonts = opf.xpath("//opf:item[@media-type='font/otf']/@href", namespaces=OPF)
    assert sorted(fonts) == ["fonts/sans-bold.otf", "fonts/sans.otf", "fonts/serif-bold.otf", "fonts/serif.otf"]
    css = part(epub, "styles/fonts.css")
    for href in fonts:
        assert f'url("../{href}")' in css
    with zipfile.ZipFile(io.BytesIO(epub)) as z:
        serif = TTFont(io.BytesIO(z.read("EPUB/fonts/serif.otf")))
        names = [n for n in z.namelist() if n.startswith("EPUB/ch")]
        used = {c for n in names for c in "".join(etree.fromstring(z.read(n)).itertext()) if not c.isspace()}
    cmap = serif.getBestCmap()
    assert not {c for c in used if ord(c) not in cmap}
    assert "Noto Serif CJK SC" in serif["name"].getDebugName(1)
    assert len(cmap) < 5000  # a subset, not the 65k-glyph collection face


def test_extra_css_and_template_folder(canonical_doc: Document, tmp_path: Path) -> None:
    (tmp_path / "extra.css").write_text("p { color: #222; }\n", encoding="utf-8")
    (tmp_path / "tpl").mkdir()
    (tmp_path / "tpl" / "style.css").write_text("body { margin: 0; }\n", encoding="utf-8")
    epub = build(canonical_doc, css=(tmp_path / "extra.css",), template=tmp_path / "tpl")[0]
    assert part(epub, "styles/style.css") == "body { margin: 0; }\n"
    assert part(epub, "styles/extra1.css") == "p { color: #222; }\n"
    links = xml(epub, "ch001.xhtml").xpath("//x:link/@href", namespaces=NS)
    assert links == ["styles/style.css", "styles/extra1.css"]


@pytest.mark.slow
@pytest.mark.parametrize("harfbuzz", [True, False], ids=["harfbuzz", "fonttools"])
def test_font_subsets_are_reproducible_with_either_subsetter(harfbuzz: bool, monkeypatch) -> None:
    from fontTools.ttLib import TTFont

    from converters.writers.epub import fonts

    if not harfbuzz:
        monkeypatch.setitem(sys.modules, "uharfbuzz", None)  # import fails: the fontTools path
    else:
        pytest.importorskip("uharfbuzz")
    text = "港口新航线开通，首班货轮满载出港。"
    first, second = fonts.subset_face(fonts.SANS_BOLD, text), fonts.subset_face(fonts.SANS_BOLD, text)
    assert first == second
    font = TTFont(io.BytesIO(first))
    assert {ord(c) for c in text} <= set(font.getBestCmap())
    assert font["OS/2"].usWeightClass == 700
    # The subset keeps the face's own date: a build-time stamp would make every build differ.
    path, index, _ = fonts.locate(fonts.SANS_BOLD.pattern)
    assert font["head"].modified == TTFont(path, fontNumber=index, lazy=True)["head"].modified


def test_webp_becomes_png_and_a_cover_shared_with_a_figure_is_stored_once(tmp_path: Path) -> None:
    from PIL import Image as PILImage

    PILImage.new("RGB", (40, 30), (200, 30, 30)).save(tmp_path / "red.webp", format="WEBP")
    shutil.copy(FIXTURES / "images" / "photo.jpg", tmp_path / "photo.jpg")
    doc = Document(
        Meta(title="格式"),
        (Figure(Image("red.webp", "红色"), (Text("网页图片"),)), Figure(Image("photo.jpg", "照片"), (Text("照片"),))),
    )
    opts = Options(source_date_epoch=EPOCH, cover_image=tmp_path / "photo.jpg")
    epub = write_epub(doc, Context(options=opts, base_dir=tmp_path))
    items = xml(epub, "content.opf").xpath("//opf:item[starts-with(@media-type, 'image/')]", namespaces=OPF)
    assert sorted(i.get("media-type") for i in items) == ["image/jpeg", "image/png"]
    (jpeg,) = [i for i in items if i.get("media-type") == "image/jpeg"]
    assert jpeg.get("properties") == "cover-image"
    with zipfile.ZipFile(io.BytesIO(epub)) as z:
        png = next(i for i in items if i.get("media-type") == "image/png")
        assert z.read("EPUB/" + png.get("href")).startswith(b"\x89PNG")

def test_chosen_faces_lead_the_stacks_and_are_the_ones_embedded(canonical_doc: Document) -> None:
    from fontTools.ttLib import TTFont

    epub = build(canonical_doc, font_serif="Noto Serif CJK TC")[0]
    css = part(epub, "styles/fonts.css")
    assert 'html {\n  font-family: "Noto Serif CJK TC", "Noto Serif CJK SC"' in css
    assert "@font-face" not in css
    assert xml(epub, "ch001.xhtml").xpath("//x:link/@href", namespaces=NS) == ["styles/style.css", "styles/fonts.css"]
    epub = build(canonical_doc, font_serif="Noto Serif CJK TC", embed_fonts=True)[0]
    assert 'html {\n  font-family: "Pressroom Serif", "Noto Serif CJK TC"' in part(epub, "styles/fonts.css")
    with zipfile.ZipFile(io.BytesIO(epub)) as z:
        assert TTFont(io.BytesIO(z.read("EPUB/fonts/serif.otf")))["name"].getDebugName(1) == "Noto Serif CJK TC"
        assert TTFont(io.BytesIO(z.read("EPUB/fonts/sans.otf")))["name"].getDebugName(1) == "Noto Sans CJK SC"


def test_embedding_a_missing_font_says_what_to_do(canonical_doc: Document) -> None:
    from converters.errors import EnvironmentProblem

    with pytest.raises(EnvironmentProblem, match="not found"):
        build(canonical_doc, font_sans="No Such Font 123", embed_fonts=True)

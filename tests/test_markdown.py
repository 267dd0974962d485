"""Markdown writer and reader: lossless round trip, the figure/credit conventions, escaping, CJK.

Round trips are properties over every normalised tree (``tests/strategies.py``) and over a richer
strategy here that adds what those leave out (titles, lone images, look-alike captions, CJK
punctuation beside emphasis, ideographic spaces). Fixture ``.md`` files are compared with their
expected JSON trees, and the canonical document with its Markdown golden (``make accept``).
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from converters.context import Context
from converters.errors import InputError
from converters.readers.markdown import read_markdown
from converters.tree import (
    Block,
    BlockQuote,
    Credit,
    Document,
    Emph,
    Figure,
    Heading,
    Image,
    Inline,
    LineBreak,
    Link,
    List,
    ListItem,
    Meta,
    Paragraph,
    Strong,
    Text,
    ThematicBreak,
    dumps,
    loads,
    plain_text,
    query,
)
from converters.writers.markdown import escape_text, write_markdown
from tests.conftest import FIXTURES, ROOT
from tests.golden import assert_golden
from tests.strategies import _has_text, _normalise, documents, inlines, metas

GOLDENS = Path(__file__).resolve().parent / "goldens" / "markdown"
MD_FIXTURES = FIXTURES / "markdown"


def md(doc: Document) -> str:
    return write_markdown(doc, Context())


def back(text: str) -> Document:
    return read_markdown(text.encode("utf-8"), Context())


def body(text: str) -> str:
    """The Markdown after the front matter."""
    return text.split("---\n", 2)[2].strip("\n")


def para(*inlines: Inline) -> Document:
    return Document(Meta(), (Paragraph(tuple(inlines)),))


# --------------------------------------------------------------------------- round-trip properties


@given(documents)
@settings(max_examples=300, deadline=None)
def test_round_trip_every_normalised_tree(doc: Document) -> None:
    assert back(md(doc)) == doc


# Pieces that stress the escaping: Markdown syntax, entity look-alikes, list/heading starts, caption
# look-alikes, CJK punctuation that defeats CommonMark's flanking rules, ideographic spaces.
_PIECES = st.sampled_from(
    [
        *"中文图片记者“”‘’「」《》（），。：；！？、…—",
        *"ab1 *_`[]()<>!#\\&-+.|~=:\"'",
        "\u3000",
        "&amp;",
        "&#12;",
        "1. ",
        "2) ",
        "# ",
        "- ",
        "+ ",
        "> ",
        "---",
        "===",
        "图 1\u3000",
        "图\u3000",
        "<em>",
        "](x)",
        "![",
        "\\",
    ]
)
_rich_word = st.lists(_PIECES, min_size=1, max_size=8).map("".join).filter(str.strip)
_titles = st.sampled_from(["", "", "说明", 'a "quoted" \\ title', "&amp; (x)"])
_urls = st.sampled_from(["https://example.com/a?b=1&c=2", "a b.html", "(x)", "<y>", "", "#图", "http://x/&amp;"])
_srcs = st.sampled_from(["images/photo.jpg", "图片 1.png", "a(1).png", "https://img.example.cn/a.png"])
_images = st.builds(Image, src=_srcs, alt=_rich_word.map(str.strip) | st.just(""), title=_titles)


def _rich_inlines(depth: int = 2) -> st.SearchStrategy[tuple[Inline, ...]]:
    leaf: st.SearchStrategy[Inline] = st.one_of(
        _rich_word.map(Text), _rich_word.map(Text), st.just(LineBreak()), _images
    )
    if depth > 0:
        inner = _rich_inlines(depth - 1)
        leaf = st.one_of(
            leaf, inner.map(Emph), inner.map(Strong), st.builds(Link, children=inner, url=_urls, title=_titles)
        )
    return st.lists(leaf, min_size=1, max_size=5).map(_normalise).filter(_has_text)


def _rich_blocks(depth: int = 2) -> st.SearchStrategy[tuple[Block, ...]]:
    caption = _rich_inlines(1)
    look_alike = st.builds(lambda c, n: (Emph(_normalise([Text(f"图 {n}\u3000"), *c])),), caption, st.integers(1, 9))
    leaf: st.SearchStrategy[Block] = st.one_of(
        _rich_inlines().map(Paragraph),
        _images.map(lambda i: Paragraph((i,))),
        look_alike.map(Paragraph),
        st.builds(lambda i, c: Paragraph((i, LineBreak(), *c)), _images, look_alike),
        st.builds(Heading, level=st.integers(1, 6), children=_rich_inlines(1)),
        st.builds(
            Figure, image=st.none() | _images, caption=caption | st.just(()), number=st.none() | st.integers(0, 120)
        ),
        _images.map(lambda i: Figure(i, (Text(i.alt),) if i.alt else ())),
        st.just(ThematicBreak()),
        _rich_inlines(1).map(Credit),
        st.just(Credit(())),
    )
    if depth > 0:
        inner = _rich_blocks(depth - 1)
        items = st.lists((inner | st.just(())).map(ListItem), min_size=1, max_size=3).map(tuple)
        leaf = st.one_of(
            leaf,
            (inner | st.just(())).map(BlockQuote),
            st.builds(List, children=items),  # a bullet list's start is always 1
            st.builds(List, children=items, ordered=st.just(True), start=st.integers(0, 1200)),
        )
    return st.lists(leaf, min_size=1, max_size=5).map(tuple)


@given(st.builds(Document, meta=metas, blocks=_rich_blocks()))
@settings(max_examples=300, deadline=None)
def test_round_trip_rich_trees(doc: Document) -> None:
    assert back(md(doc)) == doc


@given(inlines())
@settings(max_examples=200, deadline=None)
def test_paragraphs_are_never_wrapped(children: tuple[Inline, ...]) -> None:
    """A paragraph's lines end only at the tree's line breaks: a soft break would be a space in CJK."""
    paragraph = Paragraph(children)
    assert len(body(md(Document(Meta(), (paragraph,)))).split("\n")) == 1 + len(query(paragraph, LineBreak))


# --------------------------------------------------------------------------- conventions


def test_canonical_golden() -> None:
    doc = loads((FIXTURES / "canonical.json").read_text(encoding="utf-8"))
    text = md(doc)
    assert_golden(text, GOLDENS / "canonical.md")
    assert back(text) == doc


def test_long_cjk_paragraph_is_one_line() -> None:
    sentence = "济南先行区全力推进重点项目建设，确保各项工作有序开展。" * 20
    assert body(md(para(Text(sentence)))) == sentence


def test_soft_break_between_han_characters_is_dropped_on_read() -> None:
    doc = back("第一行文字\n第二行文字 and\nLatin\n")
    assert doc.blocks == (Paragraph((Text("第一行文字第二行文字 and Latin"),)),)


@pytest.mark.parametrize(
    ("inlines", "expected"),
    [
        ((Text("负责人说："), Strong((Text("“中文”"),)), Text("后面")), "负责人说：<strong>“中文”</strong>后面"),
        ((Text("扫"), Emph((Text("城市文化"),)), Text("小程序")), "扫*城市文化*小程序"),
        ((Text("a "), Strong((Text("bold"),)), Text(" b")), "a **bold** b"),
        ((Strong((Emph((Text("x"),)),)),), "**<em>x</em>**"),
        ((Emph((Text("《通知》"),)), Text("发布")), "<em>《通知》</em>发布"),
    ],
)
def test_emphasis_uses_tags_only_where_commonmark_cannot(inlines: tuple[Inline, ...], expected: str) -> None:
    text = md(para(*inlines))
    assert body(text) == expected
    assert back(text) == para(*inlines)


def test_commonmark_alone_does_not_parse_strong_beside_cjk_punctuation() -> None:
    """Why the fallback exists: ``**“中文”**后面`` is literal asterisks to CommonMark."""
    assert back("说：**“中文”**后面\n").blocks == (Paragraph((Text("说：**“中文”**后面"),)),)


@pytest.mark.parametrize(
    ("text", "line_start", "expected"),
    [
        ("中文，“引号”。（括号）《书名》", True, "中文，“引号”。（括号）《书名》"),
        ("1. 第一", True, "1\\. 第一"),
        ("1.5万人", True, "1.5万人"),
        ("2020) 年", True, "2020\\) 年"),
        ("# 标题", True, "\\# 标题"),
        ("#话题#", True, "#话题#"),
        ("- 项", True, "\\- 项"),
        ("-5℃", True, "-5℃"),
        ("---", True, "\\---"),
        ("> 引", True, "\\> 引"),
        ("a > b", False, "a > b"),
        ("a*b_c`d[e]f<g|h~i\\", False, "a\\*b\\_c\\`d\\[e\\]f\\<g\\|h\\~i\\\\"),
        ("&amp; &#12; & ok", False, "\\&amp; \\&#12; & ok"),
        ("\u3000首行", True, "&#12288;首行"),
        ("见！", False, "见！"),
        ("see!", False, "see\\!"),
    ],
)
def test_escaping(text: str, line_start: bool, expected: str) -> None:
    assert escape_text(text, line_start=line_start) == expected


def test_figure_forms() -> None:
    photo = Image("images/photo.jpg", "高速口")
    doc = Document(
        Meta(),
        (
            Figure(photo, (Text("高速口"),)),  # caption is the alt text: pandoc's implicit figure
            Figure(photo, (Text("高速口值班值守"),), 1),
            Figure(None, (Text("走访慰问火车站值守点一线人员"),), 2),
            Figure(None, (Text("无编号"),)),
        ),
    )
    text = md(doc)
    assert body(text).split("\n\n") == [
        "![高速口](images/photo.jpg)",
        "![高速口](images/photo.jpg)\\\n*图 1　高速口值班值守*",
        "*图 2　走访慰问火车站值守点一线人员*",
        "*图　无编号*",
    ]
    assert back(text) == doc


@pytest.mark.parametrize(
    "inlines",
    [
        (Image("a.png", "甲"),),
        (Emph((Text("图 1　并非图注"),)),),
        (Emph((Text("图　并非图注"),)),),
        (Image("a.png", "甲"), LineBreak(), Emph((Text("图 3　并非图注"),))),
    ],
)
def test_paragraphs_that_look_like_figures_stay_paragraphs(inlines: tuple[Inline, ...]) -> None:
    doc = para(*inlines)
    assert back(md(doc)) == doc


def test_credit_is_a_right_aligned_div() -> None:
    doc = Document(Meta(), (Credit((Text("（本报记者 张三）"),)),))
    text = md(doc)
    assert body(text) == '<div align="right">\n\n（本报记者 张三）\n\n</div>'
    assert back(text) == doc


def test_adjacent_lists_stay_apart() -> None:
    item = ListItem((Paragraph((Text("项"),)),))
    doc = Document(Meta(), (List((item,)), List((item,)), List((item,), True, 3), List((item,), True, 3)))
    text = md(doc)
    assert body(text) == "- 项\n\n* 项\n\n3. 项\n\n3) 项"
    assert back(text) == doc


def test_heading_line_break_and_hashes() -> None:
    doc = Document(Meta(), (Heading(3, (Text("上"), LineBreak(), Text("下 #"))),))
    text = md(doc)
    assert body(text) == "### 上<br>下 \\#"
    assert back(text) == doc


# --------------------------------------------------------------------------- front matter


def test_front_matter_holds_the_metadata() -> None:
    meta = Meta(title="标题", date="2020-04-29", source="灯塔-党建在线", editor="李巧妹", keywords=("疫情", "yes"))
    text = md(Document(meta, ()))
    assert text.startswith("---\ntitle: 标题\ndate: '2020-04-29'\nsource: 灯塔-党建在线\n")
    assert "- 'yes'" in text  # YAML 1.1 would read a bare yes as a boolean
    assert back(text).meta == meta


def test_unquoted_yaml_date_is_accepted() -> None:
    assert back("---\ntitle: 标题\ndate: 2020-04-29\n---\n\n正文\n").meta.date == "2020-04-29"


@pytest.mark.parametrize(
    "front",
    [
        "title: 2020",
        "title: [a, b]",
        "keywords: 疫情",
        "keywords: [1, 2]",
        "- a\n- b",
        "title: [unclosed",
        "title: !!python/object/apply:os.system ['echo pwned']",
    ],
)
def test_bad_front_matter_is_an_input_error(front: str) -> None:
    with pytest.raises(InputError):
        back(f"---\n{front}\n---\n\n正文\n")


def test_unknown_front_matter_field_is_a_warning() -> None:
    ctx = Context()
    doc = read_markdown("---\nlayout: post\ntitle: 标题\n---\n\n正文\n".encode(), ctx)
    assert doc.meta.title == "标题"
    assert [d.code for d in ctx.diagnostics] == ["front-matter-ignored"]


def test_leading_h1_is_the_title_without_front_matter() -> None:
    doc = back("# 标题\n\n正文\n")
    assert doc.meta.title == "标题"
    assert doc.blocks == (Paragraph((Text("正文"),)),)


# --------------------------------------------------------------------------- fixture files


@pytest.mark.parametrize("source", sorted(MD_FIXTURES.glob("*.md")), ids=lambda p: p.stem)
def test_fixture_files(source: Path) -> None:
    doc = read_markdown(source.read_bytes(), Context(source_name=source.name))
    assert_golden(dumps(doc), source.with_suffix(".json"))
    assert back(md(doc)) == doc  # whatever a hand-written file means, our Markdown keeps it


# --------------------------------------------------------------------------- other renderers


@pytest.mark.skipif(shutil.which("pandoc") is None, reason="pandoc is not installed")
@pytest.mark.parametrize("flavour", ["commonmark", "gfm"])
def test_other_commonmark_renderers_read_the_conventions(flavour: str) -> None:
    """pandoc (CommonMark and GitHub flavour) shows the output as intended: no stray syntax."""
    doc = loads((FIXTURES / "canonical.json").read_text(encoding="utf-8"))
    text = body(md(doc))
    out = subprocess.run(
        ["pandoc", "-f", flavour, "-t", "html"], input=text, capture_output=True, text=True, check=True
    ).stdout
    assert "<strong>“旧建筑最珍贵的是它的记忆。”</strong>" in out
    assert "<em>城市文化</em>" in out
    assert "<em>图　夜间的阅读区</em>" in out
    assert '<img src="images/photo.jpg" alt="改造后的粮仓外景"' in out
    assert "<ol" in out and out.count("<li>") == 6
    assert '<div align="right">' in out and "（本报记者 张三 李四）" in out
    assert "地址：老街88号<br />" in out
    assert "*" not in out and "\\" not in out


def test_markdown_output_imports_no_heavy_writer(tmp_path: Path) -> None:
    code = (
        "import sys; from converters.cli import main; "
        f"rc = main(['convert', {str(FIXTURES / 'canonical.json')!r}, '-o', {str(tmp_path / 'x.md')!r}]); "
        f"rc2 = main(['convert', {str(tmp_path / 'x.md')!r}, '-o', {str(tmp_path / 'y.json')!r}]); "
        "print(rc, rc2, [m for m in ('weasyprint', 'docx', 'ebooklib') if m in sys.modules])"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "0 0 []"
    assert json.loads((tmp_path / "y.json").read_text(encoding="utf-8")) == json.loads(
        (FIXTURES / "canonical.json").read_text(encoding="utf-8")
    )


_MD_NOISE = st.sampled_from(
    [
        *"中文“”（）。 \n\t\r*_`[]()<>!#\\&-+.|~=:\"'/",
        "---\n",
        '<div align="right">',
        "</div>",
        "<em>",
        "</a>",
        '<a href="x">',
        "<img src=x>",
        "![",
        "](",
        "> ",
        "1. ",
        "- ",
        "    ",
        "```\n",
        "&amp;",
        "&#0;",
        "图 1\u3000",
        "*图",
    ]
)


@given(st.lists(_MD_NOISE, max_size=40).map("".join))
@example("```\n")  # an empty code block is no paragraph
@example("```\n中\n    \n")  # a blank last code line leaves no line break at the paragraph's end
@example('1. <div align="right">')  # a credit div left open inside a list
@example("- - *")  # nested empty lists, which must not come back as a thematic break
@settings(max_examples=300, deadline=None)
def test_reader_takes_any_text_and_its_tree_round_trips(text: str) -> None:
    """Whatever a hand-written file holds, reading it either fails cleanly or gives a tree we can write back."""
    try:
        doc = back(text)
    except InputError:
        return
    assert back(md(doc)) == doc


def test_script_links_and_blocks_are_dropped_with_one_counted_warning() -> None:
    source = (
        "正文[点此](javascript:alert(1))和[原文](https://example.com/)。<javascript:alert(2)>\n\n"
        "![图](vbscript:x) <b>粗<script>alert(3)</script>体</b>\n\n"
        "<script>\nalert(4)\n</script>\n\n第三段。\n"
    )
    ctx = Context()
    doc = read_markdown(source.encode(), ctx)
    assert [d.message for d in ctx.diagnostics if d.code == "active-content"] == [
        "dropped 2 script links, 1 script image, 2 script or style blocks"
    ]
    text = plain_text(doc)
    assert "点此" in text and "粗体" in text and "第三段" in text
    assert "alert" not in dumps(doc) and "script:" not in dumps(doc)
    assert query(doc, Link) == [Link((Text("原文"),), "https://example.com/")]

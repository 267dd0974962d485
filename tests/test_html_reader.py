"""HTML reader: small invented pages per rule, each with its expected tree (``NAME.expected.json``).

The goldens pin the whole tree; the tests beside them name the rule each page is about, so a
golden re-recorded carelessly still fails on the rule. The shared corpus (when present) checks
extraction quality against its ground truth and that every page reads and serialises.
"""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path

import pytest

from converters import pipeline
from converters.context import Context
from converters.readers.html import read_html
from converters.readers.html.decoding import declared_charset
from converters.readers.html.dom import safe_url
from converters.readers.html.meta import from_text, iso_date, strip_site_suffix, url_date
from converters.tree import Credit, Document, Figure, Heading, Image, Link, List, Paragraph, dumps, plain_text, query
from tests.conftest import FIXTURES, ROOT
from tests.golden import assert_golden

HTML = FIXTURES / "html"
PAGES = sorted(HTML.glob("*.html"))


def read(name: str) -> tuple[Document, Context]:
    ctx = Context()
    return pipeline.read(HTML / name, None, ctx), ctx


def body_text(doc: Document) -> str:
    return "\n".join(plain_text(b.caption) if isinstance(b, Figure) else plain_text(b) for b in doc.blocks)


@pytest.mark.parametrize("page", PAGES, ids=[p.stem for p in PAGES])
def test_page_matches_expected_tree(page: Path) -> None:
    doc = pipeline.read(page, None, Context())
    assert_golden(dumps(doc), page.with_name(page.stem + ".expected.json"))


# ------------------------------------------------------------------ decoding traps


@pytest.mark.parametrize(
    ("name", "declared", "utf8_bytes", "must_contain"),
    [
        ("utf8_declared_gb2312.html", "gb2312", True, "本市沿海港口完成货物吞吐量"),
        # 镕, 喆 and 囍 are in GBK but not in GB 2312: a strict gb2312 decoder fails on them.
        ("gbk_declared_gb2312.html", "gb2312", False, "朱镕基同志当年视察过的老码头"),
        ("big5.html", "big5", False, "港務局負責人指出"),
    ],
)
def test_encoding_traps(name: str, declared: str, utf8_bytes: bool, must_contain: str) -> None:
    data = (HTML / name).read_bytes()
    assert declared_charset(data) == declared
    try:
        data.decode("utf-8")
        is_utf8 = True
    except UnicodeDecodeError:
        is_utf8 = False
    assert is_utf8 is utf8_bytes  # the fixture really is the trap it claims to be
    doc, _ = read(name)
    text = body_text(doc)
    assert must_contain in text
    assert "\ufffd" not in text and "\ufffd" not in (doc.meta.title or "")


def test_gbk_only_characters_survive() -> None:
    doc, _ = read("gbk_declared_gb2312.html")
    assert all(c in body_text(doc) for c in "镕喆囍")
    with pytest.raises(UnicodeDecodeError):
        (HTML / "gbk_declared_gb2312.html").read_bytes().decode("gb2312")


@pytest.mark.parametrize(
    ("head", "expected"),
    [
        (b'<meta charset="GB2312">', "gb2312"),
        (b"<meta http-equiv='Content-Type' content='text/html; charset=gbk'>", "gbk"),
        (b'<?xml version="1.0" encoding="Big5"?><html>', "big5"),
        (b"<html><head><title>x</title></head>", None),
    ],
)
def test_declared_charset(head: bytes, expected: str | None) -> None:
    assert declared_charset(head) == expected


# ------------------------------------------------------------------ structure


def test_strong_paragraph_is_a_subhead_and_structure_is_kept() -> None:
    doc, _ = read("subheads.html")
    headings = [plain_text(h) for h in query(doc, Heading)]
    assert headings == ["自动化岸桥提升效率", "多式联运再提速"]
    assert [type(b).__name__ for b in doc.blocks[-2:]] == ["List", "BlockQuote"]
    assert len(query(doc, List)[0].children) == 2
    links = query(doc, Link)
    assert [(plain_text(link), link.url) for link in links] == [("港口官网", "https://example.org/port")]
    # A bold lead-in followed by more text is not a subhead.
    assert any(isinstance(b, Paragraph) and plain_text(b).startswith("一、首批岸桥") for b in doc.blocks)


def test_captions_from_figcaption_centred_paragraph_and_alt() -> None:
    doc, _ = read("captions.html")
    figures = query(doc, Figure)
    assert [(f.image.src if f.image else None, plain_text(f.caption)) for f in figures] == [
        ("captions_files/harbour.jpg", "三号码头的自动化岸桥正在作业。记者 王海 摄"),  # local file, relative
        ("https://img.example.org/2024/night.jpg", "夜幕下的集装箱堆场灯火通明。"),  # remote stays a URL
        ("captions_files/missing.jpg", "游客在观景台拍摄港口夜景"),  # missing file keeps its caption
        ("https://img.example.org/2024/crane.jpg", "新岸桥吊起首个集装箱。滨海港务集团供图"),  # reads like a caption
        ("https://img.example.org/port.jpg", "图为港区全景。 滨海港务集团供图"),  # an image inside a link
        ("https://img.example.org/2024/yard.jpg", ""),  # a long centred paragraph is not a caption
    ]
    assert plain_text(doc.blocks[-1]).startswith("港航管理局负责人表示，夜间集疏港通道")
    assert "夜幕下的集装箱堆场灯火通明" not in "".join(plain_text(p) for p in query(doc, Paragraph))


# ------------------------------------------------------------------ metadata


def test_metadata_from_json_ld_and_open_graph() -> None:
    doc, _ = read("json_ld.html")
    m = doc.meta
    assert (m.title, m.date, m.author, m.publisher, m.url) == (
        "新航线开通 港口连通东南亚",
        "2024-04-02T08:15:00",
        "赵思远",
        "滨海新闻网",
        "https://news.example.org/2024/04/02/route.html",
    )


def test_metadata_from_byline_text() -> None:
    doc, _ = read("title_suffix_channel.html")
    m = doc.meta
    assert (m.title, m.date, m.source, m.editor, m.publisher) == (
        "港口一季度吞吐量创新高", "2024-03-11T12:12", "滨海日报", "周文 李青", "滨海网"
    )
    assert isinstance(doc.blocks[-1], Credit)  # the 责编 line closes the body, as on the page
    gbk, _ = read("gbk_declared_gb2312.html")
    assert (gbk.meta.date, gbk.meta.source, gbk.meta.author) == ("2024-03-12T09:30", "滨海晚报", "林晓燕")
    big5, _ = read("big5.html")
    assert (big5.meta.date, big5.meta.author) == ("2024-03-13", "陳志明")


@pytest.mark.parametrize(
    ("title", "headline", "expected"),
    [
        ("宇航员的一天 _探索者 _光明网", None, "宇航员的一天"),
        ("港口一季度吞吐量创新高--财经--人民网", None, "港口一季度吞吐量创新高"),
        ("新航线开通 港口连通东南亚 | 滨海新闻网", None, "新航线开通 港口连通东南亚"),
        ("短缺药品保供稳价 全力保障临床用药需求-新华网", None, "短缺药品保供稳价 全力保障临床用药需求"),
        # The headline decides when the title itself contains a separator.
        ("甲-乙两地高铁开通运营_滨海网", "甲-乙两地高铁开通运营", "甲-乙两地高铁开通运营"),
        ("没有后缀的标题", None, "没有后缀的标题"),
        # Only segments joined like the site name are peeled off; keyword suffixes go with it.
        ("新能源汽车出口增长-30%_滨海网", None, "新能源汽车出口增长-30%"),
        ("悲壮！主力后卫骨折离场_球队_季后赛_对手", None, "悲壮！主力后卫骨折离场"),
        ("2024-2025赛季收官", None, "2024-2025赛季收官"),
        ("青少年心理健康服务项目启动--健康·生活--人民网", None, "青少年心理健康服务项目启动"),
    ],
)
def test_site_suffix_is_stripped(title: str, headline: str | None, expected: str) -> None:
    assert strip_site_suffix(title, headline) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2024-03-11 12:12 来源：人民网", "2024-03-11T12:12"),
        ("2024年3月11日", "2024-03-11"),
        ("发布时间：2005-3-11 12:12:30", "2005-03-11T12:12:30"),
        ("2023-11-17T00:00:00Z", "2023-11-17T00:00:00"),
        ("2024/13/40", None),
        ("没有日期", None),
    ],
)
def test_iso_date(text: str, expected: str | None) -> None:
    assert iso_date(text) == expected


# ------------------------------------------------------------------ furniture and safety


def test_furniture_is_dropped() -> None:
    doc, _ = read("boilerplate.html")
    text = body_text(doc)
    for furniture in ("纠错", "返回搜狐", "相关新闻", "网友评论", "版权所有", "分享到", "首页", "登录", "记者：孙明"):
        assert furniture not in text
    assert (doc.meta.author, doc.meta.editor, doc.meta.date) == ("孙明", "何丽", "2024-05-06T10:20:00")
    assert len(query(doc, Paragraph)) == 3


def test_nothing_executable_reaches_the_tree() -> None:
    doc, ctx = read("unsafe.html")
    dumped = dumps(doc)
    for bad in ("alert", "javascript", "script", "steal", "track", "svg text", "injected", "flash", "请启用脚本",
                "输入框", "提交", "ads.example.org", "恶意图片", "color:red"):
        assert bad not in dumped.lower()
    assert [link.url for link in query(doc, Link)] == ["https://example.org/drill"]
    # An image path that climbs out of the page's folder is not used; its alt text stays as caption.
    outside = [f for f in query(doc, Figure) if plain_text(f.caption) == "越界图片"]
    assert outside and outside[0].image is None
    assert "resource-outside-folder" in [d.code for d in ctx.diagnostics]
    assert not any(isinstance(n, Image) and ".." in n.src for n in query(doc, Image))


@pytest.mark.parametrize(
    ("url", "image", "expected"),
    [
        ("https://example.org/a", False, "https://example.org/a"),
        ("a/b.html", False, "a/b.html"),
        ("javascript:alert(1)", False, None),
        (" JaVa\tScRiPt:alert(1)", False, None),
        ("vbscript:msgbox", False, None),
        ("data:text/html,<script>", False, None),
        ("data:image/png;base64,AAAA", True, "data:image/png;base64,AAAA"),
        ("data:image/png;base64,AAAA", False, None),
    ],
)
def test_safe_url(url: str, image: bool, expected: str | None) -> None:
    assert safe_url(url, image=image) == expected


def test_reader_takes_bytes_without_a_folder() -> None:
    doc = read_html((HTML / "subheads.html").read_bytes(), Context())
    assert doc.meta.title == "三号码头投入试运行" and doc.blocks


# ------------------------------------------------------------------ the shared corpus


def _corpus(shared: Path) -> list[Path]:
    return sorted((shared / "corpus").glob("*/*.html"))


def test_corpus_pages_read_and_serialise(shared_dir: Path) -> None:
    pages = _corpus(shared_dir)
    assert pages
    for page in pages:
        doc = pipeline.read(page, None, Context())
        assert doc.blocks, page.name
        assert json.loads(pipeline.render(doc, "json").decode("utf-8"))["blocks"]
        if importlib.util.find_spec("converters.writers.markdown") is not None:
            assert pipeline.render(doc, "markdown").strip(), page.name


def test_corpus_extraction_quality(shared_dir: Path) -> None:
    sys.path.insert(0, str(ROOT / "scripts"))
    try:
        import evaluate
    finally:
        sys.path.remove(str(ROOT / "scripts"))
    pages = evaluate.corpus_pages(shared_dir / "corpus", ".html")
    scores = evaluate.score(evaluate.pressroom_extract, pages, verbose=False)
    assert not scores.failures
    assert sum(scores.f1) / len(scores.f1) >= 0.96
    assert min(scores.f1) >= 0.80


# ------------------------------------------------------------------ layouts


def test_lead_box_beside_the_text_box_is_kept_and_sidebar_dropped() -> None:
    doc, _ = read("split_layout.html")
    text = body_text(doc)
    assert text.startswith("导语：") and "力争全年集装箱吞吐量" in text
    assert "热门" not in text and "点击查看详情" not in text


def test_old_table_layout_with_br_paragraphs() -> None:
    doc, _ = read("table_layout.html")
    assert len(query(doc, Paragraph)) == 3
    assert (doc.meta.title, doc.meta.date, doc.meta.source) == ("港口吞吐量再创新高", "2009-07-08", "滨海港务")
    assert "打印本页" not in body_text(doc) and "首页" not in body_text(doc)


def test_lazy_image_source_and_caption_by_class() -> None:
    doc, _ = read("lazy_images.html")
    first = doc.blocks[0]
    assert isinstance(first, Figure) and first.image is not None
    assert first.image.src == "https://img.example.org/truck.jpg"
    assert plain_text(first.caption) == "无人集卡在堆场内穿梭。"


def test_data_placeholder_gives_way_to_lazy_address_and_headline_alt_is_no_caption() -> None:
    doc, _ = read("lazy_images.html")
    second = query(doc, Figure)[1]
    assert second.image is not None and second.image.src == "https://img.example.org/crane.png"
    assert second.caption == ()  # its alt text only repeats the headline


def test_comments_without_class_names_and_site_notice_are_cut() -> None:
    doc, _ = read("comments_unclassed.html")
    text = body_text(doc)
    assert "网友" not in text and "回复" not in text and "版权所有" not in text
    assert [plain_text(b)[:6] for b in doc.blocks] == ["记者从市港航", "港航管理局负"]


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("http://paper.example.org/html/2024-05/13/nw_1-07.htm", "2024-05-13"),
        ("https://www.example.cn/politics/20240509/abc/c.html", "2024-05-09"),
        ("https://news.example.org/2024/04/02/route.html", "2024-04-02"),
        ("https://www.example.com/a/123456789.html", None),
        (None, None),
    ],
)
def test_url_date(url: str | None, expected: str | None) -> None:
    assert url_date(url) == expected


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("2024-01-01 来源：滨海日报 作者：林晓燕", {"date": "2024-01-01", "source": "滨海日报", "author": "林晓燕"}),
        ("文/记者 张三 李四", {"author": "张三 李四"}),
        ("作者：张三来源：滨海日报", {"author": "张三", "source": "滨海日报"}),
        ("本报记者 王五 通讯员 赵六", {"author": "王五"}),
        ("文丨特约评论员 韩冬", {"author": "韩冬"}),
        ("（责编：周文、李青）", {"editor": "周文 李青"}),
        ("记者 王海 摄", {}),  # a photographer, not the author
        ("作者：滨海日报", {"source_fallback": "滨海日报"}),  # an outlet, not a person
        ("作者：市经济研究中心世界经济研究部部长", {}),  # a job title, not a name
        ("记者从市港航管理局获悉", {}),  # running text, not a byline
        ("首页 作者 编辑 登录", {}),  # menu words are never names
    ],
)
def test_byline_lines(line: str, expected: dict[str, str]) -> None:
    assert from_text([line]) == expected


def test_teaser_cards_are_dropped_but_link_led_paragraphs_stay() -> None:
    doc, _ = read("teaser_cards.html")
    text = body_text(doc)
    assert "读书节" not in text and "本市要闻" not in text
    paragraphs = query(doc, Paragraph)
    assert len(paragraphs) == 5
    assert [link.url for link in query(doc, Link)] == [f"https://example.org/org{i}" for i in range(3)]


def test_active_content_is_dropped_with_one_counted_warning() -> None:
    page = (
        "<html><body onload='a()'><script>b()</script><h1>标题</h1>"
        "<p onclick='c()' onmouseover='d()'>记者从市文化局获悉，新的城市书房今天开放，市民可免费借阅。"
        "<a href='java&#x09;script:e()'>点此</a><a href='https://example.com/'>原文</a></p>"
        "<svg><script>f()</script></svg></body></html>"
    )
    ctx = Context()
    doc = read_html(page.encode(), ctx)
    warnings = [d.message for d in ctx.diagnostics if d.code == "active-content"]
    assert warnings == ["dropped 2 scripts, 3 event handlers, 1 script link"]
    text = plain_text(doc)
    assert "记者从市文化局获悉" in text and "点此" not in text
    assert not any(call in dumps(doc) for call in ("b()", "c()", "e()", "f()"))


def test_control_character_references_after_a_removed_element() -> None:
    doc = read_html('<p>前文<p style="display:none"></p>&#1;后&#xFFFE;文&#x1b;'.encode(), Context())
    text = plain_text(doc)
    assert "后" in text and not any(ch in text for ch in "\x01\ufffe\x1b")

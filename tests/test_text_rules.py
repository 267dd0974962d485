"""Rules of the scraped-text reader, one at a time: dates, labels, wrapped lines, table columns,
headings against captions, lists, bylines, and the site-style fixtures that exercise them."""

from __future__ import annotations

from pathlib import Path

import pytest

from converters.context import Context
from converters.readers.text import read_text, read_text_string
from converters.tree import Document, Figure, Heading, List, Paragraph, plain_text, query
from tests.conftest import FIXTURES

TEXT_FIXTURES = FIXTURES / "text"


def read_path(path: Path) -> Document:
    return read_text(path.read_bytes(), Context(source_name=str(path)))


def test_w3m_rejoins_wrapped_lines_without_spaces() -> None:
    doc = read_path(TEXT_FIXTURES / "w3m_wrapped.txt")
    paragraphs = [plain_text(p) for p in query(doc, Paragraph)]
    assert "由远程操控室" in paragraphs[0]
    assert "已有160多名员工" in paragraphs[-1]
    assert all(" " not in p for p in paragraphs)
    # The caption under the lead photo placeholder is kept as figure 1.
    assert isinstance(doc.blocks[0], Figure) and plain_text(doc.blocks[0].caption) == "码头上作业的自动化岸桥"


def test_gb18030_split_date_and_byline() -> None:
    raw = (TEXT_FIXTURES / "gbk_split_date.txt").read_bytes()
    with pytest.raises(UnicodeDecodeError):
        raw.decode("utf-8")
    doc = read_path(TEXT_FIXTURES / "gbk_split_date.txt")
    assert doc.meta.date == "2021-06-03"
    assert doc.meta.author == "张三 李四"  # 作者: is followed by a button; the byline names them
    assert doc.meta.editor == "周敏"  # 责编


def test_comment_thread_is_not_body() -> None:
    doc = read_path(TEXT_FIXTURES / "comments_thread.txt")
    assert len(doc.blocks) == 3
    assert doc.meta.date == "2022-10-21T18:45"


@pytest.mark.parametrize(
    ("dump", "date"),
    [
        ("标题一二三四五六\n2020-04-29 10:30\n", "2020-04-29T10:30"),
        ("标题一二三四五六\n发布时间：2020年4月29日\n", "2020-04-29"),
        ("标题一二三四五六\n2020\n/ 04/29\n", "2020-04-29"),
        ("标题一二三四五六\n2023 11/ 17 20:52:15\n", "2023-11-17T20:52"),
        ("标题一二三四五六\n2019.12.01\n", "2019-12-01"),
    ],
)
def test_date_forms(dump: str, date: str) -> None:
    body = "这是正文的第一段，讲述了一件发生在本地的新闻事件，内容足够长以便被识别为正文。\n" * 3
    doc = read_text_string(dump + body)
    assert doc.meta.date == date
    assert doc.meta.title == "标题一二三四五六"


@pytest.mark.parametrize(
    ("labels", "source", "author", "editor"),
    [
        ("来源：新华网 作者：王五 责任编辑：赵六", "新华网", "王五", "赵六"),
        ("来源:新华网  作者:王五", "新华网", "王五", None),
        ("[作者: 刘一　责任编辑: 陈二 ]", None, "刘一", "陈二"),
        ("记者 张三", None, "张三", None),
        ("作者:\n分享到微信", None, None, None),
        ("图片来源：某某图库", None, None, None),  # 来源 inside a word is not a label
        ("来源： [64c77908a3] 中国日报网", "中国日报网", None, None),  # a logo placeholder before the outlet
        ("责任编辑：李曦_NN2587", None, None, "李曦"),
        ("编辑：陶然   责任编辑：梁晨", None, None, "梁晨"),
        ("本报记者 王乐文 方 敏", None, "王乐文 方 敏", None),
        ("来源 | 东岭日报 文丨吴晓", "东岭日报", "吴晓", None),
        ("出品—某某栏目组\n作者—春春", None, "春春", None),  # NFKC turned the bar ︱ into a dash
    ],
)
def test_labels(labels: str, source: str | None, author: str | None, editor: str | None) -> None:
    body = "这是正文的第一段，讲述了一件发生在本地的新闻事件，内容足够长以便被识别为正文。\n" * 3
    doc = read_text_string(f"某地举行新闻发布会介绍情况\n2021-01-02\n{labels}\n{body}")
    assert (doc.meta.source, doc.meta.author, doc.meta.editor) == (source, author, editor)


def test_caption_led_lines_and_stacked_headings() -> None:
    doc = read_path(TEXT_FIXTURES / "photo_captions.txt")
    captions = [plain_text(f.caption) for f in query(doc, Figure)]
    assert captions == ["图为孩子们在少年宫里学习剪纸。", "图为竹编艺人韦师傅指导学员。"]
    # After a captioned photo, two short lines are a heading and its subheading, not a caption.
    assert [plain_text(h) for h in query(doc, Heading)] == ["老手艺找到新传人", "志愿者撑起课堂", "家长放心孩子开心"]
    assert doc.meta.author == "黄小岚 郑海"  # 作者 with a space, after the article
    assert doc.meta.source == "东岭日报 东岭新闻网"
    assert "特别声明" not in "".join(plain_text(b) for b in doc.blocks)


def test_w3m_teasers_link_runs_and_edit_marks() -> None:
    doc = read_path(TEXT_FIXTURES / "w3m_teasers.txt")
    body = "".join(plain_text(b.caption if isinstance(b, Figure) else b) for b in doc.blocks)
    assert "INS" not in body and "河源网" not in body and "网友" not in body
    assert [plain_text(f.caption) for f in query(doc, Figure)] == ["远程会诊中心"]  # under the [jpg] placeholder
    assert doc.meta.editor == "梁晨"  # 责任编辑 wins over a plain 编辑
    assert doc.meta.date == "2024-05-06T11:02"


def test_big5_traditional_dump() -> None:
    raw = (TEXT_FIXTURES / "big5_traditional.txt").read_bytes()
    with pytest.raises(UnicodeDecodeError):
        raw.decode("utf-8")
    doc = read_path(TEXT_FIXTURES / "big5_traditional.txt")
    assert doc.meta.title == "夜市攤商改用環保餐具 減塑成效超乎預期"
    assert (doc.meta.date, doc.meta.author, doc.meta.editor) == ("2023-09-14T16:40", "林怡君", "陳志明")
    assert doc.meta.language == "zh-TW"
    assert [plain_text(h) for h in query(doc, Heading)] == ["減塑回收站"]
    assert sum(isinstance(b, Paragraph) for b in doc.blocks) == 4


def test_byline_in_body_and_colon_lead_in() -> None:
    para = "这是正文的一段，讲述了一件发生在本地的新闻事件，内容足够长以便被识别为正文。"
    head = "某地举行新闻发布会介绍情况\n2021-01-02\n"
    dump = f"{head}新华社北京1月2日电 {para}\n新华社记者\n{para}\n他在会上表示：\n{para}\n"
    doc = read_text_string(dump)
    kinds = [type(b).__name__ for b in doc.blocks]
    assert kinds == ["Paragraph", "Credit", "Paragraph", "Paragraph", "Paragraph"]
    assert plain_text(doc.blocks[1]) == "新华社记者"
    assert plain_text(doc.blocks[3]) == "他在会上表示："


def test_w3m_side_by_side_table_columns() -> None:
    """A table layout printed side by side: the article column is re-joined, the sidebar dropped."""
    doc = read_path(TEXT_FIXTURES / "w3m_table_layout.txt")
    paragraphs = [plain_text(p) for p in query(doc, Paragraph)]
    assert len(paragraphs) == 3
    assert paragraphs[0].startswith("本报讯 今年以来") and paragraphs[0].endswith("充电桩等。")
    assert "已完成改造小区46个" in paragraphs[0]
    assert "确保改得合民意、用得上。" in paragraphs[2]
    body = "".join(plain_text(b) for b in doc.blocks)
    for sidebar in ("热点新闻", "暴雨预警", "图片新闻", "湿地公园"):
        assert sidebar not in body
    assert (doc.meta.source, doc.meta.author, doc.meta.editor) == ("南岭日报", "苏文", "方圆")


def test_headings_that_mention_furniture_words_stay() -> None:
    """Words that also name page furniture (注册, 评论, 热点, 登录) do not end or cut the article."""
    paras = [
        "这是正文的第一段，讲述了一件发生在本地的新闻事件，内容足够长以便被识别为正文。",
        "第二段继续介绍有关情况，相关部门负责人回答了记者提问。",
        "第三段说明下一步的工作安排，包括完善制度、加强监管等内容，篇幅稍长一些。",
        "第四段引用了市民的看法，大家普遍表示支持。",
        "最后一段是总结，记者将继续关注此事的进展情况。",
    ]
    headings = ["一、注册制改革稳步推进", "二、评论员文章引发讨论", "三、热点问题逐一解答", "四、登录系统全面升级"]
    sections = "".join(f"{p}\n{h}\n" for p, h in zip(paras, headings, strict=False))
    dump = "某地举行新闻发布会介绍情况\n2021-01-02\n" + sections + paras[-1]
    doc = read_text_string(dump + "\n相关推荐 换一换\n热点新闻一则标题在这里，点击查看详情。\n")
    assert [plain_text(h) for h in query(doc, Heading)] == headings
    assert sum(isinstance(b, Paragraph) for b in doc.blocks) == 5


def test_lists_bulleted_and_numbered() -> None:
    """Bulleted lines in a row, and short lines numbered one after another, make lists."""
    para = "这是正文的一段，讲述了一件发生在本地的新闻事件，内容足够长以便被识别为正文。"
    dump = (
        "某地公布今年十件民生实事\n2021-01-02\n"
        f"{para}\n  • 新建公园二十个\n  • 改造道路三十条\n{para}\n"
        f"1.增加学位五千个\n2.新增养老床位八百张\n3.建设充电桩一千个\n{para}\n"
        f"一、强化组织保障\n{para}\n二、加强督促检查\n{para}\n"
    )
    doc = read_text_string(dump)
    lists = query(doc, List)
    assert [(lst.ordered, lst.start, [plain_text(i) for i in lst.children]) for lst in lists] == [
        (False, 1, ["新建公园二十个", "改造道路三十条"]),
        (True, 1, ["增加学位五千个", "新增养老床位八百张", "建设充电桩一千个"]),
    ]
    # Numbered lines with paragraphs between them are section headings.
    assert [plain_text(h) for h in query(doc, Heading)] == ["一、强化组织保障", "二、加强督促检查"]


def test_subtitle_under_the_title() -> None:
    para = "这是正文的一段，讲述了一件发生在本地的新闻事件，内容足够长以便被识别为正文。"
    head = "首页\n山沟里走出的“科技小院”\n——记农业大学驻村研究生团队\n2022-05-06 来源：某某日报\n"
    doc = read_text_string(f"{head}{para}\n{para}\n")
    assert doc.meta.title == "山沟里走出的“科技小院”"
    assert doc.meta.subtitle == "——记农业大学驻村研究生团队"


def test_inline_related_box_is_skipped_not_the_end() -> None:
    """A "related reading" box set between paragraphs is left out; the article goes on after it."""
    paras = [
        "第一段介绍了基本情况，全市今年新建公园二十个，改造道路三十条，群众反映良好。",
        "第二段说明了资金来源，市财政安排专项资金五亿元，并引入社会资本参与建设运营。",
        "第三段讲述了居民的感受，家住城西的张先生说，现在出门就能散步，生活方便多了。",
        "第四段介绍了下一步计划，明年将继续推进口袋公园建设，让更多市民受益。",
    ]
    dump = (
        "某市今年新建公园二十个\n2021-01-02 来源：某某日报\n"
        f"{paras[0]}\n{paras[1]}\n相关阅读：\n去年公园建设回顾\n市民游园指南发布\n{paras[2]}\n{paras[3]}\n"
        "责任编辑：王某\n相关推荐\n另一则新闻的标题，讲的是别的事情。\n"
    )
    doc = read_text_string(dump)
    assert [plain_text(b) for b in doc.blocks] == paras
    assert doc.meta.editor == "王某"


def test_teaser_list_after_related_heading_is_not_article() -> None:
    """After 相关推荐, headlines alternating with summaries are teasers, not more article."""
    para = "这是正文的一段，讲述了一件发生在本地的新闻事件，内容足够长以便被识别为正文。"
    summary = "则推荐新闻的摘要，介绍了一些别的情况，与本文无关。"
    teasers = "".join(f"另一则新闻标题{n}\n这是第{n}{summary}\n" for n in range(1, 5))
    doc = read_text_string(f"某地举行新闻发布会介绍情况\n2021-01-02\n{para}\n{para}\n{para}\n相关推荐\n{teasers}")
    assert [type(b).__name__ for b in doc.blocks] == ["Paragraph"] * 3


def test_plain_note_without_article_layout_keeps_its_lines() -> None:
    ctx = Context()
    doc = read_text_string("今天天气很好\n明天去公园\n", ctx)
    assert [plain_text(b) for b in doc.blocks] == ["今天天气很好", "明天去公园"]
    assert [d.code for d in ctx.diagnostics] == ["no-article"]


def test_punctuated_headline_right_above_the_body_is_the_title() -> None:
    para = "这是正文的一段，讲述了一件发生在本地的新闻事件，内容足够长以便被识别为正文。"
    doc = read_text_string(f"首页\n新闻\n某市出台新规，鼓励市民绿色出行\n{para}\n{para}\n")
    assert doc.meta.title == "某市出台新规，鼓励市民绿色出行"
    assert [plain_text(b) for b in doc.blocks] == [para, para]

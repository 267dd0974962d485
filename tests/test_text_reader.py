"""The scraped-text reader: the sample's acceptance, fixture dumps against golden trees, bad input.

Fixtures under ``tests/fixtures/text/`` are invented dumps in several site styles (portal copy,
w3m hard-wrapped, GB18030 with a split date, a WeChat-style post, a page with a comment thread);
each has a golden ``NAME.json`` tree next to it (``make accept`` records them after review).
"""

from __future__ import annotations

import contextlib
import os
import re
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from converters.context import Context
from converters.errors import PressroomError
from converters.readers.text import read_text, read_text_string
from converters.tree import Credit, Document, Figure, Heading, List, Paragraph, dumps, plain_text, query
from tests.conftest import FIXTURES, ROOT, SAMPLE
from tests.golden import assert_golden

TEXT_FIXTURES = FIXTURES / "text"
GOLDENS = Path(__file__).resolve().parent / "goldens" / "text"

#: An ASCII mark that NFKC left beside a Han character (the acceptance forbids any).
ASCII_BESIDE_HAN = re.compile(r"[\u4e00-\u9fff][,;:!?()]|[,;:!?()][\u4e00-\u9fff]")

#: Page furniture of the sample that must not reach any block.
SAMPLE_BOILERPLATE = (
    "海报新闻", "大众网官方微信", "扫描有惊喜", "订阅方式", "发送短信", "手机查看",
    "来源", "作者", "责任编辑", "相关推荐", "换一换", "媒体矩阵",
)


def read_path(path: Path) -> Document:
    return read_text(path.read_bytes(), Context(source_name=str(path)))


@pytest.fixture(scope="module")
def sample() -> Document:
    return read_path(SAMPLE)


# --------------------------------------------------------------------------- the sample's acceptance


def test_sample_metadata(sample: Document) -> None:
    m = sample.meta
    assert m.title == "济南先行区：万众一心全力奋战抗击疫情 汇聚起众志成城的强大战“疫”力量"
    assert m.date == "2020-04-29"
    assert m.source == "灯塔-党建在线"
    assert m.author is None  # the page's 作者 label is followed by a button, not a name
    assert m.editor == "李巧妹"


def test_sample_headings_and_captions(sample: Document) -> None:
    headings = [plain_text(h) for h in query(sample, Heading)]
    assert len(headings) == 6
    assert headings[0] == "党建为先：在战“疫”一线淬炼初心使命"
    assert headings[-1] == "有序复工：“AB角”服务专员推着企业加速跑"
    figures = query(sample, Figure)
    assert [plain_text(f.caption) for f in figures] == [
        "高速口值班值守",
        "走访慰问火车站值守点一线人员",
        "值守点巡查车辆",
        "企业捐献物资",
        "济南先行区2020年重点项目集中签约",
    ]
    assert [f.number for f in figures] == [1, 2, 3, 4, 5]
    assert all(f.image is None for f in figures)


def test_sample_paragraphs_and_credit(sample: Document) -> None:
    assert sum(isinstance(b, Paragraph) for b in sample.blocks) == 21
    assert isinstance(sample.blocks[-1], Credit)
    assert plain_text(sample.blocks[-1]) == "（济南新旧动能转换先行区管理委员会党群工作室）"
    last_paragraph = plain_text(sample.blocks[-2])
    assert last_paragraph.endswith("勃勃生机。")


def test_sample_has_no_boilerplate(sample: Document) -> None:
    for block in sample.blocks:
        text = plain_text(block.caption if isinstance(block, Figure) else block)
        for furniture in SAMPLE_BOILERPLATE:
            assert furniture not in text, (furniture, text[:40])


def test_sample_punctuation_restored_numbers_kept(sample: Document) -> None:
    texts = [plain_text(b.caption if isinstance(b, Figure) else b) for b in sample.blocks]
    texts += [sample.meta.title or "", sample.meta.source or "", sample.meta.editor or ""]
    for text in texts:
        assert not ASCII_BESIDE_HAN.search(text), text
    body = "\n".join(texts)
    for kept in ("截至3月19目", "1.5万人次", "3045.6升", "100%", "1815.8万元", "24小时", "N95口罩"):
        assert kept in body
    # Every number of the source's article text is in the tree, digit for digit.
    source = SAMPLE.read_text(encoding="utf-8")
    article = source[source.index("当新冠病毒") : source.index("责任编辑")]
    assert re.findall(r"\d+(?:\.\d+)?%?", article) == re.findall(r"\d+(?:\.\d+)?%?", "".join(texts[:-3]))


def test_sample_golden(sample: Document) -> None:
    assert_golden(dumps(sample) + "\n", GOLDENS / "sample.json")


# --------------------------------------------------------------------------- invented fixtures

FIXTURE_FILES = sorted(TEXT_FIXTURES.glob("*.txt"))


@pytest.mark.parametrize("path", FIXTURE_FILES, ids=[p.stem for p in FIXTURE_FILES])
def test_fixture_golden(path: Path) -> None:
    doc = read_path(path)
    assert_golden(dumps(doc) + "\n", path.with_suffix(".json"))


@pytest.mark.parametrize("path", FIXTURE_FILES, ids=[p.stem for p in FIXTURE_FILES])
def test_fixture_invariants(path: Path) -> None:
    """What holds for every dump, whatever the golden says: a title, a body, no furniture."""
    doc = read_path(path)
    assert doc.meta.title
    assert doc.meta.date and re.fullmatch(r"\d{4}-\d\d-\d\d(T\d\d:\d\d)?", doc.meta.date)
    assert sum(isinstance(b, Paragraph) for b in doc.blocks) >= 3
    body = "\n".join(plain_text(b.caption if isinstance(b, Figure) else b) for b in doc.blocks)
    for furniture in ("首页", "登录", "相关", "分享", "扫一扫", "版权", "回复", "评论", "责编", "责任编辑"):
        assert furniture not in body
    assert not ASCII_BESIDE_HAN.search(body)
    assert doc.meta.title not in body


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
    ],
)
def test_labels(labels: str, source: str | None, author: str | None, editor: str | None) -> None:
    body = "这是正文的第一段，讲述了一件发生在本地的新闻事件，内容足够长以便被识别为正文。\n" * 3
    doc = read_text_string(f"某地举行新闻发布会介绍情况\n2021-01-02\n{labels}\n{body}")
    assert (doc.meta.source, doc.meta.author, doc.meta.editor) == (source, author, editor)


# --------------------------------------------------------------------------- bad input, via the CLI

BAD_INPUTS = {
    "empty": b"",
    "blank": b"  \n\n \t\n",
    "binary": b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4,
    "truncated": "新闻正文的最后一个字被截断".encode()[:-1],
    "wrong-encoding": bytes([0xFF, 0x81, 0x20, 0xFE, 0xFF, 0x80, 0x7F, 0xFF]) * 20,
}


@pytest.mark.parametrize("name", sorted(BAD_INPUTS))
def test_bad_input_one_error_line_exit_1_no_output(name: str, tmp_path: Path) -> None:
    bad = tmp_path / "bad.txt"
    bad.write_bytes(BAD_INPUTS[name])
    out = tmp_path / "out.md"
    proc = subprocess.run(
        [sys.executable, "-m", "converters", "convert", str(bad), "-o", str(out)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"},
        check=False,
    )
    assert proc.returncode == 1, proc.stderr
    assert len(proc.stderr.strip().splitlines()) == 1, proc.stderr
    assert "Traceback" not in proc.stderr
    assert not out.exists()
    assert list(tmp_path.iterdir()) == [bad]  # no temporary file left behind either


# --------------------------------------------------------------------------- properties


@given(st.text(max_size=400))
@settings(max_examples=300, deadline=None)
def test_reader_raises_only_pressroom_errors_on_text(text: str) -> None:
    try:
        doc = read_text_string(text)
    except PressroomError:
        return
    assert isinstance(doc, Document)


@given(st.binary(max_size=300))
@settings(max_examples=200, deadline=None)
def test_reader_raises_only_pressroom_errors_on_bytes(data: bytes) -> None:
    with contextlib.suppress(PressroomError):
        read_text(data, Context())


_news_line = st.lists(
    st.sampled_from(["新闻", "记者", "2020", "年", "4月", "29日", ":", "：", ",", "，", "。", "(", ")", "来源", "作者",
                     "责任编辑", "相关推荐", "手机查看", " ", "\n", "  ", "AB", "1.5", "%", "！", "图为", "摄"]),
    max_size=120,
).map("".join)


@given(_news_line)
@settings(max_examples=300, deadline=None)
def test_reader_is_total_on_news_like_text(text: str) -> None:
    with contextlib.suppress(PressroomError):
        read_text_string(text)


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


# --------------------------------------------------------------------------- the shared corpus (skips without it)


@pytest.fixture(scope="module")
def corpus(request: pytest.FixtureRequest) -> Path:
    """``../shared/corpus`` (or ``$PRESSROOM_CORPUS``); skips when neither is there."""
    override = os.environ.get("PRESSROOM_CORPUS")
    if override:
        return Path(override)
    shared: Path = request.getfixturevalue("shared_dir")
    return shared / "corpus"


@pytest.mark.parametrize(("kind", "target"), [("copy", 0.92), ("w3m", 0.90)])
def test_corpus_body_f1(corpus: Path, kind: str, target: float) -> None:
    """Through the text reader, the dumps beside the corpus pages score the issue's body F1."""
    sys.path.insert(0, str(ROOT / "scripts"))
    import evaluate

    suffix = {"copy": ".copy.txt", "w3m": ".txt"}[kind]
    pages = evaluate.corpus_pages(corpus, suffix)
    if kind == "w3m":
        pages = [(p, t) for p, t in pages if not p.name.endswith(".copy.txt")]
    if not pages:
        pytest.skip(f"no {kind} dumps in {corpus}")
    scores = evaluate.score(evaluate.pressroom_extract, pages, verbose=False)
    assert not scores.failures
    assert sum(scores.f1) / len(scores.f1) >= target


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


def _hard_wrap(text: str, columns: int = 80) -> str:
    """The dump as w3m prints it: folded before ``columns`` at a Han character or a space.

    A Latin word or a number is never split; the space w3m breaks at is dropped.
    """
    from converters.readers.text.lines import display_width

    out: list[str] = []
    for line in text.split("\n"):
        current = ""
        for token in re.findall(r"[A-Za-z0-9.,%\-]+| +|.", line):
            if current.strip() and display_width(current + token) > columns - 1:
                out.append(current.rstrip())
                current = "" if token.isspace() else token
            else:
                current += token
        out.append(current)
    return "\n".join(out)


@pytest.mark.parametrize("columns", [80, 72])
def test_sample_hard_wrapped_reads_the_same(sample: Document, columns: int) -> None:
    """Re-joining wrapped lines restores the dump: the same tree as the unwrapped sample."""
    from converters.readers.text.lines import display_width

    source = SAMPLE.read_text(encoding="utf-8")
    wrapped = _hard_wrap(source, columns)
    assert max(display_width(line) for line in wrapped.split("\n")) < columns
    assert wrapped.count("\n") > source.count("\n") + 50  # really folded
    assert read_text_string(wrapped) == sample


def test_sample_with_full_width_punctuation_reads_the_same(sample: Document) -> None:
    """A dump that kept its full-width punctuation (no NFKC) gives the same tree."""
    from converters.cleaners.punctuation import restore_text

    source = SAMPLE.read_text(encoding="utf-8")
    full_width = "\n".join(restore_text(line) for line in source.split("\n"))
    assert "，" in full_width and "：" in full_width
    assert read_text_string(full_width) == sample


@pytest.mark.parametrize(
    "encode",
    [
        lambda s: s.encode("gb18030"),
        lambda s: s.encode("utf-8-sig"),
        lambda s: s.replace("\n", "\r\n").encode("utf-8"),
        lambda s: s.replace("  ", "\u3000\u3000").encode("utf-8"),  # ideographic-space indents
    ],
    ids=["gb18030", "utf-8-bom", "crlf", "ideographic-indent"],
)
def test_sample_bytes_variants_read_the_same(sample: Document, encode: Callable[[str], bytes]) -> None:
    data = encode(SAMPLE.read_text(encoding="utf-8"))
    assert read_text(data, Context()) == sample


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


_terminal_line = st.lists(st.sampled_from([*"中文字新闻记者 ，。：a1[]•", "     ", "  "]), max_size=45).map("".join)


@given(st.lists(_terminal_line, min_size=3, max_size=40))
@settings(max_examples=300, deadline=None)
def test_reader_is_total_on_terminal_like_dumps(lines: list[str]) -> None:
    """Dumps near the wrap width, with gaps that look like table cells, never crash the reader."""
    with contextlib.suppress(PressroomError):
        doc = read_text_string("\n".join(lines))
        assert isinstance(doc, Document)


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

"""The scraped-text reader: the sample's acceptance, fixture dumps against golden trees, bad input.

Fixtures under ``tests/fixtures/text/`` are invented dumps in several site styles (portal copy,
w3m hard-wrapped, a w3m table layout, w3m teaser lists, GB18030 with a split date, Big5, a
WeChat-style post, a page with a comment thread, caption-led photos); each has a golden
``NAME.json`` tree next to it (``make accept`` records them after review). Rule-by-rule tests
are in ``test_text_rules.py``.
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
from converters.tree import Credit, Document, Figure, Heading, Paragraph, dumps, loads, plain_text, query
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


def test_sample_inspect_via_cli(sample: Document) -> None:
    """``python -m converters inspect`` prints the same tree as JSON (how the acceptance is run)."""
    proc = subprocess.run(
        [sys.executable, "-m", "converters", "inspect", str(SAMPLE.relative_to(ROOT))],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"},
        check=True,
    )
    assert loads(proc.stdout) == sample


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
        lambda s: re.sub(r"\n\s*\n", "\n", s).encode("utf-8"),  # no blank lines between paragraphs
        lambda s: re.sub(r"(?m)^[ \t]+", "", s).encode("utf-8"),  # no indentation
    ],
    ids=["gb18030", "utf-8-bom", "crlf", "ideographic-indent", "no-blank-lines", "no-indent"],
)
def test_sample_bytes_variants_read_the_same(sample: Document, encode: Callable[[str], bytes]) -> None:
    data = encode(SAMPLE.read_text(encoding="utf-8"))
    assert read_text(data, Context()) == sample


_terminal_line = st.lists(st.sampled_from([*"中文字新闻记者 ，。：a1[]•", "     ", "  "]), max_size=45).map("".join)


@given(st.lists(_terminal_line, min_size=3, max_size=40))
@settings(max_examples=300, deadline=None)
def test_reader_is_total_on_terminal_like_dumps(lines: list[str]) -> None:
    """Dumps near the wrap width, with gaps that look like table cells, never crash the reader."""
    with contextlib.suppress(PressroomError):
        doc = read_text_string("\n".join(lines))
        assert isinstance(doc, Document)



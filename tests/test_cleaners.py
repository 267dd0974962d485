"""The punctuation and whitespace cleaners: examples of what they change and keep, and idempotence."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from converters.cleaners.punctuation import restore_punctuation, restore_text
from converters.cleaners.whitespace import normalise_whitespace, squeeze
from converters.tree import Document, Figure, Heading, Meta, Paragraph, Strong, Text
from tests.strategies import documents


@pytest.mark.parametrize(
    ("damaged", "restored"),
    [
        ("扫描有惊喜!", "扫描有惊喜！"),
        ("来源:新华网", "来源：新华网"),
        ("消散,人们的目光", "消散，人们的目光"),
        ("党员突击队;或许是", "党员突击队；或许是"),
        ("领导小组(指挥部),并下设", "领导小组（指挥部），并下设"),
        ("中新(新加坡)项目", "中新（新加坡）项目"),
        ("真的吗?", "真的吗？"),
        ("采用MV等形式,录制", "采用MV等形式，录制"),
        ("“AB角”服务专员:推着", "“AB角”服务专员：推着"),
        ("(济南新旧动能转换先行区管理委员会党群工作室)", "（济南新旧动能转换先行区管理委员会党群工作室）"),
        ("截至2020年, 全市", "截至2020年， 全市"),
        ("人工智能 (AI) 技术", "人工智能 （AI） 技术"),
        ("口罩、护目镜......一时间", "口罩、护目镜……一时间"),
    ],
)
def test_restores_marks_beside_chinese(damaged: str, restored: str) -> None:
    assert restore_text(damaged) == restored


#: Pieces that must come out exactly as they went in.
KEPT_TOKENS = ("1.5万", "3045.6", "9:30", "100%", "1,000,000", "3:0", "19目", "Hello, world! (really?)", "//", "怎...")


@pytest.mark.parametrize(
    "kept",
    [
        "1.5万",
        "3045.6升",
        "上午9:30开始",
        "复工率100%",
        "共1,000,000元",
        "比分3:0领先",
        "截至3月19目",  # the source's own typo
        "Hello, world! (really?)",
        "网址:https://example.com/a?b=1",
        "N95口罩",
        "……",
        "AB角",
        "e.g. U.S.",
        "一日三餐怎...",
        "wait......",
    ],
)
def test_keeps_numbers_latin_and_typos(kept: str) -> None:
    out = restore_text(kept)
    for token in KEPT_TOKENS:
        if token in kept:
            assert token in out
    if not any("\u4e00" <= c <= "\u9fff" for c in kept):
        assert out == kept  # nothing Chinese, nothing to restore


def test_cleaner_walks_the_whole_tree() -> None:
    doc = Document(
        Meta(title="标题:副题", source="来源(网)"),
        (
            Heading(2, (Text("一、概况:"),)),
            Paragraph((Text("他说,"), Strong((Text("好!"),)))),
            Figure(None, (Text("图为现场(资料图)"),), 1),
        ),
    )
    out = restore_punctuation(doc)
    assert out.meta.title == "标题：副题"
    assert out.meta.source == "来源（网）"
    assert out.blocks == (
        Heading(2, (Text("一、概况："),)),
        Paragraph((Text("他说，"), Strong((Text("好！"),)))),
        Figure(None, (Text("图为现场（资料图）"),), 1),
    )


def test_whitespace() -> None:
    assert squeeze("a\u3000\u3000b\u00a0 c\u200bd") == "a b cd"
    doc = Document(Meta(title="  标题\u3000 "), (Paragraph((Text("\u3000\u3000正文  第一段 "),)),))
    out = normalise_whitespace(doc)
    assert out.meta.title == "标题"
    assert out.blocks == (Paragraph((Text("正文 第一段"),)),)


_mixed = st.text(
    alphabet=st.sampled_from(list("中文字新闻abcXY0123456789 ,;:!?()（）“”.%，：\u3000\u00a0\u200b\n")),
    max_size=80,
)


@given(_mixed)
@settings(max_examples=500, deadline=None)
def test_restore_text_is_idempotent(text: str) -> None:
    once = restore_text(text)
    assert restore_text(once) == once
    assert len(once) == len(text)  # one character for one: nothing inserted or removed


@given(st.text(max_size=80))
@settings(max_examples=300, deadline=None)
def test_restore_text_is_idempotent_on_any_text(text: str) -> None:
    once = restore_text(text)
    assert restore_text(once) == once


@given(documents)
@settings(max_examples=200, deadline=None)
def test_cleaners_are_idempotent_on_documents(doc: Document) -> None:
    for clean in (restore_punctuation, normalise_whitespace):
        once = clean(doc)
        assert clean(once) == once

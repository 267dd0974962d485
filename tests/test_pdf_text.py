"""Unit tests of the PDF writer's text preparation, headline breaking, page geometry and dates."""

from __future__ import annotations

import pytest

from converters.context import Options
from converters.errors import UsageError
from converters.writers.pdf import cjk, page
from converters.writers.pdf.html import _width_em, title_lines

WJ, ZWSP = cjk.WJ, cjk.ZWSP


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("先行区\n成立了", "先行区成立了"),
        ("先行区  \n  成立了", "先行区成立了"),
        ("“疫”\n力量", "“疫”力量"),
        ("RFID\ntags", "RFID tags"),
        ("共有\n1255个", "共有1255个"),
    ],
)
def test_newlines_inside_cjk_text_vanish(source: str, expected: str) -> None:
    assert cjk.join_lines(source) == expected


@pytest.mark.parametrize("mark", list(cjk.NO_LINE_START))
def test_no_start_marks_are_glued_to_what_precedes(mark: str) -> None:
    assert cjk.add_word_joiners(f"字{mark}字").startswith(f"字{WJ}{mark}")


@pytest.mark.parametrize("mark", list(cjk.NO_LINE_END))
def test_no_end_marks_are_glued_to_what_follows(mark: str) -> None:
    assert cjk.add_word_joiners(f"字{mark}字").endswith(f"{mark}{WJ}字")


def test_paired_dashes_and_ellipses_stay_one_unit() -> None:
    out = cjk.add_word_joiners("他说——好……走")
    assert out == f"他说{WJ}——好{WJ}……走"


def test_quotes_get_break_opportunities_next_to_han() -> None:
    out = cjk.add_word_joiners("最好的“试金石”一段")
    assert out == f"最好的{ZWSP}“{WJ}试金石{WJ}”{ZWSP}一段"
    assert cjk.add_word_joiners("“试金石”。") == f"“{WJ}试金石{WJ}”{WJ}。"
    # After an opening mark the quote stays glued: 《“ never splits (《 would end the line).
    assert cjk.add_word_joiners("规范》《“双测温”") == f"规范{WJ}》《{WJ}“{WJ}双测温{WJ}”"


def test_preparation_is_idempotent_and_drops_nothing_visible() -> None:
    text = "他说：“你好。”——这是（测试）……好·的"
    once = cjk.prepare(text)
    assert cjk.prepare(once) == once
    assert once.replace(WJ, "").replace(ZWSP, "") == text


def test_cjk_latin_spacing_wraps_latin_runs_next_to_han() -> None:
    html = cjk.to_html("共1255个MV和RFID tags。", cjk_latin_space=True)
    assert '<span class="cl-b cl-a">1255</span>' in html
    assert '<span class="cl-b cl-a">MV</span>' in html
    assert '<span class="cl-b">RFID</span> tags' in html
    assert '<span class="cl-a">tags</span>' not in html  # the full stop is not Han: no space before it


def test_default_squeeze_is_closing_or_stop_before_another_mark() -> None:
    html = cjk.to_html("好。”然后（走）。《书》")
    assert html.count('class="halt"') == 3  # 。 of 。”, ） of ）。 and 。 of 。《
    assert "（" in html and '<span class="halt">（' not in html


@pytest.mark.parametrize(
    ("title", "size", "lines"),
    [
        (
            "城市书房开进老街区：二十四小时不打烊的“第三空间”",
            1.75,
            ["城市书房开进老街区：", "二十四小时不打烊的“第三空间”"],
        ),
        ("短标题", 1.75, ["短标题"]),
        (
            "济南先行区：万众一心全力奋战抗击疫情 汇聚起众志成城的强大战“疫”力量",
            1.65,
            ["济南先行区：万众一心全力奋战抗击疫情", "汇聚起众志成城的强大战“疫”力量"],
        ),
    ],
)
def test_headlines_break_between_clauses(title: str, size: float, lines: list[str]) -> None:
    assert title_lines(title, 31) == (size, lines)
    for line in lines:
        assert _width_em(line) * size <= 31


@pytest.mark.parametrize(("name", "chars"), [("A5", 31), ("A4", 38), ("B5", 37), ("16K", 39)])
def test_the_measure_is_a_whole_number_of_characters(name: str, chars: int) -> None:
    spec = page.page_spec(name)
    assert page.text_width_pt(spec) == pytest.approx(chars * spec.font_size)
    assert page.text_width_pt(spec) <= (spec.width - 2 * spec.side) * page.MM


def test_custom_and_bad_page_sizes() -> None:
    assert (page.page_spec("150x220").width, page.page_spec("150x220").height) == (150, 220)
    assert page.page_spec("16开") == page.SIZES["16K"]
    for bad in ("letter", "10x10", "0x0", "A9"):
        with pytest.raises(UsageError):
            page.page_spec(bad)


def test_dates_come_from_the_article_and_source_date_epoch(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    assert page.document_dates("2020-04-29", Options()) == ("2020-04-29T00:00:00+00:00",) * 2
    assert page.document_dates(None, Options()) == (None, None)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "86400")
    assert page.document_dates("2020-04-29T10:30", Options()) == (
        "2020-04-29T10:30:00+00:00",
        "1970-01-02T00:00:00+00:00",
    )
    assert page.document_dates(None, Options(source_date_epoch=0))[1] == "1970-01-01T00:00:00+00:00"


def test_a_mark_after_a_space_is_glued_too() -> None:
    assert cjk.prepare("北京 · 上海 —— 好") == f"北京 {WJ}· 上海 {WJ}—— 好"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("两千余人次。", f"两千余人{WJ}次{WJ}。"),
        ("人次", f"人{WJ}次"),
        ("一二三”。", f"一二{WJ}三{WJ}”{WJ}。"),
        ("余人次……", f"余人{WJ}次{WJ}……"),
        ("增长25%。", f"增长25%{WJ}。"),  # a Latin run cannot be split anyway
        ("次。", f"次{WJ}。"),
    ],
)
def test_a_paragraph_keeps_its_last_two_ideographs_together(text: str, expected: str) -> None:
    assert cjk.prepare(text, ends_paragraph=True) == expected
    assert cjk.prepare(expected, ends_paragraph=True) == expected
    assert cjk.prepare(text) == expected.replace(f"人{WJ}次", "人次").replace(f"二{WJ}三", "二三")

"""The tree's public JSON contract and its generic walk/query."""

from __future__ import annotations

import json

from hypothesis import given, settings

from converters.tree import (
    Document,
    Figure,
    Heading,
    Image,
    Meta,
    Paragraph,
    Strong,
    Text,
    document_from_json,
    document_to_json,
    dumps,
    loads,
    plain_text,
    query,
)
from tests.strategies import documents


@given(documents)
@settings(max_examples=200, deadline=None)
def test_json_round_trip(doc: Document) -> None:
    assert loads(dumps(doc)) == doc
    assert document_from_json(json.loads(json.dumps(document_to_json(doc)))) == doc


def test_json_shape() -> None:
    doc = Document(
        Meta(title="标题", date="2020-04-29"),
        (
            Heading(2, (Text("小标题"),)),
            Figure(None, (Text("高速口值班值守"),), 1),
            Paragraph((Strong((Text("粗"),)), Text("体"))),
        ),
    )
    data = document_to_json(doc)
    assert data["meta"] == {"title": "标题", "date": "2020-04-29", "language": "zh-CN"}
    assert data["blocks"][0] == {"type": "heading", "level": 2, "children": [{"type": "text", "text": "小标题"}]}
    assert data["blocks"][1]["image"] is None
    assert data["blocks"][1]["caption"] == [{"type": "text", "text": "高速口值班值守"}]
    assert data["blocks"][2]["children"][0]["type"] == "strong"


def test_query_and_plain_text() -> None:
    doc = Document(
        Meta(),
        (
            Paragraph((Text("甲"), Strong((Text("乙"),)))),
            Figure(Image("a.png", "图"), (Text("丙"),)),
        ),
    )
    assert [plain_text(p) for p in query(doc, Paragraph)] == ["甲乙"]
    assert [t.text for t in query(doc, Text)] == ["甲", "乙", "丙"]
    assert len(query(doc, Image)) == 1


def test_bad_json_is_value_error() -> None:
    import pytest

    bad_trees = (
        {},
        {"blocks": [{"type": "nope"}]},
        {"blocks": [{"type": "text", "text": "x"}]},
        {"meta": {"x": 1}, "blocks": []},
    )
    for bad in bad_trees:
        with pytest.raises(ValueError):
            document_from_json(bad)

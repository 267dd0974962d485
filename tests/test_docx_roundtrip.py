"""DOCX reader and writer: ``read_docx(write_docx(doc)) == doc`` for every tree the model allows."""

from __future__ import annotations

import dataclasses
from pathlib import Path

from hypothesis import HealthCheck, given, settings

from converters.context import Context
from converters.readers.docx import read_docx
from converters.tree import BlockQuote, Document, Emph, Figure, Image, List, ListItem, Paragraph, Strong, Text, loads
from converters.writers.docx import write_docx
from tests.conftest import FIXTURES
from tests.strategies import documents

CANONICAL = loads((FIXTURES / "canonical.json").read_text(encoding="utf-8"))


def roundtrip(doc: Document, base: Path | None = None) -> Document:
    return read_docx(write_docx(doc, Context(base_dir=base)), Context())


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(documents)
def test_roundtrip_property(doc: Document) -> None:
    assert roundtrip(doc) == doc


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(documents)
def test_roundtrip_property_with_embedded_images(doc: Document) -> None:
    """Run from the fixtures folder, ``images/photo.jpg`` exists: pictures are embedded everywhere."""
    assert roundtrip(doc, FIXTURES) == doc


def test_canonical_roundtrip_with_embedded_images() -> None:
    ctx = Context(base_dir=FIXTURES)
    data = write_docx(CANONICAL, ctx)
    assert not ctx.diagnostics
    assert read_docx(data, Context()) == CANONICAL


def test_canonical_roundtrip_with_missing_images(tmp_path: Path) -> None:
    ctx = Context(base_dir=tmp_path)
    back = read_docx(write_docx(CANONICAL, ctx), Context())
    assert back == CANONICAL
    assert {d.code for d in ctx.diagnostics} == {"image-missing"}


def test_redundant_emphasis_survives() -> None:
    """Word runs cannot tell these apart; the writer marks their boundaries so they come back."""
    para = Paragraph((Emph((Emph((Text("重"),)),)), Emph((Text("甲"),)), Emph((Text("乙"),)),
                      Emph((Text("a"), Strong((Text("b"),)))), Text("尾")))
    doc = Document(blocks=(para,))
    assert roundtrip(doc) == doc


def test_nested_containers_survive() -> None:
    item = ListItem((BlockQuote((BlockQuote((Paragraph((Text("深"),)),)),)), Figure(None, (Text("图"),), 7)))
    doc = Document(blocks=(
        BlockQuote((Paragraph((Text("一"),)),)),
        BlockQuote((Paragraph((Text("二"),)),)),
        List((item, ListItem((Paragraph((Text("x"),)), Paragraph((Text("y"),))))), ordered=True, start=4),
        Figure(Image("nope.png", "无"), (Text("缺图"),)),
    ))
    assert roundtrip(doc) == doc


def test_figure_numbers_given_by_the_source_are_pinned() -> None:
    doc = Document(blocks=(Figure(None, (Text("甲"),), 5), Figure(None, (Text("乙"),))))
    back = roundtrip(doc)
    assert back == doc
    numbered = dataclasses.replace(doc, blocks=(doc.blocks[0], dataclasses.replace(doc.blocks[1], number=6)))
    assert roundtrip(numbered) == numbered

"""Any normalised tree renders: no crash, fonts embedded, every paragraph's CJK text present."""

from __future__ import annotations

import os
import re
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from converters.context import Context
from converters.tree import Document
from converters.writers.pdf import write_pdf
from tests import pdfcheck
from tests.strategies import blocks, metas

pytestmark = pytest.mark.slow
HAN = re.compile("[\u4e00-\u9fff]+")
# One level of nesting: deeper trees add nothing for the writer, and Hypothesis's pretty-printer
# can take minutes to describe a deeply nested example.
documents = st.builds(Document, meta=metas, blocks=blocks(depth=1))


# Rendering takes a fraction of a second; shrinking a failure would take minutes, so it is off.
@settings(
    max_examples=int(os.environ.get("PDF_FUZZ_EXAMPLES", "12")),
    deadline=None,
    phases=[Phase.explicit, Phase.reuse, Phase.generate],
    suppress_health_check=[HealthCheck.too_slow],
)
@given(documents)
def test_any_document_renders_with_its_text(doc: Document) -> None:
    with tempfile.TemporaryDirectory() as folder:
        ctx = Context(base_dir=Path(folder))
        pdf = Path(folder) / "x.pdf"
        pdf.write_bytes(write_pdf(doc, ctx))
        assert all(row["emb"] == "yes" and "CJK" in row["name"] for row in pdfcheck.pdffonts(pdf))
        text = pdfcheck.norm(pdfcheck.pdftotext(pdf, "-raw"))
        # Every run of Han characters of the tree is in the PDF (the images are missing here, so
        # inline ones print their alternative text).
        for unit in pdfcheck.text_units(doc, alt=True):
            for run in HAN.findall(unit):
                assert run in text, run

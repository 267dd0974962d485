"""The PDF writer's font embedding: one-pass subsets equal WeasyPrint's own two-pass ones, byte for byte."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest

from converters.tree import loads
from converters.writers.pdf import embedding, fonts
from tests import pdfcheck
from tests.conftest import FIXTURES

pytestmark = pytest.mark.slow


def test_one_pass_subsets_equal_weasyprints_two_pass_subsets(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    if "dejavu serif" not in fonts.installed_families():
        pytest.skip("DejaVu Serif (a TrueType face, for the glyf path) is not installed")
    doc = loads((FIXTURES / "canonical.json").read_text(encoding="utf-8"))
    pdfcheck.render(doc, tmp_path / "warm-up.pdf")  # installs the patches
    calls: list[tuple[Any, dict[int, Any], bool, bytes]] = []
    one_pass = embedding.subset_in_one_pass

    def recording(font: Any, to_unicode: dict[int, Any], hinting: bool) -> None:
        before = copy.copy(font)
        one_pass(font, to_unicode, hinting)
        calls.append((before, dict(to_unicode), hinting, font.file_content))

    monkeypatch.setattr(embedding, "subset_in_one_pass", recording)
    # A Latin TrueType face for the body (glyf outlines) beside the CFF-based Noto CJK faces.
    pdfcheck.render(doc, tmp_path / "mixed.pdf", base_dir=FIXTURES, font_serif="DejaVu Serif")
    assert {font.family for font, *_ in calls} >= {"DejaVu Serif", "Noto Sans CJK SC", "Noto Serif CJK SC"}
    for font, to_unicode, hinting, ours in calls:
        embedding.weasyprint_subset(font, to_unicode, hinting)
        assert font.file_content == ours, f"{font.family}: the one-pass subset differs from WeasyPrint's"
        assert len(ours) < 2_000_000, f"{font.family} was not subset"

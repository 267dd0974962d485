"""The in-process API: books from several folders, atomic output, output-is-input guard."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from converters import pipeline
from converters.context import Options
from converters.errors import UsageError
from converters.tree import Figure, query
from tests.conftest import FIXTURES


def _article(folder: Path, title: str, image: str) -> Path:
    folder.mkdir(parents=True)
    shutil.copy(FIXTURES / "images" / image, folder / image)
    path = folder / "article.md"
    path.write_text(f"---\ntitle: {title}\n---\n\n正文第一段。\n\n![{title}配图]({image})\n", encoding="utf-8")
    return path


def test_book_images_resolve_from_each_articles_own_folder(tmp_path: Path) -> None:
    a = _article(tmp_path / "2024" / "a", "甲文", "photo.jpg")
    b = _article(tmp_path / "2024" / "b", "乙文", "diagram.png")
    assert [query(pipeline.read(p), Figure)[0].image for p in (a, b)] != [None, None]
    diagnostics = pipeline.convert([a, b], tmp_path / "book.epub", options=Options(book_title="合集"))
    assert [str(d) for d in diagnostics if d.code.startswith("image")] == []
    assert (tmp_path / "book.epub").stat().st_size > 0


def test_output_equal_to_input_is_refused(tmp_path: Path) -> None:
    src = tmp_path / "a.md"
    src.write_text("# 标题\n\n正文。\n", encoding="utf-8")
    with pytest.raises(UsageError, match="also an input"):
        pipeline.convert([src], src, to_format="markdown")
    assert src.read_text(encoding="utf-8") == "# 标题\n\n正文。\n"


def test_failed_conversion_leaves_no_file(tmp_path: Path) -> None:
    src = tmp_path / "empty.txt"
    src.write_bytes(b"   \n")
    out = tmp_path / "out.md"
    with pytest.raises(Exception, match="empty"):
        pipeline.convert([src], out)
    assert list(tmp_path.iterdir()) == [src]

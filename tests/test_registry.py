"""The registry is static and lazy; every writer's dispatch table covers every node type."""

from __future__ import annotations

import importlib
import subprocess
import sys

import pytest

from converters import registry
from converters.tree import NODE_TYPES
from tests.conftest import ROOT

RENDERING_WRITERS = ["markdown", "docx", "epub", "pdf"]


@pytest.mark.parametrize("name", RENDERING_WRITERS)
def test_writer_dispatch_table_covers_every_node_type(name: str) -> None:
    module = importlib.import_module(registry.WRITERS[name].partition(":")[0])
    table = module.HANDLERS
    missing = [t.__name__ for t in NODE_TYPES if t not in table]
    assert not missing, f"{name} writer has no handler for {missing}"


def test_every_registered_function_exists() -> None:
    for table in (registry.READERS, registry.WRITERS):
        for target in table.values():
            module, _, func = target.partition(":")
            assert callable(getattr(importlib.import_module(module), func))


def test_text_to_markdown_imports_no_heavy_writer(sample_path, tmp_path) -> None:
    code = (
        "import sys; from converters.cli import main; "
        f"rc = main(['convert', {str(sample_path)!r}, '-o', {str(tmp_path / 'x.md')!r}]); "
        "heavy = [m for m in ('weasyprint', 'docx', 'ebooklib') if m in sys.modules]; "
        "print(rc, heavy)"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "0 []"


def test_unknown_format_lists_known_ones(tmp_path) -> None:
    src = tmp_path / "a.txt"
    src.write_text("标题\n\n正文。", encoding="utf-8")
    out = subprocess.run(
        [sys.executable, "-m", "converters", "convert", str(src), "-o", str(tmp_path / "a.xyz"), "--to", "rtf"],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert out.returncode == 2
    assert "known output formats: docx, epub, json, markdown, pdf" in out.stderr
    assert not (tmp_path / "a.xyz").exists()

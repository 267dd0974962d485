"""The ``pressroom`` command as a user runs it: formats from extensions, overrides, stdin/stdout,
inspect, help, version, exit codes (0 ok, 1 conversion error, 2 usage error), no output on failure.

Most tests run ``python -m converters`` in a subprocess, so exit codes and streams are the real ones.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from hypothesis import given, settings

from converters import __version__
from converters.cli import main
from converters.context import Context
from converters.readers.markdown import read_markdown
from converters.tree import Document, dumps, loads
from tests.conftest import FIXTURES, ROOT
from tests.strategies import documents

CANONICAL = FIXTURES / "canonical.json"


def run(*args: str, stdin: bytes | None = None) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run([sys.executable, "-m", "converters", *args], cwd=ROOT, input=stdin, capture_output=True)


def tree_of(path: Path) -> Document:
    return loads(path.read_text(encoding="utf-8"))


def one_error_line(stderr: bytes) -> str:
    lines = stderr.decode("utf-8").strip().splitlines()
    assert len(lines) == 1, lines
    assert lines[0].startswith("pressroom: error: ")
    return lines[0]


# --------------------------------------------------------------------------- convert


def test_convert_infers_formats_from_extensions(tmp_path: Path) -> None:
    out_md, out_json = tmp_path / "a.md", tmp_path / "b.json"
    assert run("convert", str(CANONICAL), "-o", str(out_md)).returncode == 0
    assert out_md.read_text(encoding="utf-8").startswith("---\ntitle: 城市书房开进老街区")
    assert run("convert", str(out_md), "-o", str(out_json)).returncode == 0
    assert tree_of(out_json) == tree_of(CANONICAL)


def test_from_and_to_override_extensions(tmp_path: Path) -> None:
    src = tmp_path / "notes.txt"  # a .txt that is really Markdown
    src.write_text("---\ntitle: 覆盖\n---\n\n**加粗**正文\n", encoding="utf-8")
    out = tmp_path / "tree.out"
    result = run("convert", str(src), "--from", "md", "-o", str(out), "--to", "json")
    assert result.returncode == 0, result.stderr
    doc = tree_of(out)
    assert doc.meta.title == "覆盖"
    assert json.loads(out.read_text(encoding="utf-8"))["blocks"][0]["children"][0]["type"] == "strong"


def test_stdin_to_stdout() -> None:
    source = CANONICAL.read_bytes()
    result = run("convert", "-", "--from", "json", "-o", "-", "--to", "markdown", stdin=source)
    assert result.returncode == 0, result.stderr
    assert read_markdown(result.stdout, Context()) == loads(source.decode("utf-8"))


def test_stdout_needs_a_format(tmp_path: Path) -> None:
    result = run("convert", str(CANONICAL), "-o", "-")
    assert result.returncode == 2
    assert "--to" in one_error_line(result.stderr)
    assert result.stdout == b""


def test_output_cannot_be_the_input(tmp_path: Path) -> None:
    src = tmp_path / "a.md"
    src.write_text("正文\n", encoding="utf-8")
    result = run("convert", str(src), "-o", str(src), "--to", "md")
    assert result.returncode == 2
    assert src.read_text(encoding="utf-8") == "正文\n"


@given(documents)
@settings(max_examples=40, deadline=None)
def test_json_markdown_json_round_trip_through_the_command(doc: Document) -> None:
    """x.json -> x.md -> y.json -> y.md: same tree, and the same Markdown both times."""
    with tempfile.TemporaryDirectory() as tmp:
        d = Path(tmp)
        (d / "x.json").write_text(dumps(doc), encoding="utf-8")
        assert main(["convert", str(d / "x.json"), "-o", str(d / "x.md")]) == 0
        assert main(["convert", str(d / "x.md"), "-o", str(d / "y.json")]) == 0
        assert main(["convert", str(d / "y.json"), "-o", str(d / "y.md")]) == 0
        assert tree_of(d / "y.json") == doc
        assert (d / "y.md").read_bytes() == (d / "x.md").read_bytes()


def test_sample_to_markdown_and_back_is_the_inspected_tree(sample_path: Path, tmp_path: Path) -> None:
    """Holds for whatever tree the text reader makes of the sample."""
    pytest.importorskip("converters.readers.text", reason="the plain-text reader is not on this branch yet")
    inspected = run("inspect", str(sample_path))
    assert inspected.returncode == 0, inspected.stderr
    out_md, out_json = tmp_path / "sample.md", tmp_path / "sample.json"
    assert run("convert", str(sample_path), "-o", str(out_md)).returncode == 0
    assert run("convert", str(out_md), "-o", str(out_json)).returncode == 0
    assert json.loads(out_json.read_bytes()) == json.loads(inspected.stdout)


# --------------------------------------------------------------------------- inspect


def test_inspect_prints_the_tree_as_json(tmp_path: Path) -> None:
    src = tmp_path / "a.md"
    src.write_text("---\ntitle: 标题\ndate: 2020-04-29\n---\n\n*图 1　高速口值班值守*\n", encoding="utf-8")
    result = run("inspect", str(src))
    assert result.returncode == 0
    data = json.loads(result.stdout)
    assert data["meta"] == {"title": "标题", "date": "2020-04-29", "language": "zh-CN"}
    assert data["blocks"] == [
        {"type": "figure", "image": None, "caption": [{"type": "text", "text": "高速口值班值守"}], "number": 1}
    ]


def test_inspect_reads_stdin_with_from() -> None:
    result = run("inspect", "-", "--from", "markdown", stdin="正文 *强调*\n".encode())
    assert result.returncode == 0
    assert json.loads(result.stdout)["blocks"][0]["children"][1]["type"] == "emph"


def test_inspect_diagnostics_go_to_stderr(tmp_path: Path) -> None:
    src = tmp_path / "a.md"
    src.write_text("---\nlayout: post\n---\n\n正文\n", encoding="utf-8")
    result = run("inspect", str(src), "--diagnostics")
    assert result.returncode == 0
    assert json.loads(result.stdout)["blocks"]
    assert "front-matter-ignored" in result.stderr.decode("utf-8")


# --------------------------------------------------------------------------- help and version


@pytest.mark.parametrize("args", [["--help"], ["convert", "--help"]])
def test_help_shows_examples(args: list[str]) -> None:
    result = run(*args)
    assert result.returncode == 0
    text = result.stdout.decode("utf-8")
    assert "examples:" in text
    assert "pressroom convert article.txt -o article.pdf" in text
    assert "pressroom inspect" in text


def test_version() -> None:
    result = run("--version")
    assert result.returncode == 0
    assert result.stdout.decode().strip() == f"pressroom {__version__}"


def test_no_command_is_a_usage_error() -> None:
    result = run()
    assert result.returncode == 2
    assert "usage:" in result.stderr.decode()


@pytest.mark.parametrize(
    "args",
    [
        ["convert", "IN", "-o", "OUT.xyz"],  # unknown output extension
        ["convert", "IN", "-o", "OUT.md", "--to", "rtf"],
        ["convert", "IN", "-o", "OUT.md", "--from", "rtf"],
        ["convert", "IN"],  # no -o
        ["convert", "IN", "-o", "OUT.md", "--page-size"],  # option without its value
        ["frobnicate"],
    ],
)
def test_usage_errors_exit_2_and_write_nothing(args: list[str], tmp_path: Path) -> None:
    src = tmp_path / "a.md"
    src.write_text("正文\n", encoding="utf-8")
    args = [str(src) if a == "IN" else str(tmp_path / a[4:]) if a.startswith("OUT.") else a for a in args]
    result = run(*args)
    assert result.returncode == 2, result.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.md"]


# --------------------------------------------------------------------------- conversion errors


BAD_INPUTS = {
    "empty": b"",
    "blank": b" \n\n\t\n",
    "binary": b"\x89PNG\r\n\x1a\n" + bytes(range(256)),
    "truncated": "正文被截断".encode()[:-1],
    "undecodable": b"\x80\x80\x80 abc \x80",
    "bad-front-matter": "---\ntitle: [未闭合\n---\n\n正文\n".encode(),
    "wrong-field-type": "---\ntitle: 2020\n---\n\n正文\n".encode(),
    "unsafe-yaml": b"---\ntitle: !!python/object/apply:os.system ['true']\n---\n\nx\n",
}


@pytest.mark.parametrize("name", sorted(BAD_INPUTS))
def test_bad_input_exits_1_with_one_line_and_no_output(name: str, tmp_path: Path) -> None:
    src = tmp_path / "in.md"
    src.write_bytes(BAD_INPUTS[name])
    out = tmp_path / "out.json"
    result = run("convert", str(src), "-o", str(out))
    assert result.returncode == 1
    assert str(src) in one_error_line(result.stderr)
    assert not out.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in.md"]  # no temporary file left either


def test_failure_keeps_an_existing_output_untouched(tmp_path: Path) -> None:
    src, out = tmp_path / "in.md", tmp_path / "out.md"
    src.write_bytes(b"")
    out.write_text("上一次的结果\n", encoding="utf-8")
    assert run("convert", str(src), "-o", str(out)).returncode == 1
    assert out.read_text(encoding="utf-8") == "上一次的结果\n"


def test_missing_input_exits_1(tmp_path: Path) -> None:
    result = run("convert", str(tmp_path / "nope.md"), "-o", str(tmp_path / "x.json"))
    assert result.returncode == 1
    assert "cannot read" in one_error_line(result.stderr)
    assert not (tmp_path / "x.json").exists()


def test_malformed_json_input_exits_1(tmp_path: Path) -> None:
    src = tmp_path / "in.json"
    src.write_text('{"blocks": [{"type": "nope"}]}', encoding="utf-8")
    result = run("convert", str(src), "-o", str(tmp_path / "x.md"))
    assert result.returncode == 1
    assert "unknown node type" in one_error_line(result.stderr)
    assert not (tmp_path / "x.md").exists()

"""The hostile-input catalogue (tests/bad/): every case through the CLI, every reader x writer.

Each run is guarded (see tests/bad/harness.py): a hang guard, a 1 GiB address-space cap, a log
of every opened file and a refusal of every network attempt. A case passes when the CLI either
converts correctly (dangerous parts gone, a warning when the case asks for one) or fails with one
clear error line naming the file, exit code 1, and leaves no output behind.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from lxml import etree

from converters import pipeline
from converters.context import Context
from converters.errors import InputError
from tests.bad import generate
from tests.bad.catalogue import CASES, SECRET, Case
from tests.bad.harness import EXTENSION, Run, importable, output_text, run_cli, stray_files, writers

#: Catalogue runs that fail because of a defect in a module owned elsewhere, keyed by
#: (case, reader, writer); "*" matches any. Each reason names the module and the defect.
XFAILS: dict[tuple[str, str, str], str] = {}

#: Outputs bigger than this mean something was expanded that should not have been.
MAX_OUTPUT_BYTES = 20 * 1024 * 1024


def _xfail_reason(case: str, reader: str, writer: str) -> str | None:
    for key in ((case, reader, writer), (case, reader, "*"), (case, "*", writer), (case, "*", "*")):
        if key in XFAILS:
            return XFAILS[key]
    return None


def _params() -> list[object]:
    params = []
    for case in CASES:
        for reader in case.readers:
            for writer in writers():
                marks: list[pytest.MarkDecorator] = []
                if not importable("reader", reader):
                    marks.append(pytest.mark.skip(reason=f"the {reader} reader is not on this branch yet"))
                elif not importable("writer", writer):
                    marks.append(pytest.mark.skip(reason=f"the {writer} writer is not on this branch yet"))
                elif reason := _xfail_reason(case.name, reader, writer):
                    marks.append(pytest.mark.xfail(strict=True, reason=reason))
                if writer in ("pdf", "epub", "docx"):
                    marks.append(pytest.mark.slow)
                params.append(pytest.param(case, reader, writer, id=f"{case.name}-{reader}-{writer}", marks=marks))
    return params


def _plant_secrets(root: Path) -> None:
    """Files just outside the article's folder that path tricks would reach."""
    (root / "secret.txt").write_text(SECRET + "\n", encoding="utf-8")
    (root / "secret.css").write_text(f"body::after {{ content: '{SECRET}'; }}\n", encoding="utf-8")
    (root / "secret.png").write_bytes((Path(__file__).parent / "fixtures" / "images" / "diagram.png").read_bytes())


_EVENT_ATTR = re.compile(r"^on[a-z]+$", re.I)
_BAD_URL = re.compile(r"^\s*(javascript|vbscript|data\s*:\s*text/html)", re.I)


def assert_no_active_content(path: Path, fmt: str) -> None:
    """No script element, event handler or script URL in the output's markup."""
    import zipfile

    if fmt in ("docx", "epub"):
        with zipfile.ZipFile(path) as zf:
            for name in zf.namelist():
                if not name.endswith((".xml", ".xhtml", ".html", ".opf", ".ncx", ".rels", ".svg")):
                    continue
                root = etree.fromstring(zf.read(name), etree.XMLParser(resolve_entities=False, no_network=True))
                for el in root.iter():
                    if not isinstance(el.tag, str):
                        continue
                    assert etree.QName(el).localname.lower() != "script", f"{name}: a <script> element"
                    for attr, value in el.attrib.items():
                        local = etree.QName(attr).localname
                        assert not _EVENT_ATTR.match(local), f"{name}: event handler {local}={value!r}"
                        assert not _BAD_URL.match(value), f"{name}: script URL {local}={value!r}"
    elif fmt == "pdf":
        raw = path.read_bytes()
        for marker in (b"/JavaScript", b"/JS ", b"/JS(", b"/Launch", b"/SubmitForm"):
            assert marker not in raw, f"PDF action {marker!r}"
        assert not re.search(rb"/URI\s*\(\s*(javascript|vbscript|data)", raw, re.I), "a script link in the PDF"
    elif fmt == "markdown":
        text = path.read_text(encoding="utf-8")
        assert not re.search(r"\]\(\s*<?\s*(javascript|vbscript):", text, re.I), "a script link in Markdown"
        assert not re.search(r"(?<!\\)<\s*script", text, re.I), "raw <script> in Markdown"


def check_run(case: Case, reader: str, run: Run, src: Path, out: Path, allowed: tuple[Path, ...]) -> None:
    """Every rule the issue sets for a catalogue case."""
    assert "Traceback" not in run.stderr, run.stderr[-3000:]
    assert run.returncode in (0, 1), f"exit {run.returncode}: {run.stderr[-2000:]}"
    assert not run.network, f"network attempted: {run.network}"
    assert not stray_files(run, allowed), f"files outside the article's folder: {stray_files(run, allowed)}"
    for name in case.absent_files:
        assert not (allowed[0].parent / name).exists(), f"{name} was created: front matter ran code"
    leftovers = [p.name for p in out.parent.iterdir() if p != out]
    assert not leftovers, f"partial files left in the output folder: {leftovers}"
    for line in run.stderr.splitlines():
        assert line.startswith("pressroom: "), f"stray stderr line: {line!r}"
    if run.returncode == 1:
        assert case.outcome != "ok", f"expected a conversion, got: {run.stderr.strip()}"
        assert not out.exists(), "a failed conversion left an output file"
        lines = run.error_lines
        assert len(lines) == 1, f"expected one error line, got {run.stderr!r}"
        assert src.name in lines[0], f"the error does not name the file: {lines[0]!r}"
        if reader != "docx":
            assert re.search(case.problem, lines[0], re.I), f"the error does not say {case.problem!r}: {lines[0]!r}"
        return
    assert case.outcome != "error", f"expected an error, but it converted (stderr {run.stderr!r})"
    assert not run.error_lines, run.stderr
    assert out.is_file() and out.stat().st_size > 0, "no output file"
    assert out.stat().st_size < MAX_OUTPUT_BYTES, f"output is {out.stat().st_size} bytes"
    fmt = next(f for f, e in EXTENSION.items() if out.name.endswith("." + e))
    text = output_text(out, fmt)
    for needle in case.forbidden:
        assert needle not in text, f"{needle!r} reached the {fmt} output"
    assert_no_active_content(out, fmt)
    if case.warning and (case.warn_writers is None or fmt in case.warn_writers):
        # Only the message counts: the file's own name (script.html) must not satisfy the check.
        warnings = [line.partition("warning:")[2] for line in run.stderr.splitlines() if "warning:" in line]
        assert any(re.search(case.warning, w, re.I) for w in warnings), f"no warning matching {case.warning!r}"


@pytest.mark.parametrize(("case", "reader", "writer"), _params())
def test_catalogue_case(case: Case, reader: str, writer: str, tmp_path: Path) -> None:
    article, out_dir = tmp_path / "article", tmp_path / "out"
    article.mkdir()
    out_dir.mkdir()
    _plant_secrets(tmp_path)
    src, extra = case.make(article)
    out = out_dir / f"result.{EXTENSION[writer]}"
    try:
        run = run_cli(["convert", str(src), "-o", str(out), "--from", reader, *extra], tmp_path)
        check_run(case, reader, run, src, out, (article, out_dir, tmp_path / "tmp", tmp_path / "home"))
    finally:
        for big in article.iterdir():  # do not keep 50 MB dumps in pytest's kept temp folders
            if big.stat().st_size > 1024 * 1024:
                big.unlink()


@pytest.mark.parametrize("writer", writers())
def test_output_path_equal_to_input_is_refused(writer: str, tmp_path: Path) -> None:
    """``-o`` naming the input (directly or through a symlink) is a usage error; the input survives."""
    if not importable("writer", writer):
        pytest.skip(f"the {writer} writer is not on this branch yet")
    src = tmp_path / f"article.{EXTENSION[writer]}"
    original = "标题\n\n记者从市文化局获悉，新的城市书房今天开放。\n".encode()
    src.write_bytes(original)
    link = tmp_path / f"link.{EXTENSION[writer]}"
    link.symlink_to(src)
    for target in (src, link):
        run = run_cli(["convert", str(src), "-o", str(target), "--from", "text"], tmp_path)
        assert "Traceback" not in run.stderr
        assert run.returncode == 2, run.stderr  # the CLI's documented code for a usage error
        assert len(run.error_lines) == 1 and "also an input" in run.error_lines[0], run.stderr
        assert src.read_bytes() == original
    assert sorted(p.name for p in tmp_path.iterdir() if p.suffix == src.suffix) == sorted([src.name, link.name])


def test_pipeline_refuses_inputs_over_the_size_limit(tmp_path: Path) -> None:
    """The size check happens before reading: a sparse file just over the limit is refused at once."""
    big = tmp_path / "huge.txt"
    with big.open("wb") as handle:
        handle.truncate(pipeline.MAX_INPUT_BYTES + 1)
    with pytest.raises(InputError) as info:
        pipeline.read(big, None, Context())
    assert info.value.code == "input-too-large"
    assert "huge.txt" in str(info.value) and "limit" in str(info.value)


def test_pipeline_accepts_inputs_at_the_size_limit_up_to_the_reader(tmp_path: Path) -> None:
    """At exactly the limit the file is read (a sparse file of NULs, so the reader calls it binary)."""
    edge = tmp_path / "edge.json"
    with edge.open("wb") as handle:
        handle.truncate(pipeline.MAX_INPUT_BYTES)
    with pytest.raises(InputError) as info:
        pipeline.read(edge, None, Context())
    assert info.value.code != "input-too-large"


def test_generated_bomb_is_what_it_claims() -> None:
    """The decompression bomb really declares 30 000 x 30 000 pixels and stays tiny on disk."""
    import struct

    data = generate.bomb_png()
    assert data.startswith(b"\x89PNG\r\n\x1a\n") and len(data) < 2 * 1024 * 1024
    width, height = struct.unpack(">II", data[16:24])
    assert (width, height) == (30_000, 30_000)


def _one_clear_error(run: Run, name: str, problem: str) -> None:
    assert "Traceback" not in run.stderr, run.stderr
    assert run.returncode == 1, run.stderr
    assert len(run.error_lines) == 1 and name in run.error_lines[0], run.stderr
    assert re.search(problem, run.error_lines[0], re.I), run.stderr


@pytest.mark.parametrize("device", ["/dev/zero", "fifo"])
def test_device_or_pipe_as_input_is_refused(device: str, tmp_path: Path) -> None:
    """Reading /dev/zero or a FIFO would never end: refused before reading."""
    import os

    if device == "fifo":
        device = str(tmp_path / "pipe.txt")
        os.mkfifo(device)
    run = run_cli(["convert", device, "-o", str(tmp_path / "out.json"), "--from", "text"], tmp_path)
    _one_clear_error(run, Path(device).name, r"device or pipe")


def test_unwritable_output_is_one_clear_error(tmp_path: Path) -> None:
    src = tmp_path / "article.json"
    src.write_bytes((Path(__file__).parent / "fixtures" / "canonical.json").read_bytes())
    run = run_cli(["convert", str(src), "-o", "/proc/pressroom-no-such-dir/out.json"], tmp_path)
    _one_clear_error(run, "out.json", r"cannot write")


def test_standard_input_over_the_limit_is_refused(tmp_path: Path) -> None:
    """Standard input has no size to check first: it is read up to the limit and refused past it."""
    data = generate.big_dump(pipeline.MAX_INPUT_BYTES + 1024)
    run = run_cli(["convert", "-", "--from", "text", "-o", str(tmp_path / "out.json")], tmp_path, stdin=data)
    _one_clear_error(run, "standard input", r"limit")
    assert not (tmp_path / "out.json").exists()


@pytest.mark.parametrize("writer", ["epub", "pdf"])
def test_book_images_stay_inside_each_articles_folder(writer: str, tmp_path: Path) -> None:
    """A book's articles share a wide base folder; ``../`` and absolute images must not use it to escape."""
    if not importable("writer", writer):
        pytest.skip(f"the {writer} writer is not on this branch yet")
    import json
    import shutil

    _plant_secrets(tmp_path)
    first, second, out_dir = tmp_path / "articles" / "a", tmp_path / "other", tmp_path / "out"
    for folder in (first, second, out_dir):
        folder.mkdir(parents=True)
    shutil.copyfile(Path(__file__).parent / "fixtures" / "images" / "diagram.png", first / "ok.png")
    secret = tmp_path / "secret.png"
    srcs = ["../../secret.png", str(secret), f"file://{secret}", "ok.png"]
    figures = [
        {"type": "figure", "image": {"type": "image", "src": s, "alt": "", "title": ""}, "caption": [], "number": None}
        for s in srcs
    ]
    para = {"type": "paragraph", "children": [{"type": "text", "text": "正文。"}]}
    (first / "x.json").write_text(json.dumps({"meta": {"title": "甲"}, "blocks": [para, *figures]}), encoding="utf-8")
    (second / "y.json").write_text(json.dumps({"meta": {"title": "乙"}, "blocks": [para]}), encoding="utf-8")
    out = out_dir / f"book.{writer}"
    run = run_cli(["convert", str(first / "x.json"), str(second / "y.json"), "-o", str(out)], tmp_path)
    assert "Traceback" not in run.stderr and run.returncode == 0, run.stderr
    allowed = (first, second, out_dir, tmp_path / "tmp", tmp_path / "home")
    assert not stray_files(run, allowed), stray_files(run, allowed)
    assert any(path.endswith("ok.png") for path, _ in run.opened), "the image inside the folder is still used"
    assert "outside the article's folder" in run.stderr


def test_control_characters_in_a_file_name_stay_on_one_line(tmp_path: Path) -> None:
    """A name with a line break and a terminal escape is shown escaped: still one error line."""
    src = tmp_path / "新闻\n第二行\x1b[31m.txt"
    src.write_bytes(b"")
    run = run_cli(["convert", str(src), "-o", str(tmp_path / "out.md")], tmp_path)
    assert run.returncode == 1 and "Traceback" not in run.stderr, run.stderr
    assert run.stderr.count("\n") == 1 and "\x1b" not in run.stderr, repr(run.stderr)
    assert "新闻\\n第二行\\x1b[31m.txt" in run.stderr and "empty" in run.stderr


def test_error_messages_stay_one_line_when_a_name_in_the_input_holds_a_line_break() -> None:
    # Found by fuzz/fuzz_docx.py: the library's message (not only the CLI's line) must be one line.
    with pytest.raises(InputError) as info:
        pipeline.read(generate.docx_huge_part_named_across_lines(), "docx")
    assert "\n" not in str(info.value)
    assert "a\\nb.xml" in str(info.value)

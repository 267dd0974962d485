"""``pressroom build``: mirroring, make-style skipping, failures, interrupts, reproducibility, Dask.

Articles are small JSON trees written here (the JSON reader is always present), plus the canonical
fixture with its images for the real writers; each format test skips when its writer is not installed.
"""

from __future__ import annotations

import contextlib
import dataclasses
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from converters import pipeline, registry
from converters.build import BuildReport, build, parse_formats
from converters.build_progress import QuietReporter
from converters.cli import main
from converters.context import Context, Options
from converters.errors import EnvironmentProblem, UsageError
from converters.tree import Document, Heading, Meta, Paragraph, Text, dumps
from tests.bad.harness import importable
from tests.conftest import FIXTURES, ROOT

ALL_FORMATS = ["json", "markdown", "docx", "epub", "pdf"]
QUIET = QuietReporter()


def article(i: int) -> Document:
    """A small invented news article, different for each ``i``."""
    return Document(
        meta=Meta(title=f"第{i}号通讯：社区食堂开到家门口", date=f"2024-05-{i % 28 + 1:02d}", source="示例晚报"),
        blocks=(
            Paragraph((Text(f"记者从区民政局获悉，第{i}批社区食堂本周试运营，老人凭卡就餐可享八折。"),)),
            Heading(2, (Text("菜价与营业时间"),)),
            Paragraph((Text("食堂每天早七点至晚七点营业，荤素搭配的套餐十二元起，" * (1 + i % 3)),)),
        ),
    )


def write_corpus(root: Path, count: int) -> list[Path]:
    """``count`` JSON articles spread over a nested tree under ``root``."""
    paths = []
    for i in range(count):
        path = root / f"district{i % 3}" / ("archive" if i % 2 else "") / f"a{i:04d}.json"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(dumps(article(i)), encoding="utf-8")
        paths.append(path)
    return paths


def expected(source: Path, fmt: str, options: Options | None = None) -> bytes:
    ctx = Context(options=options or Options())
    doc = pipeline.read(source, None, ctx)
    return pipeline.render(doc, fmt, Context(options=ctx.options, base_dir=ctx.base_dir, source_name=str(source)))


def outputs(outdir: Path) -> dict[str, bytes]:
    return {str(p.relative_to(outdir)): p.read_bytes() for p in sorted(outdir.rglob("*")) if p.is_file()}


def test_mirrors_the_source_tree_with_the_writers_bytes(tmp_path: Path) -> None:
    sources = write_corpus(tmp_path / "src", 7)
    report = build([tmp_path / "src"], tmp_path / "out", "json", reporter=QUIET)
    assert report.exit_code == 0 and not report.failed and not report.skipped
    assert len(report.converted) == 7
    for source in sources:
        out = tmp_path / "out" / source.relative_to(tmp_path / "src")
        assert out.read_bytes() == expected(source, "json")


def test_up_to_date_outputs_are_skipped_until_an_input_or_template_changes(tmp_path: Path) -> None:
    sources = write_corpus(tmp_path / "src", 4)
    out = tmp_path / "out"
    assert len(build([tmp_path / "src"], out, "json", reporter=QUIET).converted) == 4
    again = build([tmp_path / "src"], out, "json", reporter=QUIET)
    assert (len(again.converted), len(again.skipped)) == (0, 4)
    # One source edited: only its output is redone.
    later = time.time() + 5
    os.utime(sources[2], (later, later))
    edited = build([tmp_path / "src"], out, "json", reporter=QUIET)
    assert [src for src, _, _ in edited.converted] == [sources[2]]
    # A style sheet the options name is a dependency of every output.
    css = tmp_path / "house.css"
    css.write_text("p { color: black }")
    os.utime(css, (later + 5, later + 5))
    restyled = build([tmp_path / "src"], out, "json", options=Options(css=(css,)), reporter=QUIET)
    assert len(restyled.converted) == 4
    forced = build([tmp_path / "src"], out, "json", force=True, reporter=QUIET)
    assert (len(forced.converted), len(forced.skipped)) == (4, 0)


def test_a_bad_article_is_reported_and_the_rest_are_built(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write_corpus(tmp_path / "src", 3)
    (tmp_path / "src" / "broken.json").write_text('{"meta": {}, "blocks": [{"type": "nonsense"}]}')
    (tmp_path / "src" / "empty.json").write_bytes(b"")
    code = main(["build", str(tmp_path / "src"), "-o", str(tmp_path / "out"), "--to", "json", "-j", "2"])
    assert code == 1
    summary = capsys.readouterr().out
    assert "converted 3, skipped 0 (up to date), failed 2" in summary
    assert "broken.json -> json" in summary and "empty.json -> json" in summary
    assert sorted(p.name for p in (tmp_path / "out").rglob("*.json")) == ["a0000.json", "a0001.json", "a0002.json"]


def test_outputs_that_would_collide_are_refused(tmp_path: Path) -> None:
    write_corpus(tmp_path / "one", 1)
    write_corpus(tmp_path / "two", 1)
    report = build([tmp_path / "one" / "district0" / "a0000.json", tmp_path / "two" / "district0" / "a0000.json"],
                   tmp_path / "out", "json", reporter=QUIET)
    assert len(report.converted) == 1 and len(report.failed) == 1 and "also builds" in report.failed[0][2]


def test_the_output_folder_inside_the_sources_is_not_read_back(tmp_path: Path) -> None:
    write_corpus(tmp_path, 2)
    build([tmp_path], tmp_path / "out", "json", reporter=QUIET)
    again = build([tmp_path], tmp_path / "out", "json", reporter=QUIET)
    assert (len(again.converted), len(again.skipped)) == (0, 2)


@pytest.mark.parametrize("spec", ["pdf,nonsense", ",", ""])
def test_bad_format_lists_are_usage_errors(spec: str) -> None:
    with pytest.raises(UsageError):
        parse_formats(spec)


def test_format_names_are_canonical_and_listed_once(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(registry.WRITERS, "markdown", registry.WRITERS["json"])  # md is an alias of it
    assert parse_formats(" md,JSON,markdown ") == ["markdown", "json"]


def test_a_writer_missing_from_the_installation_is_one_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(registry.WRITERS, "ghost", "converters.writers.ghost:write_ghost")
    with pytest.raises(EnvironmentProblem, match="ghost writer"):
        parse_formats("json,ghost")


def test_worker_processes_give_the_same_bytes_as_one_process(tmp_path: Path) -> None:
    write_corpus(tmp_path / "src", 9)
    one = build([tmp_path / "src"], tmp_path / "j1", "json", jobs=1, reporter=QUIET)
    two = build([tmp_path / "src"], tmp_path / "j2", "json", jobs=2, reporter=QUIET)
    assert one.exit_code == two.exit_code == 0
    assert outputs(tmp_path / "j1") == outputs(tmp_path / "j2")
    assert os.getpid() not in {r.worker for r in two.results}


def _start_build(src: Path, out: Path, jobs: int) -> subprocess.Popen[bytes]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    cmd = [sys.executable, "-m", "converters", "build", str(src), "-o", str(out), "--to", "json", "-j", str(jobs)]
    # A session of its own, so the test can signal the whole group as a terminal's Ctrl-C does;
    # SIGINT back to its default, as on a terminal (a shell's background job inherits it ignored).
    return subprocess.Popen(
        cmd,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        start_new_session=True,
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )


@pytest.mark.slow
@pytest.mark.parametrize("jobs", [1, 2])
@pytest.mark.parametrize(
    ("sig", "group"),
    [(signal.SIGINT, True), (signal.SIGINT, False), (signal.SIGTERM, False)],
    ids=["ctrl-c", "sigint", "kill"],
)
def test_an_interrupted_build_leaves_whole_files_and_resumes(
    tmp_path: Path, jobs: int, sig: signal.Signals, group: bool
) -> None:
    sources = write_corpus(tmp_path / "src", 1500)  # each output is fsynced: enough to stop mid-way
    out = tmp_path / "out"
    proc = _start_build(tmp_path / "src", out, jobs)
    deadline = time.monotonic() + 60
    while len(list(out.rglob("*.json"))) < 20 and time.monotonic() < deadline and proc.poll() is None:
        time.sleep(0.02)
    if group:
        os.killpg(proc.pid, sig)
    else:
        proc.send_signal(sig)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 130, err.decode()
    assert list(tmp_path.rglob("*.part")) == []
    built = sorted(out.rglob("*.json"))
    assert 20 <= len(built) < len(sources), "the build was not stopped mid-way"
    for path in built:  # every file there is whole: exactly what the writer makes
        assert path.read_bytes() == expected(tmp_path / "src" / path.relative_to(out), "json")
    resumed = build([tmp_path / "src"], out, "json", jobs=2, reporter=QUIET)
    assert (len(resumed.converted), len(resumed.skipped)) == (len(sources) - len(built), len(built))
    assert resumed.exit_code == 0


def _canonical_tree(root: Path) -> Path:
    """The canonical fixture with its images, as a one-article source tree."""
    shutil.copytree(FIXTURES / "images", root / "images")
    shutil.copy(FIXTURES / "canonical.json", root / "canonical.json")
    write_corpus(root / "more", 2)
    return root


@pytest.mark.slow
@pytest.mark.parametrize("fmt", ALL_FORMATS)
def test_two_builds_with_the_same_source_date_epoch_are_byte_identical(
    tmp_path: Path, fmt: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    if not importable("writer", fmt):
        pytest.skip(f"no {fmt} writer in this tree yet")
    src = _canonical_tree(tmp_path / "src")
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    for run in ("first", "second"):
        code = main(["build", str(src), "-o", str(tmp_path / run), "--to", fmt, "-j", "2"])
        assert code == 0
    first, second = outputs(tmp_path / "first"), outputs(tmp_path / "second")
    assert len(first) == 3 and first == second


@pytest.mark.slow
def test_the_dask_path_gives_the_same_bytes_as_the_local_path(tmp_path: Path) -> None:
    distributed = pytest.importorskip("distributed")
    formats = [f for f in ALL_FORMATS if importable("writer", f)]
    src = _canonical_tree(tmp_path / "src")
    options = Options(source_date_epoch=1700000000)
    local = build([src], tmp_path / "local", formats, jobs=1, options=options, reporter=QUIET)
    with distributed.LocalCluster(
        n_workers=1, threads_per_worker=1, processes=False, protocol="tcp://", host="127.0.0.1",
        dashboard_address=None,
    ) as cluster:
        remote = build([src], tmp_path / "dask", formats, options=options, scheduler=cluster.scheduler_address,
                       reporter=QUIET)
    assert local.exit_code == remote.exit_code == 0
    assert len(remote.converted) == 3 * len(formats)
    assert outputs(tmp_path / "local") == outputs(tmp_path / "dask")


def test_an_unreachable_scheduler_is_a_clear_error(tmp_path: Path) -> None:
    pytest.importorskip("distributed")
    write_corpus(tmp_path / "src", 1)
    report_or_error: BuildReport | None = None
    with pytest.raises(UsageError, match="cannot reach the Dask scheduler"):
        report_or_error = build([tmp_path / "src"], tmp_path / "out", "json", scheduler="tcp://127.0.0.1:9",
                                reporter=QUIET)
    assert report_or_error is None


def test_source_date_epoch_from_the_environment_reaches_the_writers() -> None:
    from converters.build import source_date_epoch

    assert source_date_epoch(Options(), {"SOURCE_DATE_EPOCH": "1700000000"}).source_date_epoch == 1700000000
    assert source_date_epoch(Options(), {}) == Options()
    explicit = dataclasses.replace(Options(), source_date_epoch=5)
    assert source_date_epoch(explicit, {"SOURCE_DATE_EPOCH": "9"}).source_date_epoch == 5
    with pytest.raises(UsageError):
        source_date_epoch(Options(), {"SOURCE_DATE_EPOCH": "yesterday"})


def _make(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    cmd = ["make", "--no-print-directory", f"PRESSROOM_CMD={sys.executable} -m converters", "BUILD_DEPS=", *args]
    return subprocess.run(cmd, cwd=cwd, env={**os.environ, "PYTHONPATH": str(ROOT)}, capture_output=True, text=True)


@pytest.mark.slow
@pytest.mark.parametrize(("target", "fmt"), [("md", "markdown"), ("docx", "docx"), ("epub", "epub"), ("pdf", "pdf")])
def test_make_builds_each_article_once_and_then_is_up_to_date(tmp_path: Path, target: str, fmt: str) -> None:
    if not importable("writer", fmt):
        pytest.skip(f"no {fmt} writer in this tree yet")
    src = _canonical_tree(tmp_path / "articles")
    out = tmp_path / "build"
    made = _make("-j2", target, f"ARTICLES={src}", f"BUILD={out}")
    assert made.returncode == 0, made.stderr
    built = sorted(p.relative_to(out) for p in out.rglob(f"*.{target}"))
    assert [str(p) for p in built] == [f"canonical.{target}", f"more/district0/a0000.{target}",
                                       f"more/district1/archive/a0001.{target}"]
    assert (out / f"canonical.{target}").read_bytes() == expected(src / "canonical.json", fmt)
    assert _make("-q", target, f"ARTICLES={src}", f"BUILD={out}").returncode == 0  # up to date
    later = time.time() + 5
    os.utime(src / "canonical.json", (later, later))
    assert _make("-q", target, f"ARTICLES={src}", f"BUILD={out}").returncode == 1  # out of date again


@pytest.mark.slow
def test_make_check_passes_on_what_make_built(tmp_path: Path) -> None:
    if not (importable("writer", "epub") and importable("writer", "pdf")):
        pytest.skip("needs the EPUB and PDF writers")
    src = _canonical_tree(tmp_path / "articles")
    made = _make("-j2", "epub", "pdf", f"ARTICLES={src}", f"BUILD={tmp_path / 'build'}")
    assert made.returncode == 0, made.stderr
    checked = _make("check", f"BUILD={tmp_path / 'build'}")
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert "check: 6 files OK" in checked.stdout


def test_make_check_fails_on_a_broken_pdf(tmp_path: Path) -> None:
    (tmp_path / "build").mkdir()
    (tmp_path / "build" / "torn.pdf").write_bytes(b"%PDF-1.7\n1 0 obj <<>> endobj\n")  # truncated
    checked = _make("check", f"BUILD={tmp_path / 'build'}")
    assert checked.returncode != 0
    assert "torn.pdf" in checked.stdout


def test_log_lines_without_a_terminal(tmp_path: Path) -> None:
    write_corpus(tmp_path / "src", 3)
    proc = _start_build(tmp_path / "src", tmp_path / "out", 1)
    out, err = proc.communicate(timeout=60)
    assert proc.returncode == 0
    lines = err.decode().splitlines()
    assert lines[0] == "pressroom build: 3 articles, 3 outputs to build"
    assert sum(line.startswith(("[1/3] built", "[2/3] built", "[3/3] built")) for line in lines) == 3
    assert "converted 3, skipped 0 (up to date), failed 0" in out.decode()


def test_a_progress_bar_on_a_terminal(tmp_path: Path) -> None:
    import pty

    write_corpus(tmp_path / "src", 3)
    (tmp_path / "src" / "bad.json").write_text("[]")
    leader, follower = pty.openpty()
    env = {**os.environ, "PYTHONPATH": str(ROOT), "TERM": "xterm", "COLUMNS": "100"}
    cmd = [sys.executable, "-m", "converters", "build", str(tmp_path / "src"), "-o", str(tmp_path / "out")]
    proc = subprocess.Popen([*cmd, "--to", "json"], env=env, stdout=subprocess.PIPE, stderr=follower)
    os.close(follower)
    chunks: list[bytes] = []

    def drain() -> None:  # read as it comes, so the child never blocks on a full terminal
        with contextlib.suppress(OSError):  # EIO once the child has closed the terminal
            while chunk := os.read(leader, 65536):
                chunks.append(chunk)

    reader = threading.Thread(target=drain)
    reader.start()
    out, _ = proc.communicate(timeout=60)
    reader.join(timeout=10)
    os.close(leader)
    screen = b"".join(chunks)
    assert proc.returncode == 1
    text = screen.decode("utf-8", "replace")
    assert "\x1b[" in text and "building" in text  # drawn (and redrawn) with terminal escapes
    assert "failed" in text and "bad.json" in text  # the failure is printed above the bar
    assert "[1/4]" not in text  # no log lines on a terminal
    assert "converted 3, skipped 0 (up to date), failed 1" in out.decode()


CRASHING_WRITER = '''
import os
from converters.tree import dumps

def write_crash(tree, ctx):
    if "坏" in (tree.meta.title or ""):
        os._exit(3)  # as a crashing C library would take the process down
    return dumps(tree)
'''


def test_a_worker_that_dies_costs_one_article_and_the_build_goes_on(tmp_path: Path) -> None:
    # A plug-in writer (found through its entry point) that kills its process on one article.
    plugins = tmp_path / "plugins"
    (plugins / "crashwriter-0.1.dist-info").mkdir(parents=True)
    (plugins / "crashwriter-0.1.dist-info" / "METADATA").write_text("Metadata-Version: 2.1\nName: crashwriter\n"
                                                                   "Version: 0.1\n")
    (plugins / "crashwriter-0.1.dist-info" / "entry_points.txt").write_text(
        "[pressroom.writers]\ncrash = crashwriter:write_crash\n")
    (plugins / "crashwriter.py").write_text(CRASHING_WRITER)
    write_corpus(tmp_path / "src", 6)
    bad = dataclasses.replace(article(99), meta=Meta(title="坏稿"))
    (tmp_path / "src" / "bad.json").write_text(dumps(bad), encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": f"{ROOT}{os.pathsep}{plugins}"}
    cmd = [sys.executable, "-m", "converters", "build", str(tmp_path / "src"), "-o", str(tmp_path / "out"),
           "--to", "crash", "-j", "2"]
    proc = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 1, proc.stderr
    assert "converted 6, skipped 0 (up to date), failed 1" in proc.stdout
    assert "bad.json -> crash: the worker process died (exit code 3)" in proc.stdout
    assert len(list((tmp_path / "out").rglob("*.crash"))) == 6

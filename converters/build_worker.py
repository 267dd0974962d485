"""One article of a batch build (read it once, render every format, write atomically) and the pool.

:func:`convert_article` is the unit of work that ``pressroom build`` hands to a worker process of
:func:`run_pool` (or to a Dask worker).
It never raises for a bad article: failures come back as data, so one broken file cannot stop the
batch. Only interrupts (KeyboardInterrupt, SystemExit from SIGTERM) escape, and
:func:`~converters.output.write_atomic` removes its temporary file on the way out.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import pickle
import resource
import signal
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from multiprocessing.connection import Connection, wait
from multiprocessing.process import BaseProcess
from pathlib import Path

from converters import pipeline
from converters.context import Context, Options
from converters.errors import PressroomError
from converters.output import write_atomic
from converters.tree import Document, Heading, Meta, Paragraph, Text


@dataclass(frozen=True)
class Job:
    """One article and the outputs still to build from it, as ``(format, path)`` pairs."""

    source: Path
    outputs: tuple[tuple[str, Path], ...]


@dataclass
class ArticleResult:
    """What happened to one article: outputs written (or rendered), failures with reasons."""

    source: Path
    written: list[tuple[str, Path, float]] = field(default_factory=list)  # format, path, render seconds
    failed: list[tuple[str, Path, str]] = field(default_factory=list)  # format, path, reason
    diagnostics: list[str] = field(default_factory=list)
    read_seconds: float = 0.0
    payload: dict[str, bytes] = field(default_factory=dict)  # rendered bytes when the caller writes
    worker: int = 0  # process id of the worker that did it
    rss_kib: int = 0  # resident set size after the article
    peak_rss_kib: int = 0  # the worker's peak resident set size so far
    finished_at: float = 0.0  # wall-clock time (time.time()) the worker finished it


def _reason(exc: BaseException) -> str:
    """One line for the summary; an unexpected exception is a bug, so say which one."""
    if isinstance(exc, PressroomError):  # its message without the file name: the summary has it
        return str(exc.args[0]) if exc.args else exc.code
    return f"internal error {type(exc).__name__}: {exc}"


def memory_kib() -> tuple[int, int]:
    """Current and peak resident set size of this process in KiB (Linux /proc, else getrusage)."""
    try:
        fields = dict(
            line.split(":", 1) for line in Path("/proc/self/status").read_text().splitlines() if ":" in line
        )
        return int(fields["VmRSS"].split()[0]), int(fields["VmHWM"].split()[0])
    except (OSError, KeyError, ValueError):
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        return peak, peak


def convert_article(job: Job, options: Options, *, write: bool = True) -> ArticleResult:
    """Read ``job.source`` once and render each of ``job.outputs``.

    With ``write`` the outputs are written in place (atomically); without it the bytes are kept in
    ``payload`` for the caller to write (the Dask path, where workers may not share our disk).
    """
    result = ArticleResult(source=job.source, worker=os.getpid())
    ctx = Context(options=options)
    started = time.perf_counter()
    try:
        doc = pipeline.read(job.source, None, ctx)
    except Exception as exc:  # one bad article is reported, never fatal for the batch
        result.failed = [(fmt, out, _reason(exc)) for fmt, out in job.outputs]
        return _finish(result, ctx)
    result.read_seconds = time.perf_counter() - started
    for fmt, out in job.outputs:
        wctx = Context(options=options, base_dir=ctx.base_dir, source_name=ctx.source_name)
        started = time.perf_counter()
        try:
            data = pipeline.render(doc, fmt, wctx)
            if write:
                write_atomic(out, data)
            else:
                result.payload[fmt] = data
        except Exception as exc:
            result.failed.append((fmt, out, _reason(exc)))
        else:
            result.written.append((fmt, out, time.perf_counter() - started))
        result.diagnostics += [str(d) for d in wctx.diagnostics]
    return _finish(result, ctx)


def _finish(result: ArticleResult, ctx: Context) -> ArticleResult:
    result.diagnostics = [str(d) for d in ctx.diagnostics] + result.diagnostics
    result.rss_kib, result.peak_rss_kib = memory_kib()
    result.finished_at = time.time()
    return result


def write_payload(result: ArticleResult) -> ArticleResult:
    """Write the bytes a remote worker rendered, here, atomically; a write error fails that output."""
    still_written: list[tuple[str, Path, float]] = []
    for fmt, out, seconds in result.written:
        try:
            write_atomic(out, result.payload.pop(fmt))
        except OSError as exc:
            result.failed.append((fmt, out, f"cannot write: {exc.strerror or exc}"))
        else:
            still_written.append((fmt, out, seconds))
    result.written = still_written
    return result


# --- the local worker pool -------------------------------------------------------------------
#
# A small pool of our own rather than multiprocessing.Pool: on Ctrl-C we must SIGTERM workers
# that may be idle while holding the task queue's lock (Pool.terminate can wait on that lock),
# and a worker killed by a crashing C library must cost one article, not the batch.

_OPTIONS = Options()


def _on_sigterm(signum: int, frame: object) -> None:
    # Raising unwinds through write_atomic, which deletes its temporary file.
    raise SystemExit(128 + signum)


def warm_up(formats: list[str], readers: list[str] | None = None) -> None:
    """Load, once per process, what every article would otherwise load the first time it is needed.

    For processes that serve batches they did not start (Dask workers) and for the memory
    benchmark, which wants a steady state from the first article on. The readers (those named,
    else all), image plug-ins and the CJK codecs are imported, and a small article is rendered
    in each format, so the writers' lazy state (WeasyPrint and its font configuration, parsed
    style sheets, templates) exists before the first real article. Output bytes do not depend on it.
    """
    import codecs

    from converters import registry

    for name in registry.READERS if readers is None else readers:
        with contextlib.suppress(Exception):  # a broken reader is reported per article that needs it
            registry.get_reader(name)
    for encoding in ("gb18030", "gbk", "big5"):
        codecs.lookup(encoding)
    with contextlib.suppress(ImportError):
        from PIL import Image

        Image.init()
    for fmt in formats:
        with contextlib.suppress(Exception):  # reported per article, where the user sees which one
            pipeline.render(WARM_UP_ARTICLE, fmt, Context())


WARM_UP_ARTICLE = Document(
    meta=Meta(title="预热：排版测试", date="2024-01-01", source="Pressroom"),
    blocks=(
        Heading(2, (Text("小标题 Heading 1"),)),
        Paragraph((Text("这是一段用于预热字体与样式的中文文字，含有标点“引号”、数字 2024 和 Latin letters。"),)),
    ),
)


def _worker_loop(conn: Connection, options: Options) -> None:
    # Ctrl-C on a terminal reaches the whole process group: the parent decides, workers ignore it.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, _on_sigterm)
    # No warm-up: the worker's first article loads what it needs (a warm-up article would only
    # be one more to render before the first real one), and the later ones find it loaded.
    while True:
        try:
            job = conn.recv()
        except EOFError:  # the parent is gone
            return
        if job is None:
            return
        conn.send(convert_article(job, options))


def run_pool(jobs: list[Job], options: Options, workers: int, formats: list[str],
             on_result: Callable[[ArticleResult], None]) -> None:
    """Convert ``jobs`` in ``workers`` processes, calling ``on_result`` in this process as each ends.

    Each worker has its own pipe and gets its next article when it reports the last one, so this
    process always knows which article a worker holds: if the worker dies, that article fails and a
    new worker takes over. Pipes, not one shared queue: a worker killed while writing to a shared
    queue leaves its lock held and every other worker blocked; a pipe dies with its worker alone.
    Interrupts propagate once every worker is stopped (SIGTERM, then SIGKILL); a worker stopped by
    SIGTERM removes its temporary file on the way out.
    """
    from converters import registry

    mp = multiprocessing.get_context("forkserver")
    # The fork server imports the readers and writers once; each worker forks from it with them
    # loaded (shared copy-on-write), instead of importing WeasyPrint & co. again. No fonts are
    # loaded yet: the writers create their font configuration lazily, in each worker, after the fork.
    writers, readers = registry.writers(), registry.readers()
    used = {registry.format_for_path(j.source) or "text" for j in jobs}
    preload = [__name__, *(writers[f].partition(":")[0] for f in formats if f in writers)]
    preload += [readers[r].partition(":")[0] for r in sorted(used) if r in readers]
    if "pdf" in formats:
        preload.append("converters.writers.pdf.preload")
    mp.set_forkserver_preload(preload)
    pending = list(reversed(jobs))  # pop() from the end gives them in order
    procs: dict[Connection, BaseProcess] = {}  # our end of each worker's pipe -> the worker
    holding: dict[Connection, Job] = {}  # the article each worker is converting

    def feed(conn: Connection) -> None:
        job = pending.pop() if pending else None
        try:
            conn.send(job)
        except OSError:  # the worker just died; its EOF is seen on the next wait
            if job is not None:
                pending.append(job)
            return
        if job is not None:
            holding[conn] = job

    def start() -> None:
        ours, theirs = mp.Pipe()
        p = mp.Process(target=_worker_loop, args=(theirs, options), daemon=True)
        p.start()
        theirs.close()  # only the worker holds its end now, so its death reads as EOF here
        procs[ours] = p
        feed(ours)

    def lose(conn: Connection) -> int:
        """Forget a dead worker; fail the article it held. Returns how many articles ended."""
        p = procs.pop(conn)
        conn.close()
        p.join(timeout=5)
        lost = holding.pop(conn, None)
        if lost is None:
            return 0
        why = f"the worker process died (exit code {p.exitcode})"
        on_result(ArticleResult(lost.source, failed=[(f, o, why) for f, o in lost.outputs]))
        return 1

    for _ in range(min(workers, len(jobs))):
        start()
    remaining = len(jobs)
    try:
        while remaining:
            for conn in wait(list(procs), timeout=1.0):
                assert isinstance(conn, Connection)
                try:
                    result: ArticleResult = conn.recv()
                except (EOFError, OSError, pickle.UnpicklingError):  # died mid-article or mid-send
                    remaining -= lose(conn)
                    if pending:
                        start()
                    continue
                holding.pop(conn, None)
                on_result(result)
                remaining -= 1
                feed(conn)
            if not procs and remaining:
                raise RuntimeError("every build worker exited early")
    finally:
        for p in procs.values():
            if p.is_alive():
                p.terminate()
        for conn, p in procs.items():
            p.join(timeout=10)
            if p.is_alive():
                p.kill()
                p.join()
            conn.close()

"""``pressroom build``: every article under SRC into every requested format, make-style.

The source tree is mirrored under OUTDIR (``a/b.txt`` -> ``OUTDIR/a/b.pdf``). An output newer than
its input and the templates is skipped, as make would (``--force`` redoes it). Each article is
read once and rendered to each format it still needs, in ``-j N`` worker processes that keep their
modules, fonts and templates loaded, or on a Dask cluster (``--scheduler``). Outputs are written
atomically, so an interrupted build leaves only whole files; a bad article is reported and the rest
go on; the exit code is 0 when everything built, 1 when anything failed, 130 when interrupted.
"""

from __future__ import annotations

import argparse
import dataclasses
import importlib.util
import os
import signal
import sys
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from converters import registry
from converters.build_progress import Reporter, make_reporter
from converters.build_worker import ArticleResult, Job, convert_article, run_pool
from converters.context import Options
from converters.errors import EnvironmentProblem, UsageError
from converters.templates import TEMPLATES

#: File name extension of each writer's output; a plug-in writer gets ``.<name>``.
OUTPUT_EXTENSIONS = {"markdown": ".md", "docx": ".docx", "epub": ".epub", "pdf": ".pdf", "json": ".json"}


@dataclass
class BuildReport:
    """The truth about a build, output by output."""

    converted: list[tuple[Path, str, Path]] = field(default_factory=list)  # source, format, output
    skipped: list[tuple[Path, str, Path]] = field(default_factory=list)  # up to date
    failed: list[tuple[Path, str, str]] = field(default_factory=list)  # source, format, reason
    results: list[ArticleResult] = field(default_factory=list)
    seconds: float = 0.0
    interrupted: bool = False

    @property
    def exit_code(self) -> int:
        """0 when every output is built or up to date, 1 when any failed, 130 after Ctrl-C."""
        return 130 if self.interrupted else 1 if self.failed else 0

    def add(self, result: ArticleResult) -> None:
        """Count one finished article."""
        self.results.append(result)
        self.converted += [(result.source, fmt, out) for fmt, out, _ in result.written]
        self.failed += [(result.source, fmt, why) for fmt, _, why in result.failed]


def parse_formats(spec: str | Sequence[str]) -> list[str]:
    """``"md,docx"`` -> ``["markdown", "docx"]``, validated against the registry, in order, once each."""
    names = spec.split(",") if isinstance(spec, str) else list(spec)
    formats: list[str] = []
    known = registry.writers()
    for name in (n.strip() for n in names):
        if not name:
            continue
        fmt = registry.canonical(name)
        if fmt not in known:
            listed = ", ".join(sorted(known))
            raise UsageError(f"unknown output format {name!r}; known: {listed}", code="unknown-format")
        if fmt not in formats:
            formats.append(fmt)
    if not formats:
        raise UsageError("--to names no format", code="no-output-format")
    for fmt in formats:  # a writer missing from this installation is one error, not one per article
        module = known[fmt].partition(":")[0]
        if importlib.util.find_spec(module) is None:
            raise EnvironmentProblem(f"the {fmt} writer ({module}) is not installed", code="no-writer")
    return formats


def _inside(path: Path, folder: Path) -> bool:
    return path == folder or folder in path.parents


def find_articles(sources: Sequence[Path], outdir: Path) -> list[tuple[Path, Path]]:
    """Every article under ``sources`` as (path, path relative to the output folder), sorted.

    A folder contributes every file a reader knows, hidden files and anything under OUTDIR aside
    (so building into a subfolder of the sources never reads its own outputs); a file names itself.
    """
    readable = registry.readers()
    out = outdir.resolve()
    found: list[tuple[Path, Path]] = []
    for src in sources:
        if src.is_file():
            found.append((src, Path(src.name)))
        elif src.is_dir():
            root = src.resolve()
            for path in sorted(root.rglob("*")):
                rel = path.relative_to(root)
                if any(part.startswith(".") for part in rel.parts) or _inside(path, out) or not path.is_file():
                    continue
                if registry.format_for_path(path) in readable:
                    found.append((src / rel, rel))
        else:
            raise UsageError(f"{src} does not exist", code="no-input")
    return found


def newest_dependency_ns(options: Options) -> int:
    """The newest modification time among the templates and the files the options name."""
    # The bundled templates: any change to them makes every output out of date.
    paths: list[Path] = [TEMPLATES, *options.css]
    paths += [p for p in (options.template, options.reference_doc, options.cover_image) if p is not None]
    newest = 0
    for path in paths:
        files: Iterable[Path] = path.rglob("*") if path.is_dir() else [path]
        for f in files:
            try:
                newest = max(newest, f.stat().st_mtime_ns)
            except OSError:  # a missing --css is the writer's error to report, with its name
                continue
    return newest


def plan(
    articles: Sequence[tuple[Path, Path]], outdir: Path, formats: Sequence[str], options: Options, force: bool
) -> tuple[list[Job], BuildReport]:
    """Split the work into jobs (outputs to build) and a report holding what is up to date."""
    report = BuildReport()
    deps_ns = newest_dependency_ns(options)
    claimed: dict[Path, Path] = {}
    jobs: list[Job] = []
    for source, rel in articles:
        src_ns = source.stat().st_mtime_ns
        todo: list[tuple[str, Path]] = []
        for fmt in formats:
            out = outdir / rel.with_suffix(OUTPUT_EXTENSIONS.get(fmt, f".{fmt}"))
            if (first := claimed.setdefault(out, source)) != source:
                report.failed.append((source, fmt, f"{first} also builds {out}; rename one of them"))
                continue
            try:
                out_ns = out.stat().st_mtime_ns
            except FileNotFoundError:
                out_ns = -1
            # As make: an output at least as new as everything it is made from is up to date.
            if not force and out_ns >= max(src_ns, deps_ns):
                report.skipped.append((source, fmt, out))
            else:
                todo.append((fmt, out))
        if todo:
            jobs.append(Job(source, tuple(todo)))
    # Longest first (by input size) so the last article does not leave the other workers idle.
    jobs.sort(key=lambda j: -j.source.stat().st_size)
    return jobs, report


def remove_partials(jobs: Sequence[Job]) -> None:
    """Delete temporary files a killed earlier run (SIGKILL, power cut) may have left beside outputs."""
    for job in jobs:
        for _, out in job.outputs:
            for part in out.parent.glob(f".{out.name}.*.part"):
                part.unlink(missing_ok=True)


def build(
    sources: Sequence[Path],
    outdir: Path,
    formats: str | Sequence[str],
    *,
    jobs: int = 1,
    force: bool = False,
    options: Options | None = None,
    scheduler: str | None = None,
    reporter: Reporter | None = None,
) -> BuildReport:
    """Build every article under ``sources`` into ``outdir`` in every format; the Python API."""
    started = time.perf_counter()
    options = options or Options()
    fmts = parse_formats(formats)
    todo, report = plan(find_articles(sources, outdir), outdir, fmts, options, force)
    remove_partials(todo)
    rep = reporter or make_reporter(stream=sys.stderr)
    rep.start(len(todo), sum(len(j.outputs) for j in todo))

    def done(result: ArticleResult) -> None:
        report.add(result)
        rep.advance(result)

    try:
        if scheduler:
            from converters.build_dask import run_dask

            run_dask(scheduler, todo, options, fmts, done)
        elif jobs <= 1 or len(todo) <= 1:
            # No warm-up here: the first article loads what it needs, and a warm-up article
            # would only be one more to render.
            for job in todo:
                done(convert_article(job, options))
        else:
            run_pool(todo, options, jobs, fmts, done)
    except KeyboardInterrupt:
        report.interrupted = True
        remove_partials(todo)
    finally:
        rep.stop()
    report.seconds = time.perf_counter() - started
    return report


def summary_lines(report: BuildReport) -> list[str]:
    """The closing summary: counts, then every failure with its reason."""
    head = f"converted {len(report.converted)}, skipped {len(report.skipped)} (up to date), failed {len(report.failed)}"
    lines = [f"pressroom build: {head} in {report.seconds:.1f} s" + (" (interrupted)" if report.interrupted else "")]
    lines += [f"  failed: {src} -> {fmt}: {why}" for src, fmt, why in report.failed]
    return lines


def source_date_epoch(options: Options, environ: dict[str, str] | os._Environ[str] = os.environ) -> Options:
    """Options with ``source_date_epoch`` from the environment's ``SOURCE_DATE_EPOCH`` when set."""
    value = environ.get("SOURCE_DATE_EPOCH", "").strip()
    if not value or options.source_date_epoch is not None:
        return options
    if not value.isdigit():
        raise UsageError(f"SOURCE_DATE_EPOCH must be seconds since 1970, got {value!r}", code="bad-epoch")
    return dataclasses.replace(options, source_date_epoch=int(value))


def _interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


def run_build(args: argparse.Namespace, options: Options, print_line: Callable[[str], None] = print) -> int:
    """The ``build`` subcommand: build, print the summary, return the exit code."""
    if args.jobs < 1:
        raise UsageError("-j needs a positive number of workers", code="bad-jobs")
    # kill (SIGTERM) stops as cleanly as Ctrl-C: workers are stopped and temporary files removed.
    signal.signal(signal.SIGTERM, _interrupt)
    report = build(
        args.sources,
        args.outdir,
        args.formats,
        jobs=args.jobs,
        force=args.force,
        options=source_date_epoch(options),
        scheduler=args.scheduler,
    )
    for line in summary_lines(report):
        print_line(line)
    return report.exit_code

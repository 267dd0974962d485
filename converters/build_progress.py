"""Progress for ``pressroom build``: a bar on a terminal, plain log lines anywhere else.

Log lines are for CI logs and ``make`` output, where a redrawn bar is noise: one line per article
(what it built, or why it failed) and its warnings.
"""

from __future__ import annotations

from typing import Any, Protocol, TextIO

from converters.build_worker import ArticleResult


class Reporter(Protocol):
    """What the build tells as it goes."""

    def start(self, articles: int, outputs: int) -> None: ...
    def advance(self, result: ArticleResult) -> None: ...
    def stop(self) -> None: ...


def _describe(result: ArticleResult) -> list[str]:
    lines: list[str] = []
    if result.written:
        built = ", ".join(str(out) for _, out, _ in result.written)
        lines.append(f"built {result.source} -> {built}")
    lines += [f"failed {result.source} -> {fmt}: {why}" for fmt, _, why in result.failed]
    lines += [f"  {d}" for d in result.diagnostics]
    return lines


class LogReporter:
    """Plain lines: ``[3/40] built a.txt -> out/a.pdf, out/a.docx``."""

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream
        self.total = 0
        self.done = 0

    def start(self, articles: int, outputs: int) -> None:
        self.total = articles
        print(f"pressroom build: {articles} articles, {outputs} outputs to build", file=self.stream, flush=True)

    def advance(self, result: ArticleResult) -> None:
        self.done += 1
        width = len(str(self.total))
        for i, line in enumerate(_describe(result)):
            prefix = f"[{self.done:>{width}}/{self.total}] " if i == 0 else ""
            print(prefix + line, file=self.stream, flush=True)

    def stop(self) -> None:
        return None


class BarReporter:
    """A rich progress bar; failures and warnings print above it so they stay on screen."""

    def __init__(self, stream: TextIO) -> None:
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

        self.console = Console(file=stream)
        self.progress = Progress(
            TextColumn("[bold]building"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeRemainingColumn(),
            TextColumn("{task.description}"),
            console=self.console,
            transient=True,
        )
        self.task: Any = None

    def start(self, articles: int, outputs: int) -> None:
        self.progress.start()
        self.task = self.progress.add_task("", total=articles)

    def advance(self, result: ArticleResult) -> None:
        if result.failed or result.diagnostics:
            for line in _describe(result):
                self.console.print(line, markup=False, highlight=False)
        self.progress.update(self.task, advance=1, description=result.source.name)

    def stop(self) -> None:
        self.progress.stop()


class QuietReporter:
    """Says nothing (the Python API's and the benchmark's choice)."""

    def start(self, articles: int, outputs: int) -> None:
        return None

    def advance(self, result: ArticleResult) -> None:
        return None

    def stop(self) -> None:
        return None


def make_reporter(stream: TextIO) -> Reporter:
    """A bar when ``stream`` is a terminal and rich is installed, else log lines."""
    if stream.isatty():
        try:
            return BarReporter(stream)
        except ImportError:
            pass
    return LogReporter(stream)

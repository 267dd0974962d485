"""Workloads the benchmark runs in fresh processes, so each starts cold as a user's command would.

    probe.py build SRC OUT FORMATS JOBS          a pressroom build; JSON timings and memory on stdout
    probe.py memory SRC OUT FORMATS N             one worker converting N articles; peak RSS after each
    probe.py convert-repeat INPUT OUTPUT N        pressroom convert N times in one process; JSON times
    probe.py capture-pdf OUTDIR INPUT...          render PDFs, keeping the HTML/CSS given to WeasyPrint
    probe.py weasyprint CAPTUREDIR N              stock WeasyPrint on captured HTML/CSS (never imports
                                                  Pressroom, so none of its patches apply); JSON times
"""

from __future__ import annotations

import json
import sys
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent


def probe_build(src: str, out: str, formats: str, jobs: str) -> dict[str, Any]:
    from converters.build import build
    from converters.build_progress import QuietReporter

    started, clock = time.perf_counter(), time.time()
    report = build([Path(src)], Path(out), formats, jobs=int(jobs), force=True, reporter=QuietReporter())
    render: dict[str, float] = defaultdict(float)
    memory: dict[int, list[tuple[int, int]]] = defaultdict(list)  # worker -> (rss, peak) per article, in order
    for result in report.results:
        for fmt, _, seconds in result.written:
            render[fmt] += seconds
        memory[result.worker].append((result.rss_kib, result.peak_rss_kib))
    return {
        "seconds": time.perf_counter() - started,
        "articles": len(report.results),
        "converted": len(report.converted),
        "failed": [f"{src} -> {fmt}: {why}" for src, fmt, why in report.failed][:20],
        "failed_count": len(report.failed),
        "read_seconds": sum(r.read_seconds for r in report.results),
        "render_seconds": dict(render),
        "memory": {str(k): v for k, v in memory.items()},
        # When each article was done, in seconds from the start of the build, in order.
        "finished": sorted(r.finished_at - clock for r in report.results),
    }


def probe_memory(src: str, out: str, formats: str, count: str) -> dict[str, Any]:
    """One worker's life: warm up, then convert the articles in name order, as a worker does.

    The corpus cycles through a fixed set of articles, so after the first cycle any growth of the
    peak is memory the worker keeps (leaks, unbounded caches), not a bigger article arriving late.
    """
    from converters.build import OUTPUT_EXTENSIONS
    from converters.build_worker import Job, convert_article, memory_kib, warm_up
    from converters.context import Options

    fmts = formats.split(",")
    warm_up(fmts)
    samples: list[tuple[int, int]] = []
    started = time.perf_counter()
    for path in sorted(Path(src).glob("[0-9]*"))[: int(count)]:
        outputs = tuple((f, Path(out) / (path.stem + OUTPUT_EXTENSIONS[f])) for f in fmts)
        convert_article(Job(path, outputs), Options())
        samples.append(memory_kib())
    return {"seconds": time.perf_counter() - started, "memory": {"worker": samples}}


def probe_convert_repeat(source: str, output: str, count: str) -> dict[str, Any]:
    from converters.cli import main

    times = []
    for _ in range(int(count)):
        started = time.perf_counter()
        if main(["convert", source, "-o", output]) != 0:
            raise SystemExit(f"probe: pressroom convert {source} failed")
        times.append(time.perf_counter() - started)
    return {"times": times}


def probe_capture_pdf(outdir: str, *sources: str) -> dict[str, Any]:
    """Convert each source to PDF with Pressroom, recording what was handed to WeasyPrint."""
    import weasyprint

    from converters.cli import main

    calls: list[dict[str, Any]] = []
    html_init, css_init = weasyprint.HTML.__init__, weasyprint.CSS.__init__

    def record(kind: str, kwargs: dict[str, Any], args: tuple[Any, ...]) -> None:
        text = kwargs.get("string")
        if text is None and kwargs.get("filename"):
            text = Path(kwargs["filename"]).read_text(encoding="utf-8")
        if text is None and args and isinstance(args[0], str) and Path(args[0]).is_file():
            text = Path(args[0]).read_text(encoding="utf-8")
        calls.append({"kind": kind, "text": text, "base_url": kwargs.get("base_url")})

    def html_spy(self: Any, *args: Any, **kwargs: Any) -> None:
        record("html", kwargs, args)
        html_init(self, *args, **kwargs)

    def css_spy(self: Any, *args: Any, **kwargs: Any) -> None:
        record("css", kwargs, args)
        css_init(self, *args, **kwargs)

    weasyprint.HTML.__init__ = html_spy  # type: ignore[method-assign]
    weasyprint.CSS.__init__ = css_spy  # type: ignore[method-assign]
    out = Path(outdir)
    out.mkdir(parents=True, exist_ok=True)
    captured = 0
    css: list[dict[str, Any]] = []
    times: list[float] = []
    for i, source in enumerate(sources):
        calls.clear()
        started = time.perf_counter()
        if main(["convert", source, "-o", str(out / f"{i:04d}.pdf")]) != 0:
            continue
        times.append(time.perf_counter() - started)
        html = [c for c in calls if c["kind"] == "html" and c["text"]]
        # A writer that parses its style sheets once per process shows them only the first time.
        css = [c for c in calls if c["kind"] == "css" and c["text"]] or css
        if html:
            (out / f"{i:04d}.json").write_text(json.dumps({"html": html[-1], "css": css}, ensure_ascii=False))
            captured += 1
    return {"captured": captured, "times": times}


def probe_weasyprint(capturedir: str, count: str) -> dict[str, Any]:
    """Render every captured page ``count`` times with one FontConfiguration (as Pressroom does)."""
    from weasyprint import CSS, HTML
    from weasyprint.text.fonts import FontConfiguration

    fonts = FontConfiguration()
    pages = [json.loads(p.read_text(encoding="utf-8")) for p in sorted(Path(capturedir).glob("*.json"))]
    parsed: dict[tuple[str, str | None], Any] = {}  # style sheets parsed once, as a careful user would
    times: list[list[float]] = []
    for page in pages:
        per_page = []
        for _ in range(int(count)):
            started = time.perf_counter()
            sheets = []
            for c in page["css"]:
                key = (c["text"], c["base_url"])
                if key not in parsed:
                    parsed[key] = CSS(string=c["text"], base_url=c["base_url"], font_config=fonts)
                sheets.append(parsed[key])
            html = HTML(string=page["html"]["text"], base_url=page["html"]["base_url"])
            html.write_pdf(stylesheets=sheets, font_config=fonts)
            per_page.append(time.perf_counter() - started)
        times.append(per_page)
    return {"times": times}


COMMANDS = {
    "build": probe_build,
    "memory": probe_memory,
    "convert-repeat": probe_convert_repeat,
    "capture-pdf": probe_capture_pdf,
    "weasyprint": probe_weasyprint,
}

if __name__ == "__main__":
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    result = COMMANDS[sys.argv[1]](*sys.argv[2:])
    print(json.dumps(result))

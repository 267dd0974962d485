"""The benchmark corpus: the bundled examples, our test fixtures and ../shared/corpus pages.

Pages are repeated (under new names) until there are enough articles. ../shared is used in place
and only copied into a temporary folder, never into the repository; it is skipped when absent.
"""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

from converters import pipeline, registry
from converters.context import Context, Options

ROOT = Path(__file__).resolve().parent.parent
# ../shared beside the clone (a worktree one level deeper finds it one more level up).
# PRESSROOM_SHARED names another place for it.
_SHARED_PLACES = [Path(os.environ["PRESSROOM_SHARED"])] if os.environ.get("PRESSROOM_SHARED") else []
_SHARED_PLACES += [ROOT.parent / "shared", ROOT.parent.parent / "shared"]
SHARED_CORPUS = next((p / "corpus" for p in _SHARED_PLACES if (p / "corpus").is_dir()), _SHARED_PLACES[0] / "corpus")


def has_reader(fmt: str) -> bool:
    try:
        registry.get_reader(fmt)
    except ModuleNotFoundError:
        return False
    return True


def has_writer(fmt: str) -> bool:
    try:
        registry.get_writer(fmt)
    except ModuleNotFoundError:
        return False
    return True


def candidate_sources() -> tuple[list[Path], list[str]]:
    """Article files we can read, and notes on what was left out and why."""
    notes: list[str] = []
    found = sorted((ROOT / "examples").glob("*.*"))
    kinds = {".txt", ".html", ".json", ".md"}
    found += sorted(p for p in (ROOT / "tests" / "fixtures").rglob("*") if p.suffix in kinds)
    if SHARED_CORPUS.is_dir():
        found += sorted(SHARED_CORPUS.rglob("*.html")) + sorted(SHARED_CORPUS.rglob("*.copy.txt"))
    else:
        notes.append("../shared/corpus is absent: corpus from the examples and test fixtures only")
    usable: list[Path] = []
    missing: set[str] = set()
    for path in found:
        fmt = registry.format_for_path(path)
        if fmt is None or _expected_tree(path):
            continue
        if has_reader(fmt):
            usable.append(path)
        else:
            missing.add(fmt)
    notes += [f"skip {fmt} inputs: no {fmt} reader on this branch yet" for fmt in sorted(missing)]
    return usable, notes


def _expected_tree(path: Path) -> bool:
    """A test's expected output (``x.expected.json``, or ``x.json`` beside its input ``x.txt``)."""
    if path.suffix != ".json":
        return False
    stem = path.name.removesuffix(".json").removesuffix(".expected")
    return stem != path.stem or any(p.suffix != ".json" for p in path.parent.glob(f"{stem}.*"))


def readable(paths: list[Path]) -> tuple[list[Path], list[str]]:
    """Only the sources Pressroom reads without an error (a benchmark of failures measures nothing)."""
    good: list[Path] = []
    notes: list[str] = []
    for path in paths:
        try:
            pipeline.read(path, None, Context())
        except Exception as exc:
            notes.append(f"left out {path.name}: {exc}")
        else:
            good.append(path)
    return good, notes


def assemble(dest: Path, count: int, distinct: int | None = None) -> tuple[list[Path], list[str]]:
    """Copy ``count`` articles into ``dest`` (repeating pages under new names); return them and notes.

    ``distinct`` limits how many different pages the repetition cycles through.
    """
    sources, notes = candidate_sources()
    sources, bad = readable(sources)
    sources = sources[:distinct] if distinct else sources
    notes += bad
    if not sources:
        raise SystemExit("bench: no readable article at all")
    dest.mkdir(parents=True, exist_ok=True)
    if (ROOT / "tests" / "fixtures" / "images").is_dir():  # the canonical fixture's relative images
        shutil.copytree(ROOT / "tests" / "fixtures" / "images", dest / "images", dirs_exist_ok=True)
    articles: list[Path] = []
    for i in range(count):
        src = sources[i % len(sources)]
        name = src.name.replace(".copy.txt", ".txt")
        target = dest / f"{i:04d}_{name}"
        shutil.copyfile(src, target)
        articles.append(target)
    return articles, notes


def markdown_twins(articles: list[Path], dest: Path, options: Options) -> list[Path]:
    """Pressroom's Markdown of each article: the input pandoc converts (not timed)."""
    dest.mkdir(parents=True, exist_ok=True)
    if (articles[0].parent / "images").is_dir():
        shutil.copytree(articles[0].parent / "images", dest / "images", dirs_exist_ok=True)
    out: list[Path] = []
    for path in articles:
        target = dest / (path.stem + ".md")
        pipeline.convert([path], target, to_format="markdown", options=options)
        # pandoc stops at an image it cannot open (Pressroom keeps the caption and warns): give it
        # only the images that exist, the alt text for the others.
        text = target.read_text(encoding="utf-8")
        target.write_text(IMAGE.sub(lambda m: _keep_if_local(m, dest), text), encoding="utf-8")
        out.append(target)
    return out


IMAGE = re.compile(r"!\[([^\]]*)\]\(<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\)")


def _keep_if_local(match: re.Match[str], folder: Path) -> str:
    src = match.group(2)
    if "://" not in src and not src.startswith("/") and (folder / src).is_file():
        return match.group(0)
    return match.group(1)

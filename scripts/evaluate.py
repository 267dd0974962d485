"""`make eval`: score Pressroom's extraction on ../shared/corpus against its ground truth.

Scoring (the maintainers' rules): body F1 over multisets of character bigrams of the extracted
block text and the truth ``body``, both NFKC-normalised with whitespace removed; title exact match
after the same normalisation (and, in a second column, allowing a site suffix the truth kept); date
on the same calendar day; author when one contains the other.
Each metric is averaged only over pages whose ``gt_fields`` name that field. One row per tool and
input kind: on the HTML pages trafilatura and GNE run in the same pass (``pip install -e '.[eval]'``);
a peer that is not installed is reported as such and skipped.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import re
import sys
import unicodedata
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from converters import pipeline  # noqa: E402
from converters.context import Context  # noqa: E402
from converters.errors import PressroomError  # noqa: E402
from converters.tree import Document, Figure, plain_text  # noqa: E402


def norm(text: str) -> str:
    """NFKC with every whitespace character removed."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


def bigram_f1(extracted: str, truth: str) -> float:
    """F1 of the character-bigram multisets of the two normalised texts."""
    a, b = norm(extracted), norm(truth)
    ga = Counter(a[i : i + 2] for i in range(len(a) - 1))
    gb = Counter(b[i : i + 2] for i in range(len(b) - 1))
    if not ga or not gb:
        return 1.0 if ga == gb else 0.0
    overlap = sum((ga & gb).values())
    if not overlap:
        return 0.0
    precision, recall = overlap / sum(ga.values()), overlap / sum(gb.values())
    return 2 * precision * recall / (precision + recall)


def same_day(found: str | None, truth: str | None) -> bool:
    """Both dates name the same calendar day (``2005-3-11 12:12`` == ``2005-03-11``)."""

    def day(s: str | None) -> tuple[int, ...] | None:
        m = re.search(r"(\d{4})\D{1,3}(\d{1,2})\D{1,3}(\d{1,2})", s or "")
        return tuple(int(g) for g in m.groups()) if m else None

    return day(found) is not None and day(found) == day(truth)


_SUFFIX_SEPARATOR = re.compile(r"^(?:--|——|_|\||｜|–|—|-|·)")


def title_match_loose(found: str | None, truth: str | None) -> bool:
    """Exact match, or the truth is the found title plus a site suffix (``…_光明网``, ``--时政--人民网``).

    Some truth titles are the raw ``<title>`` with the site's name; a reader that strips it (as
    Pressroom's must) is right on those pages, so this second column shows both readings.
    """
    f, t = norm(found or ""), norm(truth or "")
    return bool(f) and (f == t or (t.startswith(f) and bool(_SUFFIX_SEPARATOR.match(t[len(f):]))))


def author_match(found: str | None, truth: str | None) -> bool:
    """One contains the other (after normalisation)."""
    f, t = norm(found or ""), norm(truth or "")
    return bool(f and t) and (f in t or t in f)


@dataclass
class Extracted:
    """What a tool found on one page."""

    body: str = ""
    title: str | None = None
    date: str | None = None
    author: str | None = None


def document_body(doc: Document) -> str:
    """All block text: paragraphs, headings, captions, quotes, lists, credits; one block a line."""
    lines = []
    for block in doc.blocks:
        lines.append(plain_text(block.caption) if isinstance(block, Figure) else plain_text(block))
    return "\n".join(lines)


def pressroom_extract(path: Path) -> Extracted:
    """Run Pressroom's reader for ``path`` (by extension)."""
    doc = pipeline.read(path, None, Context())
    m = doc.meta
    return Extracted(document_body(doc), m.title, m.date, m.author)


def decoded_html(path: Path) -> str:
    """The page as text, decoded the way Pressroom decodes it, so every tool sees the same characters."""
    from converters.decode import decode_bytes
    from converters.readers.html.decoding import declared_charset

    data = path.read_bytes()
    return decode_bytes(data, str(path), declared=declared_charset(data))


def trafilatura_extract(path: Path) -> Extracted:
    """trafilatura with its defaults (plus metadata), the peer the issue names."""
    import trafilatura

    html = decoded_html(path)
    text = trafilatura.extract(html, favor_precision=False, include_comments=False, include_tables=True) or ""
    meta = trafilatura.extract_metadata(html)
    if meta is None:
        return Extracted(text)
    return Extracted(text, meta.title, meta.date, meta.author)


def gne_extract(path: Path) -> Extracted:
    """GNE (GeneralNewsExtractor) with its defaults."""
    from gne import GeneralNewsExtractor

    got = GeneralNewsExtractor().extract(decoded_html(path))
    return Extracted(str(got.get("content") or ""), got.get("title"), got.get("publish_time"), got.get("author"))


#: Peers run on the HTML pages: (row name, importable module, extractor).
PEERS: tuple[tuple[str, str, Callable[[Path], Extracted]], ...] = (
    ("trafilatura", "trafilatura", trafilatura_extract),
    ("gne", "gne", gne_extract),
)


@dataclass
class Scores:
    """Accumulated metrics for one row."""

    f1: list[float] = field(default_factory=list)
    title: list[bool] = field(default_factory=list)
    title_loose: list[bool] = field(default_factory=list)
    date: list[bool] = field(default_factory=list)
    author: list[bool] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)

    def row(self, name: str) -> str:
        def rate(xs: list[bool]) -> str:
            return f"{sum(xs) / len(xs):.3f} ({sum(xs)}/{len(xs)})" if xs else "n/a"

        mean = sum(self.f1) / len(self.f1) if self.f1 else 0.0
        low = min(self.f1) if self.f1 else 0.0
        return (
            f"{name:<28} F1 mean {mean:.3f} min {low:.3f}  title {rate(self.title)}  "
            f"title~suffix {rate(self.title_loose)}  "
            f"date {rate(self.date)}  author {rate(self.author)}  failed {len(self.failures)}"
        )


def score(tool: Callable[[Path], Extracted], pages: list[tuple[Path, dict[str, object]]], verbose: bool) -> Scores:
    """Score ``tool`` on every (input path, truth) pair."""
    s = Scores()
    for path, truth in pages:
        gt = set(truth.get("gt_fields") or [])  # type: ignore[arg-type]
        try:
            got = tool(path)
        except (PressroomError, Exception) as exc:  # a peer's crash scores zero, it does not stop the run
            s.failures.append(f"{path.name}: {exc}")
            got = Extracted()
        if "body" in gt:
            f1 = bigram_f1(got.body, str(truth["body"]))
            s.f1.append(f1)
            if verbose:
                print(f"  {f1:.3f} {path.parent.name}/{path.name}")
        if "title" in gt:
            s.title.append(norm(got.title or "") == norm(str(truth["title"])))
            s.title_loose.append(title_match_loose(got.title, str(truth["title"])))
        if "date" in gt:
            s.date.append(same_day(got.date, str(truth["date"])))
        if "author" in gt:
            s.author.append(author_match(got.author, str(truth["author"])))
    return s


def corpus_pages(corpus: Path, suffix: str) -> list[tuple[Path, dict[str, object]]]:
    """(input file, truth) for every page; ``suffix`` is ``.html``, ``.copy.txt`` or ``.txt``."""
    pages = []
    for truth_path in sorted(corpus.glob("*/*.json")):
        stem = truth_path.name[: -len(".json")]
        source = truth_path.with_name(stem + suffix)
        if source.exists():
            pages.append((source, json.loads(truth_path.read_text(encoding="utf-8"))))
    return pages


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--corpus", type=Path, default=ROOT.parent / "shared" / "corpus")
    parser.add_argument("--kind", choices=["html", "copy", "w3m", "all"], default="all")
    parser.add_argument("-v", "--verbose", action="store_true", help="print every page's F1")
    parser.add_argument("--no-peers", action="store_true", help="score Pressroom only")
    args = parser.parse_args()
    if not args.corpus.is_dir():
        print(f"eval: {args.corpus} is absent; nothing to score")
        return 0
    kinds = {"html": ".html", "copy": ".copy.txt", "w3m": ".txt"}
    chosen = kinds if args.kind == "all" else {args.kind: kinds[args.kind]}
    for kind, suffix in chosen.items():
        pages = corpus_pages(args.corpus, suffix)
        if kind == "w3m":
            pages = [(p, t) for p, t in pages if not p.name.endswith(".copy.txt")]
        print(f"{kind}: {len(pages)} pages")
        tools: list[tuple[str, Callable[[Path], Extracted]]] = [(f"pressroom ({kind})", pressroom_extract)]
        if kind == "html" and not args.no_peers:
            for name, module, extract in PEERS:
                if importlib.util.find_spec(module) is None:
                    print(f"{name:<28} not installed (pip install -e '.[eval]')")
                else:
                    tools.append((f"{name} ({kind})", extract))
        rows = []
        for name, extract in tools:
            if args.verbose:
                print(name)
            scores = score(extract, pages, args.verbose)
            rows.append(scores.row(name))
            for failure in scores.failures:
                rows.append(f"  failed: {failure}")
        print("\n".join(rows))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

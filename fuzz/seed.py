"""Copy seed inputs for one reader into a libFuzzer corpus folder: ``seed.py READER CORPUS``.

Seeds are the catalogue's small committed cases, the bundled sample and the canonical fixture,
so the fuzzer starts from real articles and known-hostile shapes instead of nothing.
"""

from __future__ import annotations

import hashlib
import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SUFFIXES = {
    "text": (".txt",),
    "html": (".html", ".xhtml"),
    "markdown": (".md",),
    "json": (".json",),
    "docx": (".docx",),
}


def seeds(reader: str) -> list[Path]:
    """Every committed file that makes a sensible starting input for ``reader``."""
    found = sorted((ROOT / "tests" / "bad" / "cases").iterdir())
    found += sorted((ROOT / "tests" / "fixtures").rglob("*"))
    found += sorted((ROOT / "examples").iterdir())
    wanted = SUFFIXES[reader]
    picked = [p for p in found if p.is_file() and p.suffix in wanted]
    if reader == "text":  # any text-ish file makes a fine text seed
        picked += [p for p in found if p.is_file() and p.suffix in (".md", ".html")]
    return picked


def docx_seeds() -> list[bytes]:
    """Real DOCX packages: the canonical fixture through the DOCX writer (when it is installed)."""
    sys.path.insert(0, str(ROOT))
    try:
        from converters import pipeline
        from converters.context import Context

        doc = pipeline.read(ROOT / "tests" / "fixtures" / "canonical.json")
        return [pipeline.render(doc, "docx", Context(base_dir=ROOT / "tests" / "fixtures"))]
    except Exception as exc:  # a seed is a bonus: fuzz from the other seeds without it
        print(f"no DOCX seed from the writer: {exc}", file=sys.stderr)
        return []


def main() -> None:
    reader, corpus = sys.argv[1], Path(sys.argv[2])
    corpus.mkdir(parents=True, exist_ok=True)
    if reader == "docx":
        for data in docx_seeds():
            (corpus / f"seed-{hashlib.sha1(data).hexdigest()[:16]}").write_bytes(data)
    for path in seeds(reader):
        data = path.read_bytes()
        if len(data) <= 64 * 1024:
            shutil.copyfile(path, corpus / f"seed-{hashlib.sha1(data).hexdigest()[:16]}")


if __name__ == "__main__":
    main()

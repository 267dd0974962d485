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


def main() -> None:
    reader, corpus = sys.argv[1], Path(sys.argv[2])
    corpus.mkdir(parents=True, exist_ok=True)
    for path in seeds(reader):
        data = path.read_bytes()
        if len(data) <= 64 * 1024:
            shutil.copyfile(path, corpus / f"seed-{hashlib.sha1(data).hexdigest()[:16]}")


if __name__ == "__main__":
    main()

"""Fuzz the docx reader: `python fuzz/fuzz_docx.py CORPUS_DIR -max_total_time=60` (see `make fuzz`)."""

from __future__ import annotations

from common import main

if __name__ == "__main__":
    main("docx")

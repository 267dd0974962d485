"""Shared harness for the atheris fuzz targets: one reader, arbitrary bytes, only PressroomError.

A finding is any other exception (a crash), an input that runs past libFuzzer's ``-timeout``
or memory past ``-rss_limit_mb``. Each tree a reader returns also goes through the pipeline's
safety pass and the JSON writer, so a tree that cannot be serialised is a finding too.

While a finding waits for its fix, ``PRESSROOM_FUZZ_IGNORE=REGEX`` skips exceptions whose text
matches, so the fuzzer can look past it for the next one.
"""

from __future__ import annotations

import os
import re
import sys
from collections.abc import Callable
from pathlib import Path

import atheris

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

with atheris.instrument_imports(include=["converters"]):
    from converters import pipeline, registry
    from converters.context import Context
    from converters.errors import PressroomError
    from converters.tree import Document


def target(reader_name: str) -> Callable[[bytes], None]:
    """The per-input test for ``reader_name``."""
    with atheris.instrument_imports(include=["converters"]):
        reader = registry.get_reader(reader_name)
    base = ROOT / "build" / "fuzz" / "empty-base"
    base.mkdir(parents=True, exist_ok=True)

    ignore = re.compile(os.environ["PRESSROOM_FUZZ_IGNORE"]) if os.environ.get("PRESSROOM_FUZZ_IGNORE") else None

    def test_one_input(data: bytes) -> None:
        ctx = Context(base_dir=base, source_name=f"fuzz.{reader_name}")
        try:
            doc = reader(data, ctx)
        except PressroomError as exc:
            if "\n" in str(exc):
                raise AssertionError(f"multi-line error message: {exc!r}") from None
            return
        except Exception as exc:
            if ignore is not None and ignore.search(f"{type(exc).__name__}: {exc}"):
                return
            raise
        if not isinstance(doc, Document):
            raise AssertionError(f"reader returned {type(doc).__name__}")
        try:
            doc = pipeline.sanitise(doc, ctx)
        except PressroomError:
            return
        pipeline.render(doc, "json", ctx)

    return test_one_input


def main(reader_name: str) -> None:
    """Run libFuzzer on ``reader_name`` with the command line's libFuzzer flags."""
    sys.setrecursionlimit(1000)
    atheris.Setup(sys.argv, target(reader_name))
    atheris.Fuzz()

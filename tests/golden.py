"""Golden-file comparison in the docutils style: on a mismatch, print the diff and how to accept it."""

from __future__ import annotations

import difflib
import os
from pathlib import Path

ACCEPT = os.environ.get("PRESSROOM_ACCEPT") == "1"


def assert_golden(actual: str, golden: Path) -> None:
    """Compare ``actual`` with the file ``golden``; with PRESSROOM_ACCEPT=1 (``make accept``) record it."""
    if ACCEPT:
        golden.parent.mkdir(parents=True, exist_ok=True)
        golden.write_text(actual, encoding="utf-8")
        return
    if not golden.exists():
        raise AssertionError(f"missing golden file {golden}; review the output and run `make accept` to record it")
    expected = golden.read_text(encoding="utf-8")
    if actual != expected:
        diff = "".join(
            difflib.unified_diff(
                expected.splitlines(keepends=True),
                actual.splitlines(keepends=True),
                fromfile=str(golden),
                tofile="actual",
            )
        )
        raise AssertionError(f"output differs from {golden}:\n{diff}\nIf the change is right, run `make accept`.")

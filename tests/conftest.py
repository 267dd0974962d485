"""Shared fixtures: paths to the bundled sample, our own fixtures, and the optional shared/ corpus."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "examples" / "000_fc941cae5a06866b.txt"
FIXTURES = Path(__file__).resolve().parent / "fixtures"
SHARED = ROOT.parent / "shared"


@pytest.fixture(scope="session")
def sample_path() -> Path:
    """The bundled sample scraped article (a plain-text dump)."""
    return SAMPLE


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    """``../shared``; tests that need it skip cleanly when it is absent."""
    if not SHARED.is_dir():
        pytest.skip("../shared is not present")
    return SHARED

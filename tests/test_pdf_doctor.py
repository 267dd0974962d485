"""``pressroom doctor`` reports the fonts and libraries the PDF writer needs."""

from __future__ import annotations

import subprocess
import sys

import pytest

from converters import doctor
from converters.writers.pdf import fonts
from tests.conftest import ROOT


def test_doctor_reports_everything_on_a_complete_machine() -> None:
    out = subprocess.run([sys.executable, "-m", "converters", "doctor"], cwd=ROOT, capture_output=True, text=True)
    assert out.returncode == 0, out.stdout
    for needle in ("Noto Serif CJK SC", "Noto Sans CJK SC", "libharfbuzz-subset.so.0", "Pango: 1.", "WeasyPrint: 70."):
        assert needle in out.stdout


def test_doctor_names_the_package_for_missing_fonts(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(fonts, "installed_families", lambda: frozenset({"dejavu sans"}))
    monkeypatch.setattr(fonts, "cjk_families", lambda: ())
    assert doctor.run_doctor() == 1
    out = capsys.readouterr().out
    assert "MISSING font Noto Serif CJK SC" in out
    assert "apt-get install fonts-noto-cjk" in out


def test_doctor_explains_missing_harfbuzz_subset(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    real = doctor._library
    monkeypatch.setattr(doctor, "_library", lambda name: None if "subset" in name else real(name))
    assert doctor.run_doctor() == 1
    out = capsys.readouterr().out
    assert "apt-get install libharfbuzz-subset0" in out and "15 s" in out

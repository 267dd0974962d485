"""The bundled templates are found in a checkout and, installed from a wheel, under the prefix."""

from __future__ import annotations

import glob
import shutil
import tomllib
from pathlib import Path

import pytest

from converters import templates

ROOT = Path(__file__).resolve().parent.parent


def test_the_wheel_data_files_cover_every_template_file() -> None:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    data_files = config["tool"]["setuptools"]["data-files"]
    packaged = {Path(f) for patterns in data_files.values() for p in patterns for f in glob.glob(p, root_dir=ROOT)}
    files = (ROOT / "templates").rglob("*")
    on_disk = {p.relative_to(ROOT) for p in files if p.is_file() and "__pycache__" not in p.parts}
    assert packaged == on_disk
    for target, patterns in data_files.items():
        assert all(Path(target).relative_to("share/pressroom") == Path(p).parent for p in patterns)


def test_a_checkout_uses_its_own_templates() -> None:
    assert templates.TEMPLATES == ROOT / "templates"


def test_without_a_checkout_the_installed_copy_is_used(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    prefix = tmp_path / "prefix"
    shutil.copytree(ROOT / "templates", prefix / "share" / "pressroom" / "templates")
    monkeypatch.setattr(templates, "CHECKOUT", tmp_path / "no-checkout" / "templates")
    assert templates.find_templates([tmp_path / "elsewhere", prefix]) == prefix / "share" / "pressroom" / "templates"
    assert templates.find_templates([tmp_path / "elsewhere"]) == tmp_path / "no-checkout" / "templates"

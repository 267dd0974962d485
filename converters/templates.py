"""Where the bundled templates are: ``templates/`` beside the package in a checkout (and in an
editable install), else ``share/pressroom/templates`` under the installation prefix, where a
wheel's data files put them (``[tool.setuptools.data-files]`` in pyproject.toml).
"""

from __future__ import annotations

import site
import sys
from pathlib import Path

CHECKOUT = Path(__file__).resolve().parent.parent / "templates"


def find_templates(prefixes: list[Path] | None = None) -> Path:
    """The first folder that holds the templates (the checkout's when none does)."""
    if prefixes is None:
        prefixes = [Path(sys.prefix), Path(site.getuserbase())]
    for folder in [CHECKOUT, *(p / "share" / "pressroom" / "templates" for p in prefixes)]:
        if (folder / "pdf" / "article.css").is_file():
            return folder
    return CHECKOUT


TEMPLATES = find_templates()

"""Static map of format names to ``"module:function"`` readers and writers, imported lazily.

Nothing here imports a reader or writer until it is asked for, so converting text to Markdown
never loads WeasyPrint, python-docx or ebooklib. Third-party packages add formats through the
``pressroom.readers`` and ``pressroom.writers`` entry-point groups; built-in names win.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from functools import cache
from pathlib import PurePath
from typing import Any

from converters.errors import UsageError

READERS: dict[str, str] = {
    "text": "converters.readers.text:read_text",
    "html": "converters.readers.html:read_html",
    "markdown": "converters.readers.markdown:read_markdown",
    "json": "converters.readers.json:read_json",
    "docx": "converters.readers.docx:read_docx",
}

WRITERS: dict[str, str] = {
    "markdown": "converters.writers.markdown:write_markdown",
    "json": "converters.writers.json:write_json",
    "docx": "converters.writers.docx:write_docx",
    "epub": "converters.writers.epub:write_epub",
    "pdf": "converters.writers.pdf:write_pdf",
}

#: Writers that also take a :class:`~converters.tree.Book` (several articles into one file).
BOOK_WRITERS: frozenset[str] = frozenset({"epub", "pdf"})

EXTENSIONS: dict[str, str] = {
    ".txt": "text",
    ".text": "text",
    ".html": "html",
    ".htm": "html",
    ".xhtml": "html",
    ".shtml": "html",
    ".md": "markdown",
    ".markdown": "markdown",
    ".json": "json",
    ".docx": "docx",
    ".epub": "epub",
    ".pdf": "pdf",
}

ALIASES: dict[str, str] = {"md": "markdown", "txt": "text", "htm": "html"}


@cache
def _plugins(group: str) -> dict[str, str]:
    # importlib.metadata scans every installed distribution (~30 ms): only done when a name is
    # not built in, or when the full list is asked for.
    from importlib.metadata import entry_points

    return {ep.name: ep.value for ep in entry_points(group=group)}


def is_writer(name: str) -> bool:
    """True when ``name`` (canonical) is a built-in or plug-in writer."""
    return name in WRITERS or name in writers()


def readers() -> dict[str, str]:
    """Every reader name with its ``module:function``: plug-ins first, built-ins over them."""
    return {**_plugins("pressroom.readers"), **READERS}


def writers() -> dict[str, str]:
    """Every writer name with its ``module:function``."""
    return {**_plugins("pressroom.writers"), **WRITERS}


def format_for_path(path: str | PurePath) -> str | None:
    """The format a file name implies, from its extension (``None`` when unknown)."""
    return EXTENSIONS.get(PurePath(path).suffix.lower())


def _resolve(
    kind: str, name: str, builtin: dict[str, str], everything: Callable[[], dict[str, str]]
) -> Callable[..., Any]:
    name = ALIASES.get(name.lower(), name.lower())
    target = builtin.get(name) or everything().get(name)
    if target is None:
        known = ", ".join(sorted(everything()))
        raise UsageError(f"unknown {kind} format {name!r}; known {kind} formats: {known}", code="unknown-format")
    module_name, _, func_name = target.partition(":")
    module = importlib.import_module(module_name)
    func: Callable[..., Any] = getattr(module, func_name)
    return func


def canonical(name: str) -> str:
    """The registry name for a user-typed format name (``md`` -> ``markdown``)."""
    return ALIASES.get(name.lower(), name.lower())


def get_reader(name: str) -> Callable[..., Any]:
    """The reader function for ``name``: ``(data: bytes, ctx: Context) -> Document``."""
    return _resolve("input", name, READERS, readers)


def get_writer(name: str) -> Callable[..., Any]:
    """The writer function for ``name``: ``(doc: Document | Book, ctx: Context) -> bytes | str``."""
    return _resolve("output", name, WRITERS, writers)

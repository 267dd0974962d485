"""The conversion pipeline: bytes -> reader -> tree -> writer -> bytes, with atomic output.

This is also the Python API: :func:`read`, :func:`render` and :func:`convert` work in-process,
so a batch reuses loaded modules, fonts and templates across articles.
"""

from __future__ import annotations

import dataclasses
import os
import sys
import urllib.parse
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from converters import registry
from converters.context import Context, Options
from converters.errors import Diagnostic, InputError, PressroomError, UsageError
from converters.output import write_atomic
from converters.tree import Book, Document, Image, Meta

#: Inputs above this size are refused before reading: no news article is this large.
MAX_INPUT_BYTES = 200 * 1024 * 1024

STDIO = "-"


def _read_bytes(source: str | Path) -> bytes:
    if str(source) == STDIO:
        return sys.stdin.buffer.read()
    path = Path(source)
    try:
        if path.is_dir():
            raise InputError("is a folder, not a file", code="not-a-file", where=str(path))
        size = path.stat().st_size
        if size > MAX_INPUT_BYTES:
            raise InputError(
                f"the file is {size // 2**20} MiB; the limit is {MAX_INPUT_BYTES // 2**20} MiB",
                code="input-too-large",
                where=str(path),
            )
        return path.read_bytes()
    except OSError as exc:
        raise InputError(f"cannot read the file: {exc.strerror or exc}", code="unreadable", where=str(path)) from None


def input_format(source: str | Path, explicit: str | None) -> str:
    """The reader to use: ``--from`` if given, else the file extension, else plain text."""
    if explicit:
        return registry.canonical(explicit)
    if str(source) == STDIO:
        return "text"
    return registry.format_for_path(source) or "text"


def read(source: str | Path | bytes, fmt: str | None = None, ctx: Context | None = None) -> Document:
    """Read one article into a document tree (``source`` is a path, ``"-"`` or raw bytes)."""
    ctx = ctx or Context()
    if isinstance(source, bytes):
        data, name = source, registry.canonical(fmt or "text")
    else:
        data, name = _read_bytes(source), input_format(source, fmt)
        if str(source) != STDIO:
            path = Path(source)
            ctx.base_dir = ctx.base_dir or path.resolve().parent
            ctx.source_name = ctx.source_name or str(path)
    reader = registry.get_reader(name)
    doc = reader(data, ctx)
    if not isinstance(doc, Document):
        raise PressroomError(f"the {name} reader returned {type(doc).__name__}, not a Document")
    return doc


def render(tree: Document | Book, fmt: str, ctx: Context | None = None) -> bytes:
    """Render a document (or a book, for writers that take one) in format ``fmt`` as bytes."""
    ctx = ctx or Context()
    name = registry.canonical(fmt)
    if isinstance(tree, Book) and name not in registry.BOOK_WRITERS:
        books = ", ".join(sorted(registry.BOOK_WRITERS))
        raise UsageError(f"several articles make one file only as {books}; got {name}", code="no-book-writer")
    out = registry.get_writer(name)(tree, ctx)
    return out.encode("utf-8") if isinstance(out, str) else bytes(out)


def output_format(output: str | Path, explicit: str | None) -> str:
    """The writer to use: ``--to`` if given, else the output extension."""
    if explicit:
        fmt = registry.canonical(explicit)
        if not registry.is_writer(fmt):
            known = ", ".join(sorted(registry.writers()))
            raise UsageError(f"unknown output format {fmt!r}; known output formats: {known}", code="unknown-format")
        return fmt
    if str(output) == STDIO:
        raise UsageError("writing to standard output needs --to FORMAT", code="no-output-format")
    found = registry.format_for_path(output)
    if found is None or not registry.is_writer(found):
        known = ", ".join(sorted(registry.writers()))
        raise UsageError(
            f"cannot tell the output format from {str(output)!r}; use --to (one of {known})",
            code="no-output-format",
        )
    return found


def make_book(docs: Sequence[Document], options: Options) -> Book:
    """Several articles as one anthology; the book title defaults to the first article's source."""
    first = docs[0].meta if docs else Meta()
    title = options.book_title or first.publisher or first.source or "新闻合集"
    dates = sorted(d.meta.date for d in docs if d.meta.date)
    return Book(
        meta=Meta(title=title, date=dates[-1] if dates else None, publisher=first.publisher, language=first.language),
        documents=tuple(docs),
    )


def convert(
    inputs: Sequence[str | Path],
    output: str | Path,
    *,
    from_format: str | None = None,
    to_format: str | None = None,
    options: Options | None = None,
) -> list[Diagnostic]:
    """Convert one article (or several, into one book) to ``output``; return the diagnostics.

    On any failure nothing is written: the output appears whole or not at all.
    """
    options = options or Options()
    if not inputs:
        raise UsageError("no input given", code="no-input")
    fmt = output_format(output, to_format)
    if str(output) != STDIO:
        out_path = Path(output).resolve()
        for source in inputs:
            if str(source) != STDIO and Path(source).resolve() == out_path:
                raise UsageError(f"the output {output} is also an input; choose another name", code="output-is-input")
    diagnostics: list[Diagnostic] = []
    docs: list[Document] = []
    dirs: list[Path] = []
    for source in inputs:
        ctx = Context(options=options)
        docs.append(read(source, from_format, ctx))
        diagnostics += ctx.diagnostics
        dirs.append(ctx.base_dir or Path.cwd())
    # A book's images resolve against the folder all its articles share.
    base_dir = Path(os.path.commonpath(dirs)) if dirs else None
    if base_dir is not None and len(docs) > 1:
        docs = [_rebase_images(doc, d, base_dir) for doc, d in zip(docs, dirs, strict=True)]
    tree: Document | Book = docs[0] if len(docs) == 1 else make_book(docs, options)
    wctx = Context(options=options, base_dir=base_dir, source_name=str(inputs[0]) if len(inputs) == 1 else "")
    data = render(tree, fmt, wctx)
    diagnostics += wctx.diagnostics
    if str(output) == STDIO:
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
    else:
        write_atomic(Path(output), data)
    return diagnostics


def _rebase_images(doc: Document, folder: Path, base: Path) -> Document:
    """``doc`` with relative image paths rewritten from ``folder`` to be relative to ``base``."""
    if folder == base:
        return doc
    prefix = folder.relative_to(base).as_posix()

    def rebase(node: Any) -> Any:
        if isinstance(node, Image):
            if urllib.parse.urlsplit(node.src).scheme or node.src.startswith("/"):
                return node
            return dataclasses.replace(node, src=f"{prefix}/{node.src}")
        if isinstance(node, tuple):
            return tuple(rebase(item) for item in node)
        if dataclasses.is_dataclass(node) and not isinstance(node, (Meta, type)):
            changes = {f.name: rebase(getattr(node, f.name)) for f in dataclasses.fields(node)}
            return dataclasses.replace(node, **changes)
        return node

    rebased: Document = rebase(doc)
    return rebased

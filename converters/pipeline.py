"""The conversion pipeline: bytes -> reader -> tree -> writer -> bytes, with atomic output.

This is also the Python API: :func:`read`, :func:`render` and :func:`convert` work in-process,
so a batch reuses loaded modules, fonts and templates across articles.
"""

from __future__ import annotations

import dataclasses
import os
import re
import sys
import urllib.parse
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from converters import registry
from converters.context import Context, Options
from converters.errors import Diagnostic, InputError, PressroomError, UsageError
from converters.output import write_atomic
from converters.resources import split_url
from converters.tree import Book, Document, Figure, Image, Link, Meta, Text

#: Inputs above this size are refused before reading: no news article is this large (a saved
#: page with inline images, or a DOCX full of photos, stays well below it).
MAX_INPUT_BYTES = 32 * 1024 * 1024

#: Deeper trees are refused: real articles nest a few levels, and every writer recurses.
MAX_TREE_DEPTH = 50

STDIO = "-"


def _too_large(size: int, where: str) -> InputError:
    return InputError(
        f"the file is {size / 2**20:.1f} MiB, over the limit of {MAX_INPUT_BYTES // 2**20} MiB",
        code="input-too-large",
        where=where,
    )


def _read_bytes(source: str | Path) -> bytes:
    if str(source) == STDIO:
        data: bytes = sys.stdin.buffer.read(MAX_INPUT_BYTES + 1)
        if len(data) > MAX_INPUT_BYTES:
            raise _too_large(len(data), "standard input")
        return data
    path = Path(source)
    try:
        if path.is_dir():
            raise InputError("is a folder, not a file", code="not-a-file", where=str(path))
        if path.exists() and not path.is_file():  # /dev/zero, a FIFO: reading would never end
            raise InputError("is a device or pipe, not a regular file", code="not-a-file", where=str(path))
        size = path.stat().st_size
        if size > MAX_INPUT_BYTES:
            raise _too_large(size, str(path))
        with path.open("rb") as handle:
            data = handle.read(MAX_INPUT_BYTES + 1)  # bounded even if the file grows meanwhile
        if len(data) > MAX_INPUT_BYTES:
            raise _too_large(len(data), str(path))
        return data
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
        else:
            ctx.source_name = ctx.source_name or "standard input"
    reader = registry.get_reader(name)
    try:
        doc = reader(data, ctx)
    except RecursionError:
        raise InputError("the document is nested too deeply to read", code="too-deep", where=ctx.source_name) from None
    if not isinstance(doc, Document):
        raise PressroomError(f"the {name} reader returned {type(doc).__name__}, not a Document")
    return sanitise(doc, ctx)


# --------------------------------------------------------------------------- one safety policy

#: Characters XML 1.0 forbids (every writer but Markdown emits XML) and lone UTF-16 surrogates
#: (JSON ``"\ud800"`` escapes), which no UTF-8 output can encode.
_FORBIDDEN_CHARS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")
#: Browsers ignore ASCII whitespace and controls inside a URL's scheme ("java\tscript:").
_URL_NOISE = re.compile("[\x00-\x20\x7f]+")
_SCRIPT_SCHEMES = ("javascript:", "vbscript:", "livescript:", "data:text/html", "data:application/")


def is_script_url(url: str) -> bool:
    """True for URLs that run code when followed (``javascript:``, ``vbscript:``, HTML ``data:``)."""
    return _URL_NOISE.sub("", url).lower().startswith(_SCRIPT_SCHEMES)


def tree_depth(doc: Document) -> int:
    """How deeply the document's nodes nest (iterative, so any depth can be measured)."""
    deepest = 0
    stack: list[tuple[object, int]] = [(b, 1) for b in doc.blocks]
    while stack:
        node, depth = stack.pop()
        deepest = max(deepest, depth)
        for f in dataclasses.fields(node):  # type: ignore[arg-type]
            value = getattr(node, f.name)
            children = value if isinstance(value, tuple) else (value,)
            stack.extend((c, depth + 1) for c in children if dataclasses.is_dataclass(c))
    return deepest


class _Sanitiser:
    """Rebuilds a tree without forbidden characters or script links, counting what it dropped."""

    def __init__(self) -> None:
        self.chars = 0
        self.links = 0
        self.images = 0

    def text(self, value: str) -> str:
        cleaned, count = _FORBIDDEN_CHARS.subn("", value)
        self.chars += count
        return cleaned

    def node(self, node: Any) -> Any:
        if isinstance(node, str):
            return self.text(node)
        if isinstance(node, tuple):
            return self.sequence(node)
        if isinstance(node, Figure) and node.image is not None and is_script_url(node.image.src):
            self.images += 1
            return Figure(None, self.sequence(node.caption), node.number)
        if not dataclasses.is_dataclass(node) or isinstance(node, type):
            return node
        changes = {f.name: self.node(getattr(node, f.name)) for f in dataclasses.fields(node)}
        if all(value is getattr(node, name) for name, value in changes.items()):
            return node  # untouched: keep the reader's object (and skip the copy)
        return dataclasses.replace(node, **changes)

    def sequence(self, items: tuple[Any, ...]) -> tuple[Any, ...]:
        out: list[Any] = []
        for item in items:
            if isinstance(item, Link) and is_script_url(item.url):
                self.links += 1  # keep the words, drop the link
                out.extend(self.sequence(item.children))
            elif isinstance(item, Image) and is_script_url(item.src):
                self.images += 1
            else:
                new = self.node(item)
                if not (isinstance(new, Text) and not new.text):  # a run of nothing but forbidden characters
                    out.append(new)
        if len(out) == len(items) and all(a is b for a, b in zip(out, items, strict=True)):
            return items
        merged: list[Any] = []
        for item in out:  # an unwrapped link's text joins its neighbours, as in a normalised tree
            if isinstance(item, Text) and merged and isinstance(merged[-1], Text):
                merged[-1] = Text(merged[-1].text + item.text)
            else:
                merged.append(item)
        return tuple(merged)


def sanitise(doc: Document, ctx: Context) -> Document:
    """The safety policy every reader's tree goes through, whatever its source format.

    Drops characters XML forbids and lone surrogates, turns script links into plain text and
    removes script images, with a warning for each kind; refuses absurdly deep trees.
    """
    depth = tree_depth(doc)
    if depth > MAX_TREE_DEPTH:
        raise InputError(
            f"the document nests {depth} levels deep; the limit is {MAX_TREE_DEPTH}",
            code="too-deep",
            where=ctx.source_name,
        )
    cleaner = _Sanitiser()
    meta = cleaner.node(doc.meta)
    if meta.url and is_script_url(meta.url):
        cleaner.links += 1
        meta = dataclasses.replace(meta, url=None)
    blocks = cleaner.sequence(doc.blocks)
    if cleaner.chars:
        ctx.warn("control-characters", f"removed {cleaner.chars} control character(s) or lone surrogate(s) XML forbids")
    if cleaner.links:
        ctx.warn("script-link", f"dropped {cleaner.links} javascript:/vbscript: link(s); their text is kept")
    if cleaner.images:
        ctx.warn("script-image", f"dropped {cleaner.images} image(s) with a script URL")
    return doc if meta is doc.meta and blocks is doc.blocks else Document(meta=meta, blocks=blocks)


def render(tree: Document | Book, fmt: str, ctx: Context | None = None) -> bytes:
    """Render a document (or a book, for writers that take one) in format ``fmt`` as bytes."""
    ctx = ctx or Context()
    name = registry.canonical(fmt)
    if isinstance(tree, Book) and name not in registry.BOOK_WRITERS:
        books = ", ".join(sorted(registry.BOOK_WRITERS))
        raise UsageError(f"several articles make one file only as {books}; got {name}", code="no-book-writer")
    writer = registry.get_writer(name)
    try:
        out = writer(tree, ctx)
    except RecursionError:
        raise InputError(f"the document is nested too deeply to write as {name}", code="too-deep") from None
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
    contexts: list[Context] = []
    for source in inputs:
        ctx = Context(options=options)
        docs.append(read(source, from_format, ctx))
        contexts.append(ctx)
        dirs.append(ctx.base_dir or Path.cwd())
    # A book's images resolve against the folder all its articles share.
    base_dir = Path(os.path.commonpath(dirs)) if dirs else None
    if base_dir is not None and len(docs) > 1:
        docs = [_rebase_images(doc, d, base_dir, c) for doc, d, c in zip(docs, dirs, contexts, strict=True)]
    for ctx in contexts:
        diagnostics += ctx.diagnostics
    tree: Document | Book = docs[0] if len(docs) == 1 else make_book(docs, options)
    wctx = Context(options=options, base_dir=base_dir, source_name=str(inputs[0]) if len(inputs) == 1 else "")
    data = render(tree, fmt, wctx)
    diagnostics += wctx.diagnostics
    if str(output) == STDIO:
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
    else:
        try:
            write_atomic(Path(output), data)
        except OSError as exc:
            raise PressroomError(
                f"cannot write the output: {exc.strerror or exc}", code="unwritable", where=str(output)
            ) from None
    return diagnostics


def _local_path(src: str, folder: Path) -> Path | None:
    """The file a local image ``src`` names, resolved from ``folder`` (``None`` for URLs)."""
    parts = split_url(src)
    if parts is None:  # malformed: the resource policy refuses it with a warning
        return None
    scheme = parts.scheme.lower()
    if scheme == "file":
        path = Path(urllib.parse.unquote(parts.path))
    elif scheme and len(scheme) > 1:  # http, data...: the resource policy decides
        return None
    else:
        path = Path(urllib.parse.unquote(src))
    return (path if path.is_absolute() else folder / path).resolve()


def _rebase_images(doc: Document, folder: Path, base: Path, ctx: Context) -> Document:
    """``doc`` with relative image paths rewritten from ``folder`` to be relative to ``base``.

    A book's base is the articles' common folder, which may hold far more than each article's
    own folder (``/`` for ``~/a.md`` and ``/tmp/b.md``): an image that escapes its article's own
    folder (``../../``, an absolute path) is dropped here, before the wider base could admit it.
    """
    own = folder.resolve()
    dropped = 0

    def rebase(node: Any) -> Any:
        nonlocal dropped
        if isinstance(node, Image):
            path = _local_path(node.src, folder)
            if path is None:
                return node
            if not path.is_relative_to(own):
                dropped += 1
                return None
            return dataclasses.replace(node, src=path.relative_to(base.resolve()).as_posix())
        if isinstance(node, tuple):
            return tuple(r for r in (rebase(item) for item in node) if r is not None)
        if dataclasses.is_dataclass(node) and not isinstance(node, (Meta, type)):
            changes = {f.name: rebase(getattr(node, f.name)) for f in dataclasses.fields(node)}
            return dataclasses.replace(node, **changes)
        return node

    rebased: Document = rebase(doc)
    if dropped:
        ctx.warn("resource-outside-folder", f"{dropped} image(s) outside the article's folder; not read")
    return rebased

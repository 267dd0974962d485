"""JSON writer: the tree's public form, as ``pressroom inspect`` prints it."""

from __future__ import annotations

from converters.context import Context
from converters.errors import UsageError
from converters.tree import Book, Document, dumps


def write_json(tree: Document | Book, ctx: Context) -> str:
    """The document as indented JSON with readable CJK."""
    if isinstance(tree, Book):
        raise UsageError("the JSON writer takes one article", code="no-book-writer")
    return dumps(tree)

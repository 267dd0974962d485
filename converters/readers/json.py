"""JSON reader: the tree's own public form (``pressroom inspect`` output) back into a tree."""

from __future__ import annotations

import json

from converters.context import Context
from converters.decode import decode_bytes
from converters.errors import InputError
from converters.tree import Document, document_from_json


def read_json(data: bytes, ctx: Context) -> Document:
    """Parse ``{"meta": {...}, "blocks": [...]}``; a malformed tree is an :class:`InputError`."""
    text = decode_bytes(data, ctx.source_name)
    try:
        return document_from_json(json.loads(text))
    except RecursionError:
        raise InputError("the JSON is nested too deeply", code="bad-json", where=ctx.source_name) from None
    except (ValueError, TypeError) as exc:
        raise InputError(f"not a Pressroom document tree: {exc}", code="bad-json", where=ctx.source_name) from None

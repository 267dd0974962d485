"""Cleaners: pure ``Document -> Document`` functions, each idempotent.

:func:`map_inline_runs` is the one traversal they share: it rebuilds every block, handing each
run of inlines (paragraph, heading, caption, credit text) to a function; :func:`map_meta_text`
does the same for the metadata's prose fields.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable

from converters.tree import Block, BlockQuote, Credit, Figure, Heading, Inline, List, ListItem, Meta, Paragraph

InlineRun = tuple[Inline, ...]


def map_inline_runs(block: Block, fn: Callable[[InlineRun], InlineRun]) -> Block:
    """``block`` rebuilt with ``fn`` applied to each of its inline runs, nested blocks included."""
    if isinstance(block, (Paragraph, Credit)):
        return type(block)(fn(block.children))
    if isinstance(block, Heading):
        return Heading(block.level, fn(block.children))
    if isinstance(block, Figure):
        return dataclasses.replace(block, caption=fn(block.caption))
    if isinstance(block, BlockQuote):
        return BlockQuote(tuple(map_inline_runs(b, fn) for b in block.children))
    if isinstance(block, List):
        items = tuple(ListItem(tuple(map_inline_runs(b, fn) for b in item.children)) for item in block.children)
        return dataclasses.replace(block, children=items)
    return block


def map_meta_text(meta: Meta, fn: Callable[[str | None], str | None]) -> Meta:
    """``meta`` with ``fn`` applied to its prose fields (not date, URL, language or keywords)."""
    return dataclasses.replace(
        meta,
        title=fn(meta.title),
        subtitle=fn(meta.subtitle),
        source=fn(meta.source),
        author=fn(meta.author),
        editor=fn(meta.editor),
        publisher=fn(meta.publisher),
    )

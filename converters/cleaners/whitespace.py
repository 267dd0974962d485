"""Whitespace: one plain space for every run of spaces, nothing invisible, nothing at the ends.

Scraped text carries NBSPs, ideographic spaces (U+3000, the indent of many CMSs), tabs and
zero-width characters. Inside a text node every run becomes one ASCII space; zero-width
characters go; paragraphs, headings, captions and metadata lose leading and trailing spaces.
Spaces between words are kept: only the writers decide about CJK-Latin spacing.
"""

from __future__ import annotations

import dataclasses
import re

from converters.cleaners import map_inline_runs, map_meta_text
from converters.tree import (
    Document,
    Emph,
    Inline,
    Link,
    Meta,
    Strong,
    Text,
)

_INVISIBLE = re.compile("[\u200b-\u200d\u2060\ufeff\u00ad]")
_SPACES = re.compile(r"[ \t\r\n\f\v\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+")


def squeeze(text: str) -> str:
    """``text`` with whitespace runs as one space and invisible characters removed (not stripped)."""
    return _SPACES.sub(" ", _INVISIBLE.sub("", text))


def _inline(node: Inline) -> Inline:
    if isinstance(node, Text):
        return Text(squeeze(node.text))
    if isinstance(node, (Emph, Strong)):
        return type(node)(_inlines(node.children, strip=False))
    if isinstance(node, Link):
        return dataclasses.replace(node, children=_inlines(node.children, strip=False))
    return node


def _inlines(nodes: tuple[Inline, ...], strip: bool = True) -> tuple[Inline, ...]:
    out = [_inline(n) for n in nodes]
    if strip and out:
        if isinstance(out[0], Text):
            out[0] = Text(out[0].text.lstrip())
        if isinstance(out[-1], Text):
            out[-1] = Text(out[-1].text.rstrip())
    return tuple(n for n in out if not (isinstance(n, Text) and not n.text))


def _meta(meta: Meta) -> Meta:
    def fix(value: str | None) -> str | None:
        if value is None:
            return None
        return squeeze(value).strip() or None

    return map_meta_text(meta, fix)


def normalise_whitespace(doc: Document) -> Document:
    """The document with whitespace normalised in every text node and metadata string."""
    return Document(_meta(doc.meta), tuple(map_inline_runs(b, _inlines) for b in doc.blocks))

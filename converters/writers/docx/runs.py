"""Inline formatting as Word sees it: flat runs with flags, and the one way back to a tree.

Word has no nesting for bold or emphasis: a run simply is bold. The writer flattens inlines to
leaves carrying flags (``b`` strong, ``em`` emphasis) inside hyperlinks, and the reader groups them
back with :func:`regroup`. Trees that regrouping reproduces are written as plain runs; the few it
cannot (``Emph(Emph(x))``, two adjacent ``Emph``) are written with explicit content-control
boundaries, so reading back always gives the same tree.
"""

from __future__ import annotations

from dataclasses import dataclass

from converters.tree import Emph, Image, Inline, LineBreak, Link, Strong, Text

Flags = frozenset[str]
NO_FLAGS: Flags = frozenset()
STRONG, EMPH = "b", "em"


@dataclass(frozen=True, slots=True)
class Leaf:
    """A text, line break or image run with the formatting flags it carries."""

    node: Text | LineBreak | Image
    flags: Flags


@dataclass(frozen=True, slots=True)
class LinkRun:
    """A hyperlink holding runs."""

    url: str
    title: str
    children: tuple[Leaf | LinkRun, ...]


Item = Leaf | LinkRun


def flatten(inlines: tuple[Inline, ...], flags: Flags = NO_FLAGS) -> list[Item]:
    """Inlines as Word stores them: leaves with absolute flags, hyperlinks kept as containers."""
    out: list[Item] = []
    for node in inlines:
        if isinstance(node, Strong):
            out += flatten(node.children, flags | {STRONG})
        elif isinstance(node, Emph):
            out += flatten(node.children, flags | {EMPH})
        elif isinstance(node, Link):
            out.append(LinkRun(node.url, node.title, tuple(flatten(node.children, flags))))
        else:
            out.append(Leaf(node, flags))
    return out


def _flags_of(item: Item) -> Flags:
    if isinstance(item, Leaf):
        return item.flags
    inner = [_flags_of(child) for child in item.children]
    if not inner:
        return NO_FLAGS
    common = inner[0]
    for f in inner[1:]:
        common &= f
    return common


def regroup(items: list[Item], outer: Flags = NO_FLAGS) -> tuple[Inline, ...]:
    """Rebuild inlines: runs sharing a flag become one ``Strong``/``Emph``; strong outside emphasis."""
    out: list[Inline] = []
    i = 0
    while i < len(items):
        extra = _flags_of(items[i]) - outer
        flag = STRONG if STRONG in extra else EMPH if EMPH in extra else None
        if flag is None:
            item = items[i]
            if isinstance(item, Leaf):
                out.append(item.node)
            else:
                out.append(Link(regroup(list(item.children), outer | _flags_of(item)), item.url, item.title))
            i += 1
            continue
        j = i
        while j < len(items) and flag in _flags_of(items[j]) - outer:
            j += 1
        inner = regroup(items[i:j], outer | {flag})
        out.append(Strong(inner) if flag == STRONG else Emph(inner))
        i = j
    return merge_text(out)


def merge_text(nodes: list[Inline]) -> tuple[Inline, ...]:
    """Adjacent ``Text`` nodes as one (Word splits runs wherever it likes)."""
    out: list[Inline] = []
    for node in nodes:
        if isinstance(node, Text) and out and isinstance(out[-1], Text):
            out[-1] = Text(out[-1].text + node.text)
        elif not (isinstance(node, Text) and not node.text):
            out.append(node)
    return tuple(out)


def is_canonical(inlines: tuple[Inline, ...]) -> bool:
    """Whether plain runs read back as exactly these inlines."""
    return regroup(flatten(inlines)) == inlines

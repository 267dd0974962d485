"""The document tree: the one data model every reader produces and every writer renders.

Modelled on pandoc-types' ``Definition.hs``: a small set of sum types, one doc line per
constructor, no behaviour. Nodes are frozen, slotted dataclasses; children are tuples so
trees are hashable and compare by value (``read(write(doc)) == doc`` is plain ``==``).

Blocks and inlines are kept apart: a block holds blocks or inlines, an inline holds inlines.
The JSON form (:func:`to_json` / :func:`from_json`) is the tree's public face: every node is an
object with a ``"type"``; containers carry ``"children"``; a figure's caption is ``"caption"``.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any, TypeVar

# --------------------------------------------------------------------------- inlines


@dataclass(frozen=True, slots=True)
class Text:
    """A run of plain text (never empty in a normalised tree)."""

    text: str


@dataclass(frozen=True, slots=True)
class Emph:
    """Emphasised inlines (italic in Latin text, 着重 in CJK house styles)."""

    children: tuple[Inline, ...]


@dataclass(frozen=True, slots=True)
class Strong:
    """Strongly emphasised inlines (bold)."""

    children: tuple[Inline, ...]


@dataclass(frozen=True, slots=True)
class Link:
    """A hyperlink around inlines; ``url`` is kept as written, ``title`` may be empty."""

    children: tuple[Inline, ...]
    url: str
    title: str = ""


@dataclass(frozen=True, slots=True)
class LineBreak:
    """A hard line break inside a block."""


@dataclass(frozen=True, slots=True)
class Image:
    """An image: ``src`` is a path relative to the source document, or a URL; ``alt`` its text."""

    src: str
    alt: str = ""
    title: str = ""


Inline = Text | Emph | Strong | Link | LineBreak | Image

# --------------------------------------------------------------------------- blocks


@dataclass(frozen=True, slots=True)
class Heading:
    """A section heading of ``level`` 1 to 6 (the article title lives in the metadata)."""

    level: int
    children: tuple[Inline, ...]


@dataclass(frozen=True, slots=True)
class Paragraph:
    """A body paragraph."""

    children: tuple[Inline, ...]


@dataclass(frozen=True, slots=True)
class Figure:
    """A figure: an image (``None`` when the page's photo is not available), its caption, its number."""

    image: Image | None
    caption: tuple[Inline, ...]
    number: int | None = None


@dataclass(frozen=True, slots=True)
class BlockQuote:
    """A quoted passage made of blocks."""

    children: tuple[Block, ...]


@dataclass(frozen=True, slots=True)
class ListItem:
    """One item of a list, made of blocks."""

    children: tuple[Block, ...]


@dataclass(frozen=True, slots=True)
class List:
    """A bulleted (``ordered=False``) or numbered list starting at ``start``."""

    children: tuple[ListItem, ...]
    ordered: bool = False
    start: int = 1


@dataclass(frozen=True, slots=True)
class ThematicBreak:
    """A scene break between parts of an article."""


@dataclass(frozen=True, slots=True)
class Credit:
    """The closing credit or byline line, e.g. ``（济南新旧动能转换先行区管理委员会党群工作室）``."""

    children: tuple[Inline, ...]


Block = Heading | Paragraph | Figure | BlockQuote | List | ThematicBreak | Credit

# --------------------------------------------------------------------------- documents


@dataclass(frozen=True, slots=True)
class Meta:
    """Article metadata; ``date`` is ISO 8601 (``2020-04-29`` or ``2020-04-29T10:30``)."""

    title: str | None = None
    subtitle: str | None = None
    date: str | None = None
    source: str | None = None  # 来源
    author: str | None = None  # 作者
    editor: str | None = None  # 责任编辑
    publisher: str | None = None
    url: str | None = None
    language: str = "zh-CN"
    keywords: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Document:
    """One article: metadata and body blocks."""

    meta: Meta = field(default_factory=Meta)
    blocks: tuple[Block, ...] = ()


@dataclass(frozen=True, slots=True)
class Book:
    """An anthology of articles (one chapter each) with the book's own metadata."""

    meta: Meta
    documents: tuple[Document, ...]


Node = Inline | Block | ListItem | Meta | Document | Book

INLINE_TYPES: tuple[type, ...] = (Text, Emph, Strong, Link, LineBreak, Image)
BLOCK_TYPES: tuple[type, ...] = (Heading, Paragraph, Figure, BlockQuote, List, ThematicBreak, Credit)
#: Every node type a writer must render (ListItem is rendered by its List, Meta by the title block).
NODE_TYPES: tuple[type, ...] = INLINE_TYPES + BLOCK_TYPES + (ListItem,)

# JSON ``"type"`` names: snake_case of the class name, fixed here so renames never break the contract.
TYPE_NAMES: dict[type, str] = {
    Text: "text",
    Emph: "emph",
    Strong: "strong",
    Link: "link",
    LineBreak: "line_break",
    Image: "image",
    Heading: "heading",
    Paragraph: "paragraph",
    Figure: "figure",
    BlockQuote: "block_quote",
    ListItem: "list_item",
    List: "list",
    ThematicBreak: "thematic_break",
    Credit: "credit",
}
TYPES_BY_NAME: dict[str, type] = {name: cls for cls, name in TYPE_NAMES.items()}

# --------------------------------------------------------------------------- walk / query

N = TypeVar("N")


def walk(node: object) -> Iterator[object]:
    """Yield ``node`` and every node below it, depth first, in document order."""
    yield node
    if isinstance(node, tuple):
        for item in node:
            yield from walk(item)
        return
    if not dataclasses.is_dataclass(node) or isinstance(node, Meta):
        return
    for f in dataclasses.fields(node):
        value = getattr(node, f.name)
        if isinstance(value, tuple) or dataclasses.is_dataclass(value):
            if isinstance(value, tuple):
                for item in value:
                    if dataclasses.is_dataclass(item):
                        yield from walk(item)
            else:
                yield from walk(value)


def query(node: object, kind: type[N]) -> list[N]:
    """Every node of type ``kind`` at or below ``node``, in document order."""
    return [n for n in walk(node) if isinstance(n, kind)]


def plain_text(node: object) -> str:
    """The text of ``node`` with markup dropped (line breaks as ``\\n``, image alt text kept)."""
    parts: list[str] = []
    for n in walk(node):
        if isinstance(n, Text):
            parts.append(n.text)
        elif isinstance(n, LineBreak):
            parts.append("\n")
        elif isinstance(n, Image):
            parts.append(n.alt)
    return "".join(parts)


# --------------------------------------------------------------------------- JSON


def node_to_json(node: object) -> Any:
    """Serialise a node (or a tuple of nodes) to JSON-ready Python values."""
    if isinstance(node, tuple):
        return [node_to_json(item) for item in node]
    if node is None or isinstance(node, (str, int, bool)):
        return node
    if isinstance(node, Meta):
        return meta_to_json(node)
    name = TYPE_NAMES.get(type(node))
    if name is None:
        raise TypeError(f"not a tree node: {node!r}")
    out: dict[str, Any] = {"type": name}
    for f in dataclasses.fields(node):  # type: ignore[arg-type]
        out[f.name] = node_to_json(getattr(node, f.name))
    return out


def meta_to_json(meta: Meta) -> dict[str, Any]:
    """Metadata as a JSON object; absent (``None``/empty) fields are left out."""
    out: dict[str, Any] = {}
    for f in dataclasses.fields(meta):
        value = getattr(meta, f.name)
        if value is None or value == ():
            continue
        out[f.name] = list(value) if isinstance(value, tuple) else value
    return out


def meta_from_json(data: dict[str, Any]) -> Meta:
    """Rebuild :class:`Meta`; unknown keys are rejected so typos do not vanish silently."""
    if not isinstance(data, dict):
        raise ValueError("'meta' must be an object")
    names = {f.name for f in dataclasses.fields(Meta)}
    unknown = set(data) - names
    if unknown:
        raise ValueError(f"unknown metadata field(s): {', '.join(repr(k) for k in sorted(unknown))}")
    kwargs: dict[str, Any] = dict(data)
    if "keywords" in kwargs:
        if not isinstance(kwargs["keywords"], list):
            raise ValueError("metadata field 'keywords' must be a list of strings")
        kwargs["keywords"] = tuple(str(k) for k in kwargs["keywords"])
    for key, value in kwargs.items():
        if key != "keywords" and value is not None and not isinstance(value, str):
            raise ValueError(f"metadata field {key!r} must be a string")
    return Meta(**kwargs)


def node_from_json(data: Any) -> Any:
    """Rebuild a node from :func:`node_to_json` output; raises ``ValueError`` on a bad shape."""
    if data is None or isinstance(data, (str, int, bool)):
        return data
    if isinstance(data, list):
        return tuple(node_from_json(item) for item in data)
    if not isinstance(data, dict) or "type" not in data:
        raise ValueError(f"expected a node object with a 'type', got {str(data)[:60]!r}")
    cls = TYPES_BY_NAME.get(data["type"])
    if cls is None:
        raise ValueError(f"unknown node type {data['type']!r}")
    names = {f.name for f in dataclasses.fields(cls)}
    kwargs = {k: node_from_json(v) for k, v in data.items() if k != "type"}
    unknown = set(kwargs) - names
    if unknown:
        raise ValueError(f"unknown field(s) {', '.join(repr(k) for k in sorted(unknown))} on {data['type']!r}")
    try:
        node = cls(**kwargs)
    except TypeError as exc:
        raise ValueError(f"bad {data['type']!r} node: {exc}") from None
    _check_fields(node, data["type"])
    return node


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _tuple_of(kinds: tuple[type, ...]) -> Any:
    return lambda v: isinstance(v, tuple) and all(isinstance(x, kinds) for x in v)


# What each field annotation admits, so a JSON tree cannot smuggle a block into a paragraph,
# a number into a text run or a string where a list of nodes belongs: writers trust these types.
_FIELD_CHECKS: dict[str, Any] = {
    "str": lambda v: isinstance(v, str),
    "int": _is_int,
    "bool": lambda v: isinstance(v, bool),
    "int | None": lambda v: v is None or _is_int(v),
    "Image | None": lambda v: v is None or isinstance(v, Image),
    "tuple[Inline, ...]": _tuple_of(INLINE_TYPES),
    "tuple[Block, ...]": _tuple_of(BLOCK_TYPES),
    "tuple[ListItem, ...]": _tuple_of((ListItem,)),
}

_WANTED = {
    "tuple[Inline, ...]": "a list of inline nodes",
    "tuple[Block, ...]": "a list of block nodes",
    "tuple[ListItem, ...]": "a list of list_item nodes",
    "Image | None": "an image node or null",
    "int | None": "an integer or null",
}


def _check_fields(node: object, type_name: str) -> None:
    for f in dataclasses.fields(node):  # type: ignore[arg-type]
        annotation = str(f.type)
        check = _FIELD_CHECKS.get(annotation)
        if check is not None and not check(getattr(node, f.name)):
            wanted = _WANTED.get(annotation, f"a {annotation}")
            raise ValueError(f"field {f.name!r} of a {type_name!r} node must be {wanted}")
    if isinstance(node, Heading) and not 1 <= node.level <= 6:
        raise ValueError(f"a heading's level must be 1 to 6, not {node.level}")


def document_to_json(doc: Document) -> dict[str, Any]:
    """``{"meta": {...}, "blocks": [...]}``."""
    return {"meta": meta_to_json(doc.meta), "blocks": node_to_json(doc.blocks)}


def document_from_json(data: Any) -> Document:
    """Inverse of :func:`document_to_json`."""
    if not isinstance(data, dict) or "blocks" not in data:
        raise ValueError("a document is an object with 'meta' and 'blocks'")
    blocks = node_from_json(data["blocks"])
    if not isinstance(blocks, tuple) or not all(isinstance(b, BLOCK_TYPES) for b in blocks):
        raise ValueError("'blocks' must be a list of block nodes")
    return Document(meta=meta_from_json(data.get("meta", {})), blocks=blocks)


def dumps(doc: Document) -> str:
    """The document as pretty JSON text (non-ASCII kept readable)."""
    return json.dumps(document_to_json(doc), ensure_ascii=False, indent=2) + "\n"


def loads(text: str) -> Document:
    """Parse :func:`dumps` output."""
    return document_from_json(json.loads(text))

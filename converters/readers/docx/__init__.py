"""DOCX reader: Word documents (Pressroom's own, and plain Word articles) back into the tree.

For Pressroom's output the tree comes back exactly (``read_docx(write_docx(doc)) == doc``): the
article record in ``customXml`` restores the metadata, picture names and image-marker fields
restore image sources, ``SEQ`` fields the figure numbers (``\\r`` marks a number the source gave),
and tagged content controls the containers plain paragraphs cannot show.

Plain Word articles are read by style *name* (``heading 1``, ``caption``, ``Quote``), outline
level and list numbering; embedded pictures become ``data:`` URIs so any writer can use them.
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass

from lxml import etree

from converters.context import Context
from converters.errors import InputError
from converters.readers.docx.inlines import Control, Reader, Seq, Token, paragraph_tokens, to_inlines
from converters.readers.docx.parts import Package, article_record, core_meta, open_package
from converters.tree import (
    Block,
    BlockQuote,
    Credit,
    Document,
    Figure,
    Heading,
    Image,
    Inline,
    List,
    ListItem,
    Paragraph,
    Text,
    ThematicBreak,
    plain_text,
)
from converters.writers.docx.runs import Leaf
from converters.writers.docx.xml import TAG_PREFIX, qn

QUOTE_STYLES = frozenset({"quote", "intense quote", "block text"})
META_STYLES = frozenset({"title", "subtitle", "article meta", "author", "date"})  # the last two: pandoc's
CAPTION_STYLES = frozenset({"caption", "image caption"})
FIGURE_STYLES = frozenset({"figure", "captioned figure"})
VML_HR = "{urn:schemas-microsoft-com:office:office}hr"
_DATE = re.compile(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})")
_HEADING = re.compile(r"^heading ([1-9])$")


@dataclass
class Rec:
    """One paragraph, classified: ``kind`` says how the block assembler uses it."""

    kind: str  # para heading caption figimg break credit quote item block meta
    inlines: tuple[Inline, ...] = ()
    level: int = 0
    image: Image | None = None
    number: int | None = None
    num: tuple[str, int] | None = None
    block: Block | None = None
    style: str = ""


def _style_id(p: etree._Element, pkg: Package) -> str:
    e = p.find(f"{qn('w:pPr')}/{qn('w:pStyle')}")
    return e.get(qn("w:val"), "") if e is not None else pkg.default_style


def _numbering(p: etree._Element, pkg: Package, style_id: str) -> tuple[str, int] | None:
    num = p.find(f"{qn('w:pPr')}/{qn('w:numPr')}")
    if num is not None:
        nid = num.find(qn("w:numId"))
        lvl = num.find(qn("w:ilvl"))
        num_id = nid.get(qn("w:val"), "") if nid is not None else ""
        level = lvl.get(qn("w:val"), "0") if lvl is not None else "0"
        return (num_id, int(level) if level.isdigit() else 0) if num_id and num_id != "0" else None
    for style in pkg.style_chain(style_id):
        if style.num:
            return style.num if style.num[0] != "0" else None
    return None


def _outline(p: etree._Element, pkg: Package, style_id: str) -> int | None:
    e = p.find(f"{qn('w:pPr')}/{qn('w:outlineLvl')}")
    if e is not None and e.get(qn("w:val"), "").isdigit():
        return int(e.get(qn("w:val"), "9"))
    for style in pkg.style_chain(style_id):
        m = _HEADING.match(style.name)
        if m:
            return int(m.group(1)) - 1
        if style.outline is not None:
            return style.outline
    return None


def _right_aligned(p: etree._Element, pkg: Package, style_id: str) -> bool:
    e = p.find(f"{qn('w:pPr')}/{qn('w:jc')}")
    if e is not None:
        return e.get(qn("w:val")) in ("right", "end")
    return any(s.right for s in pkg.style_chain(style_id)[:1])


def _caption(tokens: list[Token], reader: Reader) -> Rec:
    """``[image marker] 图 SEQ number separator text`` -> a caption record."""
    index = next((i for i, t in enumerate(tokens) if isinstance(t, Seq)), None)
    if index is None:
        return Rec("caption", to_inlines(tokens, True))
    before, after = tokens[:index], list(tokens[index + 1:])
    seq = tokens[index]
    assert isinstance(seq, Seq)
    image = next((t.node for t in before if isinstance(t, Leaf) and isinstance(t.node, Image)), None)
    first = after[0] if after else None
    if isinstance(first, Leaf) and isinstance(first.node, Text):
        text = first.node.text.lstrip()  # the separator after the number
        after = after[1:] if not text else [Leaf(Text(text), first.flags), *after[1:]]
    inlines = to_inlines(after, not reader.ours)
    return Rec("caption", inlines, image=image, number=seq.number if (seq.explicit or not reader.ours) else None)


def _classify(p: etree._Element, reader: Reader, structural: bool) -> Rec:
    pkg = reader.pkg
    sid = _style_id(p, pkg)
    names = [s.name for s in pkg.style_chain(sid)]
    name = names[0] if names else ""
    tokens = paragraph_tokens(reader, p)
    if name in CAPTION_STYLES:
        return _caption(tokens, reader)
    inlines = to_inlines(tokens, not reader.ours)
    if name in META_STYLES:
        return Rec("meta", inlines, style=name)
    if name == "thematic break":
        return Rec("break")
    if not inlines:
        border = p.find(f"{qn('w:pPr')}/{qn('w:pBdr')}")
        rule = any(e.get(VML_HR) in ("t", "true") for e in p.iter())  # pandoc's and Word's horizontal line
        return Rec("break") if (border is not None or rule) and not reader.ours else Rec("skip")
    if name in FIGURE_STYLES or (not reader.ours and len(inlines) == 1 and isinstance(inlines[0], Image)):
        return Rec("figimg", inlines, image=inlines[0] if isinstance(inlines[0], Image) else None)
    if name == "credit" or (not reader.ours and _right_aligned(p, pkg, sid)):
        return Rec("credit", inlines)  # a right-aligned line in a plain article is its byline or credit
    outline = _outline(p, pkg, sid)
    if outline is not None and outline < 6:
        return Rec("heading", inlines, level=outline + 1)
    num = None if structural else _numbering(p, pkg, sid)
    if num is not None:
        return Rec("item", inlines, num=num)
    if any(n in QUOTE_STYLES for n in names) and not structural:
        return Rec("quote", inlines)
    return Rec("para", inlines)


def _records(parent: etree._Element, reader: Reader, structural: bool) -> list[Rec]:
    out: list[Rec] = []
    for child in parent:
        if child.tag == qn("w:p"):
            out.append(_classify(child, reader, structural))
        elif child.tag == qn("w:sdt"):
            tag_el = child.find(f"{qn('w:sdtPr')}/{qn('w:tag')}")
            tag = tag_el.get(qn("w:val"), "") if tag_el is not None else ""
            content = child.find(qn("w:sdtContent"))
            if content is None:
                continue
            block = _container(tag, content, reader) if tag.startswith(TAG_PREFIX) else None
            out += [Rec("block", block=block)] if block is not None else _records(content, reader, structural)
        elif child.tag == qn("w:tbl"):
            for cell in child.iter(qn("w:tc")):
                out += _records(cell, reader, structural)
        elif child.tag in (qn("w:customXml"), qn("w:ins"), qn("w:moveTo")):
            out += _records(child, reader, structural)
    return out


def _container(tag: str, content: etree._Element, reader: Reader) -> Block | None:
    kind = tag[len(TAG_PREFIX):]
    if kind == "blockquote":
        return BlockQuote(_assemble(_records(content, reader, True), reader, True))
    if kind.startswith("list:"):
        _, style, start = [*kind.split(":"), "", ""][:3]
        items = []
        for sdt in content.findall(qn("w:sdt")):
            inner = sdt.find(qn("w:sdtContent"))
            if inner is not None:
                items.append(ListItem(_assemble(_records(inner, reader, True), reader, True)))
        return List(tuple(items), ordered=style == "ordered", start=int(start) if start.isdigit() else 1)
    return None


@dataclass
class _Frame:
    num_id: str
    level: int
    items: list[list[Block]]


def _close(frame: _Frame, reader: Reader, stack: list[_Frame], out: list[Block]) -> None:
    fmts, starts = reader.pkg.lists.get(frame.num_id, ({}, {}))
    ordered = fmts.get(frame.level, "decimal") not in ("bullet", "none")
    lst = List(tuple(ListItem(tuple(i)) for i in frame.items), ordered, starts.get(frame.level, 1))
    (stack[-1].items[-1] if stack else out).append(lst)


def _assemble(recs: list[Rec], reader: Reader, structural: bool) -> tuple[Block, ...]:
    """Records into blocks: figures pair with captions; lists nest by level; quotes group."""
    out: list[Block] = []
    stack: list[_Frame] = []
    quote: list[Block] = []
    i = 0
    while i < len(recs):
        rec = recs[i]
        i += 1
        if rec.kind == "figimg" and i < len(recs) and recs[i].kind == "caption" and recs[i].image is None:
            recs[i].image = rec.image
            continue
        if rec.kind != "item":
            while stack:
                _close(stack.pop(), reader, stack, out)
        if rec.kind != "quote" and quote:
            out.append(BlockQuote(tuple(quote)))
            quote = []
        if rec.kind == "item" and rec.num is not None:
            num_id, level = rec.num
            while stack and stack[-1].level > level:
                _close(stack.pop(), reader, stack, out)
            if stack and stack[-1].level == level and stack[-1].num_id != num_id:
                _close(stack.pop(), reader, stack, out)
            if stack and stack[-1].level == level:
                stack[-1].items.append([Paragraph(rec.inlines)])
            else:
                stack.append(_Frame(num_id, level, [[Paragraph(rec.inlines)]]))
        elif rec.kind == "quote":
            quote.append(Paragraph(rec.inlines))
        elif rec.kind == "para" or rec.kind == "figimg":
            out.append(Paragraph(rec.inlines))
        elif rec.kind == "heading":
            out.append(Heading(rec.level, rec.inlines))
        elif rec.kind == "caption":
            out.append(Figure(rec.image, rec.inlines, rec.number))
        elif rec.kind == "break":
            out.append(ThematicBreak())
        elif rec.kind == "credit":
            out.append(Credit(rec.inlines))
        elif rec.kind == "block" and rec.block is not None:
            out.append(rec.block)
    while stack:
        _close(stack.pop(), reader, stack, out)
    if quote:
        out.append(BlockQuote(tuple(quote)))
    return tuple(out)


def read_docx(data: bytes, ctx: Context) -> Document:
    """Read a DOCX into a document tree."""
    try:
        return _read(data, ctx)
    except RecursionError:
        raise InputError("the Word document is nested too deeply to read", code="bad-docx",
                         where=ctx.source_name) from None


def _read(data: bytes, ctx: Context) -> Document:
    pkg = open_package(data, ctx.source_name)
    record = article_record(pkg)
    reader = Reader(pkg, ours=record is not None)
    body = pkg.body
    if body is None:
        raise InputError("the Word document has no body", code="bad-docx", where=ctx.source_name)
    recs = _records(body, reader, False)
    meta = record or core_meta(pkg)
    if record is None:
        for rec in recs:
            if rec.kind == "meta" and rec.style in ("title", "subtitle", "author", "date"):
                text = plain_text(Paragraph(rec.inlines)).strip()
                if rec.style == "title" and text:
                    meta = dataclasses.replace(meta, title=text)
                elif rec.style == "subtitle" and text and meta.subtitle is None:
                    meta = dataclasses.replace(meta, subtitle=text)
                elif rec.style == "author" and text and meta.author is None:
                    meta = dataclasses.replace(meta, author=text)
                elif rec.style == "date" and meta.date is None and (m := _DATE.search(text)):
                    year, month, day = (int(g) for g in m.groups())
                    meta = dataclasses.replace(meta, date=f"{year:04d}-{month:02d}-{day:02d}")
    blocks = _assemble([r for r in recs if r.kind != "meta"], reader, False)
    if not blocks and record is None and meta.title is None:
        ctx.warn("empty-document", "the Word document has no text")
    return Document(meta=meta, blocks=blocks)


__all__ = ["Control", "read_docx"]

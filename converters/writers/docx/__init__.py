"""DOCX writer: the document tree as a Word document in the reference document's house styles.

Parts come from ``templates/docx/reference.docx`` (or ``--reference-doc``), prepared once per
process; the body is generated with lxml and packed with fixed ZIP times, so the same article
gives the same bytes. Everything Pressroom needs to read the file back exactly (metadata, image
sources, container boundaries) is stored where Word keeps it: core properties and a custom XML
record, picture names, and tagged content controls. See ``templates/docx/README.md``.

python-docx's document model is deliberately not used to write: it re-parses its template for
every document, stamps ZIP entries with the current time and carries the default-template traps
this writer exists to avoid. WordprocessingML is built with lxml (python-docx's own XML layer);
the tests read every result back with python-docx and LibreOffice.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

from lxml import etree

from converters.cleaners.figures import number_figures
from converters.context import Context, Options
from converters.errors import UsageError
from converters.tree import Book, Document, Figure, Meta, query
from converters.writers.docx.blocks import BLOCK_HANDLERS, emit_blocks, paragraph
from converters.writers.docx.inlines import HANDLERS as INLINE_HANDLERS
from converters.writers.docx.inlines import Env, State, text_run
from converters.writers.docx.numbering import Numbering
from converters.writers.docx.package import (
    PART_RELS,
    Relationships,
    app_xml,
    article_datetime,
    article_record_xml,
    content_types_xml,
    core_xml,
    custom_item_rels,
    item_props_xml,
    package_rels_xml,
    zip_parts,
)
from converters.writers.docx.template import template_for
from converters.writers.docx.xml import qn, root_element, serialize, sub

#: Node type -> handler; inline handlers take ``(node, state, env, parent)`` like block handlers.
HANDLERS: dict[type, Callable[..., Any]] = {**INLINE_HANDLERS, **BLOCK_HANDLERS}

META_SEPARATOR = " · "


def _epoch(ctx: Context) -> int | None:
    if ctx.options.source_date_epoch is not None:
        return ctx.options.source_date_epoch
    value = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    return int(value) if value.isdigit() else None


def _reference(options: Options) -> Path | None:
    """``--reference-doc``, else ``--template`` (a .docx, or a folder holding ``reference.docx``)."""
    if options.reference_doc is not None:
        return options.reference_doc
    if options.template is not None:
        return options.template / "reference.docx" if options.template.is_dir() else options.template
    return None


def _styles_for(styles: bytes, language: str) -> bytes:
    """The styles with the article's Chinese variant as East Asian language (zh-TW text is not zh-CN)."""
    if language.lower().startswith("zh") and language != "zh-CN":
        return styles.replace(b'w:eastAsia="zh-CN"', f'w:eastAsia="{language}"'.encode())
    return styles


def display_date(meta: Meta) -> str | None:
    """``2024-03-11`` as ``2024年3月11日`` (with ``12:12`` when a time is given) for Chinese articles."""
    moment = article_datetime(meta.date)
    if not meta.date or moment is None or not meta.language.lower().startswith("zh"):
        return meta.date
    text = f"{moment.year}年{moment.month}月{moment.day}日"
    return text + (f" {moment:%H:%M}" if "T" in meta.date else "")


def meta_line(meta: Meta) -> str:
    """日期 · 来源：… · 作者：… · 责任编辑：…, with the fields present."""
    parts = [display_date(meta) or ""]
    for label, value in (("来源", meta.source), ("作者", meta.author), ("责任编辑", meta.editor)):
        if value:
            parts.append(f"{label}：{value}")
    return META_SEPARATOR.join(p for p in parts if p)


def _title_block(meta: Meta, st: State, body: etree._Element) -> None:
    env = Env()
    for style, text in (("title", meta.title), ("subtitle", meta.subtitle), ("article meta", meta_line(meta))):
        if text:
            text_run(paragraph(body, st, style, env), st.text(text), env)


def write_docx(tree: Document | Book, ctx: Context) -> bytes:
    """Render one article as DOCX bytes."""
    if isinstance(tree, Book):
        raise UsageError("the DOCX writer takes one article; use epub or pdf for a book", code="no-book-writer")
    options = ctx.options
    template = template_for(_reference(options), options.font_serif, options.font_sans)
    explicit = [f.number is not None for f in query(tree, Figure)]
    doc = number_figures(tree)
    rels = Relationships()
    for target, kind in PART_RELS.items():
        if target != "numbering.xml" and (target == "styles.xml" or f"word/{target}" in template.parts):
            rels.add(kind, target)
    st = State(ctx=ctx, template=template, rels=rels, numbering=Numbering(template.numbering),
               explicit_numbers=explicit)

    root = root_element("w:document", ("w", "r", "wp", "a", "pic"))
    body = sub(root, "w:body")
    _title_block(doc.meta, st, body)
    emit_blocks(doc.blocks, st, Env(), body)
    sect = etree.fromstring(etree.tostring(template.sect_pr))
    references = [e for e in sect if etree.QName(e).localname in ("headerReference", "footerReference")]
    for ref, (kind, target, _) in zip(references, template.sect_parts, strict=True):
        ref.set(qn("r:id"), rels.add(kind, target))
    body.append(sect)
    if st.dropped:
        ctx.warn("xml-forbidden-characters",
                 f"dropped {st.dropped} control character(s) that a Word document cannot hold")

    numbering = st.numbering.to_xml()
    if numbering is not None:
        rels.add("numbering", "numbering.xml")
    rels.add("customXml", "../customXml/item1.xml")
    epoch = _epoch(ctx)
    created = article_datetime(doc.meta.date)
    stamp = dt.datetime.fromtimestamp(epoch, tz=dt.UTC) if epoch is not None else None
    created = created or stamp
    word: list[tuple[str, bytes]] = [("word/document.xml", serialize(root)),
                                     ("word/_rels/document.xml.rels", rels.to_xml()),
                                     ("word/styles.xml", _styles_for(template.styles, doc.meta.language))]
    word += [(name, data) for name, data in sorted(template.parts.items())]
    word += [(f"word/{target}", data) for _, target, data in template.sect_parts]
    word += sorted(template.extra_parts.items())
    if numbering is not None:
        word.append(("word/numbering.xml", numbering))
    word += st.media_parts
    rest = [
        ("customXml/item1.xml", article_record_xml(doc.meta)),
        ("customXml/itemProps1.xml", item_props_xml()),
        ("customXml/_rels/item1.xml.rels", custom_item_rels()),
        ("docProps/core.xml", core_xml(doc.meta, created, max(stamp, created) if stamp and created else created)),
        ("docProps/app.xml", app_xml()),
    ]
    names = [name for name, _ in word + rest]
    parts = [("[Content_Types].xml", content_types_xml(names)), ("_rels/.rels", package_rels_xml()), *word, *rest]
    return zip_parts(parts, epoch)

"""DOCX writer: the document tree as a Word document in the reference document's house styles.

python-docx carries the package: every article opens its own copy of the prepared reference
(``templates/docx/reference.docx`` or ``--reference-doc``, trimmed once per process, see
``template.py``), the body Pressroom builds with lxml goes into python-docx's document part, and
hyperlinks, pictures, numbering, core properties and the custom XML record go through its part
and relationship layer. The saved ZIP is rewritten with fixed times and order, so the same
article gives the same bytes. Everything Pressroom needs to read the file back exactly
(metadata, image sources, container boundaries) is stored where Word keeps it: core properties
and a custom XML record, picture names, and tagged content controls. See ``templates/docx/README.md``.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

from docx.opc.constants import CONTENT_TYPE as CT
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.oxml import parse_xml
from docx.parts.numbering import NumberingPart
from lxml import etree

from converters.cleaners.figures import number_figures
from converters.context import Context, Options
from converters.errors import UsageError
from converters.tree import Book, Document, Figure, Meta, query
from converters.writers.docx.blocks import BLOCK_HANDLERS, emit_blocks, paragraph
from converters.writers.docx.inlines import HANDLERS as INLINE_HANDLERS
from converters.writers.docx.inlines import Env, State, text_run
from converters.writers.docx.numbering import Numbering
from converters.writers.docx.package import add_article_record, article_datetime, package_bytes, set_core_properties
from converters.writers.docx.template import open_docx, template_for
from converters.writers.docx.xml import NS, qn, root_element, sub

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


def _mark_language(styles: etree._Element, language: str) -> None:
    """The article's Chinese variant as the styles' East Asian language (zh-TW text is not zh-CN)."""
    if language.lower().startswith("zh") and language != "zh-CN":
        east_asia = qn("w:eastAsia")
        for e in styles.iter(qn("w:lang")):
            if e.get(east_asia) == "zh-CN":
                e.set(east_asia, language)


def _numbering(document_part: Any) -> etree._Element | None:
    """The reference's numbering part element, if it has one."""
    try:
        element: etree._Element = document_part.part_related_by(RT.NUMBERING).element
    except KeyError:
        return None
    return element


def _new_numbering(document_part: Any) -> etree._Element:
    """A new empty numbering part (python-docx's ``numbering_part`` cannot create one)."""
    element: etree._Element = parse_xml(f'<w:numbering xmlns:w="{NS["w"]}"/>')
    part = NumberingPart(PackURI("/word/numbering.xml"), CT.WML_NUMBERING, element, document_part.package)
    document_part.relate_to(part, RT.NUMBERING)
    return element


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
    document = open_docx(template.package, "the prepared reference document")
    part = document.part
    numbering = _numbering(part)
    st = State(ctx=ctx, template=template, part=part, numbering=Numbering(numbering),
               explicit_numbers=explicit)

    # The body is built apart, with the namespace prefixes Word uses, then moved before the page set-up.
    root = root_element("w:document", ("w", "r", "wp", "a", "pic"))
    new_body = sub(root, "w:body")
    _title_block(doc.meta, st, new_body)
    emit_blocks(doc.blocks, st, Env(), new_body)
    sect = document.element.body.find(qn("w:sectPr"))
    for child in list(new_body):
        sect.addprevious(child)
    if st.dropped:
        ctx.warn("xml-forbidden-characters",
                 f"dropped {st.dropped} control character(s) that a Word document cannot hold")
    if st.numbering.lists:
        st.numbering.apply(numbering if numbering is not None else _new_numbering(part))
    _mark_language(part.part_related_by(RT.STYLES).element, doc.meta.language)
    add_article_record(part, doc.meta)
    epoch = _epoch(ctx)
    stamp = dt.datetime.fromtimestamp(epoch, tz=dt.UTC) if epoch is not None else None
    created = article_datetime(doc.meta.date) or stamp
    set_core_properties(document.core_properties, doc.meta, created,
                        max(stamp, created) if stamp and created else created)
    return package_bytes(document.part.package, epoch)

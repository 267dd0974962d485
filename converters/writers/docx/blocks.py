"""Block handlers: paragraphs in the reference document's styles, figures, lists, quotes.

Plain structures are written the way Word users make them: quotes as ``Quote`` paragraphs, lists
as numbered ``List Paragraph`` items, nested lists one level deeper. Structures Word paragraphs
cannot express (a heading inside a list item, a quote inside a quote, two quotes in a row) are
wrapped in content controls tagged ``pressroom:…``, which Word and LibreOffice keep and the
reader uses to rebuild the exact tree.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from lxml import etree

from converters.tree import (
    Block,
    BlockQuote,
    Credit,
    Figure,
    Heading,
    Inline,
    List,
    ListItem,
    Paragraph,
    ThematicBreak,
)
from converters.writers.docx.inlines import Env, State, complex_field, emit_inlines, handle_image, text_run
from converters.writers.docx.numbering import level_indent
from converters.writers.docx.xml import TAG_PREFIX, sub

CAPTION_LABEL = "图"
CAPTION_SEPARATOR = "\u3000"  # an ideographic space between the number and the caption text
BODY_INDENT = {"w:firstLineChars": 200, "w:firstLine": 480}  # two characters of 12 pt text

BlockHandler = Callable[[object, State, Env, etree._Element], None]


def paragraph(parent: etree._Element, st: State, style: str, env: Env, *, numbered: bool = False,
              indent: dict[str, int] | None = None, space_before: int | None = None) -> etree._Element:
    """A ``w:p`` in ``style`` (a built-in style name), with numbering or indentation if asked."""
    p = sub(parent, "w:p")
    ppr = sub(p, "w:pPr")
    style_id = st.style(style)
    if style_id:
        sub(ppr, "w:pStyle", {"w:val": style_id})
    if numbered and env.num_id is not None:
        num = sub(ppr, "w:numPr")
        sub(num, "w:ilvl", {"w:val": max(env.list_level, 0)})
        sub(num, "w:numId", {"w:val": env.num_id})
    if space_before is not None:
        sub(ppr, "w:spacing", {"w:before": space_before})
    if indent:
        sub(ppr, "w:ind", indent)
    return p


def content_control(parent: etree._Element, tag: str, alias: str) -> etree._Element:
    """A block-level content control; returns its content element."""
    sdt = sub(parent, "w:sdt")
    props = sub(sdt, "w:sdtPr")
    sub(props, "w:alias", {"w:val": alias})
    sub(props, "w:tag", {"w:val": TAG_PREFIX + tag})
    return sub(sdt, "w:sdtContent")


def handle_paragraph(node: object, st: State, env: Env, parent: etree._Element) -> None:
    assert isinstance(node, Paragraph)
    if env.quote:
        p = paragraph(parent, st, "quote", env)
    elif env.list_level >= 0:
        first = env.num_id is not None
        indent = None if first else {"w:left": level_indent(env.list_level)}
        p = paragraph(parent, st, "list paragraph", env, numbered=first, indent=indent)
    else:
        # The reference's own body style governs a newsroom's indent; ours is set on every paragraph too,
        # so it survives a paste into a document whose Body Text differs.
        p = paragraph(parent, st, "body text", env, indent=BODY_INDENT if st.template.is_default else None)
    emit_inlines(node.children, st, replace(env, num_id=None), p)


def handle_heading(node: object, st: State, env: Env, parent: etree._Element) -> None:
    assert isinstance(node, Heading)
    level = min(max(node.level, 1), 6)
    emit_inlines(node.children, st, env, paragraph(parent, st, f"heading {level}", env))


def handle_credit(node: object, st: State, env: Env, parent: etree._Element) -> None:
    assert isinstance(node, Credit)
    emit_inlines(node.children, st, env, paragraph(parent, st, "credit", env))


def handle_break(node: object, st: State, env: Env, parent: etree._Element) -> None:
    paragraph(parent, st, "thematic break", env)


def handle_figure(node: object, st: State, env: Env, parent: etree._Element) -> None:
    """Picture paragraph (if the image loads), then the caption: 图, a SEQ field, the text."""
    assert isinstance(node, Figure)
    explicit = st.explicit_numbers[st.figure_index] if st.figure_index < len(st.explicit_numbers) else False
    st.figure_index += 1
    env = replace(env, num_id=None)
    image_env = replace(env, figure=True)
    embedded = st.image(node.image.src) if node.image is not None else None
    if node.image is not None and embedded is not None:
        handle_image(node.image, st, image_env, paragraph(parent, st, "figure", env))
    # A caption without its picture keeps the distance from the text a picture would have given it.
    caption = paragraph(parent, st, "caption", env, space_before=None if embedded else 240)
    if node.image is not None and embedded is None:
        handle_image(node.image, st, image_env, caption)  # records the image without showing anything
    number = node.number or st.figure_index
    # \r pins a number the source gave, so Word's field update keeps it; without it Word counts.
    instruction = f"SEQ Figure \\r {number} \\* ARABIC" if explicit else "SEQ Figure \\* ARABIC"
    text_run(caption, CAPTION_LABEL + " ", env)
    complex_field(caption, instruction, str(number), env)
    if node.caption:
        text_run(caption, CAPTION_SEPARATOR, env)
        emit_inlines(node.caption, st, env, caption)


def _plain_quote(node: Block) -> bool:
    return isinstance(node, BlockQuote) and all(isinstance(b, Paragraph) for b in node.children)


def _plain_list(node: Block) -> bool:
    """An item is a paragraph followed by nested lists only, all the way down."""
    if not isinstance(node, List):
        return False
    for item in node.children:
        first, rest = item.children[:1], item.children[1:]
        if not first or not isinstance(first[0], Paragraph) or not all(_plain_list(b) for b in rest):
            return False
    return bool(node.children)


def handle_quote(node: object, st: State, env: Env, parent: etree._Element) -> None:
    assert isinstance(node, BlockQuote)
    if env.structural:
        parent = content_control(parent, "blockquote", "引用")
    emit_blocks(node.children, st, replace(env, quote=True, num_id=None), parent)


def handle_list(node: object, st: State, env: Env, parent: etree._Element) -> None:
    assert isinstance(node, List)
    num_id = st.numbering.add(node.ordered, node.start)
    level = env.list_level + 1
    if env.structural:
        kind = "ordered" if node.ordered else "bullet"
        parent = content_control(parent, f"list:{kind}:{node.start}", "列表")
    for item in node.children:
        handle_item(item, st, replace(env, list_level=level, num_id=num_id, quote=False), parent)


def handle_item(node: object, st: State, env: Env, parent: etree._Element) -> None:
    """An item's first paragraph carries the number; later blocks sit at the item's indent."""
    assert isinstance(node, ListItem)
    if env.structural:
        parent = content_control(parent, "item", "列表项")
    for i, block in enumerate(node.children):
        numbered = i == 0 and isinstance(block, Paragraph)
        BLOCK_HANDLERS[type(block)](block, st, env if numbered else replace(env, num_id=None), parent)


def emit_blocks(blocks: tuple[Block, ...], st: State, env: Env, parent: etree._Element) -> None:
    """Write blocks; a container that plain paragraphs would not give back is written structurally."""
    previous_quote = False
    for block in blocks:
        block_env = env
        if not env.structural:  # the body, or a plain quote (which holds paragraphs only)
            plain = True
            if isinstance(block, BlockQuote):
                plain = _plain_quote(block) and not previous_quote and not env.quote
            elif isinstance(block, List):
                plain = _plain_list(block) and not env.quote
            previous_quote = isinstance(block, BlockQuote) and plain
            block_env = replace(env, structural=not plain)
        BLOCK_HANDLERS[type(block)](block, st, block_env, parent)


BLOCK_HANDLERS: dict[type, BlockHandler] = {
    Paragraph: handle_paragraph,
    Heading: handle_heading,
    Figure: handle_figure,
    BlockQuote: handle_quote,
    List: handle_list,
    ListItem: handle_item,
    ThematicBreak: handle_break,
    Credit: handle_credit,
}

__all__ = ["BLOCK_HANDLERS", "Inline", "emit_blocks"]

"""Inter-character justification for CJK text, as an extension of WeasyPrint 70's line justification.

WeasyPrint justifies a line by widening its spaces only (``layout.inline.justify_line``), so a
Chinese line, which has no spaces, stays ragged. clreq §3.8 asks for the slack to be spread
between all characters instead. We replace ``justify_line`` with a version that counts every
CJK character (and every space) as a justification opportunity and widens them through Pango
letter-spacing attributes: the glyphs are positioned further apart, no character is inserted,
so copying a justified line gives back exactly its text.

Pango's letter spacing gives each spaced character half the amount on either side, and drops
the outer half at the edges of a layout. WeasyPrint makes one layout per text box, so at a box
boundary inside a line (a link, a bold run) we put back the dropped halves by moving the boxes;
at the line's own edges they stay dropped, so the first and last glyph sit on the margins.

The optional ¼-em space between Han and Latin text (``--cjk-latin-space``) is a margin on the
Latin run; clreq and Typst drop it at the start and end of a line, and so does
:func:`text_align` before the line is aligned.

The patch touches private WeasyPrint functions; :data:`SUPPORTED` pins the versions it was
written against and :func:`install` refuses others (the tests check that it is installed).
"""

from __future__ import annotations

import itertools
import re
from typing import Any

SUPPORTED = ("70.",)

#: Characters that take a share of the slack: CJK ideographs, kana, hangul, CJK and full-width
#: punctuation, the quotation marks, dashes and ellipsis of Chinese text, and spaces.
_SPACED = re.compile(
    "[\u1100-\u115f\u2e80-\u303f\u3040-\u30ff\u3100-\u312f\u3130-\u318f\u31c0-\u31ef\u3200-\u32ff"
    "\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff\ufe30-\ufe4f\uff00-\uffef\U00020000-\U0003ffff"
    "\u201c\u201d\u2014\u2026\u00b7 \u00a0]"
)
_CJK = re.compile("[\u2e80-\u303f\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff\uff00-\uffef]")

_installed = False
_original: dict[str, Any] = {}


def installed() -> bool:
    """Whether WeasyPrint's justification is currently the CJK-aware one."""
    from weasyprint.layout import inline

    return _installed and inline.justify_line is justify_line


def install() -> None:
    """Patch WeasyPrint (idempotent); raises on a WeasyPrint version the patch was not written for."""
    global _installed
    import weasyprint
    from weasyprint.layout import inline
    from weasyprint.text import line_break

    if _installed:
        return
    if not weasyprint.__version__.startswith(SUPPORTED):
        from converters.errors import EnvironmentProblem

        raise EnvironmentProblem(
            f"WeasyPrint {weasyprint.__version__} is not supported (the CJK justification needs 70.x); "
            "pip install 'weasyprint>=70,<71'",
            code="weasyprint-version",
        )
    _original["justify_line"] = inline.justify_line
    _original["set_text"] = line_break.Layout.set_text
    _original["text_align"] = inline.text_align
    inline.justify_line = justify_line
    inline.text_align = text_align
    line_break.Layout.set_text = _set_text
    _installed = True


def uninstall() -> None:
    """Restore WeasyPrint's own justification (for comparisons in tests)."""
    global _installed
    from weasyprint.layout import inline
    from weasyprint.text import line_break

    if not _installed:
        return
    inline.justify_line = _original["justify_line"]
    inline.text_align = _original["text_align"]
    line_break.Layout.set_text = _original["set_text"]
    _installed = False


def _set_text(self: Any, text: str, justify: bool = False) -> None:
    """``Layout.set_text`` that also applies the CJK spacing computed for this box when drawing."""
    _original["set_text"](self, text, justify)
    spacing = getattr(self, "cjk_spacing", None)
    if not justify or not spacing or spacing[0] != text:
        return
    from weasyprint.text.ffi import ffi, pango

    attr_list = pango.pango_layout_get_attributes(self.layout)
    if attr_list == ffi.NULL:
        attr_list = ffi.gc(pango.pango_attr_list_new(), pango.pango_attr_list_unref)
    for start, end, units in spacing[1]:
        attr = pango.pango_attr_letter_spacing_new(units)
        attr.start_index, attr.end_index = start, end
        pango.pango_attr_list_change(attr_list, attr)
    # The lines are computed lazily, so changing the list in place before any query is enough.
    pango.pango_layout_set_attributes(self.layout, attr_list)


def _leaves(box: Any) -> list[Any]:
    """The line's in-flow leaf boxes (text boxes and atomic inlines) in visual order."""
    from weasyprint.formatting_structure import boxes

    if isinstance(box, (boxes.LineBox, boxes.InlineBox)):
        out: list[Any] = []
        for child in box.children:
            if child.is_in_normal_flow():
                out.extend(_leaves(child))
        return out
    return [box]


def _ranges(text: str, units: int, base: int) -> list[tuple[int, int, int]]:
    """Byte ranges of the spaced characters of ``text``, each with its letter spacing (Pango units)."""
    out: list[tuple[int, int, int]] = []
    offset = 0
    for char in text:
        size = len(char.encode())
        if _SPACED.match(char):
            if out and out[-1][1] == offset:
                out[-1] = (out[-1][0], offset + size, units + base)
            else:
                out.append((offset, offset + size, units + base))
        offset += size
    return out


def justify_line(context: Any, line: Any, extra_width: float) -> None:
    """Spread ``extra_width`` over the line's CJK characters and spaces (see the module doc)."""
    from weasyprint.formatting_structure import boxes

    leaves = _leaves(line)
    texts = [leaf.text if isinstance(leaf, boxes.TextBox) else "" for leaf in leaves]
    rtl = any(leaf.style["direction"] == "rtl" for leaf in leaves)
    if rtl or not any(_CJK.search(t) for t in texts):
        _original["justify_line"](context, line, extra_width)
        return
    # The line as a sequence of (leaf index, spaced?) with atomic boxes as one unspaced item.
    sequence = [(i, bool(_SPACED.match(ch))) for i, t in enumerate(texts) for ch in (t or "\ufffc")]
    total = sum(spaced for _, spaced in sequence) - 0.5 * sequence[0][1] - 0.5 * sequence[-1][1]
    if total <= 0:
        _original["justify_line"](context, line, extra_width)
        return
    step = extra_width / total
    _apply(context, line, step, 0.0, leaves[0], leaves[-1])


def _apply(context: Any, box: Any, step: float, x_advance: float, first: Any, last: Any) -> float:
    """Move and widen ``box`` and its children; return the new accumulated advance."""
    from weasyprint.formatting_structure import boxes
    from weasyprint.text.ffi import TO_UNITS
    from weasyprint.text.line_break import create_layout, line_size

    if isinstance(box, (boxes.LineBox, boxes.InlineBox)):
        box.position_x += x_advance
        before = x_advance
        for child in box.children:
            if child.is_in_normal_flow():
                x_advance = _apply(context, child, step, x_advance, first, last)
        box.width += x_advance - before
        return x_advance
    if not isinstance(box, boxes.TextBox) or not box.text:
        box.translate(x_advance, 0)
        return x_advance
    text = box.text
    head, tail = bool(_SPACED.match(text[0])), bool(_SPACED.match(text[-1]))
    # Halves Pango drops at this box's edges, put back unless the edge is the line's own.
    pad_left = step / 2 if head and not _is_edge(box, first) else 0.0
    pad_right = step / 2 if tail and not _is_edge(box, last) else 0.0
    x_advance += pad_left
    box.position_x += x_advance
    letter = box.style["letter_spacing"]
    base = 0 if letter == "normal" else int(letter * TO_UNITS)
    layout = create_layout(text, box.style, context, max_width=None, justification_spacing=0)
    layout.cjk_spacing = (layout.text, _ranges(layout.text, int(step * TO_UNITS), base))
    layout.set_text(layout.text, justify=True)
    first_line, _ = layout.get_first_line()
    width, _ = line_size(first_line, box.style)
    layout.deactivate()
    box.pango_layout = layout
    box.justification_spacing = 0
    x_advance += width - box.width + pad_right
    box.width = width + pad_right
    return x_advance


def _is_edge(box: Any, edge: Any) -> bool:
    """Whether ``box`` holds the line's first (or last) character."""
    return box is edge


EDGE_SPACE_CLASSES = ("cl-b", "cl-a")  # the spans converters.writers.pdf.cjk wraps Latin runs in


def _classes(box: Any) -> str:
    element = getattr(box, "element", None)
    return str(element.get("class", "")) if element is not None and hasattr(element, "get") else ""


def _edge_chain(line: Any, first: bool) -> list[Any]:
    """The inline boxes from the line down to its first (or last) leaf."""
    from weasyprint.formatting_structure import boxes

    chain = [line]
    box = line
    while isinstance(box, (boxes.LineBox, boxes.InlineBox)):
        children = [c for c in box.children if c.is_in_normal_flow()]
        if not children:
            break
        box = children[0] if first else children[-1]
        chain.append(box)
    return chain


def _drop_edge_spaces(line: Any) -> None:
    """Remove the CJK–Latin margin of a Latin run that starts or ends the line."""
    start = _edge_chain(line, first=True)
    for depth, box in enumerate(start[1:], 1):
        margin = box.margin_left or 0
        if "cl-b" in _classes(box) and margin > 0:
            box.margin_left = 0
            for child in box.children:
                child.translate(-margin, 0)
            for parent, on_chain in itertools.pairwise(start[: depth + 1]):
                after = parent.children[parent.children.index(on_chain) + 1 :]
                for sibling in after:
                    sibling.translate(-margin, 0)
                parent.width -= margin
            break
    end = _edge_chain(line, first=False)
    for depth, box in enumerate(end[1:], 1):
        margin = box.margin_right or 0
        if "cl-a" in _classes(box) and margin > 0:
            box.margin_right = 0
            for parent in end[:depth]:
                parent.width -= margin
            break


def text_align(context: Any, line: Any, available_width: float, last: bool) -> float:
    """WeasyPrint's ``text_align``, after dropping CJK–Latin spaces at the line's edges."""
    _drop_edge_spaces(line)
    result: float = _original["text_align"](context, line, available_width, last)
    return result

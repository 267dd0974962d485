"""Text preparation for CJK layout, applied to every text run before it becomes HTML.

Pango (through WeasyPrint) breaks lines by UAX #14, which is looser than the Chinese rules
(W3C clreq §3.1.7 "禁则"): it lets a dash, an ellipsis, an interpunct or a tilde start a line and,
with the ambiguous quotation marks, lets “ end one. Rather than patching the line breaker we glue
those marks to their neighbour with U+2060 WORD JOINER, which forbids the break and draws nothing.

The opposite problem: Pango 1.50 follows the old UAX #14 rule "no break on either side of a
quotation mark", so “ cannot start a line after a Han character and ” cannot end one before
the next, and lines around quotations come out short. A ZERO WIDTH SPACE before “ and after ”
(next to CJK text) gives back those break opportunities clreq allows.
"""

from __future__ import annotations

import html
import itertools
import re

WJ = "\u2060"
ZWSP = "\u200b"

#: Marks that must never start a line (clreq: closing brackets and quotes, pause and stop marks,
#: and the marks that Pango would otherwise let start one: dash, ellipsis, interpunct, tilde).
NO_LINE_START = "，。、；：？！）》」』”’〉】〕〗〙〛｝］％‰" + "—…·・～⋯"
#: Marks that must never end a line (opening brackets and quotes).
NO_LINE_END = "“‘（《「『〈【〔〖〘〚｛［"

_WIDE = (
    "\u1100-\u115f\u2e80-\u303f\u3040-\u30ff\u3100-\u312f\u3130-\u318f\u31c0-\u31ef\u3200-\u32ff"
    "\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff\ufe30-\ufe4f\uff00-\uffef"
    "\U00020000-\U0003ffff"
)
HAN_RE = re.compile(f"[{_WIDE}]")
#: A newline (with the spaces around it) next to a CJK character: it joins, it does not space.
_CJK_NEWLINE = re.compile(f"(?<=[{_WIDE}“”‘’—…·])[ \\t]*\\n\\s*|[ \\t]*\\n\\s*(?=[{_WIDE}“”‘’—…·])")
_OTHER_NEWLINE = re.compile(r"\s*\n\s*")
# Not after an opening mark: 《“ must stay together (a break there would end the line with 《).
_BREAK_BEFORE_QUOTE = re.compile(f"(?<=[{_WIDE}])(?<![{re.escape(NO_LINE_END)}])([“‘])")
_BREAK_AFTER_QUOTE = re.compile(f"([”’])(?=[{_WIDE}])(?![{re.escape(NO_LINE_START)}])")
# After anything but the start of the text, a space included: "a ·" must not break before the dot.
_NO_START_RE = re.compile(f"(?<=[^{WJ}])([{re.escape(NO_LINE_START)}])")
_NO_END_RE = re.compile(f"([{re.escape(NO_LINE_END)}])(?=[^\\s{WJ}])")
# Han next to a Latin letter or digit (either order), for the optional ¼-em spacing.
_LATIN_RUN = re.compile(r"[A-Za-z0-9][A-Za-z0-9.,%+\-/:']*[A-Za-z0-9%]|[A-Za-z0-9]")
# Runs of adjacent full-width marks whose glyphs are half blank (clreq §3.1.6 punctuation squeeze).
_FULLWIDTH_MARKS = "，。、；：？！）》」』”’“‘（《「『〈〉【】〔〕"
_CLOSING_OR_STOP = "，。、；：？！）》」』”’〉】〕"
_MARK_RUN = re.compile(f"(?:[{_FULLWIDTH_MARKS}][{WJ}{ZWSP}]?){{2,}}")
_IDEOGRAPH = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003ffff"
# A paragraph's last two ideographs, and the closing marks (already joined) and spaces after them.
_LAST_PAIR = re.compile(f"(?<=[{_IDEOGRAPH}]){WJ}?(?=[{_IDEOGRAPH}](?:{WJ}?[{re.escape(NO_LINE_START)}])*\\s*$)")


def join_lines(text: str) -> str:
    """Drop newlines next to CJK text (they are source wrapping, not spaces); others become a space."""
    return _OTHER_NEWLINE.sub(" ", _CJK_NEWLINE.sub("", text))


def add_word_joiners(text: str) -> str:
    """Glue no-start marks to the character before them and no-end marks to the one after."""
    text = text.replace(WJ, "").replace(ZWSP, "")
    text = _BREAK_BEFORE_QUOTE.sub(ZWSP + r"\1", text)
    text = _BREAK_AFTER_QUOTE.sub(r"\1" + ZWSP, text)
    text = _NO_START_RE.sub(WJ + r"\1", text)
    # Inside —— and …… the fonts ligate the pair into one glyph and the line breaker never splits
    # it; a joiner there would end up inside the ligature's text and break copy-paste.
    text = text.replace(f"—{WJ}—", "——").replace(f"…{WJ}…", "……").replace(f"⋯{WJ}⋯", "⋯⋯")
    return _NO_END_RE.sub(r"\1" + WJ, text)


def keep_last_pair(text: str) -> str:
    """Join a paragraph's last two ideographs, so its last line never holds a lone one.

    A last line of one character and its full stop (孤字, "次。") is a flaw Chinese typesetting
    avoids (Typst's runt cost, 避免孤字 in Chinese layout software); with the last two joined,
    the line before gives up one character instead and is justified a little looser.
    """
    return _LAST_PAIR.sub(WJ, text, count=1)


def prepare(text: str, *, ends_paragraph: bool = False) -> str:
    """Plain text ready for layout (newlines joined, line-break prohibitions applied)."""
    text = add_word_joiners(join_lines(text))
    return keep_last_pair(text) if ends_paragraph else text


def _wrap_latin(text: str) -> str:
    out: list[str] = []
    pos = 0
    for match in _LATIN_RUN.finditer(text):
        start, end = match.span()
        before = text[start - 1] if start else ""
        after = text[end] if end < len(text) else ""
        classes = [c for c, ch in (("cl-b", before), ("cl-a", after)) if ch and HAN_RE.match(ch)]
        if not classes:
            continue
        out.append(html.escape(text[pos:start], quote=False))
        out.append(f'<span class="{" ".join(classes)}">{html.escape(match.group(), quote=False)}</span>')
        pos = end
    out.append(html.escape(text[pos:], quote=False))
    return "".join(out)


def _compress_marks(escaped: str, every_pair: bool) -> str:
    """Squeeze adjacent full-width marks with the fonts' ``halt`` (half-width) forms.

    Two adjacent marks show two blank halves; one of them goes (clreq §3.1.6, GB/T 15834).
    The mark whose blank faces its neighbour is the one set half width: before an opening mark
    (。“ 》《) that is the opening mark, otherwise the first mark (”。 ）， 。”). So when a
    pair is split by a line break the squeezed mark is the one that starts the next line,
    flush with the margin, and a line never ends on a half-width mark short of the edge.

    By default pairs that start with a closing or stop mark are squeezed (done in every style,
    and it lets a quotation close on its line instead of leaving a wide gap); ``every_pair``
    (--punctuation-compression) also squeezes runs of opening marks (《“ （《).
    """

    def squeeze(match: re.Match[str]) -> str:
        run = match.group()
        marks = [i for i, ch in enumerate(run) if ch in _FULLWIDTH_MARKS]
        halt: set[int] = set()
        for a, b in itertools.pairwise(marks):
            first_closes = run[a] in _CLOSING_OR_STOP
            if run[b] not in _CLOSING_OR_STOP:  # b opens
                if first_closes or every_pair:
                    halt.add(b)
            elif first_closes:
                halt.add(a)
        out = list(run)
        for i in halt:
            out[i] = f'<span class="halt">{run[i]}</span>'
        return "".join(out)

    return _MARK_RUN.sub(squeeze, escaped)


def to_html(
    text: str, *, cjk_latin_space: bool = False, punctuation_compression: bool = False, ends_paragraph: bool = False
) -> str:
    """Escaped HTML for a text run, with the CJK–Latin spacing and punctuation squeeze asked for."""
    text = prepare(text, ends_paragraph=ends_paragraph)
    escaped = _wrap_latin(text) if cjk_latin_space else html.escape(text, quote=False)
    return _compress_marks(escaped, punctuation_compression)


__all__ = [
    "HAN_RE",
    "NO_LINE_END",
    "NO_LINE_START",
    "WJ",
    "ZWSP",
    "add_word_joiners",
    "join_lines",
    "keep_last_pair",
    "prepare",
    "to_html",
]

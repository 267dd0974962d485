"""Restore the full-width punctuation that NFKC normalisation turned into ASCII.

NFKC folds ``，；：！？（）`` to ``, ; : ! ? ( )``. In Chinese running text the ASCII forms are
wrong, but the same characters are right in numbers (``1,000``, ``9:30``), in Latin words and
in English sentences. The rule: an ASCII mark becomes full-width when a Chinese character touches
it (a Han character, kana, or full-width punctuation); parentheses go by pairs, converted when the
pair touches Chinese text outside or holds some inside. Digits on both sides of ``, : .`` keep a
number as written. Nothing else changes: letters, digits, ``. % -``, the source's own typos.

:func:`restore_text` is applied until nothing changes, so the cleaner is idempotent by
construction (a full-width mark made in one pass can be the Chinese neighbour of the next).
Six dots beside Chinese text, NFKC's rendering of ……, become …… again; three dots stay.
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

#: Characters that make a neighbour "Chinese": Han, kana, CJK symbols and full-width forms.
_CJK = re.compile(r"[\u3000-\u303f\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff01-\uff60“”‘’—…·]")

#: ASCII marks NFKC produced, with their full-width originals.
FULL_WIDTH = {",": "，", ";": "；", ":": "：", "!": "！", "?": "？", "(": "（", ")": "）"}

#: A parenthesised run without nested parentheses (ASCII or already full-width on either side).
_PAIR = re.compile(r"[(（]([^()（）\n]*)[)）]")


def _cjk(ch: str) -> bool:
    return bool(ch) and bool(_CJK.match(ch))


def _neighbour(text: str, i: int, step: int) -> str:
    """The first non-space character from ``i`` in direction ``step`` (spaces NFKC left count as gaps)."""
    j = i + step
    while 0 <= j < len(text) and text[j] == " ":
        j += step
    return text[j] if 0 <= j < len(text) else ""


def _marks(text: str) -> str:
    """One pass over the separators ``, ; : ! ?``."""
    out = list(text)
    for i, ch in enumerate(text):
        if ch not in ",;:!?":
            continue
        before, after = (text[i - 1] if i else ""), (text[i + 1] if i + 1 < len(text) else "")
        if before.isdigit() and after.isdigit():
            continue  # 1,000 / 9:30 / 3:0
        if ch == ":" and after == "/":
            continue  # a URL scheme
        if _cjk(_neighbour(text, i, -1)) or _cjk(_neighbour(text, i, 1)):
            out[i] = FULL_WIDTH[ch]
    return "".join(out)


def _pairs(text: str) -> str:
    """One pass over parenthesis pairs."""

    def convert(m: re.Match[str]) -> str:
        inner = m.group(1)
        before = _neighbour(text, m.start(), -1)
        after = _neighbour(text, m.end() - 1, 1)
        if _CJK.search(inner) or _cjk(before) or _cjk(after):
            return f"（{inner}）"
        return m.group(0)

    text = _PAIR.sub(convert, text)
    # A lone parenthesis (its partner lost to a line break or a typo) touching Chinese text.
    return _LONE.sub(lambda m: FULL_WIDTH[m.group(0)] if _touches_cjk(text, m.start()) else m.group(0), text)


#: A parenthesis without a partner on its line.
_LONE = re.compile(r"[()]")


def _touches_cjk(text: str, i: int) -> bool:
    return _cjk(_neighbour(text, i, -1)) or _cjk(_neighbour(text, i, 1))


#: Six dots are what NFKC leaves of the Chinese ellipsis ……; three dots may be the writer's own.
_SIX_DOTS = re.compile(r"\.{6}")


def _ellipses(text: str) -> str:
    """Six dots beside Chinese text back to ……."""
    return _SIX_DOTS.sub(lambda m: "……" if _touches_cjk_span(text, m.start(), m.end()) else m.group(0), text)


def _touches_cjk_span(text: str, start: int, end: int) -> bool:
    return _cjk(_neighbour(text, start, -1)) or _cjk(_neighbour(text, end - 1, 1))


def restore_text(text: str) -> str:
    """``text`` with NFKC-damaged punctuation beside Chinese restored (a fixed point, idempotent)."""
    for _ in range(8):
        fixed = _ellipses(_pairs(_marks(text)))
        if fixed == text:
            break
        text = fixed
    return text


# --------------------------------------------------------------------------- tree walk


def _inline(node: Inline) -> Inline:
    if isinstance(node, Text):
        return Text(restore_text(node.text))
    if isinstance(node, (Emph, Strong)):
        return type(node)(tuple(_inline(c) for c in node.children))
    if isinstance(node, Link):
        return dataclasses.replace(node, children=tuple(_inline(c) for c in node.children))
    return node


def _inlines(nodes: tuple[Inline, ...]) -> tuple[Inline, ...]:
    return tuple(_inline(n) for n in nodes)


def _meta(meta: Meta) -> Meta:
    def fix(value: str | None) -> str | None:
        return restore_text(value) if value else value

    return map_meta_text(meta, fix)


def restore_punctuation(doc: Document) -> Document:
    """The document with full-width punctuation restored in every text and metadata string."""
    return Document(_meta(doc.meta), tuple(map_inline_runs(b, _inlines) for b in doc.blocks))

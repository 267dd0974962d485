"""Inline Markdown into tree inlines: markdown-it tokens, raw inline tags, soft breaks, captions.

Shared by the reader and by the writer, which parses each block's inline Markdown again to check
that it reads back as the tree it came from.
"""

from __future__ import annotations

import html
import re
import unicodedata
from collections.abc import Sequence
from functools import cache
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.common.normalize_url import validateLink
from markdown_it.token import Token
from mdit_py_plugins.front_matter import front_matter_plugin

from converters.context import Context
from converters.tree import Emph, Image, Inline, LineBreak, Link, Strong, Text

#: ``图 12　`` opening a caption; without the ideographic space only when the caption is empty.
CAPTION_MARKER = re.compile(r"图(?: (-?[0-9]+))?(\u3000|$)")
#: Source prefixes that make an emphasised paragraph a caption (an entity-escaped 图 does not).
CAPTION_SOURCE = ("*图", "<em>图")
TAG = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9-]*)((?:\s[^>]*?)?)\s*(/?)>", re.DOTALL)
_ATTR = re.compile(r"""([A-Za-z_:][-A-Za-z0-9_:.]*)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+)))?""")
_INLINE_KINDS = {"em": "emph", "i": "emph", "strong": "strong", "b": "strong", "a": "link"}


def _verbatim(link: str) -> str:
    return link


def _any_link(link: str) -> bool:
    # markdown-it leaves a link it refuses as literal text "[x](javascript:...)"; parse every link
    # instead and let safe_url decide, so a script URL is dropped rather than shown.
    return True


def safe_url(url: str) -> bool:
    """True unless ``url`` is one markdown-it would refuse (``javascript:``, ``vbscript:``, ``file:``,
    non-image ``data:``); browsers ignore whitespace and controls inside a scheme, so they go first."""
    return validateLink(re.sub(r"[\x00-\x20]", "", url))


def warn_dropped(ctx: Context | None, code: str, what: str) -> None:
    """Record one dropped piece of active content; :func:`count_dropped` folds them per kind."""
    if ctx is not None:
        ctx.warn(code, what)


#: Warning codes for active content, and how the counted message names them.
DROPPED_KINDS = {"script-link": "script link", "script-image": "script image", "script-block": "script or style block"}


@cache
def parser() -> MarkdownIt:
    """The one markdown-it instance: CommonMark, raw HTML on, front matter, URLs kept as written."""
    md = MarkdownIt("commonmark").use(front_matter_plugin)
    # Keep destinations verbatim: the tree stores URLs as the source wrote them, not %-encoded.
    md.normalizeLink = _verbatim  # type: ignore[method-assign,assignment]
    md.normalizeLinkText = _verbatim  # type: ignore[method-assign]
    md.validateLink = _any_link  # type: ignore[method-assign,assignment]
    return md


def _wide(ch: str) -> bool:
    return unicodedata.east_asian_width(ch) in ("W", "F")


def _resolve_soft_breaks(text: str) -> str:
    """A soft break joins two wide characters directly and is a space otherwise."""
    if "\n" not in text:
        return text
    out = []
    for i, ch in enumerate(text):
        if ch != "\n":
            out.append(ch)
        elif not (0 < i < len(text) - 1 and _wide(text[i - 1]) and _wide(text[i + 1])):
            out.append(" ")
    return "".join(out)


def normalise_inlines(nodes: Sequence[Inline]) -> tuple[Inline, ...]:
    """Merge adjacent text, drop empty text/emphasis, trim edge line breaks and whitespace (recursively)."""
    out: list[Inline] = []
    for node in nodes:
        if isinstance(node, (Emph, Strong)):
            inner = normalise_inlines(node.children)
            if not inner:
                continue
            node = type(node)(inner)
        elif isinstance(node, Link):
            node = Link(normalise_inlines(node.children), node.url, node.title)
        elif isinstance(node, Text):
            if not node.text:
                continue
            if out and isinstance(out[-1], Text):
                out[-1] = Text(out[-1].text + node.text)
                continue
        out.append(node)
    out = [Text(_resolve_soft_breaks(n.text)) if isinstance(n, Text) else n for n in out]
    # Trim until stable: stripping an edge text to nothing can expose a line break at the edge.
    while out:
        if isinstance(out[0], LineBreak) or (isinstance(out[0], Text) and not out[0].text.strip()):
            out.pop(0)
        elif isinstance(out[-1], LineBreak) or (isinstance(out[-1], Text) and not out[-1].text.strip()):
            out.pop()
        else:
            break
    if out and isinstance(out[0], Text):
        out[0] = Text(out[0].text.lstrip())
    if out and isinstance(out[-1], Text):
        out[-1] = Text(out[-1].text.rstrip())
    return tuple(n for n in out if not (isinstance(n, Text) and not n.text))


def attrs(source: str) -> dict[str, str]:
    return {m[1].lower(): html.unescape(m[2] or m[3] or m[4] or "") for m in _ATTR.finditer(source)}


def _token_text(tokens: Sequence[Token]) -> str:
    """Plain text of inline tokens, as markdown-it computes an image's alt."""
    parts: list[str] = []
    for t in tokens:
        if t.type in ("text", "code_inline"):
            parts.append(t.content)
        elif t.type == "image":
            parts.append(_token_text(t.children or []))
        elif t.type in ("softbreak", "hardbreak"):
            parts.append(" ")
    return "".join(parts)


class _Frame:
    """An open container while inline tokens are folded into a tree."""

    def __init__(self, kind: str, origin: str, attrs: dict[str, str]) -> None:
        self.kind, self.origin, self.attrs = kind, origin, attrs
        self.children: list[Inline] = []

    def close(self) -> Inline:
        kids = tuple(self.children)
        if self.kind == "emph":
            return Emph(kids)
        if self.kind == "strong":
            return Strong(kids)
        return Link(kids, self.attrs.get("href", ""), self.attrs.get("title", ""))


def inlines_of(tokens: Sequence[Token], ctx: Context | None) -> tuple[Inline, ...]:
    root = _Frame("root", "", {})
    stack = [root]

    def close(kind: str, origin: str) -> None:
        for depth in range(len(stack) - 1, 0, -1):
            if stack[depth].kind == kind and stack[depth].origin == origin:
                while len(stack) > depth:
                    frame = stack.pop()
                    if frame.kind == "drop":  # the body of an inline <script>/<style>: never text
                        continue
                    if frame.attrs.get("unsafe"):  # an <a> to javascript: and the like: keep the text only
                        # ...but not an autolink's, whose text is the script itself.
                        if frame.attrs.get("unsafe") != "autolink":
                            stack[-1].children.extend(frame.children)
                    else:
                        stack[-1].children.append(frame.close())
                return

    for t in tokens:
        top = stack[-1].children
        if t.type in ("text", "code_inline"):
            top.append(Text(t.content))
        elif t.type == "softbreak":
            top.append(Text("\n"))
        elif t.type == "hardbreak":
            top.append(LineBreak())
        elif t.type == "image":
            if safe_url(str(t.attrGet("src") or "")):
                top.append(
                    Image(str(t.attrGet("src") or ""), _token_text(t.children or []), str(t.attrGet("title") or ""))
                )
            else:
                warn_dropped(ctx, "script-image", "an image with a script URL")
        elif t.type in ("em_open", "strong_open", "link_open"):
            kind = {"em_open": "emph", "strong_open": "strong", "link_open": "link"}[t.type]
            attrs = {"href": str(t.attrGet("href") or ""), "title": str(t.attrGet("title") or "")}
            if kind == "link" and not safe_url(attrs["href"]):
                attrs["unsafe"] = "autolink" if t.markup == "autolink" else "1"
                warn_dropped(ctx, "script-link", "a link with a script URL; its text is kept")
            stack.append(_Frame(kind, "md", attrs))
        elif t.type in ("em_close", "strong_close", "link_close"):
            close({"em_close": "emph", "strong_close": "strong", "link_close": "link"}[t.type], "md")
        elif t.type == "html_inline":
            _html_inline(t.content, stack, close, ctx)
    while len(stack) > 1:  # unclosed HTML tags: keep their content, drop the tag
        frame = stack.pop()
        if frame.kind != "drop":
            stack[-1].children.extend(frame.children)
    return tuple(root.children)


def _html_inline(source: str, stack: list[_Frame], close: Any, ctx: Context | None) -> None:
    m = TAG.fullmatch(source.strip())
    if not m:  # a comment, a processing instruction...: nothing of the article
        return
    closing, name = bool(m[1]), m[2].lower()
    if name == "br":
        stack[-1].children.append(LineBreak())
    elif name == "img":
        a = attrs(m[3])
        if safe_url(a.get("src", "")):
            stack[-1].children.append(Image(a.get("src", ""), a.get("alt", ""), a.get("title", "")))
        else:
            warn_dropped(ctx, "script-image", "an image with a script URL")
    elif name in _INLINE_KINDS:
        kind = _INLINE_KINDS[name]
        if closing:
            close(kind, "html")
        else:
            # Raw tags get the same URL check markdown-it applies to Markdown links.
            found = attrs(m[3]) if kind == "link" else {}
            if kind == "link" and not safe_url(found.get("href", "")):
                found["unsafe"] = "1"
                warn_dropped(ctx, "script-link", "a link with a script URL; its text is kept")
            stack.append(_Frame(kind, "html", found))
    elif name in ("script", "style"):
        if closing:
            close("drop", "html")
        else:
            warn_dropped(ctx, "script-block", f"a raw <{name}> element")
            stack.append(_Frame("drop", "html", {}))
    elif ctx is not None and not closing:
        ctx.warn("markdown-html-dropped", f"raw HTML tag <{m[1]}{name}> dropped, its text kept")


def parse_inlines(source: str, ctx: Context | None = None) -> tuple[Inline, ...]:
    """Parse one block's inline Markdown into normalised inlines (the writer checks its output with it)."""
    tokens = parser().parseInline(source)
    return normalise_inlines(inlines_of(tokens[0].children or [], ctx)) if tokens else ()


def caption_parts(children: Sequence[Inline]) -> tuple[int | None, tuple[Inline, ...]] | None:
    """Split an emphasis's children into figure number and caption when they start ``图 N　``."""
    if not children or not isinstance(children[0], Text):
        return None
    m = CAPTION_MARKER.match(children[0].text)
    if not m:
        return None
    rest = children[0].text[m.end() :]
    if not m[2] and (rest or len(children) > 1):
        return None  # ``图`` without the ideographic space only stands for an empty caption
    caption = ((Text(rest),) if rest else ()) + tuple(children[1:])
    return (int(m[1]) if m[1] else None), caption


def alt_caption(image: Image) -> tuple[Inline, ...]:
    """The caption an image alone in its paragraph stands for (pandoc's implicit figure)."""
    return (Text(image.alt),) if image.alt else ()

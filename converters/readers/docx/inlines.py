"""Paragraph content back to inlines: runs, hyperlinks, fields, pictures, content controls.

A paragraph is first read into tokens (leaves with their run's flags, hyperlinks, tagged content
controls, fields), fields are resolved (``SEQ`` numbers, ``HYPERLINK``, Pressroom's image
markers), then the tokens become inlines: by :func:`regroup` for plain runs, or structurally when
the writer marked emphasis boundaries with content controls.
"""

from __future__ import annotations

import base64
import json
import posixpath
import re
import urllib.parse
from dataclasses import dataclass, field

from lxml import etree

from converters.readers.docx.parts import Package
from converters.tree import Emph, Image, Inline, LineBreak, Link, Strong, Text
from converters.writers.docx.runs import EMPH, NO_FLAGS, STRONG, Flags, Leaf, LinkRun, merge_text, regroup
from converters.writers.docx.xml import IMAGE_FIELD, NS, TAG_PREFIX, qn

_FALSE = ("0", "false", "off", "none")
_MIME = {".png": "image/png", ".jpeg": "image/jpeg", ".jpg": "image/jpeg", ".gif": "image/gif",
         ".webp": "image/webp", ".bmp": "image/bmp", ".tif": "image/tiff", ".tiff": "image/tiff"}
_SEQ = re.compile(r"^\s*SEQ\s+(\S+)(.*)$", re.IGNORECASE | re.DOTALL)
_HYPERLINK = re.compile(r'^\s*HYPERLINK\s+(?:"([^"]*)"|(\S+))(.*)$', re.IGNORECASE | re.DOTALL)
_PERCENT_RUN = re.compile(r"(?:%[0-9A-Fa-f]{2})+")
_WRITER_SAFE = set("!#$%&'()*+,-./:;=?@[]~_")


@dataclass
class Seq:
    """A ``SEQ`` field: the caption number it shows, and whether it was pinned with ``\\r``."""

    number: int | None
    explicit: bool


@dataclass
class Control:
    """A content control around inlines (``tag`` is empty for foreign ones)."""

    tag: str
    children: list[Token] = field(default_factory=list)


@dataclass
class LinkTok:
    """A hyperlink around tokens."""

    url: str
    title: str
    children: list[Token]


@dataclass
class FieldMark:
    kind: str  # begin, instr, separate, end
    text: str = ""
    flags: Flags = NO_FLAGS


Token = Leaf | LinkTok | Control | Seq | FieldMark


@dataclass
class Reader:
    """Per-document reading state: the package, and whether Pressroom wrote it."""

    pkg: Package
    ours: bool

    def flags(self, run: etree._Element) -> Flags:
        rpr = run.find(qn("w:rPr"))
        if rpr is None:
            return NO_FLAGS
        out: set[str] = set()
        style = rpr.find(qn("w:rStyle"))
        if style is not None:
            for s in self.pkg.style_chain(style.get(qn("w:val"))):
                if s.name in ("strong", "strong emphasis"):
                    out.add(STRONG)
                if s.name in ("emphasis", "intense emphasis"):
                    out.add(EMPH)
        b = rpr.find(qn("w:b"))
        if b is not None and b.get(qn("w:val"), "1").lower() not in _FALSE:
            out.add(STRONG)
        for tag in ("w:i", "w:em"):
            e = rpr.find(qn(tag))
            if e is not None and e.get(qn("w:val"), "1").lower() not in _FALSE:
                out.add(EMPH)
        return frozenset(out)

    def picture(self, drawing: etree._Element) -> Image | None:
        """A picture: Pressroom keeps the source in the picture's name; others become data: URIs."""
        doc_pr = drawing.find(f".//{qn('wp:docPr')}")
        blip = drawing.find(f".//{qn('a:blip')}")
        if doc_pr is None:
            return None
        alt, title = doc_pr.get("descr", ""), doc_pr.get("title", "")
        if self.ours:
            return Image(doc_pr.get("name", ""), alt, title)
        rid = blip.get(qn("r:embed")) if blip is not None else None
        target = self.pkg.target(rid) if rid else None
        if target is None or target[1]:
            return Image(target[0], alt, title) if target else None
        embedded = self.pkg.blob(rid) if rid else None
        if embedded is None:
            return None
        data, content_type = embedded
        mime = _MIME.get(posixpath.splitext(target[0])[1].lower(), content_type)
        return Image(f"data:{mime};base64,{base64.b64encode(data).decode('ascii')}", alt, title)

    def tokens(self, parent: etree._Element) -> list[Token]:
        """The content of a paragraph (or hyperlink, or control) as tokens, in order."""
        out: list[Token] = []
        for child in parent:
            tag = child.tag
            if tag == qn("w:r"):
                self._run(child, out)
            elif tag == qn("w:hyperlink"):
                url = self._link_url(child)
                inner = _resolve_fields(self.tokens(child))
                out.append(LinkTok(url, child.get(qn("w:tooltip"), ""), inner) if url else Control("", inner))
            elif tag == qn("w:sdt"):
                tag_el = child.find(f"{qn('w:sdtPr')}/{qn('w:tag')}")
                value = tag_el.get(qn("w:val"), "") if tag_el is not None else ""
                content = child.find(qn("w:sdtContent"))
                inner = self.tokens(content) if content is not None else []
                out.append(Control(value if value.startswith(TAG_PREFIX) else "", inner))
            elif tag == qn("w:fldSimple"):
                out.append(FieldMark("begin"))
                out.append(FieldMark("instr", child.get(qn("w:instr"), "")))
                out.append(FieldMark("separate"))
                out += self.tokens(child)
                out.append(FieldMark("end"))
            elif tag in (qn("w:ins"), qn("w:smartTag"), qn("w:customXml"), qn("w:moveTo"), qn("w:dir"), qn("w:bdo")):
                out += self.tokens(child)
        return out

    def _link_url(self, link: etree._Element) -> str:
        rid = link.get(qn("r:id"))
        anchor = link.get(qn("w:anchor"))
        if rid:
            target = self.pkg.target(rid)
            url = target[0] if target else ""
            return (decode_url(url) if self.ours else url) + (f"#{anchor}" if anchor else "")
        return f"#{anchor}" if anchor else ""

    def _run(self, run: etree._Element, out: list[Token]) -> None:
        flags = self.flags(run)
        for child in run:
            tag = child.tag
            if tag == qn("w:t"):
                if child.text:
                    out.append(Leaf(Text(child.text), flags))
            elif tag == qn("w:tab"):
                out.append(Leaf(Text("\t"), flags))
            elif tag in (qn("w:br"), qn("w:cr")):
                if child.get(qn("w:type"), "textWrapping") == "textWrapping":
                    out.append(Leaf(LineBreak(), flags))
            elif tag == qn("w:noBreakHyphen"):
                out.append(Leaf(Text("\u2011"), flags))
            elif tag == qn("w:drawing"):
                image = self.picture(child)
                if image is not None:
                    out.append(Leaf(image, flags))
            elif tag == qn("w:fldChar"):
                out.append(FieldMark(child.get(qn("w:fldCharType"), ""), flags=flags))
            elif tag == qn("w:instrText"):
                out.append(FieldMark("instr", child.text or ""))


def decode_url(url: str) -> str:
    """Undo the writer's percent-encoding of characters a relationship target cannot hold raw."""

    def repl(m: re.Match[str]) -> str:
        try:
            decoded = urllib.parse.unquote(m.group(0), errors="strict")
        except UnicodeDecodeError:
            return m.group(0)
        if all(not (c.isascii() and (c.isalnum() or c in _WRITER_SAFE)) for c in decoded):
            return decoded
        return m.group(0)

    return _PERCENT_RUN.sub(repl, url)


def _field_tokens(instr: str, result: list[Token], flags: Flags) -> list[Token]:
    instr = instr.strip()
    if instr.upper().startswith(IMAGE_FIELD):
        try:
            record = json.loads(instr[len(IMAGE_FIELD):].strip())
            return [Leaf(Image(str(record["src"]), str(record.get("alt", "")), str(record.get("title", ""))), flags)]
        except (ValueError, KeyError, TypeError):
            return []
    seq = _SEQ.match(instr)
    if seq:
        shown = "".join(t.node.text for t in result if isinstance(t, Leaf) and isinstance(t.node, Text)).strip()
        pinned = re.search(r"\\r\s*(\d+)", seq.group(2))
        number = int(pinned.group(1)) if pinned else int(shown) if shown.isdigit() else None
        return [Seq(number, pinned is not None)]
    link = _HYPERLINK.match(instr)
    if link:
        url = link.group(1) if link.group(1) is not None else link.group(2)
        anchor = re.search(r'\\l\s+"([^"]*)"', link.group(3))
        return [LinkTok(url + (f"#{anchor.group(1)}" if anchor else ""), "", result)]
    return result  # any other field shows its cached result


def _resolve_fields(tokens: list[Token]) -> list[Token]:
    """Replace begin/instr/separate/end sequences (nested ones too) with what the field means."""
    out: list[Token] = []
    stack: list[tuple[list[Token], list[str], list[Token], bool, Flags]] = []
    for tok in tokens:
        if isinstance(tok, Control):
            tok = Control(tok.tag, _resolve_fields(tok.children))
        if isinstance(tok, FieldMark):
            if tok.kind == "begin":
                stack.append((out, [], [], False, tok.flags))
                out = stack[-1][2]
            elif tok.kind == "instr" and stack:
                parent, instr, result, separated, flags = stack[-1]
                if not separated:
                    instr.append(tok.text)
            elif tok.kind == "separate" and stack:
                parent, instr, result, _, flags = stack[-1]
                stack[-1] = (parent, instr, result, True, flags)
            elif tok.kind == "end" and stack:
                parent, instr, result, _, flags = stack.pop()
                parent += _field_tokens("".join(instr), result, flags)
                out = parent
            continue
        if stack and not stack[-1][3]:
            continue  # runs inside a field's instruction part are not shown
        out.append(tok)
    while stack:  # an unterminated field: keep what it shows
        parent, _, result, _, _ = stack.pop()
        parent += result
        out = parent
    return out


def paragraph_tokens(reader: Reader, p: etree._Element) -> list[Token]:
    """A paragraph's tokens with fields resolved."""
    return _resolve_fields(reader.tokens(p))


def _structural(tokens: list[Token]) -> bool:
    for t in tokens:
        if isinstance(t, Control) and t.tag in (TAG_PREFIX + "emph", TAG_PREFIX + "strong"):
            return True
        if isinstance(t, (Control, LinkTok)) and _structural(t.children):
            return True
    return False


def _exact(tokens: list[Token] | tuple[Token, ...]) -> tuple[Inline, ...]:
    out: list[Inline] = []
    for t in tokens:
        if isinstance(t, Leaf):
            out.append(t.node)
        elif isinstance(t, LinkTok):
            out.append(Link(_exact(t.children), t.url, t.title))
        elif isinstance(t, Control):
            inner = _exact(t.children)
            if t.tag == TAG_PREFIX + "emph":
                out.append(Emph(inner))
            elif t.tag == TAG_PREFIX + "strong":
                out.append(Strong(inner))
            else:
                out += inner
    return merge_text(out)


def _splice(tokens: list[Token] | tuple[Token, ...]) -> list[Leaf | LinkRun]:
    out: list[Leaf | LinkRun] = []
    for t in tokens:
        if isinstance(t, Control):
            out += _splice(t.children)
        elif isinstance(t, LinkTok):
            out.append(LinkRun(t.url, t.title, tuple(_splice(t.children))))
        elif isinstance(t, Leaf):
            out.append(t)
    return out


def to_inlines(tokens: list[Token], strip: bool) -> tuple[Inline, ...]:
    """Tokens as inlines; ``strip`` trims whitespace at the edges (for documents others wrote)."""
    inlines = _exact(tokens) if _structural(tokens) else regroup(list(_splice(tokens)))
    if not strip:
        return inlines
    out = list(inlines)
    while out and isinstance(out[0], LineBreak):
        out.pop(0)
    while out and isinstance(out[-1], LineBreak):
        out.pop()
    if out and isinstance(out[0], Text):
        out[0] = Text(out[0].text.lstrip())
    if out and isinstance(out[-1], Text):
        out[-1] = Text(out[-1].text.rstrip())
    return tuple(n for n in out if not (isinstance(n, Text) and not n.text))


__all__ = ["NS", "Control", "Reader", "Seq", "Token", "paragraph_tokens", "to_inlines"]

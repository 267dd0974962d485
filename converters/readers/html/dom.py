"""Safe parsing and the first cleaning pass: what never reaches the document tree.

lxml parses with no network access and no huge-tree mode; comments and processing instructions
are dropped by the parser. Then every executable or embedded element (scripts, styles, frames,
objects, form controls, media players, SVG) is removed outright. Attributes are never copied
wholesale into the tree later on (the builder reads ``href``/``src``/``alt``/``title`` only), so
event handlers cannot travel; URLs are vetted by :func:`safe_url`.
"""

from __future__ import annotations

import re
import urllib.parse
from dataclasses import dataclass

import lxml.html
from lxml import etree

#: Elements removed with everything inside them: code, embedded documents, controls, players.
DROP_TAGS = frozenset(
    {
        "script", "style", "noscript", "iframe", "frame", "frameset", "object", "embed", "applet",
        "link", "meta", "base", "template", "svg", "math", "canvas", "video", "audio", "source",
        "track", "map", "area", "input", "button", "select", "textarea", "option", "optgroup",
        "datalist", "output", "progress", "meter", "dialog", "head", "title", "nav", "marquee",
    }
)

_XML_DECL = re.compile(r"^\s*<\?xml[^>]*\?>", re.IGNORECASE)
#: C0 controls other than tab/newline/CR: libxml2 stops at some of them.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
#: What XML 1.0 forbids in text, tab/newline/CR aside. Numeric references (``&#1;``, ``&#xFFFE;``) put
#: these in parsed text after :func:`parse` has cleaned the source, and lxml refuses to *set* text
#: holding them (ValueError), so every text or tail the reader writes goes through :func:`xml_text`.
_XML_FORBIDDEN = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
#: What a browser would run when followed; the probe has whitespace and controls removed first.
_SCRIPT_URL = re.compile(r"(javascript|vbscript|data:text/html)", re.IGNORECASE)
_DISPLAY_NONE = re.compile(r"display\s*:\s*none", re.IGNORECASE)

#: A hidden block bigger than this many characters is kept: some sites hide the article until a
#: script reveals it, and losing the article is worse than keeping a hidden teaser.
_HIDDEN_KEEP_CHARS = 200


def parse(text: str) -> etree._Element:
    """Parse decoded HTML into an lxml tree without touching the network."""
    text = _CONTROL.sub("", _XML_DECL.sub("", text, count=1))
    parser = lxml.html.HTMLParser(
        no_network=True, remove_comments=True, remove_pis=True, huge_tree=False, recover=True
    )
    try:
        root = lxml.html.document_fromstring(text, parser=parser)
    except (etree.ParserError, ValueError):
        root = lxml.html.document_fromstring("<html><body></body></html>", parser=parser)
    return root


def text_of(el: etree._Element) -> str:
    """All text below ``el`` with whitespace runs collapsed."""
    return re.sub(r"\s+", " ", "".join(el.itertext())).strip()


def xml_text(text: str) -> str:
    """``text`` without the characters XML forbids, so that lxml accepts it as element text."""
    return _XML_FORBIDDEN.sub("", text)


def remove(el: etree._Element, keep_tail: bool = True) -> None:
    """Detach ``el``; its tail text (which belongs to the parent's flow) stays by default."""
    parent = el.getparent()
    if parent is None:
        return
    if keep_tail and el.tail:
        prev = el.getprevious()
        if prev is not None:
            prev.tail = xml_text((prev.tail or "") + el.tail)
        else:
            parent.text = xml_text((parent.text or "") + el.tail)
    parent.remove(el)


@dataclass
class Dropped:
    """What :func:`strip_unsafe` took out that could have run code, for the reader's warning."""

    scripts: int = 0
    handlers: int = 0
    links: int = 0

    def summary(self) -> str:
        """The non-zero kinds, counted: ``3 scripts, 2 event handlers, 1 script link``.

        A script link is a ``javascript:``, ``vbscript:`` or HTML ``data:`` URL.
        """
        kinds = [(self.scripts, "script"), (self.handlers, "event handler"), (self.links, "script link")]
        return ", ".join(f"{n} {name}{'' if n == 1 else 's'}" for n, name in kinds if n)


def strip_unsafe(root: etree._Element) -> Dropped:
    """Remove executable, embedded and hidden content from the tree in place; count the active parts."""
    dropped = Dropped()
    for el in list(root.iter(etree.Comment, etree.ProcessingInstruction)):
        remove(el)
    for el in list(root.iter()):
        if not isinstance(el.tag, str):
            continue
        # on* handlers would never be copied into the tree, but the user is told they were there.
        handlers = [name for name in el.attrib if name[:2].lower() == "on"]
        for name in handlers:
            del el.attrib[name]
        dropped.handlers += len(handlers)
        tag = el.tag.lower()
        if tag in DROP_TAGS:
            # The list was taken before any removal, so a script inside a dropped <svg> is counted too.
            dropped.scripts += tag == "script"
            remove(el)
    for el in list(root.iter("a")):
        # Script "links" are toolbar buttons (autoplay, collapse, tag filters), never article text.
        href = el.get("href")
        if href is not None and safe_url(href) is None and el.getparent() is not None:
            if _SCRIPT_URL.match(re.sub(r"[\x00-\x20]", "", href)):
                dropped.links += 1
            remove(el)
    for el in list(root.iter()):
        if not isinstance(el.tag, str) or el.getparent() is None:
            continue
        hidden = el.get("hidden") is not None or _DISPLAY_NONE.search(el.get("style") or "")
        if hidden and len(text_of(el)) < _HIDDEN_KEEP_CHARS:
            remove(el)
    return dropped


_SAFE_SCHEMES = frozenset({"http", "https", "mailto", "ftp", "tel"})


def safe_url(url: str | None, *, image: bool = False) -> str | None:
    """``url`` if it is harmless to put in the tree (no ``javascript:``/``vbscript:``...), else ``None``."""
    if not url or not url.strip():
        return None
    url = url.strip()
    # Browsers ignore tabs, newlines and controls inside a scheme ("java\tscript:"): so do we.
    probe = re.sub(r"[\x00-\x20]", "", url)
    try:
        scheme = urllib.parse.urlsplit(probe).scheme.lower()
    except ValueError:
        return None
    if not scheme or len(scheme) == 1:
        return None if probe.lower().startswith(("javascript", "vbscript")) else url
    if scheme == "data":
        return url if image and probe[5:].lower().startswith("image/") else None
    return url if scheme in _SAFE_SCHEMES else None

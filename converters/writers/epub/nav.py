"""The EPUB 3 navigation document (contents and landmarks) and the NCX for EPUB 2 readers.

Both are built from one list of :class:`Entry` trees so they can never disagree. ebooklib's own
nav writer is not used: it cannot give the nav page our language, style sheet and hidden
landmarks, and its NCX leaves ``dtb:depth`` at 0.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from lxml import etree

from converters.writers.epub.xhtml import EPUB_NS, XML_LANG, NavHeading, add_text, clean_text, el, new_page

NCX_NS = "http://www.daisy.org/z3986/2005/ncx/"


@dataclass
class Entry:
    """One line of the contents: a label, its target (``None`` for a group heading) and sub-entries."""

    label: str
    href: str | None
    children: list[Entry] = field(default_factory=list)

    def first_href(self) -> str:
        """The entry's target, or its first descendant's (an NCX navPoint always needs one)."""
        if self.href is not None:
            return self.href
        for child in self.children:
            return child.first_href()
        raise ValueError(f"contents group {self.label!r} has no entries")


@dataclass(frozen=True)
class Landmark:
    """A landmark: ``epub:type`` (cover, toc, bodymatter), its target and label."""

    kind: str
    href: str
    label: str


def heading_entries(headings: list[NavHeading], page: str) -> list[Entry]:
    """Headings nested by level (a skipped level nests under the nearest shallower heading)."""
    root: list[Entry] = []
    stack: list[tuple[int, Entry]] = []
    for h in headings:
        entry = Entry(h.text or "（无题）", f"{page}#{h.anchor}")
        while stack and stack[-1][0] >= h.level:
            stack.pop()
        (stack[-1][1].children if stack else root).append(entry)
        stack.append((h.level, entry))
    return root


def _ol(parent: Any, entries: list[Entry]) -> None:
    ol = el("ol", parent)
    for entry in entries:
        li = el("li", ol)
        label = clean_text(entry.label)
        if entry.href is None:
            el("span", li, label)
        else:
            el("a", li, label, href=entry.href)
        if entry.children:
            _ol(li, entry.children)


def nav_page(
    entries: list[Entry], landmarks: list[Landmark], lang: str, stylesheets: list[str], heading: str = "目录"
) -> Any:
    """The navigation document: the contents and the (hidden) landmarks."""
    html, body = new_page(heading, lang, stylesheets)
    toc = el("nav", body, id="toc", role="doc-toc")
    toc.set(f"{{{EPUB_NS}}}type", "toc")
    el("h1", toc, heading)
    _ol(toc, entries)
    marks = el("nav", body, id="landmarks", hidden="hidden")
    marks.set(f"{{{EPUB_NS}}}type", "landmarks")
    el("h2", marks, "导览")
    ol = el("ol", marks)
    for mark in landmarks:
        a = el("a", el("li", ol), href=mark.href)
        a.set(f"{{{EPUB_NS}}}type", mark.kind)
        add_text(a, mark.label)
    return html


def _depth(entries: list[Entry]) -> int:
    return max((1 + _depth(e.children) for e in entries), default=0)


def ncx(entries: list[Entry], uid: str, title: str, lang: str) -> bytes:
    """The NCX: the same contents; targets that repeat share one playOrder, as the NCX spec asks."""
    q = f"{{{NCX_NS}}}"
    root = etree.Element(f"{q}ncx", {"version": "2005-1", XML_LANG: lang}, nsmap={None: NCX_NS})
    head = etree.SubElement(root, f"{q}head")
    for name, content in (
        ("dtb:uid", uid),
        ("dtb:depth", str(max(_depth(entries), 1))),
        ("dtb:totalPageCount", "0"),
        ("dtb:maxPageNumber", "0"),
    ):
        etree.SubElement(head, f"{q}meta", name=name, content=content)
    etree.SubElement(etree.SubElement(root, f"{q}docTitle"), f"{q}text").text = clean_text(title)
    nav_map = etree.SubElement(root, f"{q}navMap")
    orders: dict[str, int] = {}
    counter = 0

    def add(parent: Any, items: list[Entry]) -> None:
        nonlocal counter
        for entry in items:
            src = entry.first_href()
            if src not in orders:
                orders[src] = len(orders) + 1
            counter += 1
            point = etree.SubElement(parent, f"{q}navPoint", id=f"np{counter}", playOrder=str(orders[src]))
            label = etree.SubElement(point, f"{q}navLabel")
            etree.SubElement(label, f"{q}text").text = clean_text(entry.label)
            etree.SubElement(point, f"{q}content", src=src)
            add(point, entry.children)

    add(nav_map, entries)
    data: bytes = etree.tostring(root, encoding="utf-8", xml_declaration=True, pretty_print=True)
    return data

"""WordprocessingML names and the small element helpers the DOCX writer and reader share."""

from __future__ import annotations

import re
from typing import Any

from lxml import etree

NS = {
    "w": "http://schemas.openxmlformats.org/wordprocessingml/2006/main",
    "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
    "wp": "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing",
    "a": "http://schemas.openxmlformats.org/drawingml/2006/main",
    "pic": "http://schemas.openxmlformats.org/drawingml/2006/picture",
    "cp": "http://schemas.openxmlformats.org/package/2006/metadata/core-properties",
    "dc": "http://purl.org/dc/elements/1.1/",
    "dcterms": "http://purl.org/dc/terms/",
    "xsi": "http://www.w3.org/2001/XMLSchema-instance",
    "pr": "urn:pressroom:docx:article",
}
XML_NS = "http://www.w3.org/XML/1998/namespace"

#: Marks what Pressroom itself wrote: content-control tags and the article record's namespace.
TAG_PREFIX = "pressroom:"
IMAGE_FIELD = "ADDIN PRESSROOM.IMAGE"

_QN_CACHE: dict[str, str] = {}

# XML 1.0 forbids C0 controls other than tab/newline/return, lone surrogates and U+FFFE/U+FFFF.
_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def qn(tag: str) -> str:
    """``"w:p"`` -> ``"{namespace}p"`` (cached: called for every element written)."""
    name = _QN_CACHE.get(tag)
    if name is None:
        prefix, _, local = tag.partition(":")
        name = _QN_CACHE[tag] = f"{{{NS[prefix]}}}{local}"
    return name


def sub(parent: etree._Element, tag: str, attrs: dict[str, Any] | None = None) -> etree._Element:
    """Append a new ``tag`` element to ``parent`` and return it."""
    e = etree.SubElement(parent, qn(tag))
    if attrs:
        for key, value in attrs.items():
            e.set(qn(key) if ":" in key else key, str(value))
    return e


def clean_xml_text(text: str) -> tuple[str, int]:
    """``text`` without the characters XML cannot hold, and how many were dropped."""
    cleaned, count = _FORBIDDEN.subn("", text)
    return cleaned, count


def serialize(root: etree._Element) -> bytes:
    """A part's bytes: UTF-8 with the standalone declaration Word writes."""
    data: bytes = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
    return data


def root_element(tag: str, prefixes: tuple[str, ...]) -> etree._Element:
    """A part's root element declaring the namespace ``prefixes`` it uses."""
    return etree.Element(qn(tag), nsmap={p: NS[p] for p in prefixes})

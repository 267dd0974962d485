"""``word/numbering.xml``: one abstract numbering per list, so every list restarts at its own start."""

from __future__ import annotations

from lxml import etree

from converters.writers.docx.xml import qn, sub

BULLETS = ("•", "◦", "▪")  # U+2022, U+25E6, U+25AA: in every Latin font, so no symbol-font mapping
INDENT = 480  # twips: two characters of the 12 pt body text
LEVELS = 9


def level_indent(level: int) -> int:
    """Left indent of list text at ``level`` (numbers hang in the two characters before it)."""
    return INDENT * (level + 2)


def _int(value: str | None) -> int:
    try:
        return int(value or 0)
    except ValueError:
        return 0


class Numbering:
    """Collects lists while the body is written, then adds them to the numbering part."""

    def __init__(self, base: etree._Element | None) -> None:
        self.base = base
        ids, nums = [0], [0]
        if base is not None:
            ids += [_int(e.get(qn("w:abstractNumId"))) for e in base.iter(qn("w:abstractNum"))]
            nums += [_int(e.get(qn("w:numId"))) for e in base.iter(qn("w:num"))]
        self.first_abstract = max(ids) + 1 if base is not None else 0
        self.first_num = max(nums) + 1
        self.lists: list[tuple[bool, int]] = []

    def add(self, ordered: bool, start: int) -> int:
        """A new numbering instance for one list; returns its ``numId``."""
        self.lists.append((ordered, start))
        return self.first_num + len(self.lists) - 1

    def _abstract(self, index: int, ordered: bool, start: int) -> etree._Element:
        aid = self.first_abstract + index
        a = etree.Element(qn("w:abstractNum"))
        a.set(qn("w:abstractNumId"), str(aid))
        sub(a, "w:nsid", {"w:val": f"{0x50520000 + aid:08X}"})
        sub(a, "w:multiLevelType", {"w:val": "hybridMultilevel"})
        for level in range(LEVELS):
            lvl = sub(a, "w:lvl", {"w:ilvl": level})
            sub(lvl, "w:start", {"w:val": start if ordered else 1})
            sub(lvl, "w:numFmt", {"w:val": "decimal" if ordered else "bullet"})
            sub(lvl, "w:lvlText", {"w:val": f"%{level + 1}." if ordered else BULLETS[level % len(BULLETS)]})
            sub(lvl, "w:lvlJc", {"w:val": "left"})
            ppr = sub(lvl, "w:pPr")
            sub(ppr, "w:ind", {"w:left": level_indent(level), "w:hanging": INDENT})
            if not ordered:
                rpr = sub(lvl, "w:rPr")
                sub(rpr, "w:rFonts", {"w:ascii": "Arial", "w:hAnsi": "Arial", "w:hint": "default"})
        return a

    def _num(self, index: int, ordered: bool, start: int) -> etree._Element:
        n = etree.Element(qn("w:num"))
        n.set(qn("w:numId"), str(self.first_num + index))
        sub(n, "w:abstractNumId", {"w:val": self.first_abstract + index})
        if ordered:  # Word continues a shared counter unless told where to start
            for level in range(LEVELS):
                sub(sub(n, "w:lvlOverride", {"w:ilvl": level}), "w:startOverride", {"w:val": start})
        return n

    def apply(self, root: etree._Element) -> None:
        """Add the lists' numbering to ``root``, the numbering part's element (the reference's, or new)."""
        first_num = root.find(qn("w:num"))
        for i, (ordered, start) in enumerate(self.lists):
            abstract = self._abstract(i, ordered, start)
            if first_num is not None:  # the schema wants every abstractNum before the first num
                first_num.addprevious(abstract)
            else:
                root.append(abstract)
        tail = root.find(qn("w:numIdMacAtCleanup"))
        for i, (ordered, start) in enumerate(self.lists):
            num = self._num(i, ordered, start)
            if tail is not None:
                tail.addprevious(num)
            else:
                root.append(num)

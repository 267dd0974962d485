"""Figure numbering: give every figure without a number its position among the figures."""

from __future__ import annotations

import dataclasses

from converters.tree import Block, BlockQuote, Document, Figure, List, ListItem


def number_figures(doc: Document) -> Document:
    """Number figures 1, 2, … in document order, keeping numbers a source already gave."""
    counter = 0

    def visit(blocks: tuple[Block, ...]) -> tuple[Block, ...]:
        nonlocal counter
        out: list[Block] = []
        for block in blocks:
            if isinstance(block, Figure):
                counter += 1
                if block.number is None:
                    block = dataclasses.replace(block, number=counter)
                else:
                    counter = block.number
            elif isinstance(block, BlockQuote):
                block = BlockQuote(visit(block.children))
            elif isinstance(block, List):
                items = tuple(ListItem(visit(item.children)) for item in block.children)
                block = dataclasses.replace(block, children=items)
            out.append(block)
        return tuple(out)

    return dataclasses.replace(doc, blocks=visit(doc.blocks))

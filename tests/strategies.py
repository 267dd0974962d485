"""Hypothesis strategies for normalised document trees: every tree the model allows.

A normalised tree has no empty text, no two adjacent ``Text`` nodes, no whitespace at the edges
of a block's inlines, no newline inside text (a ``LineBreak`` says that), and no line break at
the edges of a block. Readers produce such trees, so round-trips are asserted on them.
"""

from __future__ import annotations

from hypothesis import strategies as st

from converters.tree import (
    Block,
    BlockQuote,
    Credit,
    Document,
    Emph,
    Figure,
    Heading,
    Image,
    Inline,
    LineBreak,
    Link,
    List,
    ListItem,
    Meta,
    Paragraph,
    Strong,
    Text,
    ThematicBreak,
)

# CJK text, full-width punctuation and the ASCII characters Markdown gives meaning to.
_ALPHABET = st.sampled_from(
    list("中文新闻记者报道先行区疫情党建“”‘’「」《》（），。：；！？、…—·")
    + list("abcXYZ0189 ")
    + list("*_`[]()<>!#\\&-+.|~=:\"'$%")
)
_word = st.text(_ALPHABET, min_size=1, max_size=12)
_url = st.sampled_from(
    ["https://example.com/a", "http://news.example.cn/2020/04/29/x.html?id=1&p=2", "#sec", "a b.html"]
)
_src = st.sampled_from(["images/photo.jpg", "https://img.example.cn/a.png", "图片 1.png"])


def _clean_text(s: str) -> str:
    return " ".join(s.split())


def _normalise(inlines: list[Inline]) -> tuple[Inline, ...]:
    """Merge adjacent text, drop empties, trim edge whitespace and edge line breaks."""
    out: list[Inline] = []
    for node in inlines:
        if isinstance(node, Text):
            if not node.text:
                continue
            if out and isinstance(out[-1], Text):
                out[-1] = Text(out[-1].text + node.text)
                continue
        out.append(node)
    while out and isinstance(out[0], LineBreak):
        out.pop(0)
    while out and isinstance(out[-1], LineBreak):
        out.pop()
    if out and isinstance(out[0], Text):
        out[0] = Text(out[0].text.lstrip())
    if out and isinstance(out[-1], Text):
        out[-1] = Text(out[-1].text.rstrip())
    return tuple(n for n in out if not (isinstance(n, Text) and not n.text))


def _text() -> st.SearchStrategy[Inline]:
    return _word.map(_clean_text).filter(bool).map(Text)


def inlines(depth: int = 2) -> st.SearchStrategy[tuple[Inline, ...]]:
    """A normalised, non-empty run of inlines."""
    leaf: st.SearchStrategy[Inline] = st.one_of(
        _text(),
        _text(),
        st.just(LineBreak()),
        st.builds(Image, src=_src, alt=_word.map(_clean_text)),
    )
    if depth > 0:
        inner = inlines(depth - 1)
        leaf = st.one_of(
            leaf,
            inner.map(Emph),
            inner.map(Strong),
            st.builds(Link, children=inner, url=_url),
        )
    return st.lists(leaf, min_size=1, max_size=5).map(_normalise).filter(_has_text)


def _has_text(nodes: tuple[Inline, ...]) -> bool:
    return bool(nodes) and any(isinstance(n, Text) for n in nodes)


def blocks(depth: int = 2) -> st.SearchStrategy[tuple[Block, ...]]:
    """A non-empty tuple of blocks."""
    leaf: st.SearchStrategy[Block] = st.one_of(
        inlines().map(Paragraph),
        inlines().map(Paragraph),
        st.builds(Heading, level=st.integers(1, 6), children=inlines(1)),
        st.builds(
            Figure,
            image=st.none() | st.builds(Image, src=_src, alt=_word.map(_clean_text)),
            caption=inlines(1),
            number=st.none() | st.integers(1, 99),
        ),
        st.just(ThematicBreak()),
        inlines(1).map(Credit),
    )
    if depth > 0:
        inner = blocks(depth - 1)
        leaf = st.one_of(
            leaf,
            inner.map(BlockQuote),
            st.builds(
                List,
                children=st.lists(inner.map(ListItem), min_size=1, max_size=3).map(tuple),
                ordered=st.just(False),
            ),
            st.builds(
                List,
                children=st.lists(inner.map(ListItem), min_size=1, max_size=3).map(tuple),
                ordered=st.just(True),
                start=st.integers(1, 20),
            ),
        )
    return st.lists(leaf, min_size=1, max_size=5).map(tuple)


_meta_text = _word.map(_clean_text).filter(bool)

metas = st.builds(
    Meta,
    title=st.none() | _meta_text,
    subtitle=st.none() | _meta_text,
    date=st.none() | st.sampled_from(["2020-04-29", "2024-03-11T12:12", "2005-03-11"]),
    source=st.none() | _meta_text,
    author=st.none() | _meta_text,
    editor=st.none() | _meta_text,
    publisher=st.none() | _meta_text,
    url=st.none() | st.just("https://example.com/a.html"),
    language=st.sampled_from(["zh-CN", "zh-TW", "en"]),
    keywords=st.lists(_meta_text, max_size=3).map(tuple),
)

documents = st.builds(Document, meta=metas, blocks=blocks())

"""Properties every reader, cleaner and writer keeps on arbitrary input (hypothesis).

- A reader given any bytes, any text or any HTML-ish markup returns a Document or raises
  :class:`~converters.errors.PressroomError`; nothing else ever escapes.
- Every cleaner (each public ``Document -> Document`` function in ``converters.cleaners``) and the
  pipeline's safety pass are idempotent.
- Every writer accepts every tree the readers produce.
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil
import tempfile
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

import converters.cleaners
from converters import pipeline, registry
from converters.context import Context
from converters.errors import PressroomError
from converters.tree import Document
from tests.bad.harness import importable
from tests.strategies import documents

TEXT_READERS = ["text", "html", "markdown", "json"]
#: An empty folder as every tree's base: images the fuzzed input names are simply missing.
_BASE = Path(tempfile.mkdtemp(prefix="pressroom-props-"))

# --------------------------------------------------------------------------- inputs

_cjk = st.sampled_from(list("中文新闻记者报道先行区疫情党建“”‘’「」《》（），。：；！？、…—·　"))
_chars = st.one_of(
    _cjk,
    st.characters(codec="utf-8"),
    st.sampled_from(list("\x00\x01\x0b\x0c\x1b\x7f\ufeff\ufffe\u200b\u2028\r\n\t <>&\"'#*_[]()!`>-=|~:/\\")),
)
any_text = st.text(_chars, max_size=400)

_TAGS = [
    "p", "div", "span", "a", "img", "script", "style", "h1", "h2", "h6", "ul", "ol", "li", "blockquote",
    "figure", "figcaption", "table", "tr", "td", "br", "b", "i", "em", "strong", "pre", "code", "iframe",
    "svg", "math", "noscript", "template", "head", "body", "meta", "title", "article", "section", "hr",
    "html", "source", "picture", "object", "base", "link", "form", "select", "textarea", "xmp", "plaintext",
]  # fmt: skip
_ATTRS = st.sampled_from([
    'href="javascript:alert(1)"', 'href="https://example.cn/a?b=1&c=2"', 'href="#x"', "href=", 'src="a.png"',
    'src="file:///etc/passwd"', 'src="../../x.png"', 'src="http://127.0.0.1/x.png"', 'src="data:image/png;base64,AAA"',
    'onclick="x()"', 'style="display:none"', 'class="article-content main"', 'id="content"', 'charset="gbk"',
    'content="text/html; charset=big5"', 'http-equiv="Content-Type"', 'name="author" content="记者"',
    'property="og:title" content="标题"', 'alt="图"', 'srcset="a.png 2x"', 'datetime="2020-04-29"', "hidden",
    'lang="zh"', 'dir="rtl"', "x=\"\x00\"",
])  # fmt: skip
_entities = st.sampled_from(
    ["&amp;", "&lt;", "&nbsp;", "&#0;", "&#1;", "&#x1b;", "&#xc;", "&#xD800;", "&#1114112;", "&#x1F600;", "&lol;", "&"]
)


def _element(children: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    def build(tag: str, attrs: list[str], inner: list[str], close: bool) -> str:
        attr_text = "".join(" " + a for a in attrs)
        return f"<{tag}{attr_text}>{''.join(inner)}" + (f"</{tag}>" if close else "")

    return st.builds(
        build, st.sampled_from(_TAGS), st.lists(_ATTRS, max_size=3), st.lists(children, max_size=4), st.booleans()
    )


_leaf = st.one_of(
    st.text(_cjk, min_size=1, max_size=20),
    any_text.map(lambda s: s[:30]),
    _entities,
    st.sampled_from(["<!-- 注释 -->", "<![CDATA[x]]>", "<!DOCTYPE html>", "<?xml version='1.0'?>", "</p>", "<", ">"]),
)
any_html = st.recursive(_leaf, _element, max_leaves=40).map(lambda s: s)
html_pages = st.tuples(st.sampled_from(["", "<!DOCTYPE html><html><head><meta charset='utf-8'>"]), any_html).map(
    "".join
)

ENCODINGS = ["utf-8", "gb18030", "big5", "utf-16"]


def _encode(text: str, encoding: str) -> bytes:
    return text.encode(encoding, errors="replace")


any_bytes = st.one_of(
    st.binary(max_size=600),
    st.builds(_encode, any_text, st.sampled_from(ENCODINGS)),
    st.builds(_encode, html_pages, st.sampled_from(ENCODINGS)),
)

# --------------------------------------------------------------------------- readers


def _reader(name: str) -> Callable[[bytes, Context], Document]:
    if not importable("reader", name):
        pytest.skip(f"the {name} reader is not on this branch yet")
    return registry.get_reader(name)  # type: ignore[no-any-return]


def _read_only_pressroom_errors(name: str, data: bytes) -> Document | None:
    reader = _reader(name)
    ctx = Context(base_dir=_BASE, source_name=f"fuzz.{name}")
    try:
        doc = reader(data, ctx)
    except PressroomError as exc:
        assert str(exc).strip() and "\n" not in str(exc), f"not a one-line message: {exc!r}"
        return None
    assert isinstance(doc, Document)
    return doc


#: Property failures that belong to a reader owned elsewhere: reader -> the defect. Each has an
#: ``@example`` below that reproduces it, so the expected failure is deterministic.
READER_DEFECTS: dict[str, str] = {}
CONTROL_REF_PAGE = '<p><p style="display:none"></p>&#1;'


def _readers(names: list[str]) -> list[object]:
    return [
        pytest.param(n, marks=pytest.mark.xfail(strict=True, reason=READER_DEFECTS[n])) if n in READER_DEFECTS else n
        for n in names
    ]


@pytest.mark.parametrize("name", _readers(TEXT_READERS))
@given(data=any_bytes)
@example(data=CONTROL_REF_PAGE.encode())
@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_text_readers_raise_only_pressroom_errors(name: str, data: bytes) -> None:
    _read_only_pressroom_errors(name, data)


@pytest.mark.parametrize("name", _readers(["html", "text", "markdown"]))
@given(page=html_pages)
@example(page=CONTROL_REF_PAGE)
@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_readers_on_arbitrary_html(name: str, page: str) -> None:
    _read_only_pressroom_errors(name, page.encode("utf-8"))


def _zip_bytes(members: list[tuple[str, bytes]]) -> bytes:
    import io
    import zipfile

    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        for name, data in dict(members).items():  # one entry a name, as a real package has
            zf.writestr(name, data)
    return buf.getvalue()


_docx_parts = st.sampled_from(["[Content_Types].xml", "word/document.xml", "word/_rels/document.xml.rels", "x.bin"])
_docx_like = st.lists(
    st.tuples(_docx_parts, st.one_of(st.binary(max_size=200), any_html.map(lambda s: s.encode("utf-8")))),
    max_size=4,
).map(_zip_bytes)


#: Found by this test: [Content_Types].xml whose root is not <Types> (python-docx raised AttributeError).
WRONG_CONTENT_TYPES = _zip_bytes([("[Content_Types].xml", b"<p></p>")])


@given(data=st.one_of(st.binary(max_size=600), _docx_like))
@example(data=WRONG_CONTENT_TYPES)
@settings(max_examples=200, deadline=None)
def test_docx_reader_raises_only_pressroom_errors(data: bytes) -> None:
    _read_only_pressroom_errors("docx", data)


# --------------------------------------------------------------------------- cleaners


def _cleaners() -> list[tuple[str, Callable[[Document], Document]]]:
    """Every public ``(doc: Document) -> Document`` function in the cleaners package."""
    found: list[tuple[str, Callable[[Document], Document]]] = []
    for info in pkgutil.iter_modules(converters.cleaners.__path__, "converters.cleaners."):
        module = importlib.import_module(info.name)
        for attr, fn in vars(module).items():
            if attr.startswith("_") or not inspect.isfunction(fn) or fn.__module__ != module.__name__:
                continue
            sig = inspect.signature(fn)
            required = [p for p in sig.parameters.values() if p.default is inspect.Parameter.empty]
            if (
                len(required) == 1
                and str(required[0].annotation) == "Document"
                and str(sig.return_annotation) == "Document"
            ):
                found.append((f"{module.__name__}.{attr}", fn))
    return found


def _safety_pass(doc: Document) -> Document:
    return pipeline.sanitise(doc, Context())


CLEANERS = [*_cleaners(), ("converters.pipeline.sanitise", _safety_pass)]


@pytest.mark.parametrize("cleaner", [fn for _, fn in CLEANERS], ids=[name for name, _ in CLEANERS])
@given(doc=documents)
@settings(max_examples=150, deadline=None)
def test_cleaners_are_idempotent(cleaner: Callable[[Document], Document], doc: Document) -> None:
    once = cleaner(doc)
    assert isinstance(once, Document)
    assert cleaner(once) == once


@pytest.mark.parametrize("cleaner", [fn for _, fn in CLEANERS], ids=[name for name, _ in CLEANERS])
@pytest.mark.parametrize("reader", ["text", "html"])
@given(data=st.one_of(any_text, html_pages))
@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_cleaners_are_idempotent_on_reader_trees(
    cleaner: Callable[[Document], Document], reader: str, data: str
) -> None:
    if not importable("reader", reader):
        pytest.skip(f"the {reader} reader is not on this branch yet")
    try:
        doc = registry.get_reader(reader)(data.encode("utf-8"), Context(base_dir=_BASE))
    except Exception:  # a reader's own failures are the reader tests' business
        return
    once = cleaner(doc)
    assert cleaner(once) == once


# --------------------------------------------------------------------------- writers

#: Examples per writer: rendering a PDF takes about a second, so it gets fewer.
WRITER_EXAMPLES = {"pdf": 8, "epub": 25, "docx": 25}


def _writer_test(writer: str) -> Callable[[], None]:
    @given(data=st.one_of(any_text, html_pages), reader=st.sampled_from(TEXT_READERS[:3]))
    @settings(max_examples=WRITER_EXAMPLES.get(writer, 100), deadline=None, suppress_health_check=list(HealthCheck))
    def check(data: str, reader: str) -> None:
        if not importable("writer", writer):
            pytest.skip(f"the {writer} writer is not on this branch yet")
        if not importable("reader", reader):
            return
        ctx = Context(base_dir=_BASE, source_name="fuzz")
        try:
            doc = pipeline.read(data.encode("utf-8"), reader, ctx)
        except Exception:  # a reader's own failures are the reader tests' business
            return
        out = pipeline.render(doc, writer, Context(base_dir=_BASE, source_name="fuzz"))
        assert out, f"the {writer} writer produced nothing"

    return check


@pytest.mark.parametrize("writer", list(registry.WRITERS))
def test_writers_accept_every_reader_tree(writer: str) -> None:
    if writer in WRITER_EXAMPLES:
        pytest.importorskip("converters.writers." + writer)
    _writer_test(writer)()


@pytest.mark.parametrize("writer", list(registry.WRITERS))
@given(doc=documents)
@settings(max_examples=20, deadline=None)
def test_writers_accept_every_normalised_tree(writer: str, doc: Document) -> None:
    if not importable("writer", writer):
        pytest.skip(f"the {writer} writer is not on this branch yet")
    if writer == "pdf":
        return  # covered by the reader-tree test above; rendering 20 PDFs per run buys little
    assert pipeline.render(doc, writer, Context(base_dir=_BASE, source_name="fuzz"))

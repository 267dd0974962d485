"""Writer state and the inline handlers: runs, hyperlinks, line breaks, pictures, fields."""

from __future__ import annotations

import io
import json
import re
import struct
import urllib.parse
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

from docx.image.exceptions import InvalidImageStreamError, UnexpectedEndOfFileError, UnrecognizedImageError
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.part import Part
from lxml import etree

from converters.context import Context
from converters.resources import split_url
from converters.tree import Emph, Image, Inline, LineBreak, Link, Strong, Text
from converters.writers.docx.numbering import Numbering
from converters.writers.docx.runs import EMPH, NO_FLAGS, STRONG, Flags, Item, Leaf, LinkRun, flatten, is_canonical
from converters.writers.docx.template import Template
from converters.writers.docx.xml import IMAGE_FIELD, TAG_PREFIX, XML_NS, clean_xml_text, sub

if TYPE_CHECKING:
    from converters.resources import LoadedImage

EMU_PER_PX = 9525  # 96 dpi
INLINE_IMAGE_HEIGHT = 190500  # 15 pt: an image inside a line of 12 pt text stays a line high
LINK_COLOR = "0563C1"
# Characters a relationship target may not hold raw; Word rejects a file whose link is not a URI.
_URL_SAFE = "!#$%&'()*+,-./:;=?@[]~_"


@dataclass(frozen=True, slots=True)
class Env:
    """Where the writer is: inline flags, and the block context (quote, list level, structure)."""

    flags: Flags = NO_FLAGS
    link: bool = False
    image_block: bool = False  # the image is alone in its paragraph: give it room
    figure: bool = False
    structural: bool = False  # containers written as tagged content controls (exact round-trip)
    quote: bool = False
    list_level: int = -1
    num_id: int | None = None  # numbering for the next paragraph (an item's first)


@dataclass
class State:
    """Everything one conversion accumulates: the document part (python-docx's), media, numbering, counters."""

    ctx: Context
    template: Template
    part: Any  # python-docx's DocumentPart: relationships and image parts
    numbering: Numbering
    explicit_numbers: list[bool]
    media: dict[str, tuple[str, LoadedImage] | None] = field(default_factory=dict)
    next_drawing_id: int = 1
    figure_index: int = 0
    dropped: int = 0

    def style(self, name: str) -> str:
        """The reference document's style id for a built-in style name."""
        return self.template.style_ids.get(name, "")

    def text(self, value: str) -> str:
        """Text fit for XML, counting what had to be dropped."""
        cleaned, count = clean_xml_text(value)
        self.dropped += count
        return cleaned

    def image(self, src: str) -> tuple[str, LoadedImage] | None:
        """The embedded picture for ``src`` (relationship id, image), loaded once per document."""
        if src not in self.media:
            # Deferred: the resource loader pulls in urllib and Pillow, which text-only articles never need.
            from converters.resources import as_png_or_jpeg, load_image

            loaded = load_image(src, self.ctx)
            if loaded is None:
                self.media[src] = None
            else:
                loaded = as_png_or_jpeg(loaded)
                self.media[src] = (self._embed(loaded), loaded)
        return self.media[src]


    def _embed(self, loaded: LoadedImage) -> str:
        """The relationship id of a new image part holding ``loaded``."""
        try:
            # python-docx names the part (after any header or footer pictures) and shares identical ones.
            rid: str = self.part.get_or_add_image(io.BytesIO(loaded.data))[0]
            return rid
        except (UnrecognizedImageError, InvalidImageStreamError, UnexpectedEndOfFileError, struct.error):
            pass
        # python-docx only knows JPEGs by a JFIF or Exif header (and trips on some damaged ones); Word
        # needs neither, so such a picture goes in as a plain part, named apart from python-docx's own.
        extension = "png" if loaded.mime == "image/png" else "jpeg"
        package = self.part.package
        part = Part(package.next_partname(f"/word/media/picture%d.{extension}"), loaded.mime, loaded.data, package)
        rid = self.part.relate_to(part, RT.IMAGE)
        return rid


InlineHandler = Callable[[Inline, State, Env, etree._Element], None]


def run_properties(run: etree._Element, env: Env) -> None:
    """Direct formatting in schema order: bold, link colour and underline, emphasis dots."""
    if not env.flags and not env.link:
        return
    rpr = sub(run, "w:rPr")
    if STRONG in env.flags:
        sub(rpr, "w:b")
        sub(rpr, "w:bCs")
    if env.link:
        sub(rpr, "w:color", {"w:val": LINK_COLOR})
        sub(rpr, "w:u", {"w:val": "single"})
    if EMPH in env.flags:
        sub(rpr, "w:em", {"w:val": "underDot"})  # 着重号 under the characters, as GB/T 15834 puts them


def new_run(parent: etree._Element, env: Env) -> etree._Element:
    run = sub(parent, "w:r")
    run_properties(run, env)
    return run


def text_run(parent: etree._Element, text: str, env: Env) -> None:
    """A run of text; tabs and stray newlines become Word's own elements."""
    run = new_run(parent, env)
    for i, line in enumerate(re.split(r"\r\n|\r|\n", text)):
        if i:
            sub(run, "w:br")
        for j, piece in enumerate(line.split("\t")):
            if j:
                sub(run, "w:tab")
            if piece:
                t = sub(run, "w:t")
                t.set(f"{{{XML_NS}}}space", "preserve")
                t.text = piece


def complex_field(parent: etree._Element, instruction: str, result: str | None, env: Env) -> None:
    """A complex field: begin, instruction, then (if any) the cached result, end."""
    sub(new_run(parent, env), "w:fldChar", {"w:fldCharType": "begin"})
    instr = sub(new_run(parent, env), "w:instrText")
    instr.set(f"{{{XML_NS}}}space", "preserve")
    instr.text = f" {instruction} "
    if result is not None:
        sub(new_run(parent, env), "w:fldChar", {"w:fldCharType": "separate"})
        text_run(parent, result, env)
    sub(new_run(parent, env), "w:fldChar", {"w:fldCharType": "end"})


def image_marker(parent: etree._Element, node: Image, st: State, env: Env) -> None:
    """An image that could not be embedded: an add-in field with no result records it invisibly."""
    record = {"src": node.src, "alt": node.alt, "title": node.title}
    complex_field(parent, f"{IMAGE_FIELD} {st.text(json.dumps(record, ensure_ascii=False))}", None, env)


def _extent(loaded: LoadedImage, st: State, env: Env) -> tuple[int, int]:
    width, height = loaded.width * EMU_PER_PX, loaded.height * EMU_PER_PX
    # At most half the text height: a tall picture leaves room for its caption and some text.
    max_w, max_h = st.template.text_width_emu, st.template.text_height_emu // 2
    if env.figure and width >= max_w // 2:
        width, height = max_w, height * max_w // width  # figures fill the text width
    elif not env.image_block and not env.figure and height > INLINE_IMAGE_HEIGHT:
        width, height = width * INLINE_IMAGE_HEIGHT // height, INLINE_IMAGE_HEIGHT
    if width > max_w:
        width, height = max_w, height * max_w // width
    if height > max_h:
        width, height = width * max_h // height, max_h
    return max(width, 1), max(height, 1)


def handle_image(node: Inline, st: State, env: Env, parent: etree._Element) -> None:
    """An embedded picture (``docPr`` keeps src, alt and title), or an invisible marker."""
    assert isinstance(node, Image)
    embedded = st.image(node.src)
    if embedded is None:
        image_marker(parent, node, st, env)
        return
    rid, loaded = embedded
    cx, cy = _extent(loaded, st, env)
    pid = st.next_drawing_id
    st.next_drawing_id += 1
    names = {"name": st.text(node.src), "descr": st.text(node.alt)}
    if node.title:
        names["title"] = st.text(node.title)
    inline = sub(sub(new_run(parent, env), "w:drawing"), "wp:inline", {"distT": 0, "distB": 0, "distL": 0, "distR": 0})
    sub(inline, "wp:extent", {"cx": cx, "cy": cy})
    sub(inline, "wp:effectExtent", {"l": 0, "t": 0, "r": 0, "b": 0})
    sub(inline, "wp:docPr", {"id": pid, **names})
    sub(sub(inline, "wp:cNvGraphicFramePr"), "a:graphicFrameLocks", {"noChangeAspect": 1})
    data = sub(sub(inline, "a:graphic"), "a:graphicData", {"uri": "http://schemas.openxmlformats.org/drawingml/2006/picture"})
    pic = sub(data, "pic:pic")
    nv = sub(pic, "pic:nvPicPr")
    sub(nv, "pic:cNvPr", {"id": 0, "name": names["name"], "descr": names["descr"]})
    sub(nv, "pic:cNvPicPr")
    fill = sub(pic, "pic:blipFill")
    sub(fill, "a:blip", {"r:embed": rid})
    sub(sub(fill, "a:stretch"), "a:fillRect")
    sp = sub(pic, "pic:spPr")
    xfrm = sub(sp, "a:xfrm")
    sub(xfrm, "a:off", {"x": 0, "y": 0})
    sub(xfrm, "a:ext", {"cx": cx, "cy": cy})
    sub(sub(sp, "a:prstGeom", {"prst": "rect"}), "a:avLst")


def handle_text(node: Inline, st: State, env: Env, parent: etree._Element) -> None:
    assert isinstance(node, Text)
    text_run(parent, st.text(node.text), env)


def handle_break(node: Inline, st: State, env: Env, parent: etree._Element) -> None:
    sub(new_run(parent, env), "w:br")


def encode_url(url: str) -> str:
    """A relationship target Word accepts: spaces, non-ASCII and the like percent-encoded."""
    return urllib.parse.quote(url, safe=_URL_SAFE)


def hyperlink(parent: etree._Element, url: str, title: str, st: State) -> etree._Element:
    """A ``w:hyperlink``: ``#name`` is a bookmark in the document, anything else an external target."""
    attrs: dict[str, str] = {}
    if url.startswith("#"):
        attrs["w:anchor"] = st.text(url[1:])
    elif split_url(url) is None:
        # Word refuses a package whose relationship target is no URI (http://[x): a link to nowhere.
        st.ctx.warn("link-malformed-url", f"link {url[:60]!r} has a malformed URL; only its text is kept")
    else:
        attrs["r:id"] = st.part.relate_to(st.text(encode_url(url)), RT.HYPERLINK, is_external=True)
    if title:
        attrs["w:tooltip"] = st.text(title)
    attrs["w:history"] = "1"
    return sub(parent, "w:hyperlink", attrs)


def handle_link(node: Inline, st: State, env: Env, parent: etree._Element) -> None:
    assert isinstance(node, Link)
    target = hyperlink(parent, node.url, node.title, st)
    for child in node.children:
        HANDLERS[type(child)](child, st, replace(env, link=True), target)


def _content_control(parent: etree._Element, tag: str) -> etree._Element:
    sdt = sub(parent, "w:sdt")
    sub(sub(sdt, "w:sdtPr"), "w:tag", {"w:val": TAG_PREFIX + tag})
    return sub(sdt, "w:sdtContent")


def handle_strong(node: Inline, st: State, env: Env, parent: etree._Element) -> None:
    assert isinstance(node, Strong)
    content = _content_control(parent, "strong")
    for child in node.children:
        HANDLERS[type(child)](child, st, replace(env, flags=env.flags | {STRONG}), content)


def handle_emph(node: Inline, st: State, env: Env, parent: etree._Element) -> None:
    assert isinstance(node, Emph)
    content = _content_control(parent, "emph")
    for child in node.children:
        HANDLERS[type(child)](child, st, replace(env, flags=env.flags | {EMPH}), content)


HANDLERS: dict[type, InlineHandler] = {
    Text: handle_text,
    Emph: handle_emph,
    Strong: handle_strong,
    Link: handle_link,
    LineBreak: handle_break,
    Image: handle_image,
}


def _emit_items(items: list[Item] | tuple[Item, ...], st: State, env: Env, parent: etree._Element) -> None:
    for item in items:
        if isinstance(item, Leaf):
            HANDLERS[type(item.node)](item.node, st, replace(env, flags=item.flags), parent)
        elif isinstance(item, LinkRun):
            _emit_items(item.children, st, replace(env, link=True), hyperlink(parent, item.url, item.title, st))


def emit_inlines(inlines: tuple[Inline, ...], st: State, env: Env, parent: etree._Element) -> None:
    """Write inlines as plain runs when reading them back gives the same tree, else with boundaries."""
    env = replace(env, image_block=len(inlines) == 1 and isinstance(inlines[0], Image))
    if is_canonical(inlines):
        _emit_items(flatten(inlines), st, env, parent)
    else:
        for node in inlines:
            HANDLERS[type(node)](node, st, env, parent)

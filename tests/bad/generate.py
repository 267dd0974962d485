"""Big and pathological inputs, made at test time in a temporary folder (never committed).

Each maker is cheap: the decompression bomb is a real 30 000 x 30 000 PNG whose IDAT is a few
hundred kilobytes of compressed zeros; the 50 MB dump is one paragraph repeated.
"""

from __future__ import annotations

import io
import struct
import zipfile
import zlib
from functools import cache


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)


@cache
def bomb_png(width: int = 30_000, height: int = 30_000) -> bytes:
    """A valid 8-bit greyscale PNG of ``width`` x ``height`` zero pixels (900 MB decoded)."""
    row = b"\x00" * (width + 1)  # filter byte + one byte a pixel
    comp = zlib.compressobj(9)
    parts = []
    batch = row * 256
    for _ in range(height // 256):
        parts.append(comp.compress(batch))
    parts.append(comp.compress(row * (height % 256)))
    parts.append(comp.flush())
    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", header) + _chunk(b"IDAT", b"".join(parts)) + _chunk(b"IEND", b"")


def minimal_pdf() -> bytes:
    """A small well-formed one-page PDF."""
    objs = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >>",
    ]
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for i, body in enumerate(objs, 1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % i + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1))
    for off in offsets:
        out.write(b"%010d 00000 n \n" % off)
    out.write(b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objs) + 1, xref))
    return out.getvalue()


def small_zip() -> bytes:
    """A ZIP archive that is not a DOCX (a text file and a folder)."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("readme.txt", "这是一个压缩包，不是文章。")
        zf.writestr("data/numbers.csv", "a,b\n1,2\n")
    return buf.getvalue()


def big_dump(size: int = 50 * 1024 * 1024) -> bytes:
    """A ``size``-byte text dump: one news paragraph repeated."""
    para = "记者从市交通运输局获悉，今年将新建公交线路十条，优化调整线路二十条。\n\n".encode()
    data = para * (size // len(para) + 1)
    return data[:size]


def deep_html(depth: int = 10_000) -> bytes:
    """Block and inline elements nested ``depth`` deep, closed and unclosed."""
    parts = [
        "<!DOCTYPE html><html><head><meta charset='utf-8'><title>深层嵌套</title></head><body>",
        "<h1>深层嵌套</h1><p>开头段落。</p>",
        "<div>" * depth + "<p>深层正文。</p>" + "</div>" * depth,
        "<blockquote>" * depth + "引文" + "</blockquote>" * depth,
        "<p>" + "<b><i>" * (depth // 2) + "加粗" + "</i></b>" * (depth // 2) + "</p>",
        "<ul>" + "<li><ul>" * depth + "<li>项</li>" + "</ul></li>" * depth + "</ul>",
        "<span>" * depth + "未闭合",
        "</body></html>",
    ]
    return "".join(parts).encode()


def wide_html(count: int = 1_000_000) -> bytes:
    """One page with ``count`` (empty) elements around two real paragraphs."""
    return (
        "<!DOCTYPE html><html><head><meta charset='utf-8'><title>百万元素</title></head><body>"
        "<h1>百万元素</h1><p>开头段落。</p><div>" + "<span></span>" * count + "</div><p>结尾段落。</p></body></html>"
    ).encode()


def deep_markdown(depth: int = 10_000) -> bytes:
    """Quotes, list markers, brackets and emphasis each nested ``depth`` deep."""
    parts = [
        "# 深层嵌套\n\n开头段落。\n\n",
        ">" * depth + " 深层引文\n\n",
        "> " * depth + "带空格的引文\n\n",
        "- " * depth + "列表项\n\n",
        "[" * depth + "链接" + "](https://example.cn)" * depth + "\n\n",
        "[" * depth + "只有左括号\n\n",
        "(" * depth + ")" * depth + "\n\n",
        "*" * depth + "星号" + "*" * depth + "\n\n",
        "<div>" * depth + "\n\n",
        "结尾段落。\n",
    ]
    return "".join(parts).encode()


_CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/word/document.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>'
)
_ROOT_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
    'Target="word/document.xml"/></Relationships>'
)
_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def _docx(document_xml: bytes, filler: int = 0) -> bytes:
    """A minimal DOCX around ``document_xml``; with ``filler``, that many spaces are streamed into it."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", _CONTENT_TYPES)
        zf.writestr("_rels/.rels", _ROOT_RELS)
        if not filler:
            zf.writestr("word/document.xml", document_xml)
        else:
            head, _, tail = document_xml.partition(b"FILLER")
            with zf.open("word/document.xml", "w", force_zip64=True) as part:
                part.write(head)
                chunk = b" " * (1 << 22)
                for _ in range(filler // len(chunk)):
                    part.write(chunk)
                part.write(tail)
    return buf.getvalue()


def _body(paragraphs: str, doctype: str = "") -> bytes:
    return (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>{doctype}'
        f'<w:document xmlns:w="{_W}"><w:body>{paragraphs}</w:body></w:document>'
    ).encode()


def docx_external_entity() -> bytes:
    """A DOCX whose document.xml declares entities reading /etc/passwd and a remote URL."""
    doctype = (
        '<!DOCTYPE w:document [<!ENTITY xxe SYSTEM "file:///etc/passwd">'
        '<!ENTITY rem SYSTEM "http://xxe.example.invalid/x">]>'
    )
    return _docx(_body("<w:p><w:r><w:t>甲&xxe;乙&rem;丙</w:t></w:r></w:p>", doctype))


def docx_billion_laughs() -> bytes:
    """A DOCX whose document.xml expands one entity to a billion ``lol``."""
    ents = ['<!ENTITY lol "lol">'] + [
        f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">' for i in range(1, 10)
    ]
    doctype = "<!DOCTYPE w:document [" + "".join(ents) + "]>"
    return _docx(_body("<w:p><w:r><w:t>&lol9;</w:t></w:r></w:p>", doctype))


@cache
def docx_zip_bomb(size: int = 1 << 30) -> bytes:
    """A DOCX whose document.xml inflates to ``size`` bytes (1 GiB of spaces) from about 1 MB."""
    return _docx(_body("<w:p><w:r><w:t>正文FILLER结尾</w:t></w:r></w:p>"), filler=size)


def docx_bad_local_header() -> bytes:
    """A DOCX whose central directory lists word/document.xml but whose local header is broken.

    Found by fuzz/fuzz_docx.py: ``ZipFile`` opens it, reading the part raises ``BadZipFile``.
    """
    data = bytearray(_docx(_body("<w:p><w:r><w:t>正文</w:t></w:r></w:p>")))
    with zipfile.ZipFile(io.BytesIO(bytes(data))) as zf:
        offset = zf.getinfo("word/document.xml").header_offset
    data[offset : offset + 4] = b"XX\x03\x04"
    return bytes(data)


def docx_corrupt_deflate() -> bytes:
    """A DOCX whose word/document.xml has a valid header but a broken deflate stream.

    Found by fuzz/fuzz_docx.py: reading the part raises ``zlib.error``, not ``BadZipFile``.
    """
    body = "".join(f"<w:p><w:r><w:t>第{i}段正文，记者从市文化局获悉。</w:t></w:r></w:p>" for i in range(200))
    data = bytearray(_docx(_body(body)))
    with zipfile.ZipFile(io.BytesIO(bytes(data))) as zf:
        info = zf.getinfo("word/document.xml")
    start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra)
    data[start : start + 16] = b"\xff" * 16  # the first deflate block header: invalid code lengths
    return bytes(data)


def docx_unsupported_zip_version() -> bytes:
    """A DOCX whose central directory says word/document.xml needs ZIP version 12.1 to extract.

    Found by fuzz/fuzz_docx.py: ``zipfile`` raises ``NotImplementedError`` on such a member.
    """
    data = bytearray(_docx(_body("<w:p><w:r><w:t>正文</w:t></w:r></w:p>")))
    name = b"word/document.xml"
    pos = 0
    while True:
        pos = data.index(b"PK\x01\x02", pos)
        name_len = struct.unpack("<H", data[pos + 28 : pos + 30])[0]
        if bytes(data[pos + 46 : pos + 46 + name_len]) == name:
            break
        pos += 4
    data[pos + 6 : pos + 8] = struct.pack("<H", 121)
    return bytes(data)


def docx_huge_part_named_across_lines() -> bytes:
    """A DOCX with a member whose name holds a line break and whose header claims 300 MiB.

    Found by fuzz/fuzz_docx.py: the error naming that member ran over two lines.
    """
    name = "word/media/a\nb.xml"
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_STORED) as zf:
        zf.writestr("[Content_Types].xml", _CONTENT_TYPES)
        zf.writestr("_rels/.rels", _ROOT_RELS)
        zf.writestr("word/document.xml", _body("<w:p><w:r><w:t>正文</w:t></w:r></w:p>"))
        zf.writestr(name, b"<x/>")
    data = bytearray(buf.getvalue())
    pos = data.index(b"PK\x01\x02")
    while bytes(data[pos + 46 : pos + 46 + len(name.encode())]) != name.encode():
        pos = data.index(b"PK\x01\x02", pos + 4)
    data[pos + 24 : pos + 28] = struct.pack("<I", 300 << 20)  # uncompressed size in the central directory
    return bytes(data)


def docx_encrypted_member() -> bytes:
    """A DOCX whose word/document.xml is flagged as encrypted (general purpose bit 0).

    Found by fuzz/fuzz_docx.py: ``zipfile`` raises ``RuntimeError`` asking for a password.
    """
    data = bytearray(_docx(_body("<w:p><w:r><w:t>正文</w:t></w:r></w:p>")))
    name = b"word/document.xml"
    for signature, flags_at, name_at in ((b"PK\x03\x04", 6, 30), (b"PK\x01\x02", 8, 46)):
        pos = data.index(signature)
        while bytes(data[pos + name_at : pos + name_at + len(name)]) != name:
            pos = data.index(signature, pos + 4)
        flags = struct.unpack("<H", data[pos + flags_at : pos + flags_at + 2])[0]
        data[pos + flags_at : pos + flags_at + 2] = struct.pack("<H", flags | 0x1)
    return bytes(data)

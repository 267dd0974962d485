"""Bytes to text for every text-based reader: BOM, strict UTF-8, then GB18030 or Big5 by detection.

Scraped Chinese pages arrive in UTF-8, GBK (decoded as its superset GB18030) or Big5, and often
lie about it. Anything that is not text (an image, a PDF, a ZIP) or that no candidate decodes
cleanly is refused with an :class:`InputError` that says what the file looks like.
"""

from __future__ import annotations

import codecs
import re

from converters.errors import InputError

#: Magic numbers of files people feed us by mistake, with a human name.
_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF87a", "a GIF image"),
    (b"GIF89a", "a GIF image"),
    (b"%PDF-", "a PDF file"),
    (b"PK\x03\x04", "a ZIP archive (DOCX/EPUB/ZIP)"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"BZh", "a bzip2 archive"),
    (b"\x7fELF", "an executable"),
    (b"RIFF", "a RIFF media file"),
    (b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive"),
)

_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)

#: Labels pages declare, mapped to the codec that decodes what they really send.
_ALIASES = {
    "gb2312": "gb18030",
    "gbk": "gb18030",
    "x-gbk": "gb18030",
    "gb_2312-80": "gb18030",
    "cp936": "gb18030",
    "big5-hkscs": "big5hkscs",
    "x-big5": "big5",
    "utf8": "utf-8",
}


def normalise_label(label: str | None) -> str | None:
    """A declared charset label as the Python codec we trust for it (``None`` if unknown)."""
    if not label:
        return None
    name = label.strip().strip("'\"").lower()
    name = _ALIASES.get(name, name)
    try:
        return codecs.lookup(name).name
    except LookupError:
        return None


def sniff_binary(data: bytes) -> str | None:
    """Name the kind of binary file ``data`` is, or ``None`` when it may be text."""
    for magic, name in _MAGIC:
        if data.startswith(magic):
            return name
    head = data[:8192]
    if b"\x00" in head and not any(head.startswith(bom) for bom, _ in _BOMS):
        return "binary data (it contains NUL bytes)"
    return None


def _strict(data: bytes, encoding: str) -> str | None:
    try:
        return data.decode(encoding)
    except (UnicodeDecodeError, LookupError):
        return None


def _truncated(data: bytes, encoding: str) -> bool:
    """True when ``data`` decodes except for an incomplete character at the very end."""
    decoder = codecs.getincrementaldecoder(encoding)()
    try:
        decoder.decode(data, final=False)
    except UnicodeDecodeError:
        return False
    return bool(decoder.getstate()[0])


#: Where each codec keeps its frequent hanzi: GB 2312 level 1 (rows 0xB0-0xD7), Big5 level 1
#: frequent block (lead bytes 0xA4-0xC6). Mis-decoded text lands mostly outside them.
_COMMON_ZONE = {"gb18030": ("gb2312", 0xB0, 0xD7), "big5": ("big5", 0xA4, 0xC6)}


def _han_score(text: str, codec: str) -> float:
    """Share of the text's Han characters that are frequent ones in ``codec``'s own table."""
    charset, low, high = _COMMON_ZONE.get(codec, ("gb2312", 0xB0, 0xD7))
    han = [c for c in text[:20000] if "\u4e00" <= c <= "\u9fff"]
    if not han:
        return 0.0
    common = 0
    for c in han:
        try:
            lead = c.encode(charset)[0]
        except UnicodeEncodeError:
            continue
        common += low <= lead <= high
    return common / len(han)


def decode_bytes(data: bytes, where: str = "", declared: str | None = None) -> str:
    """Decode article bytes to text, or raise :class:`InputError` saying why it cannot be done.

    Order: BOM; strict UTF-8 (pages that declare gb2312 but send UTF-8 are common); the declared
    charset; then GB18030 and Big5, keeping the one whose Han characters look like real text.
    """
    if not data.strip():
        raise InputError("the file is empty", code="empty-input", where=where)
    kind = sniff_binary(data)
    if kind:
        raise InputError(f"this is {kind}, not a text article", code="binary-input", where=where)
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            text = _strict(data[len(bom) :], encoding)
            if text is None:
                raise InputError(f"invalid {encoding} after its byte-order mark", code="bad-encoding", where=where)
            return _check_text(text, where)
    text = _strict(data, "utf-8")
    if text is not None:
        return _check_text(text, where)
    if _truncated(data, "utf-8"):
        raise InputError(
            "the file is truncated: it ends in the middle of a UTF-8 character; save it again in full",
            code="truncated-input",
            where=where,
        )
    candidates: list[str] = []
    codec = normalise_label(declared)
    if codec and codec not in ("utf-8", "ascii"):
        candidates.append(codec)
    candidates += [c for c in ("gb18030", "big5") if c not in candidates]
    decoded = [(c, t) for c in candidates if (t := _strict(data, c)) is not None]
    if not decoded:
        if any(_truncated(data, c) for c in ("gb18030", "big5")):
            raise InputError(
                "the file is truncated: it ends in the middle of a character; save it again in full",
                code="truncated-input",
                where=where,
            )
        raise InputError(
            "cannot decode the file as UTF-8, GB18030/GBK or Big5; convert it to UTF-8 first "
            "(for example with iconv -f ENCODING -t UTF-8)",
            code="bad-encoding",
            where=where,
        )
    if len(decoded) == 1:
        return _check_text(decoded[0][1], where)
    # Both a GB and a Big5 reading exist: keep the one that reads as common Chinese.
    best = max(decoded, key=lambda ct: (_han_score(ct[1], ct[0]), ct[0] == candidates[0]))
    return _check_text(best[1], where)


#: Control characters XML 1.0 forbids (and the two non-characters). Scraped dumps carry them
#: (form feeds, ANSI escapes, stray NULs past the sniffed head); every XML-based parser and
#: writer rejects them, so they go here, once, for every text reader.
_XML_FORBIDDEN = re.compile("[\x00-\x08\x0e-\x1f\ufffe\uffff]")
_PAGE_BREAKS = re.compile("[\x0b\x0c]")


def _check_text(text: str, where: str) -> str:
    text = _XML_FORBIDDEN.sub("", _PAGE_BREAKS.sub("\n", text))
    if not text.strip():
        raise InputError("the file is empty", code="empty-input", where=where)
    return text

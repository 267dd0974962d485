"""Which charset an HTML page declares: ``<meta charset>``, ``http-equiv`` or an XML declaration.

The declaration is only a hint for :func:`converters.decode.decode_bytes`: the bytes themselves
(a BOM, then strict UTF-8) win, because many Chinese pages declare ``gb2312`` and send UTF-8.
"""

from __future__ import annotations

import re

#: Browsers look for the declaration in the first 1024 bytes; saved pages sometimes push it further
#: down with comments and long titles, so we look a little deeper.
_PRESCAN_BYTES = 8192

_META_CHARSET = re.compile(rb"""<meta[^>]*?charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.IGNORECASE)
_XML_DECL = re.compile(rb"""^\s*<\?xml[^>]*encoding\s*=\s*["']([A-Za-z0-9_.:-]+)""", re.IGNORECASE)


def declared_charset(data: bytes) -> str | None:
    """The charset label the page declares near its start, or ``None``."""
    head = data[:_PRESCAN_BYTES]
    match = _META_CHARSET.search(head) or _XML_DECL.search(head)
    if match is None:
        return None
    return match.group(1).decode("ascii", "replace").lower()

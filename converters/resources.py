"""Loading the resources an article refers to (images), under one policy for every writer.

- Relative and ``file:`` paths resolve against the input's folder and must stay inside it.
- ``data:`` URIs are decoded; ``http(s):`` is fetched only with ``--allow-remote``, with a size
  and time limit; every other scheme (``javascript:``…) is refused.
- Images must be JPEG, PNG, GIF or WebP, decode completely, and have at most 50 megapixels.

A resource that fails any rule yields ``None`` and a warning, never an exception: the writer
keeps the figure's caption.
"""

from __future__ import annotations

import base64
import binascii
import io
import urllib.parse
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from converters.context import Context

MAX_PIXELS = 50_000_000
MAX_IMAGE_BYTES = 40 * 1024 * 1024
REMOTE_TIMEOUT_S = 10

MIME_BY_FORMAT = {"JPEG": "image/jpeg", "PNG": "image/png", "GIF": "image/gif", "WEBP": "image/webp"}
EXTENSION_BY_MIME = {"image/jpeg": ".jpg", "image/png": ".png", "image/gif": ".gif", "image/webp": ".webp"}


@dataclass(frozen=True, slots=True)
class LoadedImage:
    """A checked image: its bytes, media type and pixel size."""

    data: bytes
    mime: str
    width: int
    height: int

    @property
    def extension(self) -> str:
        """The file extension for the media type (``.jpg``…)."""
        return EXTENSION_BY_MIME[self.mime]


def split_url(url: str) -> urllib.parse.SplitResult | None:
    """``urlsplit(url)``, or ``None`` for a URL it rejects (an unclosed IPv6 bracket: ``http://[x``)."""
    try:
        return urllib.parse.urlsplit(url)
    except ValueError:
        return None


def _inside(path: Path, folder: Path) -> bool:
    try:
        path.resolve().relative_to(folder.resolve())
    except ValueError:
        return False
    return True


def _read_local(src: str, ctx: Context) -> bytes | None:
    base = ctx.base_dir or Path.cwd()
    path = Path(urllib.parse.unquote(src))
    if not path.is_absolute():
        path = base / path
    if not _inside(path, base):
        ctx.warn("resource-outside-folder", f"image {src!r} is outside the article's folder; not read")
        return None
    try:
        if not path.is_file():
            ctx.warn("image-missing", f"image {src!r} not found; the caption is kept")
            return None
        if path.stat().st_size > MAX_IMAGE_BYTES:
            ctx.warn("image-too-large", f"image {src!r} is over {MAX_IMAGE_BYTES // 2**20} MiB; not embedded")
            return None
        return path.read_bytes()
    except OSError as exc:  # a name too long to stat, a file we may not read...
        ctx.warn("image-unreadable", f"image {src[:80]!r} cannot be read ({exc.strerror or exc}); the caption is kept")
        return None


def _read_remote(src: str, ctx: Context) -> bytes | None:
    if not ctx.options.allow_remote:
        ctx.warn("remote-not-fetched", f"remote image {src!r} not fetched (use --allow-remote)")
        return None
    try:
        request = urllib.request.Request(src, headers={"User-Agent": "pressroom"})
        with urllib.request.urlopen(request, timeout=REMOTE_TIMEOUT_S) as response:
            data: bytes = response.read(MAX_IMAGE_BYTES + 1)
    except (OSError, ValueError) as exc:
        ctx.warn("image-fetch-failed", f"could not fetch {src!r}: {exc}")
        return None
    if len(data) > MAX_IMAGE_BYTES:
        ctx.warn("image-too-large", f"image {src!r} is over {MAX_IMAGE_BYTES // 2**20} MiB; not embedded")
        return None
    return data


def _read_data_uri(src: str, ctx: Context) -> bytes | None:
    header, _, payload = src.partition(",")
    try:
        if header.endswith(";base64"):
            return base64.b64decode(payload, validate=False)
        return urllib.parse.unquote_to_bytes(payload)
    except (binascii.Error, ValueError):
        ctx.warn("image-corrupt", "a data: image could not be decoded")
        return None


def read_resource(src: str, ctx: Context) -> bytes | None:
    """The bytes ``src`` names, under the policy above (``None`` with a warning otherwise)."""
    parts = split_url(src)
    if parts is None:
        ctx.warn("resource-malformed-url", f"image {src[:60]!r} has a malformed URL; not loaded")
        return None
    scheme = parts.scheme.lower()
    if scheme == "data":
        return _read_data_uri(src, ctx)
    if scheme in ("http", "https"):
        return _read_remote(src, ctx)
    if scheme == "file":
        return _read_local(parts.path, ctx)
    if scheme and len(scheme) > 1:  # a one-letter "scheme" is a Windows drive
        ctx.warn("resource-scheme-refused", f"{scheme}: resources are never loaded ({src[:60]!r})")
        return None
    return _read_local(src, ctx)


def load_image(src: str, ctx: Context) -> LoadedImage | None:
    """Read and check an image; ``None`` (with a warning) when it is missing, corrupt or huge."""
    data = read_resource(src, ctx)
    if data is None:
        return None
    from PIL import Image as PILImage  # deferred: only writers that embed images pay for Pillow

    try:
        with PILImage.open(io.BytesIO(data)) as img:
            fmt = img.format or ""
            width, height = img.size
            if width * height > MAX_PIXELS:
                ctx.warn("image-too-large", f"image {src!r} has {width}x{height} pixels (over 50 MP); not embedded")
                return None
            if fmt not in MIME_BY_FORMAT:
                ctx.warn("image-format", f"image {src!r} is {fmt or 'not an image'}; not embedded")
                return None
            img.load()  # decodes fully: a truncated or corrupt file fails here, not in the writer
    except PILImage.DecompressionBombError:
        ctx.warn("image-too-large", f"image {src!r} is too large to decode; not embedded")
        return None
    except (OSError, ValueError, SyntaxError) as exc:
        ctx.warn("image-corrupt", f"image {src!r} is corrupt ({exc}); the caption is kept")
        return None
    return LoadedImage(data, MIME_BY_FORMAT[fmt], width, height)


def as_png_or_jpeg(image: LoadedImage) -> LoadedImage:
    """The image re-encoded as PNG when it is not already PNG or JPEG (for DOCX and old readers)."""
    if image.mime in ("image/png", "image/jpeg"):
        return image
    from PIL import Image as PILImage

    with PILImage.open(io.BytesIO(image.data)) as img:
        out = io.BytesIO()
        img.convert("RGBA").save(out, format="PNG")
    return LoadedImage(out.getvalue(), "image/png", image.width, image.height)

"""PDF writer: document tree -> HTML + the templates/pdf/ style sheet -> WeasyPrint -> PDF bytes.

One :class:`weasyprint.text.fonts.FontConfiguration` and the parsed style sheets are kept for
the life of the process, so a batch of articles pays for fontconfig and CSS parsing once
(:func:`write_pdf` is the in-process API: call it in a loop). WeasyPrint's line justification is
extended to CJK text by :mod:`converters.writers.pdf.justify`.
"""

from __future__ import annotations

import functools
import hashlib
import logging
import uuid
from pathlib import Path
from typing import Any

from converters.context import Context, Options
from converters.errors import EnvironmentProblem, UsageError
from converters.templates import TEMPLATES as BUNDLED
from converters.tree import Book, Document
from converters.writers.pdf import embedding, fonts, page, startup
from converters.writers.pdf.html import HANDLERS, Renderer, to_html

TEMPLATES = BUNDLED / "pdf"
DEFAULT_TEMPLATE = TEMPLATES / "article.css"
#: Variants offered (all checked by ``qpdf --check`` in the tests); --print defaults to PDF/X-4.
VARIANTS = ("pdf/a-2b", "pdf/a-3b", "pdf/ua-1", "pdf/x-1a", "pdf/x-3", "pdf/x-4")
PRINT_VARIANT = "pdf/x-4"
MAX_FIGURE_SHARE = 0.62  # a figure never takes more than this share of the text block's height

# write_pdf is the writer; html_for, stylesheets and font_config let a benchmark hand the very
# same HTML, style sheets and fonts to WeasyPrint alone.
__all__ = ["HANDLERS", "VARIANTS", "font_config", "html_for", "stylesheets", "write_pdf"]


def _weasyprint() -> Any:
    try:
        weasyprint = startup.import_weasyprint()
    except OSError as exc:  # Pango or its friends missing: cffi fails to dlopen them
        raise EnvironmentProblem(
            f"WeasyPrint cannot load its libraries ({exc}); apt-get install libpango-1.0-0 libpangoft2-1.0-0",
            code="library-missing",
        ) from None
    from converters.writers.pdf import justify

    justify.install()
    embedding.install_font_file_cache()
    embedding.install_one_pass_subsetting()
    return weasyprint


@functools.cache
def font_config() -> Any:
    """The process-wide WeasyPrint font configuration (fontconfig set up once)."""
    _weasyprint()
    from weasyprint.text.fonts import FontConfiguration

    return FontConfiguration()


@functools.cache
def _fetcher_class() -> type:
    _weasyprint()
    from weasyprint.urls import URLFetcher

    class Fetcher(URLFetcher):  # type: ignore[misc]
        """Serves ``data:`` URIs and files under the allowed folders; refuses everything else."""

        def __init__(self, roots: tuple[Path, ...], allow_remote: bool) -> None:
            super().__init__(timeout=10, allowed_protocols=None, allow_redirects=False)
            self.roots = tuple(r.resolve() for r in roots)
            self.allow_remote = allow_remote

        def fetch(self, url: str, headers: Any = None) -> Any:
            scheme = url.split(":", 1)[0].lower()
            if scheme == "data":
                return super().fetch(url, headers)
            if scheme == "file":
                from urllib.request import url2pathname

                path = Path(url2pathname(url.split("?")[0].removeprefix("file:"))).resolve()
                if any(path.is_relative_to(root) for root in self.roots):
                    return super().fetch(url, headers)
                raise ValueError(f"{path} is outside the input and template folders")
            if scheme in ("http", "https") and self.allow_remote:
                return super().fetch(url, headers)
            raise ValueError(f"not fetched: {url[:80]}")

    return Fetcher


@functools.cache
def _fetcher(roots: tuple[Path, ...], allow_remote: bool) -> Any:
    return _fetcher_class()(roots, allow_remote)


@functools.cache
def _css_file(path: Path, mtime: float, roots: tuple[Path, ...]) -> Any:
    """A parsed style sheet, kept until the file changes."""
    weasyprint = _weasyprint()
    return weasyprint.CSS(filename=str(path), font_config=font_config(), url_fetcher=_fetcher(roots, False))


@functools.cache
def _css_string(text: str) -> Any:
    weasyprint = _weasyprint()
    return weasyprint.CSS(string=text, font_config=font_config(), url_fetcher=_fetcher((TEMPLATES,), False))


def _load_css(path: Path, roots: tuple[Path, ...]) -> Any:
    if not path.is_file():
        raise UsageError(f"style sheet {path} not found", code="css-missing")
    return _css_file(path.resolve(), path.stat().st_mtime, roots)


def template_path(options: Options) -> Path:
    """The template style sheet: ``--template`` (a .css file, or a folder with article.css) or ours."""
    if options.template is None:
        return DEFAULT_TEMPLATE
    path = options.template
    return path / "article.css" if path.is_dir() else path


def generated_css(options: Options) -> str:
    """The option-dependent rules: page geometry and the two faces."""
    # A chosen face comes first; the default CJK face backs it up for characters it lacks, so a
    # Latin-only choice never sends Han text to whatever fontconfig finds (DejaVu: tofu).
    serif = fonts.css_stack(options.font_serif, fonts.DEFAULT_SERIF)
    sans = fonts.css_stack(options.font_sans, fonts.DEFAULT_SANS)
    return page.page_css(options) + (
        f"html, body {{ font-family: {serif}; }}\n"
        f"h1, h2, h3, h4, h5, h6, figcaption, .subtitle, .byline, em, strong, .book-title {{ font-family: {sans}; }}\n"
        f"@page {{ @top-center {{ font-family: {sans}; }} @bottom-center {{ font-family: {serif}; }} }}\n"
        # Bookmarks and the running head from the plain title, without the layout's joiners.
        "h1, h2, h3, h4, h5, h6 { bookmark-label: attr(data-label); }\n"
        "h1.title { string-set: running-title attr(data-label); }\n"
    )


def stylesheets(options: Options) -> list[Any]:
    """Generated rules, then the template, then each ``--css`` (later sheets win)."""
    template = template_path(options)
    sheets = [_css_string(generated_css(options)), _load_css(template, (template.parent.resolve(),))]
    sheets += [_load_css(p, (p.parent.resolve(),)) for p in options.css]
    return sheets


def variant(options: Options) -> str | None:
    """The PDF variant asked for (validated), PDF/X-4 by default in print mode."""
    name = options.pdf_variant.lower() if options.pdf_variant else None
    if name is None and options.print_mode:
        return PRINT_VARIANT
    if name is not None and name not in VARIANTS:
        raise UsageError(
            f"unknown PDF variant {options.pdf_variant!r}; use one of {', '.join(VARIANTS)}", code="bad-variant"
        )
    return name


def html_for(tree: Document | Book, ctx: Context) -> str:
    """The HTML WeasyPrint lays out (also what a benchmark renders alone)."""
    spec = page.page_spec(ctx.options.page_size)
    renderer = Renderer(ctx, page.text_width_pt(spec), page.text_height_pt(spec) * MAX_FIGURE_SHARE, spec.font_size)
    created, modified = page.document_dates(tree.meta.date, ctx.options)
    return to_html(tree, renderer, created, modified)


def write_pdf(tree: Document | Book, ctx: Context) -> bytes:
    """Render an article (or an anthology, each article from a new page) as PDF bytes."""
    options = ctx.options
    fonts.check_families(options.font_serif or fonts.DEFAULT_SERIF, options.font_sans or fonts.DEFAULT_SANS)
    chosen = variant(options)
    weasyprint = _weasyprint()
    markup = html_for(tree, ctx)
    base = (ctx.base_dir or Path.cwd()).resolve()
    fetcher = _fetcher((base, TEMPLATES), options.allow_remote)
    document = weasyprint.HTML(string=markup, base_url=str(base) + "/", url_fetcher=fetcher)
    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    from weasyprint.pdf import metadata

    # PDF/X-4 metadata carries a document ID that WeasyPrint draws at random; derive it from the
    # content instead, so the same article gives the same file (reproducible builds).
    digest = hashlib.sha256(f"{chosen}\n{markup}".encode()).hexdigest()
    random_uuid = metadata.uuid4
    metadata.uuid4 = lambda: uuid.UUID(digest[:32])
    try:
        data: bytes = document.write_pdf(
            stylesheets=stylesheets(options),
            font_config=font_config(),
            pdf_variant=chosen,
            pdf_tags=chosen is not None and chosen.startswith("pdf/ua"),
        )
    finally:
        metadata.uuid4 = random_uuid
    return data

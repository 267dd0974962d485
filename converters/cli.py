"""The ``pressroom`` command: convert, inspect, book, build, doctor.

Exit codes: 0 success, 1 a conversion failed (bad input, missing font), 2 a usage error.
Only :class:`~converters.errors.PressroomError` is shown as a message; anything else is a bug
and keeps its traceback.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from converters import __version__, pipeline, registry
from converters.context import Context, Options
from converters.errors import Diagnostic, PressroomError, UsageError

EPILOG = """\
examples:
  pressroom convert article.txt -o article.pdf
  pressroom convert page.html -o page.docx --reference-doc house.docx
  pressroom convert a.txt b.html c.md -o book.epub --title "四月新闻"
  pressroom convert - --from text --to markdown < dump.txt > article.md
  pressroom inspect article.txt            # the cleaned tree as JSON
  pressroom book articles/ -o book.epub --title "合集"
  pressroom build articles/ -o build/ --to md,docx,epub,pdf -j 2
  pressroom doctor                         # fonts and libraries the PDF writer needs
"""


def _add_writer_options(p: argparse.ArgumentParser) -> None:
    g = p.add_argument_group("output options")
    g.add_argument("--template", type=Path, help="template file or folder replacing templates/<writer>/")
    g.add_argument("--css", type=Path, action="append", default=[], help="extra style sheet (PDF, EPUB); repeatable")
    g.add_argument("--font-serif", help="body face (default Noto Serif CJK SC)")
    g.add_argument("--font-sans", help="heading and caption face (default Noto Sans CJK SC)")
    g.add_argument("--cjk-latin-space", action="store_true", help="¼ em between Han and Latin letters or digits")
    g.add_argument("--punctuation-compression", action="store_true", help="compress adjacent full-width marks")
    g.add_argument("--page-size", default="A5", help="A4, A5 (default), B5, 16K or WxH in mm, e.g. 150x220")
    g.add_argument("--print", dest="print_mode", action="store_true", help="3 mm bleed, crop marks, TrimBox/BleedBox")
    g.add_argument("--pdf-variant", help="pdf/a-2b, pdf/ua-1, pdf/x-1a, pdf/x-3, pdf/x-4 ...")
    g.add_argument("--reference-doc", type=Path, help="DOCX whose styles the DOCX writer uses")
    g.add_argument("--embed-fonts", action="store_true", help="EPUB: embed subset CJK fonts")
    g.add_argument("--cover", dest="cover_image", type=Path, help="EPUB cover image")
    g.add_argument("--allow-remote", action="store_true", help="fetch remote images (never by default)")
    g.add_argument("--title", dest="book_title", help="book title when several articles make one file")
    g.add_argument("--group-by", choices=["date", "source"], default="date", help="book contents grouping")


def _options(args: argparse.Namespace) -> Options:
    return Options(
        template=args.template,
        css=tuple(args.css),
        font_serif=args.font_serif,
        font_sans=args.font_sans,
        cjk_latin_space=args.cjk_latin_space,
        punctuation_compression=args.punctuation_compression,
        page_size=args.page_size,
        print_mode=args.print_mode,
        pdf_variant=args.pdf_variant,
        reference_doc=args.reference_doc,
        embed_fonts=args.embed_fonts,
        cover_image=args.cover_image,
        allow_remote=args.allow_remote,
        book_title=args.book_title,
        group_by=args.group_by,
    )


def build_parser() -> argparse.ArgumentParser:
    """The argument parser (exposed for documentation and tests)."""
    parser = argparse.ArgumentParser(
        prog="pressroom",
        description="Turn scraped news articles into Markdown, DOCX, EPUB and print-ready PDF.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"pressroom {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    known_in = ", ".join(sorted(registry.READERS))
    known_out = ", ".join(sorted(registry.WRITERS))
    p = sub.add_parser(
        "convert", help="convert articles", epilog=EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    p.add_argument("inputs", nargs="+", metavar="INPUT", help="article file(s), or - for standard input")
    p.add_argument("-o", "--output", required=True, help="output file, or - for standard output")
    p.add_argument("-f", "--from", dest="from_format", help=f"input format ({known_in}); default from extension")
    p.add_argument("-t", "--to", dest="to_format", help=f"output format ({known_out}); default from extension")
    _add_writer_options(p)

    p = sub.add_parser("inspect", help="print the cleaned document tree as JSON")
    p.add_argument("input", help="article file, or - for standard input")
    p.add_argument("-f", "--from", dest="from_format", help=f"input format ({known_in})")
    p.add_argument("--diagnostics", action="store_true", help="print diagnostics to standard error")

    p = sub.add_parser("book", help="every article in a folder into one EPUB or PDF book")
    p.add_argument("folder", type=Path)
    p.add_argument("-o", "--output", required=True)
    p.add_argument("-t", "--to", dest="to_format")
    _add_writer_options(p)

    p = sub.add_parser("build", help="convert many articles to many formats, make-style")
    p.add_argument("sources", nargs="+", type=Path, metavar="SRC")
    p.add_argument("-o", "--output", dest="outdir", type=Path, required=True, help="output folder")
    p.add_argument("--to", dest="formats", default="md,docx,epub,pdf", help="comma-separated formats")
    p.add_argument("-j", "--jobs", type=int, default=1, help="worker processes")
    p.add_argument("--force", action="store_true", help="rebuild outputs that are up to date")
    p.add_argument("--scheduler", help="Dask scheduler address (tcp://host:port)")
    _add_writer_options(p)

    sub.add_parser("doctor", help="check fonts and libraries, and say what to install")
    return parser


def _print_diagnostics(diagnostics: Sequence[Diagnostic]) -> None:
    for d in diagnostics:
        print(f"pressroom: {d}", file=sys.stderr)  # Diagnostic's text is one line (control characters escaped)


def _book_inputs(folder: Path) -> list[Path]:
    if not folder.is_dir():
        raise UsageError(f"{folder} is not a folder", code="not-a-folder")
    files = sorted(p for p in folder.rglob("*") if p.is_file() and registry.format_for_path(p) in registry.READERS)
    if not files:
        raise UsageError(f"no articles found in {folder}", code="no-input")
    return files


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code."""
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        if args.command == "convert":
            diags = pipeline.convert(
                args.inputs, args.output, from_format=args.from_format, to_format=args.to_format, options=_options(args)
            )
            _print_diagnostics(diags)
        elif args.command == "inspect":
            ctx = Context()
            doc = pipeline.read(args.input, args.from_format, ctx)
            sys.stdout.write(pipeline.render(doc, "json", ctx).decode("utf-8"))
            if args.diagnostics:
                _print_diagnostics(ctx.diagnostics)
        elif args.command == "book":
            to = args.to_format or pipeline.output_format(args.output, None)
            diags = pipeline.convert(_book_inputs(args.folder), args.output, to_format=to, options=_options(args))
            _print_diagnostics(diags)
        elif args.command == "build":
            from converters.build import run_build

            return run_build(args, _options(args))
        elif args.command == "doctor":
            from converters.doctor import run_doctor

            return run_doctor()
        else:
            parser.print_help(sys.stderr)
            return 2
    except UsageError as exc:
        print(f"pressroom: error: {exc}", file=sys.stderr)
        return 2
    except PressroomError as exc:
        print(f"pressroom: error: {exc}", file=sys.stderr)
        return 1
    except MemoryError:
        # Not a bug to show as a traceback: the input needs more memory than this machine allows.
        print("pressroom: error: out of memory; the input is too large or too complex to convert", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("pressroom: interrupted", file=sys.stderr)
        return 130
    return 0

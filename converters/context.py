"""Options and the per-conversion context handed to every reader, cleaner and writer."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from converters.errors import Diagnostic, Level


@dataclass(frozen=True)
class Options:
    """Everything a user can set on the command line or through the API.

    Fields are shared by all readers and writers; each uses those that concern it.
    """

    template: Path | None = None  # a writer's template file or folder, replacing templates/<writer>/
    css: tuple[Path, ...] = ()  # extra style sheets (PDF, EPUB), applied after the template's
    font_serif: str | None = None  # body face (Song/Ming)
    font_sans: str | None = None  # heading/caption face (Hei)
    cjk_latin_space: bool = False  # ¼ em between Han and Latin/digits
    punctuation_compression: bool = False  # the fonts' halt feature on adjacent full-width marks
    page_size: str = "A5"  # A4, A5, B5, 16K or WIDTHxHEIGHT in mm
    print_mode: bool = False  # bleed, crop marks, TrimBox/BleedBox
    pdf_variant: str | None = None  # pdf/a-2b, pdf/ua-1, pdf/x-4 ...
    reference_doc: Path | None = None  # DOCX house styles
    embed_fonts: bool = False  # EPUB: subset and embed the CJK fonts
    cover_image: Path | None = None  # EPUB cover
    allow_remote: bool = False  # fetch http(s) resources (images) at all
    book_title: str | None = None  # anthology title
    group_by: str = "date"  # anthology table of contents: date or source
    source_date_epoch: int | None = None  # fixed timestamps for reproducible output


@dataclass
class Context:
    """Per-conversion state: the options, where relative resources live, and the diagnostics."""

    options: Options = field(default_factory=Options)
    base_dir: Path | None = None  # folder of the input; relative image paths resolve here
    source_name: str = ""  # the input's name, for messages
    diagnostics: list[Diagnostic] = field(default_factory=list)

    def report(self, level: Level, code: str, message: str, where: str = "") -> None:
        """Record a diagnostic (``where`` defaults to the input's name)."""
        self.diagnostics.append(Diagnostic(level, code, message, where or self.source_name))

    def warn(self, code: str, message: str, where: str = "") -> None:
        """Record a warning."""
        self.report("warning", code, message, where)

"""Diagnostics as data, and the one exception type that escapes Pressroom.

A :class:`Diagnostic` records something worth telling the user (a dropped script, a missing
image) without stopping the conversion. Only real failures raise :class:`PressroomError`, whose
message says what was wrong and what to do.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

Level = Literal["info", "warning", "error"]

#: Line breaks and terminal control characters, which a message may carry from the input
#: (a file name, a ZIP member name): shown escaped, so every message stays one harmless line.
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029]")


def one_line(text: object) -> str:
    """``text`` as one line with control characters escaped (``\\n``, ``\\x1b``)."""
    return _CONTROL.sub(lambda m: repr(m.group())[1:-1], str(text))


@dataclass(frozen=True, slots=True)
class Diagnostic:
    """One message: ``code`` is a stable kebab-case identifier, ``where`` a file or node hint."""

    level: Level
    code: str
    message: str
    where: str = ""

    def __str__(self) -> str:
        place = f"{self.where}: " if self.where else ""
        return one_line(f"{place}{self.level}: {self.message} [{self.code}]")


class PressroomError(Exception):
    """A conversion failed; the message is one line fit to show the user."""

    def __init__(self, message: str, *, code: str = "error", where: str = "") -> None:
        super().__init__(one_line(message))
        self.code = code
        self.where = where

    def __str__(self) -> str:
        message = super().__str__()
        return f"{one_line(self.where)}: {message}" if self.where else message


class InputError(PressroomError):
    """The input cannot be read as an article (empty, binary, undecodable, malformed)."""


class UsageError(PressroomError):
    """The command line or options are wrong (unknown format, conflicting flags)."""


class EnvironmentProblem(PressroomError):
    """Something the machine lacks (a font, a library); the message names what to install."""

"""The one root error of briefing and its kinds; the CLI catches only these."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    """One located problem in an input file: where, which field, what is wrong."""

    file: str
    line: int
    column: int
    field: str
    message: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}:{self.column}" if self.line else self.file
        field = f" {self.field}:" if self.field else ""
        return f"{where}:{field} {self.message}"


class BriefingError(Exception):
    """Raised for anything the user can fix: bad input, a missing file, an unwritable folder."""

    exit_code = 1


class SourceError(BriefingError):
    """Raised when a briefing source cannot be read or does not validate; holds every problem."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


class ThemeError(BriefingError):
    """Raised when a theme folder, its theme.yaml or its master deck is unusable."""


class OutputError(BriefingError):
    """Raised when an output cannot be written (read-only folder, full disk)."""


class PrinterError(BriefingError):
    """Raised when the printer process ends with a page in hand (killed, out of memory)."""


class InputError(BriefingError):
    """Raised when a file the user names is no regular file, is too large or cannot be read."""

    def __init__(self, path: object, reason: str):
        self.path, self.reason = str(path), reason
        super().__init__(f"{path}: {reason}")

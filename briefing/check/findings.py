"""What a check finds: a located error or warning, and the report in text or JSON."""

from __future__ import annotations

import json
import re
from dataclasses import asdict, dataclass

from briefing.errors import BriefingError

JSON_SCHEMA_VERSION = 1
Issue = tuple[tuple, str, str, str]  # a check's raw result: (field path, severity, code, message)
# How the layout says a source slide's items continue on the next slide.
CONTINUED = re.compile(r"slide (\d+) \(([a-z_]+)\): (.*)", re.DOTALL)


@dataclass(frozen=True)
class Finding:
    """One problem: how bad, where (file, line, slide, field), what is wrong and what to do."""

    severity: str  # "error" stops a build; "warning" is printed and the build goes on
    code: str
    file: str
    line: int
    column: int
    slide: int | None
    field: str
    message: str
    deck_slide: int | None = None  # the deck's slide, where not the source slide's number

    def __str__(self) -> str:
        deck = f" (deck slide {self.deck_slide})" if self.deck_slide else ""
        slide = f"slide {self.slide}{deck}: " if self.slide else ""
        # "slide 2: slides[1]:" says one place twice; a field inside the slide says more.
        said = self.field and self.field != f"slides[{(self.slide or 0) - 1}]"
        field = f"{self.field}: " if said else ""
        return (
            f"{self.file}:{self.line}:{self.column}: {self.severity}: {slide}{field}{self.message}"
        )


class CheckFailed(BriefingError):
    """Raised when checks find errors; carries every finding, warnings included."""

    def __init__(self, findings: list[Finding]):
        self.findings = findings
        errors = [f for f in findings if f.severity == "error"]
        super().__init__(
            "\n".join(str(f) for f in errors) + f"\n{len(errors)} error(s); the build stopped"
        )


def as_json(findings: list[Finding], file: str) -> str:
    """The findings as the documented JSON report (see README, `briefing check --format json`)."""
    return json.dumps(
        {
            "version": JSON_SCHEMA_VERSION,
            "file": file,
            "errors": sum(f.severity == "error" for f in findings),
            "warnings": sum(f.severity == "warning" for f in findings),
            "findings": [_as_reported(f) for f in findings],
        },
        ensure_ascii=False,
        indent=2,
    )


def _as_reported(finding: Finding) -> dict:
    """A finding as the report's version 1 has it: a deck slide number, where it is said, leads
    the message."""
    reported = asdict(finding)
    if deck_slide := reported.pop("deck_slide"):
        reported["message"] = f"deck slide {deck_slide}: {reported['message']}"
    return reported


def continued_issue(warning: str, lang: str) -> Issue | None:
    """A layout warning that a slide's items continue on the next slide, as a warning at the
    slide's list (a comparison's two columns have no one field: at the slide); else None."""
    from briefing.layout.deck import CONTINUABLE

    said = CONTINUED.fullmatch(warning)
    if said is None:
        return None
    field = getattr(CONTINUABLE.get(said[2]), "field", None)
    path = ("slides", int(said[1]) - 1, *([field] if field else []))
    return path, "warning", "continued", f"{said[3]} ({lang})"

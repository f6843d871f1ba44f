"""Run every check on a loaded briefing and locate each finding in its file."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from pathlib import Path

from briefing.cache import Cache
from briefing.check.budgets import budget_issues
from briefing.check.findings import Finding, Issue, continued_issue
from briefing.check.fit import fit_issues
from briefing.check.glyphs import glyph_issues
from briefing.check.repeats import repeat_issues
from briefing.check.rules import provenance_issues, read_source_texts
from briefing.check.signs import sign_issues
from briefing.check.speaking import duration_issues
from briefing.errors import Problem
from briefing.loader import LoadedSource, field_name
from briefing.model import Briefing
from briefing.theme import Theme

SEVERITY_ORDER = {"error": 0, "warning": 1}
# The layout check names the slide of the deck a box is on; a finding names its source slide.
DECK_SLIDE = re.compile(r"deck slide (\d+): ")


def run_checks(
    loaded: LoadedSource,
    theme: Theme,
    against: dict[str, Path] | None = None,
    fit: bool = True,
    cache: Cache | None = None,
    languages: Iterable[str] | None = None,
) -> list[Finding]:
    """The load's problems, then provenance, budgets, speaking time and (with `fit`) text fit
    in `languages` (default: all) of the part that loaded, as located findings."""
    findings = [load_finding(problem) for problem in loaded.problems]
    briefing = loaded.briefing
    if briefing is not None:
        issues = list(_language_issues(briefing, languages))
        if not issues:
            issues = list(_issues(loaded, briefing, theme, against, cache))
            if fit:
                fitted = languages or briefing.meta.languages
                issues += fit_issues(briefing, theme, fitted, cache)
        findings += [locate(loaded, issue) for issue in issues]
    return sorted(findings, key=lambda f: (SEVERITY_ORDER[f.severity], f.line, f.column, f.code))


def _issues(loaded: LoadedSource, briefing: Briefing, theme, against, cache) -> Iterator[Issue]:
    texts = read_source_texts(briefing, Path(loaded.file).parent, against or {})
    yield from provenance_issues(briefing, texts)
    yield from budget_issues(briefing, theme)
    yield from glyph_issues(briefing, cache)
    yield from duration_issues(briefing)
    yield from repeat_issues(briefing)
    yield from sign_issues(briefing)


def _language_issues(briefing: Briefing, languages: Iterable[str] | None) -> Iterator[Issue]:
    """A language asked for that the briefing is not written in."""
    known = briefing.meta.languages
    for lang in languages or ():
        if lang not in known:
            yield (
                ("meta", "languages"),
                "error",
                "unknown-language",
                f"--lang {lang}: the briefing is written in {', '.join(known)}; check one of "
                "those, or add the language to meta.languages and its texts",
            )


# A load problem names its field; in a slide, the finding names the slide as the checks' do.
SLIDE_FIELD = re.compile(r"slides\[(\d+)\]")


def load_finding(problem: Problem) -> Finding:
    """A problem of loading the source, as a finding (in the form of the checks' findings)."""
    in_slide = SLIDE_FIELD.match(problem.field)
    return Finding(
        "error",
        "invalid-source",
        problem.file,
        problem.line,
        problem.column,
        int(in_slide[1]) + 1 if in_slide else None,
        problem.field,
        problem.message,
    )


def locate(loaded: LoadedSource, issue: Issue) -> Finding:
    """A finding at the file position of an issue's path; a deck slide number is kept only
    where it is not the source slide's (after a slide that continues)."""
    path, severity, code, message = issue
    line, column = loaded.where(path)
    path = loaded.original(path)
    slide = path[1] + 1 if len(path) > 1 and path[0] == "slides" else None
    deck_slide = None
    if said := DECK_SLIDE.match(message):
        message = message[said.end() :]
        # A source read with slides left out numbers its deck's slides differently.
        counted = loaded.part is None or loaded.part.slides_in_place
        deck_slide = int(said[1]) if int(said[1]) != slide and counted else None
    return Finding(
        severity, code, loaded.file, line, column, slide, field_name(path), message, deck_slide
    )


def located_warning(loaded: LoadedSource, warning: str, lang: str) -> str:
    """A layout warning as a printed line: at its slide's list when it is a continued slide."""
    issue = continued_issue(warning, lang)
    return str(locate(loaded, issue)) if issue else f"warning: {warning}"

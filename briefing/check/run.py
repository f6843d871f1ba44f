"""Run every check on a loaded briefing and locate each finding in its file."""

from __future__ import annotations

from pathlib import Path

from briefing.cache import Cache
from briefing.check.budgets import budget_issues
from briefing.check.findings import Finding
from briefing.check.fit import fit_issues
from briefing.check.glyphs import glyph_issues
from briefing.check.repeats import repeat_issues
from briefing.check.rules import provenance_issues, read_source_texts
from briefing.check.signs import sign_issues
from briefing.check.speaking import duration_issues
from briefing.loader import LoadedSource, field_name
from briefing.theme import Theme

SEVERITY_ORDER = {"error": 0, "warning": 1}


def run_checks(
    loaded: LoadedSource,
    theme: Theme,
    against: dict[str, Path] | None = None,
    fit: bool = True,
    cache: Cache | None = None,
) -> list[Finding]:
    """Provenance, budgets, speaking time and (with `fit`) text fit, as located findings."""
    briefing = loaded.briefing
    texts = read_source_texts(briefing, Path(loaded.file).parent, against or {})
    issues = list(provenance_issues(briefing, texts))
    issues += budget_issues(briefing, theme)
    issues += glyph_issues(briefing, cache)
    issues += duration_issues(briefing)
    issues += repeat_issues(briefing)
    issues += sign_issues(briefing)
    if fit:
        issues += fit_issues(briefing, theme, briefing.meta.languages, cache)
    return sorted(
        (locate(loaded, issue) for issue in issues),
        key=lambda f: (SEVERITY_ORDER[f.severity], f.line, f.column, f.code),
    )


def locate(loaded: LoadedSource, issue) -> Finding:
    """A finding at the file position of an issue's path."""
    path, severity, code, message = issue
    line, column = loaded.where(path)
    slide = path[1] + 1 if len(path) > 1 and path[0] == "slides" else None
    return Finding(severity, code, loaded.file, line, column, slide, field_name(path), message)

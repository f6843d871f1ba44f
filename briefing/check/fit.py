"""Text fit: lay the deck out as the build would and report boxes that shrink or overflow."""

from __future__ import annotations

import io
import math
from collections.abc import Iterable, Iterator

from briefing.cache import Cache
from briefing.check.box_words import box_words
from briefing.check.findings import Issue
from briefing.model import Briefing
from briefing.theme import Theme

SHRINK_WARNING = 0.8  # below this the reader notices a smaller type than on the other slides


def fit_issues(
    briefing: Briefing, theme: Theme, languages: Iterable[str], cache: Cache | None = None
) -> Iterator[Issue]:
    """Overflowing boxes (errors), much-shrunk ones and slides continued (warnings), for every
    language."""
    from briefing.check.findings import continued_issue
    from briefing.render.pptx import render_pptx

    for lang in languages:
        report = render_pptx(briefing, theme, lang, io.BytesIO(), cache)
        yield from issues_of(report, theme, lang, briefing)
        yield from filter(None, (continued_issue(w, lang) for w in report.warnings))


def issues_of(report, theme: Theme, lang: str, briefing: Briefing | None = None) -> Iterator[Issue]:
    """Turn what rendering one deck found (fits, the layout's own check) into issues, each at
    the field its box shows and saying what its author can do (`briefing` names KPI figures)."""
    yield from report.issues
    theme_name = f"{theme.master_path.name} (theme '{theme.name}')"
    for fit in report.fits:
        slide = briefing.slides[fit.slide_index] if briefing else None
        words = box_words(fit.box, slide)
        path = ("slides", fit.slide_index, *words.field)
        if not fit.fits:
            yield (
                path,
                "error",
                "text-overflow",
                (
                    f"{words.name} overflows its box ({lang}): a word or link in it is wider "
                    f"than the box even at the minimum size ({fit.floor:g} pt); {words.remedy}"
                    if math.isinf(fit.needed)
                    else f"{words.name} overflows its box ({lang}): its text needs "
                    f"{fit.needed:.0f} pt of height, the box has {fit.available:.0f} pt even at "
                    f"the minimum size ({fit.floor:g} pt) on layout '{fit.layout}' of "
                    f"{theme_name}; {words.remedy}, or use a master with more room"
                ),
            )
        elif fit.scale < SHRINK_WARNING:
            yield (
                path,
                "warning",
                "text-shrunk",
                f"{words.name} is set at {fit.scale:.0%} of its size to fit ({lang}); "
                f"{words.remedy}",
            )

"""Text fit: lay the deck out as the build would and report boxes that shrink or overflow."""

from __future__ import annotations

import io
import math
from collections.abc import Iterable, Iterator

from briefing.cache import Cache
from briefing.check.findings import Issue
from briefing.model import Briefing
from briefing.theme import Theme

SHRINK_WARNING = 0.8  # below this the reader notices a smaller type than on the other slides


def fit_issues(
    briefing: Briefing, theme: Theme, languages: Iterable[str], cache: Cache | None = None
) -> Iterator[Issue]:
    """Overflowing boxes (errors) and much-shrunk ones (warnings), for every language."""
    from briefing.render.pptx import render_pptx

    for lang in languages:
        report = render_pptx(briefing, theme, lang, io.BytesIO(), cache)
        yield from issues_of(report, theme, lang)


def issues_of(report, theme: Theme, lang: str) -> Iterator[Issue]:
    """Turn what rendering one deck found (fits, the layout's own check) into issues."""
    yield from report.issues
    theme_name = f"{theme.master_path.name} (theme '{theme.name}')"
    for fit in report.fits:
        path = ("slides", fit.slide_index)
        if not fit.fits:
            yield (
                path,
                "error",
                "text-overflow",
                (
                    f"the {fit.box} box overflows ({lang}): a word or link in it is wider than "
                    f"the box even at the minimum size ({fit.floor:g} pt); shorten it or put "
                    "it in the speaker notes"
                    if math.isinf(fit.needed)
                    else f"the {fit.box} box overflows ({lang}): its text needs "
                    f"{fit.needed:.0f} pt of height, the box has {fit.available:.0f} pt even at "
                    f"the minimum size ({fit.floor:g} pt) on layout '{fit.layout}' of "
                    f"{theme_name}; shorten the text or use a master with more room"
                ),
            )
        elif fit.scale < SHRINK_WARNING:
            yield (
                path,
                "warning",
                "text-shrunk",
                (
                    f"the {fit.box} box is set at {fit.scale:.0%} of its size to fit ({lang}); "
                    "consider shortening it"
                ),
            )

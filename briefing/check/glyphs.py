"""Characters no shipped font draws: they would print as empty boxes (an emoji in a point)."""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator

from briefing.cache import Cache
from briefing.check.findings import Issue
from briefing.fonts import SHIPPED
from briefing.measure import font_metrics
from briefing.model import Briefing
from briefing.references import texts

# Characters that are layout, not ink: no font needs a glyph for them.
INVISIBLE = {"Cc", "Cf", "Zl", "Zp"}


def glyph_issues(briefing: Briefing, cache: Cache | None = None) -> Iterator[Issue]:
    """A warning for each text holding characters that none of the shipped fonts has."""
    every = [(path, text) for path, text in texts(briefing)]
    used = {char for _, text in every for value in text.values() for char in value}
    fonts = [font_metrics(locate().regular, cache) for locate in SHIPPED.values()]
    lacking = {
        char
        for char in used
        if not char.isspace()
        and unicodedata.category(char) not in INVISIBLE
        and all(font.width(char) is None for font in fonts)
    }
    if not lacking:
        return  # the common case: one pass over the characters, none missing
    for path, text in every:
        missing = sorted({char for value in text.values() for char in value} & lacking)
        if missing:
            shown = ", ".join(f"{c} (U+{ord(c):04X})" for c in missing[:5])
            yield (
                path,
                "warning",
                "missing-glyph",
                f"{shown} {'is' if len(missing) == 1 else 'are'} in none of the fonts "
                f"({', '.join(SHIPPED)}): viewers without them, and the PDF, show an empty "
                "box; write it out in words",
            )

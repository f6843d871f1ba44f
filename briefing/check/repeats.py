"""Words written next to a figure that the figure already says: "{moves} an hour", where the
figure reads "34 crane moves an hour", shows "an hour an hour" on the slide."""

from __future__ import annotations

import re
from collections.abc import Iterator

from briefing.check.findings import Issue
from briefing.linebreak import is_wide
from briefing.model import ANY_LANGUAGE, FIGURE_REFERENCE, Briefing
from briefing.numbers import format_figure
from briefing.references import texts

_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)*")


def repeat_issues(briefing: Briefing) -> Iterator[Issue]:
    """A warning for each figure reference whose neighbouring words repeat the figure's own."""
    figures = {figure.id: figure for figure in briefing.figures}
    for path, text in texts(briefing):
        for lang, written in text.items():
            shown_in = briefing.meta.languages[0] if lang == ANY_LANGUAGE else lang
            where = path if lang == ANY_LANGUAGE else path + (lang,)
            for match in FIGURE_REFERENCE.finditer(written):
                figure = figures.get(match.group(1))
                if figure is None:
                    continue  # an unknown id is the reference check's error
                shown = format_figure(figure, shown_in)
                after = repeated_after(shown, written[match.end() :])
                before = repeated_before(shown, written[: match.start()])
                if after or before:
                    twice = after or before
                    reads = (
                        f"{shown}{written[match.end() :][: len(after) + 1]}"
                        if after
                        else (f"{written[: match.start()][-len(before) - 1 :]}{shown}")
                    )
                    yield (
                        where,
                        "warning",
                        "repeated-words",
                        f"'{twice}' is written next to {match.group()}, which already reads "
                        f"'{shown}': it would read '{reads.strip()}'; drop one",
                    )


def repeated_after(shown: str, after: str) -> str | None:
    """The start of `after` that repeats the end of the figure as shown, if any: the last
    words in spaced text, or the last characters in Chinese."""
    if shown and after and is_wide(shown[-1]) and is_wide(after[0]):
        for size in range(min(len(shown), len(after)), 0, -1):
            if shown.endswith(after[:size]) and not after[:size].isdigit():
                return after[:size]
        return None
    last, following = _WORD.findall(shown), _WORD.findall(after)
    for size in range(min(len(last), len(following), 4), 0, -1):
        if not after[:1].isspace():
            return None  # "{x}s" or "{x}-fold" is no repeated word
        if _folded(last[-size:]) == _folded(following[:size]) and _has_letters(last[-size:]):
            return " ".join(following[:size])
    return None


def repeated_before(shown: str, before: str) -> str | None:
    """The end of `before` that repeats the start of the figure as shown ("US$ {revenue}"
    where the figure reads "US$25 billion")."""
    if shown and before and is_wide(shown[0]) and is_wide(before[-1]):
        for size in range(min(len(shown), len(before)), 0, -1):
            if shown.startswith(before[-size:]) and not before[-size:].isdigit():
                return before[-size:]
        return None
    first, preceding = _WORD.findall(shown), _WORD.findall(before)
    for size in range(min(len(first), len(preceding), 4), 0, -1):
        if _folded(first[:size]) == _folded(preceding[-size:]) and _has_letters(first[:size]):
            return " ".join(preceding[-size:])
    return None


# Scale words the figures abbreviate ("US$840 bn"), so that "{valuation} billion" is caught.
_SAME_WORD = {"bn": "billion", "mn": "million", "m": "million", "tn": "trillion", "k": "thousand"}


def _folded(words: list[str]) -> list[str]:
    folded = [word.casefold() for word in words]
    return [_SAME_WORD.get(word, word) for word in folded]


def _has_letters(words: list[str]) -> bool:
    """Digits alone repeat by design ("2025 ... {growth_2025}" is no fault)."""
    return any(not word.isdigit() for word in words)

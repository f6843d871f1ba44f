"""A laid-out box as its author knows it: what it shows, the field it comes from, what to do."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

SHORTER = "shorten it, or move the detail into the notes"
VALUE_REMEDY = (
    "a figure's value cannot be shortened: give the figure a larger `scale` (2,100,000 as 2.1 "
    "million) or fewer `decimals`, leave its `noun` to the label, or put fewer cards on the "
    "slide"
)


@dataclass(frozen=True)
class BoxWords:
    """How a finding names a box: the text shown, its field under the slide, the remedy."""

    name: str
    field: tuple[str | int, ...]
    remedy: str


def box_words(where: str, slide=None) -> BoxWords:
    """The words for the box the layout calls `where` (e.g. 'kpi item 2 value') on `slide`."""
    for pattern, words in NAMES:
        if match := pattern.fullmatch(where):
            return words(match, slide)
    return BoxWords(f"the {where} text", (), "shorten it")


def _kpi_value(match: re.Match, slide) -> BoxWords:
    index = int(match[1]) - 1
    items = getattr(slide, "items", [])
    figure = f" (figure '{items[index].figure}')" if index < len(items) else ""
    return BoxWords(f"the value of kpi item {index + 1}{figure}", ("items", index), VALUE_REMEDY)


def _kpi_label(match: re.Match, slide) -> BoxWords:
    index = int(match[1]) - 1
    return BoxWords(
        f"the label of kpi item {index + 1}",
        ("items", index),
        "write a shorter `label` on the item (it replaces the figure's label on the card)",
    )


def _event(match: re.Match, slide) -> BoxWords:
    index = int(match[1]) - 1
    if match[2]:
        return BoxWords(
            f"the date of timeline event {index + 1}",
            ("events", index, "when"),
            "write the date shorter (Jan 2027, Q3 2026)",
        )
    return BoxWords(f"timeline event {index + 1}", ("events", index, "what"), SHORTER)


def _title(match: re.Match, slide) -> BoxWords:
    if match[1] == "title":
        return BoxWords(
            "the cover's title",
            ("title",),
            "shorten the title (the title slide's `title`, else meta.title)",
        )
    return BoxWords("the title", ("title",), "shorten the title to its conclusion in a line or two")


def _fixed(name: str, field: tuple, remedy: str) -> Callable[[re.Match, object], BoxWords]:
    return lambda match, slide: BoxWords(name, field, remedy)


NAMES: list[tuple[re.Pattern, Callable[[re.Match, object], BoxWords]]] = [
    (re.compile(r"kpi item (\d+) value"), _kpi_value),
    (re.compile(r"kpi item (\d+) label"), _kpi_label),
    (re.compile(r"timeline event (\d+)( date)?"), _event),
    (
        re.compile(r"title subtitle"),
        _fixed(
            "the cover's subtitle and date line",
            ("subtitle",),
            "shorten the subtitle (else meta.subtitle), meta.audience or meta.author",
        ),
    ),
    (re.compile(r"(\w+) title"), _title),
    (
        re.compile(r"chart points"),
        _fixed("the list of points beside the chart", ("points",), SHORTER),
    ),
    (re.compile(r"\w+ points"), _fixed("the list of points", ("points",), SHORTER)),
    (
        re.compile(r"comparison (left|right)"),
        lambda match, slide: BoxWords(
            f"the {match[1]} column", (match[1],), "shorten its heading or points"
        ),
    ),
    (re.compile(r"quote"), _fixed("the quote", ("quote",), "quote a shorter phrase of the source")),
    (
        re.compile(r"recommendations item (\d+)"),
        # Recommendations continue onto further slides, where items are numbered afresh.
        lambda match, slide: BoxWords(
            f"recommendation {match[1]}", ("items",), "shorten its action or why"
        ),
    ),
    (
        re.compile(r"source line"),
        _fixed(
            "the source line",
            (),
            "shorten the sources' `outlet`, or show the figures of fewer sources on the slide",
        ),
    ),
    (
        re.compile(r"sources list"),
        _fixed("the list of sources", (), "shorten the sources' `outlet` and `title`"),
    ),
    (re.compile(r"footer"), _fixed("the footer", (), "shorten meta.classification")),
    (re.compile(r"slide number"), _fixed("the slide number", (), "use a master with more room")),
]

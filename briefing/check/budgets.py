"""Readability budgets per slide kind, against brain fry: points, length, words, numbers, titles."""

from __future__ import annotations

import re
from collections.abc import Iterator

from briefing.check.findings import Issue
from briefing.citations import figures_on
from briefing.model import (
    Briefing,
    Budget,
    BulletsSlide,
    ChartSlide,
    ComparisonSlide,
    RecommendationsSlide,
    SummarySlide,
    TimelineSlide,
)
from briefing.references import texts
from briefing.richtext import fill, plain
from briefing.theme import Theme

HAN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
WORD = re.compile(r"[A-Za-z0-9][A-Za-z0-9'’.,%$-]*")


NO_ACTION_TITLE = {"title", "sources"}


def budget_for(kind: str, theme: Theme, briefing: Briefing) -> Budget:
    """The limits for a slide kind: theme default, theme kind, briefing default, briefing kind."""
    layers = [
        theme.budgets.default,
        theme.budgets.kinds.get(kind),
        briefing.budgets.get("default"),
        briefing.budgets.get(kind),
    ]
    merged: dict = {}
    for layer in layers:
        if layer is not None:
            merged.update({k: v for k, v in layer.model_dump().items() if v is not None})
    return Budget(**merged)


def length(text: str, lang: str) -> tuple[int, str]:
    """How long a text reads: Chinese by characters, other languages by words."""
    if lang == "zh":
        return len(HAN.findall(text)) + len(WORD.findall(HAN.sub(" ", text))), "characters"
    return len(WORD.findall(text)), "words"


def budget_issues(briefing: Briefing, theme: Theme) -> Iterator[Issue]:
    """Every slide that exceeds its budget, in every language of the briefing."""
    for index, slide in enumerate(briefing.slides):
        budget = budget_for(slide.kind, theme, briefing)
        path = ("slides", index)
        points = _points(slide)
        if budget.bullets is not None and len(points) > budget.bullets:
            yield (
                path,
                "error",
                "too-many-points",
                (
                    f"{len(points)} points on one {slide.kind} slide; the budget is "
                    f"{budget.bullets}: merge points or split the slide"
                ),
            )
        # A chart's data is read as a chart, not as numbers in the text: it is not counted.
        visible = figures_on(briefing, slide, with_notes=False, with_chart=False)
        if budget.numbers is not None and len(visible) > budget.numbers:
            yield (
                path,
                "error",
                "too-many-numbers",
                (
                    f"{len(visible)} figures on one slide; the budget is {budget.numbers}: "
                    "keep the ones that carry the message, move the rest to the notes"
                ),
            )
        if not "".join(slide.notes.values()).strip():
            yield path + ("notes",), "error", "no-notes", "speaker notes are empty"
        for lang in briefing.meta.languages:
            yield from _language_issues(briefing, slide, path, points, budget, lang)


def _language_issues(briefing, slide, path, points, budget: Budget, lang: str) -> Iterator[Issue]:
    limit_point = budget.bullet_chars_zh if lang == "zh" else budget.bullet_words
    for point_path, point in points:
        size, unit = length(plain(fill(point, lang, briefing)), lang)
        if limit_point is not None and size > limit_point:
            yield (
                path + point_path,
                "error",
                "point-too-long",
                (
                    f"a point of {size} {unit} ({lang}); the budget is {limit_point}: "
                    "say it in fewer words, put the detail in the notes"
                ),
            )
    shown = " ".join(
        plain(fill(text, lang, briefing))
        for text_path, text in texts(slide)
        if "notes" not in text_path
    )
    size, unit = length(shown, lang)
    limit_slide = budget.slide_chars_zh if lang == "zh" else budget.slide_words
    if limit_slide is not None and size > limit_slide:
        yield (
            path,
            "error",
            "slide-too-long",
            (
                f"{size} {unit} on the slide ({lang}); the budget is {limit_slide}: "
                "cut or split the slide"
            ),
        )
    title_size, title_unit = length(plain(fill(slide.title, lang, briefing)), lang)
    minimum = budget.title_min_chars_zh if lang == "zh" else budget.title_min_words
    # A title slide and the sources slide name what they are; they state no conclusion.
    if slide.kind in NO_ACTION_TITLE:
        minimum = None
    if minimum is not None and title_size < minimum:
        yield (
            path + ("title",),
            "warning",
            "title-not-a-sentence",
            (
                f"the title has {title_size} {title_unit} ({lang}); an action title states the "
                f"conclusion in a sentence of at least {minimum}"
            ),
        )


def _points(slide) -> list[tuple[tuple, dict]]:
    """The talking points of a slide with their paths inside the slide."""
    if isinstance(slide, (SummarySlide, BulletsSlide, ChartSlide)):
        return [(("points", i), p) for i, p in enumerate(slide.points)]
    if isinstance(slide, ComparisonSlide):
        return [
            ((side, "points", i), p)
            for side in ("left", "right")
            for i, p in enumerate(getattr(slide, side).points)
        ]
    if isinstance(slide, TimelineSlide):
        return [(("events", i, "what"), e.what) for i, e in enumerate(slide.events)]
    if isinstance(slide, RecommendationsSlide):
        return [(("items", i, "action"), r.action) for i, r in enumerate(slide.items)]
    return []

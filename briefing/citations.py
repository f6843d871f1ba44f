"""Which figures a slide shows, and the source line and derivation notes that go with them."""

from __future__ import annotations

import ast

from briefing.model import FIGURE_REFERENCE, Briefing, ChartSlide, Figure, KpiSlide, pick
from briefing.references import texts
from briefing.words import word

MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]


def figures_on(
    briefing: Briefing, slide, with_notes: bool = True, with_chart: bool = True
) -> list[Figure]:
    """Every figure a slide shows (and, with notes, speaks of; with_chart, plots), in first-use
    order, once each."""
    ids: list[str] = []
    for path, text in texts(slide):
        if not with_notes and "notes" in path:
            continue
        for value in text.values():
            ids += FIGURE_REFERENCE.findall(value)
    if isinstance(slide, KpiSlide):
        ids += [item.figure for item in slide.items]
    if isinstance(slide, ChartSlide) and with_chart:
        ids += [f.id for f in figures_of_chart(briefing, briefing.chart(slide.chart))]
    return [briefing.figure(i) for i in dict.fromkeys(ids)]


def figures_of_chart(briefing: Briefing, chart) -> list[Figure]:
    """The figures a chart plots or names in its texts, once each."""
    ids = [figure_id for series in chart.series for figure_id in series.values]
    for _, text in texts(chart):
        for value in text.values():
            ids += FIGURE_REFERENCE.findall(value)
    return [briefing.figure(i) for i in dict.fromkeys(ids)]


def inputs_of(briefing: Briefing, figure: Figure) -> list[Figure]:
    """The sourced figures a figure rests on: itself, or the inputs of its derivation."""
    if figure.derived is None:
        return [figure]
    names = [
        n.id
        for n in ast.walk(ast.parse(figure.derived.formula, mode="eval"))
        if isinstance(n, ast.Name)
    ]
    result: list[Figure] = []
    for name in dict.fromkeys(names):
        result += inputs_of(briefing, briefing.figure(name))
    return result


def source_line(briefing: Briefing, figures: list[Figure], lang: str) -> str:
    """'Source: Appfigures, Forbes via <outlet>, Mar 2026' for the figures given."""
    by_source: dict[str, list[str]] = {}
    for figure in figures:
        for sourced in inputs_of(briefing, figure):
            cited = by_source.setdefault(sourced.source or "", [])
            name = pick(sourced.cited, lang)
            if name and name not in cited:
                cited.append(name)
    parts = []
    for source_id, cited in by_source.items():
        source = briefing.source(source_id)
        where = f"{pick(source.outlet, lang)}{word('comma', lang)}{format_date(source.date, lang)}"
        if cited:
            where = f"{word('list', lang).join(cited)}{word('via', lang)}{where}"
        parts.append(where)
    if not parts:
        return ""
    return word("source", lang) + word("sources_sep", lang).join(parts)


def derivation_notes(figures: list[Figure], lang: str) -> list[str]:
    """The explanation of each derived figure among those given."""
    return [
        word("note", lang) + pick(f.derived.explain, lang) for f in figures if f.derived is not None
    ]


def format_date(date: str, lang: str) -> str:
    """Write a YYYY[-MM[-DD]] date as 'Mar 2026' or '2026年3月'."""
    parts = [int(p) for p in date.split("-")]
    if lang == "zh":
        return "".join(f"{p}{unit}" for p, unit in zip(parts, "年月日"))
    if len(parts) == 1:
        return str(parts[0])
    month = MONTHS[parts[1] - 1]
    return f"{parts[2]} {month} {parts[0]}" if len(parts) == 3 else f"{month} {parts[0]}"

"""Which figures a slide shows, and the source line and derivation notes that go with them."""

from __future__ import annotations

import ast

from briefing.model import FIGURE_REFERENCE, Briefing, ChartSlide, Figure, KpiSlide, pick
from briefing.references import texts

SOURCE_WORD = {"zh": "来源：", "en": "Source: "}
VIA_WORD = {"zh": "，据", "en": " via "}
NOTE_WORD = {"zh": "注：", "en": "Note: "}
MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]


def figures_on(briefing: Briefing, slide, with_notes: bool = True) -> list[Figure]:
    """Every figure a slide shows (and, with notes, speaks of), in first-use order, once each."""
    ids: list[str] = []
    for path, text in texts(slide):
        if not with_notes and "notes" in path:
            continue
        for value in text.values():
            ids += FIGURE_REFERENCE.findall(value)
    if isinstance(slide, KpiSlide):
        ids += [item.figure for item in slide.items]
    if isinstance(slide, ChartSlide):
        chart = briefing.chart(slide.chart)
        ids += [figure_id for series in chart.series for figure_id in series.values]
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
    separator = "、" if lang == "zh" else ", "
    for source_id, cited in by_source.items():
        source = briefing.source(source_id)
        comma = "，" if lang == "zh" else ", "
        where = f"{pick(source.outlet, lang)}{comma}{format_date(source.date, lang)}"
        parts.append(f"{separator.join(cited)}{VIA_WORD[lang]}{where}" if cited else where)
    if not parts:
        return ""
    return SOURCE_WORD.get(lang, "Source: ") + ("；" if lang == "zh" else "; ").join(parts)


def derivation_notes(figures: list[Figure], lang: str) -> list[str]:
    """The explanation of each derived figure among those given."""
    return [
        NOTE_WORD.get(lang, "Note: ") + pick(f.derived.explain, lang)
        for f in figures
        if f.derived is not None
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

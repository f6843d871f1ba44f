"""A chart's alt text for screen readers: the author's own, else a sentence of its values."""

from __future__ import annotations

from html import escape

from briefing.charts import chart_values
from briefing.model import AxisScale, Briefing, Chart
from briefing.numbers import plain_number
from briefing.richtext import fill
from briefing.words import word


def chart_alt(briefing: Briefing, chart: Chart, lang: str) -> str:
    """The chart's `alt` if the author gave one, else what it shows, value by value."""
    if chart.alt is not None:
        return fill(chart.alt, lang, briefing)
    categories = [fill(c, lang, briefing) for c in chart.categories]
    parts = []
    for series, values in zip(chart.series, chart_values(briefing, chart)):
        pairs = ", ".join(f"{c} {plain_number(v)}" for c, v in zip(categories, values))
        parts.append(f"{fill(series.name, lang, briefing)}: {pairs}")
    axis = fill(chart.value_axis.title, lang, briefing)
    text = f"{fill(chart.title, lang, briefing)}. " + "; ".join(parts)
    if axis:
        text += f" ({axis})"
    if chart.value_axis.scale is AxisScale.log:
        text += word("log_scale", lang)
    note = fill(chart.note, lang, briefing)
    return f"{text}. {note}".strip() if note else text


def labelled_svg(svg: str, alt: str) -> str:
    """An inline SVG announced as one image with the alt text (an <svg> has no alt attribute)."""
    start = svg.index("<svg") + len("<svg")
    return f'{svg[:start]} role="img" aria-label="{escape(alt, quote=True)}"{svg[start:]}'

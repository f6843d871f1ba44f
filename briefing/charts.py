"""Chart data: each series' values taken from the figures, in the chart's scale."""

from __future__ import annotations

from briefing.model import SCALE_FACTOR, Briefing, Chart


def chart_values(briefing: Briefing, chart: Chart) -> list[list[float]]:
    """Each series' values in the chart's scale, straight from the figures."""
    factor = SCALE_FACTOR[chart.scale]
    return [
        [round(briefing.figure(i).base_value / factor, 9) for i in series.values]
        for series in chart.series
    ]

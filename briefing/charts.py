"""Chart data and the decisions both renderers share: values, axis, drawn kind, label lines."""

from __future__ import annotations

import math
from dataclasses import dataclass

from briefing.model import SCALE_FACTOR, AxisScale, Briefing, Chart, ChartKind, Unit
from briefing.numbers import with_minus

# A chart is about 32 label-sized ems wide in both outputs (the deck's ~6 in box at 14 pt, the
# page's 3.3 in at 7.5 pt): one yardstick, so the deck and the page wrap and turn alike.
CHART_WIDTH_EM = 32.0
PLOT_SHARE = 0.85  # of a column chart's width left for its columns once the value axis is drawn
MAX_LABEL_LINES = 2  # a column's label may wrap to two lines; more turns the chart into bars
BAR_LABEL_SHARE = 0.4  # of a bar chart's width its category labels may take
# Excel and LibreOffice start a line's value axis at 0 unless the data's range is under a
# sixth of its maximum (measured in LibreOffice: 3.28..4.41 is drawn from 0).
ZERO_BASED_RANGE = 1 / 6
HEADROOM = 0.12  # of the span kept past the longest bar or highest point, for its label
NICE_STEPS = (1, 2, 2.5, 5, 10)
TARGET_TICKS = 6
BAR_TICKS = 4


def chart_values(briefing: Briefing, chart: Chart) -> list[list[float]]:
    """Each series' values in the chart's scale, straight from the figures."""
    factor = SCALE_FACTOR[chart.scale]
    return [
        [round(briefing.figure(i).base_value / factor, 9) for i in series.values]
        for series in chart.series
    ]


@dataclass(frozen=True)
class ValueAxis:
    """The value axis both renderers draw: bounds, tick step (None on a log axis), log or not."""

    minimum: float
    maximum: float
    step: float | None
    log: bool

    def ticks(self) -> list[float]:
        """Every labelled tick, lowest first (a log axis labels each power of ten)."""
        if self.log:
            low, high = round(math.log10(self.minimum)), round(math.log10(self.maximum))
            return [10.0**k for k in range(low, high + 1)]
        count = round((self.maximum - self.minimum) / self.step)
        return [round(self.minimum + i * self.step, 9) for i in range(count + 1)]


def value_axis(briefing: Briefing, chart: Chart, kind: ChartKind) -> ValueAxis:
    """The value axis of a chart drawn in `kind`, explicit so that no viewer picks its own."""
    values = [v for row in chart_values(briefing, chart) for v in row]
    if chart.value_axis.scale is AxisScale.log:
        # Whole powers of ten around the data: the lowest is a labelled tick under the bars.
        low = 10.0 ** math.floor(math.log10(min(values)))
        high = 10.0 ** math.ceil(math.log10(max(values)))
        if max(values) > high / 2:  # room for the label over the longest bar
            high *= 10
        return ValueAxis(low, high, None, True)
    low, high = min(values), max(values)
    zero_based = (
        chart.kind is not ChartKind.line or low <= 0 or high - low >= high * ZERO_BASED_RANGE
    )
    if zero_based:
        low, high = min(low, 0.0), max(high, 0.0)
    span = (high - low) or abs(high) or 1.0
    if not zero_based:
        low -= span / 2  # Excel's rule: half the range below the lowest point
    top = high + span * HEADROOM if high > 0 else high
    bottom = low - span * HEADROOM if low < 0 else low
    # A bar chart's value labels stand side by side: fewer of them.
    step = _nice_step((top - bottom) / (BAR_TICKS if kind is ChartKind.bar else TARGET_TICKS))
    return ValueAxis(
        _round_to(math.floor(bottom / step) * step, step),
        _round_to(math.ceil(top / step) * step, step),
        step,
        False,
    )


def _nice_step(rough: float) -> float:
    """The smallest 1, 2, 2.5 or 5 times a power of ten at least as large as rough."""
    power = 10.0 ** math.floor(math.log10(rough))
    return next(n * power for n in NICE_STEPS if n * power >= rough * (1 - 1e-9))


def _round_to(value: float, step: float) -> float:
    """A multiple of step without the float dust of its arithmetic (0.30000000000000004)."""
    decimals = max(0, -math.floor(math.log10(step)) + 2)
    return round(value, decimals) + 0.0


def percent_chart(briefing: Briefing, chart: Chart) -> bool:
    """Whether every value of a chart is a percent figure (shown with a literal % sign)."""
    return all(
        briefing.figure(i).unit is Unit.percent for series in chart.series for i in series.values
    )


def shown_format(briefing: Briefing, chart: Chart) -> str:
    """The number format both renderers write: a percent chart's numbers get a literal %, a
    negative one a real minus."""
    code = chart.number_format
    if not percent_chart(briefing, chart) or "%" in code:
        return with_minus(code)
    sections = ["0" if s in ("", "General") else s for s in code.split(";")]
    return with_minus(";".join(f'{s}"%"' for s in sections))


def drawn_kind(chart: Chart, labels: list[str], measure, size: float) -> ChartKind:
    """A column chart whose labels cannot sit under their columns in two lines is drawn as bars."""
    if chart.kind is not ChartKind.column:
        return chart.kind
    room = column_label_width(len(labels), size)
    for label in labels:
        layout = measure.layout(label, room, size)
        if layout.overflow or len(layout.lines) > MAX_LABEL_LINES:
            return ChartKind.bar
    return ChartKind.column


def column_label_width(categories: int, size: float) -> float:
    """The width in points a column chart gives each category's label at a label size."""
    return CHART_WIDTH_EM * PLOT_SHARE * size / categories


def label_lines(kind: ChartKind, labels: list[str], measure, size: float) -> list[list[str]]:
    """Each category label broken into lines as the chart drawn in `kind` has room for."""
    if kind is ChartKind.bar:
        room = CHART_WIDTH_EM * BAR_LABEL_SHARE * size
    else:
        room = column_label_width(len(labels), size)
    return [measure.lines(label, room, size) or [label] for label in labels]

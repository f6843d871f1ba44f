"""Chart data and the decisions both renderers share: values, axis, drawn kind, label lines."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from briefing.model import SCALE_FACTOR, AxisScale, Briefing, Chart, ChartKind, Unit
from briefing.numbers import excel_format, with_minus

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
# What a chart's own labels leave of its box: measured on LibreOffice's drawings of the deck.
LINE_HEIGHT = 1.2  # a label line, in label sizes
MARGIN_EM = 2.0  # the viewer's padding round the plot, both sides together, in label sizes
# Above and below a chart's title, and beside it: where LibreOffice sets it (the HTML slides
# set their drawing's title in the same room).
TITLE_GAP_PT, TITLE_PAD_PT = 21, 5
# A label may take this share of its category's width: LibreOffice broke "2018" where it took
# 0.82 of it (Focus), as it measures the plot before its axes' labels are set.
LABEL_FILL = 0.7
VALUE_GAP_EM = 1.0  # between two value-axis labels side by side (a bar chart's), in label sizes
VALUE_GAP_LINES = 1.0  # between two value-axis labels one above the other, in label lines
YEAR = re.compile(r"(?:19|20)\d\d")


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


@dataclass(frozen=True)
class AxisRoom:
    """How long a value axis is drawn, in points, and what measures its labels there."""

    length: float
    label_size: float
    measure: object  # a TextMeasure
    number_format: str
    across: bool  # labels side by side (a bar chart's axis), else one above the other

    def keeps_gap(self, axis: ValueAxis) -> bool:
        """Whether the axis's labels stand clear of each other at this length."""
        ticks = axis.ticks()
        spacing = self.length / max(len(ticks) - 1, 1)
        if not self.across:
            return spacing >= self.label_size * LINE_HEIGHT * (1 + VALUE_GAP_LINES)
        widest = max(
            self.measure.width(excel_format(t, self.number_format), self.label_size) for t in ticks
        )
        return spacing >= widest + self.label_size * VALUE_GAP_EM


def value_axis(
    briefing: Briefing, chart: Chart, kind: ChartKind, room: AxisRoom | None = None
) -> ValueAxis:
    """The value axis of a chart drawn in `kind`, explicit so that no viewer picks its own;
    in `room`, with as few ticks as keep its labels apart (a short axis gets a longer step)."""
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
    axis = _stepped(bottom, top, step)
    while room is not None and axis.step < top - bottom and not room.keeps_gap(axis):
        axis = _stepped(bottom, top, _nice_step(axis.step * 1.001))
    return axis


def _stepped(bottom: float, top: float, step: float) -> ValueAxis:
    """An axis from bottom to top widened to whole steps."""
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


def label_lines(
    kind: ChartKind, labels: list[str], measure, size: float, width: float | None = None
) -> list[list[str]]:
    """Each category label broken into lines as the chart drawn in `kind` has room for
    (`width`: the chart's in points, where it is narrower than the yardstick's)."""
    if kind is ChartKind.bar:
        room = min(CHART_WIDTH_EM, (width or math.inf) / size) * BAR_LABEL_SHARE * size
    else:
        room = column_label_width(len(labels), size)
    return [measure.lines(label, room, size) or [label] for label in labels]


@dataclass(frozen=True)
class ChartRoom:
    """The box a chart is drawn in, in points, its labels' size, and the title drawn inside it
    at its size (none in the HTML slides' drawing, whose title is set above it)."""

    width: float
    height: float
    label_size: float
    title: str = ""
    title_size: float = 0.0


@dataclass(frozen=True)
class CategoryAxis:
    """How a chart's categories are labelled where they fit: each label's text (its measured
    line breaks as newlines), every how many-th shown, turned 45 degrees or not."""

    labels: list[str]
    skip: int = 1
    turned: bool = False
    # Set where the labels use more of a category's width than LibreOffice leaves them before it
    # breaks a line (see LABEL_FILL): the deck then keeps them from further breaks.
    close: bool = False


def chart_axes(
    briefing: Briefing,
    chart: Chart,
    kind: ChartKind,
    labels: list[str],
    measure,
    room: ChartRoom,
    said: str = "",
) -> tuple[ValueAxis, CategoryAxis]:
    """Both axes of a chart drawn in `room`: value ticks whose labels keep a gap, category
    labels never broken inside a word, a number or a year (`said`: the chart's title and
    other text, which may name the century its years are in)."""
    size = room.label_size
    shown = shown_format(briefing, chart)
    if kind is ChartKind.bar:
        lines = label_lines(kind, labels, measure, size, room.width)
        widest = max(measure.width(line, size) for label in lines for line in label)
        length = room.width - widest - MARGIN_EM * size
        axis = value_axis(briefing, chart, kind, AxisRoom(length, size, measure, shown, True))
        return axis, CategoryAxis(["\n".join(label) for label in lines])
    height = room.height - MAX_LABEL_LINES * size * LINE_HEIGHT - MARGIN_EM * size
    if room.title:
        lines = measure.lines(room.title, room.width - 2 * TITLE_PAD_PT, room.title_size, True)
        height -= measure.height(room.title, len(lines), room.title_size) + TITLE_GAP_PT
    if len(chart.series) > 1:
        height -= size * LINE_HEIGHT * 1.5  # the legend under the plot
    axis = value_axis(briefing, chart, kind, AxisRoom(height, size, measure, shown, False))
    ticks = [excel_format(t, shown) for t in axis.ticks()]
    width = room.width - max(measure.width(t, size) for t in ticks) - MARGIN_EM * size
    if chart.value_axis.title:
        width -= size * LINE_HEIGHT * 1.5  # the axis title, turned, beside its labels
    return axis, category_axis(labels, measure, size, width, said)


def category_axis(
    labels: list[str], measure, size: float, plot_width: float, said: str = ""
) -> CategoryAxis:
    """Category labels under a plot `plot_width` points wide: in up to two lines where each
    fits its category; else years as '18 where `said` (the chart's other text) names their
    century; else every other (or third ...) label of a sequence (years, quarters); else in
    three lines across the whole category; else turned. A label is never broken inside a word,
    a number or a year."""

    def fitted(texts: list[str], every: int, fill=LABEL_FILL, most=MAX_LABEL_LINES):
        width = plot_width / len(labels) * fill * every
        laid = [measure.layout(text, width, size) for text in texts]
        if any(lay.overflow or len(lay.lines) > most for lay in laid):
            return None
        return [lay.lines or [text] for lay, text in zip(laid, texts)]

    lines = fitted(labels, 1)
    years = all(YEAR.fullmatch(label) for label in labels)
    if lines is None and years and any(label in said for label in labels):
        lines = fitted(["\u2019" + label[2:] for label in labels], 1)
    if lines is not None:
        return CategoryAxis(["\n".join(label) for label in lines])
    # Skipping only where the reader can tell what was left out: a sequence of numbered labels.
    if all(re.search(r"\d", label) for label in labels):
        for every in range(2, len(labels)):
            lines = fitted(labels, every)
            if lines is not None:
                return CategoryAxis(["\n".join(label) for label in lines], every, close=True)
    # Level in a third line, across the whole width of each category, before turning: a few
    # long labels turned squeeze the plot (two Chinese dates took half a chart's height).
    lines = fitted(labels, 1, 1.0, MAX_LABEL_LINES + 1)
    if lines is not None:
        return CategoryAxis(["\n".join(label) for label in lines], close=True)
    return CategoryAxis(list(labels), 1, True)

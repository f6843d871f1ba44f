"""Native, editable PowerPoint charts from chart definitions whose values are figures."""

from __future__ import annotations

from lxml import etree
from pptx.chart.data import CategoryChartData
from pptx.dml.color import RGBColor
from pptx.enum.chart import XL_CHART_TYPE, XL_LABEL_POSITION, XL_LEGEND_POSITION
from pptx.oxml.ns import qn
from pptx.util import Pt

from briefing.alt_text import chart_alt
from briefing.charts import (
    CategoryAxis,
    ChartRoom,
    ValueAxis,
    chart_axes,
    chart_values,
    drawn_kind,
    shown_format,
)
from briefing.measure import TextMeasure
from briefing.model import Briefing, Chart, ChartKind
from briefing.render.pptx_text import Style
from briefing.richtext import fill
from briefing.theme import Theme

AXIS_ID_BASE = 100000001  # ids of the form PowerPoint writes, well below 2**31
EMU_PER_PT = 12700
TURNED = "-2700000"  # 45 degrees up to the right, in 60000ths of a degree
# A degree's tilt: LibreOffice breaks level labels again where they are close ("201/8",
# "（2025年9/月）") and ignores c:tickLblSkip; tilted, it breaks none, and leaves out those that
# would overlap, as the skip does.
TILTED = "-60000"

CHART_TYPES = {
    ChartKind.column: XL_CHART_TYPE.COLUMN_CLUSTERED,
    ChartKind.bar: XL_CHART_TYPE.BAR_CLUSTERED,
    ChartKind.line: XL_CHART_TYPE.LINE_MARKERS,
}


def add_chart(
    slide,
    briefing: Briefing,
    chart: Chart,
    theme: Theme,
    setter,
    box,
    inks_given: dict[str, str] | None = None,
    series_colors: list[str] | None = None,
):
    """Place a native chart in box (left, top, width, height) on a slide; return its frame.
    Its text, title, axis titles and gridlines take `inks`, its series `series_colors` (colours
    chosen to read on what lies under the chart), else the theme's own."""
    inks = {
        "text": theme.colors.text,
        "title": theme.colors.primary,
        "axis": theme.colors.muted,
        "grid": theme.colors.surface,
    }
    inks.update(inks_given or {})
    palette = series_colors or theme.colors.series
    text_color = inks["text"]
    lang = setter.lang
    sizes = theme.sizes
    label_size = sizes.small + 2
    labels = [fill(c, lang, briefing) for c in chart.categories]
    measure = TextMeasure(theme.fonts.latin, theme.fonts.east_asian)
    kind = drawn_kind(chart, labels, measure, label_size)
    number_format = shown_format(briefing, chart)
    title_text = fill(chart.title, lang, briefing)
    title_size = theme.sizes.small + 4
    room = ChartRoom(box[2] / EMU_PER_PT, box[3] / EMU_PER_PT, label_size, title_text, title_size)
    said = f"{title_text} {fill(chart.value_axis.title, lang, briefing)}"
    value_scale, category_labels = chart_axes(briefing, chart, kind, labels, measure, room, said)
    # python-pptx pastes the format into XML unescaped ("[<10]" breaks it): set it afterwards.
    data = CategoryChartData()
    # Labels carry the measured breaks: viewers then wrap them there instead of rotating them.
    data.categories = category_labels.labels
    for series, values in zip(chart.series, chart_values(briefing, chart)):
        data.add_series(fill(series.name, lang, briefing), values)
    frame = slide.shapes.add_chart(CHART_TYPES[kind], *box, data)
    frame.name = f"Chart {chart.id}"
    frame._element.nvGraphicFramePr.cNvPr.set("descr", chart_alt(briefing, chart, lang))
    plot_chart = frame.chart
    for cache in plot_chart._chartSpace.iter(qn("c:formatCode")):
        cache.text = number_format
    _unsigned_axis_ids(plot_chart._chartSpace)
    plot_chart.font.size = Pt(label_size)
    plot_chart.font.color.rgb = RGBColor.from_string(text_color)
    setter.mark_language(plot_chart.font._rPr)
    plot_chart.has_title = True
    title = plot_chart.chart_title.text_frame
    title_style = Style(size=title_size, bold=True, color=inks["title"])
    _write_chart_text(setter, title, [(title_text, title_style)])
    plot_chart.has_legend = len(chart.series) > 1
    if plot_chart.has_legend:
        # Below the plot and outside it (no overlay): a legend never covers data.
        plot_chart.legend.position = XL_LEGEND_POSITION.BOTTOM
        plot_chart.legend.include_in_layout = False
    plot = plot_chart.plots[0]
    plot.has_data_labels = True
    data_labels = plot.data_labels
    data_labels.number_format = number_format
    data_labels.number_format_is_linked = False
    data_labels.font.size = Pt(label_size)
    data_labels.font.bold = True
    # Viewers colour data labels like their series unless told: a pale series would not read.
    data_labels.font.color.rgb = RGBColor.from_string(text_color)
    # Outside the end of a bar is past its tip, below a negative bar: never over the bar.
    data_labels.position = (
        XL_LABEL_POSITION.ABOVE if kind is ChartKind.line else XL_LABEL_POSITION.OUTSIDE_END
    )
    if kind is not ChartKind.line:
        plot.gap_width = 60
    for index, series in enumerate(plot.series):
        color = RGBColor.from_string(palette[index % len(palette)])
        if kind is ChartKind.line:
            series.format.line.color.rgb = color
            series.format.line.width = Pt(3)
            series.marker.format.fill.solid()
            series.marker.format.fill.fore_color.rgb = color
            series.smooth = False
        else:
            series.format.fill.solid()
            series.format.fill.fore_color.rgb = color
    _style_axes(plot_chart, chart, kind, number_format, theme, setter, briefing, inks)
    _write_scale(plot_chart.value_axis, value_scale)
    _label_categories(plot_chart.category_axis, category_labels)
    return frame


def _unsigned_axis_ids(chart_space) -> None:
    """Give the axes ids every viewer reads: python-pptx writes negative ones, PowerPoint wants
    unsigned ones, and LibreOffice ignores an axis's settings when its id passes 2**31 - 1."""
    # Renumbering each distinct id keeps every axId and crossAx pair pointing at each other.
    new_ids: dict[str, str] = {}
    for node in chart_space.iter(qn("c:axId"), qn("c:crossAx")):
        old = node.get("val")
        node.set("val", new_ids.setdefault(old, str(AXIS_ID_BASE + len(new_ids))))


def _write_chart_text(setter, frame, paragraphs) -> None:
    """Write chart text with the deck's runs but no bullet markup: chart text has no bullets."""
    setter.write(frame, paragraphs)
    # The setter's buNone lands after python-pptx's defRPr, out of schema order (a repair in
    # PowerPoint); a chart's paragraphs never show a bullet, so it is dropped, not moved.
    for bullet in list(frame._txBody.iter(qn("a:buNone"))):
        bullet.getparent().remove(bullet)


def _style_axes(
    plot_chart,
    chart: Chart,
    kind: ChartKind,
    number_format: str,
    theme,
    setter,
    briefing,
    inks: dict[str, str],
) -> None:
    axis_color = inks["axis"]
    value_axis = plot_chart.value_axis
    value_axis.has_major_gridlines = True
    value_axis.major_gridlines.format.line.color.rgb = RGBColor.from_string(inks["grid"])
    value_axis.tick_labels.number_format = number_format
    value_axis.tick_labels.number_format_is_linked = False
    value_axis.format.line.fill.background()
    axis_title = fill(chart.value_axis.title, setter.lang, briefing)
    if axis_title:
        value_axis.has_title = True
        _write_chart_text(
            setter,
            value_axis.axis_title.text_frame,
            [(axis_title, Style(size=theme.sizes.small, color=axis_color))],
        )
    category_axis = plot_chart.category_axis
    category_axis.tick_labels.font.size = Pt(theme.sizes.small + 2)
    category_axis.format.line.color.rgb = RGBColor.from_string(axis_color)
    category_axis.has_major_gridlines = False
    # Labels at the low end of the value axis, not at zero: a negative bar does not run
    # through them; and never rotated (they carry their own line breaks).
    category_axis._element.get_or_add_tickLblPos().set("val", "low")
    _unrotated(category_axis._element.get_or_add_txPr())
    if kind is ChartKind.bar:
        # Viewers draw a bar chart's first category at the bottom: reverse the category axis
        # so the first is at the top, and keep the value axis at the bottom (crossing at max).
        category_axis.reverse_order = True
        value_axis._element.find(qn("c:crosses")).set("val", "max")


def _label_categories(category_axis, labels: CategoryAxis) -> None:
    """Show every `skip`-th category label (c:tickLblSkip), turned where they must be."""
    element = category_axis._element
    if labels.skip > 1:
        skip = element.makeelement(qn("c:tickLblSkip"), {"val": str(labels.skip)})
        # Schema order: after lblOffset, before tickMarkSkip and noMultiLvlLbl.
        following = element.find(qn("c:tickMarkSkip"))
        if following is None:
            following = element.find(qn("c:noMultiLvlLbl"))
        following.addprevious(skip)
    body = element.get_or_add_txPr().find(qn("a:bodyPr"))
    if labels.turned:
        body.set("rot", TURNED)
    elif labels.close:
        body.set("rot", TILTED)


def _write_scale(value_axis, axis: ValueAxis) -> None:
    """Write the axis bounds, step and log base, so that every viewer draws the same axis."""
    if axis.log:
        scaling = value_axis._element.find(qn("c:scaling"))
        log_base = etree.SubElement(scaling, qn("c:logBase"))
        log_base.set("val", "10")
        scaling.remove(log_base)
        scaling.insert(0, log_base)  # schema order: logBase comes first
    value_axis.minimum_scale = axis.minimum
    value_axis.maximum_scale = axis.maximum
    if axis.step is not None:
        value_axis.major_unit = axis.step


def _unrotated(tx_pr) -> None:
    """Set an axis's labels horizontal: rot 0 stops viewers rotating labels that are long."""
    body = tx_pr.find(qn("a:bodyPr"))
    body.set("rot", "0")
    body.set("vert", "horz")

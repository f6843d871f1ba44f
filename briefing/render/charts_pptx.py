"""Native, editable PowerPoint charts from chart definitions whose values are figures."""

from __future__ import annotations

from lxml import etree
from pptx.chart.data import CategoryChartData
from pptx.dml.color import RGBColor
from pptx.enum.chart import XL_CHART_TYPE, XL_LABEL_POSITION, XL_LEGEND_POSITION
from pptx.oxml.ns import qn
from pptx.util import Pt

from briefing.charts import chart_values
from briefing.model import AxisScale, Briefing, Chart, ChartKind
from briefing.numbers import plain_number
from briefing.render.pptx_text import Style
from briefing.richtext import fill
from briefing.theme import Theme
from briefing.words import word

CHART_TYPES = {
    ChartKind.column: XL_CHART_TYPE.COLUMN_CLUSTERED,
    ChartKind.bar: XL_CHART_TYPE.BAR_CLUSTERED,
    ChartKind.line: XL_CHART_TYPE.LINE_MARKERS,
}


def alt_text(briefing: Briefing, chart: Chart, lang: str) -> str:
    """A sentence stating what the chart shows, value by value, for screen readers."""
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


def add_chart(
    slide,
    briefing: Briefing,
    chart: Chart,
    theme: Theme,
    setter,
    box,
    text_color: str | None = None,
):
    """Place a native chart in box (left, top, width, height) on a slide; return its frame.
    Its text takes text_color (chosen to read on what lies under the chart) or the theme's."""
    text_color = text_color or theme.colors.text
    lang = setter.lang
    # python-pptx pastes the format into XML unescaped ("[<10]" breaks it): set it afterwards.
    data = CategoryChartData()
    data.categories = [fill(c, lang, briefing) for c in chart.categories]
    for series, values in zip(chart.series, chart_values(briefing, chart)):
        data.add_series(fill(series.name, lang, briefing), values)
    frame = slide.shapes.add_chart(CHART_TYPES[chart.kind], *box, data)
    frame.name = f"Chart {chart.id}"
    frame._element.nvGraphicFramePr.cNvPr.set("descr", alt_text(briefing, chart, lang))
    plot_chart = frame.chart
    for cache in plot_chart._chartSpace.iter(qn("c:formatCode")):
        cache.text = chart.number_format
    _unsigned_axis_ids(plot_chart._chartSpace)
    sizes, colors = theme.sizes, theme.colors
    plot_chart.font.size = Pt(sizes.small + 2)
    plot_chart.font.color.rgb = RGBColor.from_string(text_color)
    setter.mark_language(plot_chart.font._rPr)
    plot_chart.has_title = True
    title = plot_chart.chart_title.text_frame
    _write_chart_text(setter, title, [(fill(chart.title, lang, briefing), _title_style(theme))])
    plot_chart.has_legend = len(chart.series) > 1
    if plot_chart.has_legend:
        plot_chart.legend.position = XL_LEGEND_POSITION.BOTTOM
        plot_chart.legend.include_in_layout = False
    plot = plot_chart.plots[0]
    plot.has_data_labels = True
    labels = plot.data_labels
    labels.number_format = chart.number_format
    labels.number_format_is_linked = False
    labels.font.size = Pt(sizes.small + 2)
    labels.font.bold = True
    # Viewers colour data labels like their series unless told: a pale series would not read.
    labels.font.color.rgb = RGBColor.from_string(text_color)
    labels.position = (
        XL_LABEL_POSITION.ABOVE if chart.kind is ChartKind.line else XL_LABEL_POSITION.OUTSIDE_END
    )
    if chart.kind is not ChartKind.line:
        plot.gap_width = 60
    for index, series in enumerate(plot.series):
        color = RGBColor.from_string(colors.series[index % len(colors.series)])
        if chart.kind is ChartKind.line:
            series.format.line.color.rgb = color
            series.format.line.width = Pt(3)
            series.marker.format.fill.solid()
            series.marker.format.fill.fore_color.rgb = color
            series.smooth = False
        else:
            series.format.fill.solid()
            series.format.fill.fore_color.rgb = color
    _style_axes(plot_chart, chart, theme, setter, briefing)
    return frame


def _unsigned_axis_ids(chart_space) -> None:
    """Give the axes ids PowerPoint accepts: python-pptx writes negative ones, unsignedInt."""
    # The same 32 bits read unsigned keep every axId and crossAx pair pointing at each other.
    for tag in ("c:axId", "c:crossAx"):
        for node in chart_space.iter(qn(tag)):
            node.set("val", str(int(node.get("val")) % 2**32))


def _write_chart_text(setter, frame, paragraphs) -> None:
    """Write chart text with the deck's runs but no bullet markup: chart text has no bullets."""
    setter.write(frame, paragraphs)
    # The setter's buNone lands after python-pptx's defRPr, out of schema order (a repair in
    # PowerPoint); a chart's paragraphs never show a bullet, so it is dropped, not moved.
    for bullet in list(frame._txBody.iter(qn("a:buNone"))):
        bullet.getparent().remove(bullet)


def _title_style(theme: Theme):
    return Style(size=theme.sizes.small + 4, bold=True, color=theme.colors.primary)


def _style_axes(plot_chart, chart: Chart, theme: Theme, setter, briefing: Briefing) -> None:
    value_axis = plot_chart.value_axis
    value_axis.has_major_gridlines = True
    value_axis.major_gridlines.format.line.color.rgb = RGBColor.from_string(theme.colors.surface)
    value_axis.tick_labels.number_format = chart.number_format
    value_axis.tick_labels.number_format_is_linked = False
    value_axis.format.line.fill.background()
    axis_title = fill(chart.value_axis.title, setter.lang, briefing)
    if axis_title:
        value_axis.has_title = True
        _write_chart_text(
            setter,
            value_axis.axis_title.text_frame,
            [(axis_title, Style(size=theme.sizes.small, color=theme.colors.muted))],
        )
    if chart.value_axis.scale is AxisScale.log:
        scaling = value_axis._element.find(qn("c:scaling"))
        log_base = etree.SubElement(scaling, qn("c:logBase"))
        log_base.set("val", "10")
        scaling.remove(log_base)
        scaling.insert(0, log_base)  # schema order: logBase comes first
    category_axis = plot_chart.category_axis
    category_axis.tick_labels.font.size = Pt(theme.sizes.small + 2)
    category_axis.format.line.color.rgb = RGBColor.from_string(theme.colors.muted)
    category_axis.has_major_gridlines = False

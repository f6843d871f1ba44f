"""Chart axes that fit their room: category labels never broken inside a year, skipped,
shortened or turned where they do not fit, and value ticks far enough apart to read."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from pptx.oxml.ns import qn

from briefing.charts import (
    ChartRoom,
    category_axis,
    chart_axes,
    label_lines,
    shown_format,
    value_axis,
)
from briefing.layout.designer import Designer
from briefing.loader import load
from briefing.master import open_master
from briefing.measure import TextMeasure
from briefing.model import ChartKind
from briefing.numbers import excel_format
from briefing.render.charts_pptx import add_chart
from briefing.richtext import fill
from briefing.theme import load_theme

KESTREL = Path(__file__).parent / "briefings" / "kestrel_bay" / "briefing.yaml"
YEARS = [str(year) for year in range(2018, 2026)]
EMU_PER_PT = 12700


@pytest.fixture(scope="module")
def measure() -> TextMeasure:
    return TextMeasure("Source Sans Pro", "Noto Sans CJK SC")


def test_labels_that_fit_are_all_shown_level(measure):
    axis = category_axis(YEARS, measure, 12, 600)
    assert axis.labels == YEARS and axis.skip == 1 and not axis.turned


def test_years_that_do_not_fit_go_short_where_the_chart_names_their_century(measure):
    axis = category_axis(YEARS, measure, 12, 200, said="Throughput, 2018 to 2025")
    assert axis.labels == ["’" + year[2:] for year in YEARS]
    assert axis.skip == 1


def test_years_the_chart_does_not_date_are_skipped_never_broken(measure):
    axis = category_axis(YEARS, measure, 12, 200, said="Container throughput")
    assert axis.labels == YEARS  # whole: no "201\n8"
    assert axis.skip == 2


def test_names_that_do_not_fit_are_turned_not_skipped(measure):
    names = ["Harwick Deepwater", "Kestrel Bay", "Saltmarsh Gateway", "Eastmere Free Port"] * 2
    axis = category_axis(names, measure, 12, 200)
    assert axis.turned and axis.skip == 1 and axis.labels == names


def test_a_short_value_axis_takes_a_longer_step_so_its_labels_keep_a_gap(measure):
    briefing = load(KESTREL)
    chart = briefing.chart("throughput_trend")
    wide = ChartRoom(600, 320, 12)
    narrow = ChartRoom(600, 130, 12)
    tall_axis, _ = chart_axes(briefing, chart, ChartKind.line, YEARS, measure, wide)
    short_axis, _ = chart_axes(briefing, chart, ChartKind.line, YEARS, measure, narrow)
    assert tall_axis == value_axis(briefing, chart, ChartKind.line)  # room to spare: as before
    assert short_axis.step > tall_axis.step
    # Each tick label's line and as much again between neighbours, on the axis left over.
    spacing = 130 / (len(short_axis.ticks()) - 1)
    assert spacing >= 12 * 1.2


def test_a_bar_charts_value_labels_side_by_side_keep_a_gap(measure):
    briefing = load(KESTREL)
    chart = briefing.chart("regional_ranking")
    labels = [fill(c, "en", briefing) for c in chart.categories]
    wide = chart_axes(briefing, chart, ChartKind.bar, labels, measure, ChartRoom(600, 220, 12))[0]
    axis = chart_axes(briefing, chart, ChartKind.bar, labels, measure, ChartRoom(160, 220, 12))[0]
    assert axis.step > wide.step
    texts = [excel_format(t, shown_format(briefing, chart)) for t in axis.ticks()]
    widest = max(measure.width(t, 12) for t in texts)
    lines = label_lines(ChartKind.bar, labels, measure, 12, 160)
    plot = 160 - max(measure.width(line, 12) for label in lines for line in label) - 2 * 12
    assert plot / (len(texts) - 1) >= widest + 12  # a label's width and an em between


def deck_chart(box_pt: tuple[float, float], chart_id: str = "throughput_trend", title=None):
    """A chart of the second briefing written by the deck's writer in a box of this size."""
    theme = load_theme("default")
    designer = Designer(load(KESTREL), theme, "en", open_master(theme.master_path), None)
    prs = designer.prs
    slide = prs.slides.add_slide(prs.slide_layouts[-1])
    chart = designer.briefing.chart(chart_id)
    if title:
        chart = chart.model_copy(update={"title": {"*": title}})
    box = (0, 0, int(box_pt[0] * EMU_PER_PT), int(box_pt[1] * EMU_PER_PT))
    frame = add_chart(slide, designer.briefing, chart, theme, designer.setter, box)
    return frame.chart, designer, chart


def test_the_deck_writes_short_years_and_a_longer_step_in_a_narrow_box():
    # Focus's chart broke "2018" as "201/8" and set six value labels on a short axis.
    plot_chart, _, _ = deck_chart((300, 220))
    categories = [str(c) for c in plot_chart.plots[0].categories]
    assert categories == ["’" + year[2:] for year in YEARS]  # the title says 2018 to 2025
    assert plot_chart.value_axis.major_unit > 1.0
    assert plot_chart.category_axis._element.find(qn("c:tickLblSkip")) is None
    wide_chart, _, _ = deck_chart((640, 360))
    assert [str(c) for c in wide_chart.plots[0].categories] == YEARS
    assert wide_chart.value_axis.major_unit == 1.0


def test_the_deck_skips_years_it_cannot_shorten_and_keeps_each_whole():
    # Without the century in the chart's text, '18 would not say which century.
    plot_chart, _, _ = deck_chart((300, 220), title="Container throughput (million TEU)")
    axis = plot_chart.category_axis._element
    assert [str(c) for c in plot_chart.plots[0].categories] == YEARS
    assert int(axis.find(qn("c:tickLblSkip")).get("val")) >= 2
    # Schema order: tickLblSkip after lblOffset and before noMultiLvlLbl.
    names = [child.tag.split("}")[1] for child in axis]
    assert names.index("lblOffset") < names.index("tickLblSkip") < names.index("noMultiLvlLbl")


def test_the_slides_drawing_labels_and_ticks_its_axes_as_the_deck(tmp_path: Path):
    from briefing.cache import Cache
    from briefing.layout.boxes import ChartBox
    from briefing.layout.geometry import Rect
    from briefing.render.slides_charts import chart_html

    width, height = 300, 220
    plot_chart, designer, chart = deck_chart((width, height))
    rect = Rect(0, 0, width * EMU_PER_PT, height * EMU_PER_PT)
    html = chart_html(designer, ChartBox(rect, chart.id), 1, Cache(tmp_path))
    texts = re.findall(r"<text[^>]*>([^<]+)</text>", html)
    shown = [str(c) for c in plot_chart.plots[0].categories]
    assert texts[: len(shown)] == shown  # '18 ... '25 in the drawing as in the deck
    step = plot_chart.value_axis.major_unit
    number_format = shown_format(designer.briefing, chart)
    ticks = [excel_format(t, number_format) for t in (0, step, 2 * step)]
    assert texts[len(shown) : len(shown) + 3] == ticks


def test_a_few_long_labels_take_a_third_line_level_rather_than_turning(measure):
    # Two Chinese dates under a narrow chart were turned 45 degrees and squeezed its plot.
    labels = ["上线初期（2025年9月）", "2026年1月"]
    axis = category_axis(labels, measure, 12, 190)
    assert not axis.turned and axis.skip == 1
    assert axis.labels[0].split("\n") == ["上线初期", "（2025年9月）"]  # the date whole
    # Closer to each other than LibreOffice leaves before breaking again: kept from its breaks.
    assert axis.close


def test_the_deck_keeps_close_labels_from_the_viewers_breaks():
    plot_chart, _, _ = deck_chart((300, 220), title="Container throughput (million TEU)")
    body = plot_chart.category_axis._element.find(qn("c:txPr")).find(qn("a:bodyPr"))
    assert body.get("rot") == "-60000"  # a degree: LibreOffice then breaks no label
    level, _, _ = deck_chart((640, 360))
    body = level.category_axis._element.find(qn("c:txPr")).find(qn("a:bodyPr"))
    assert body.get("rot") == "0"

"""Charts drawn by the rules both outputs share: order, axis, labels, legend, percent."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from pptx import Presentation
from pptx.enum.chart import XL_CHART_TYPE
from pptx.oxml.ns import qn

from briefing.api import build
from briefing.charts import shown_format, value_axis
from briefing.loader import load
from briefing.model import ChartKind, Qualifier
from briefing.numbers import excel_format
from briefing.theme import load_theme
from tests.conftest import MINIMAL

ROOT = Path(__file__).resolve().parent.parent
KESTREL = ROOT / "tests" / "briefings" / "kestrel_bay"
SORA = ROOT / "seeds" / "sora"
needs_office = pytest.mark.skipif(
    not (shutil.which("soffice") and shutil.which("pdftotext")),
    reason="needs LibreOffice and poppler-utils: apt-get install libreoffice-impress poppler-utils",
)


def _replaced(text: str, old: str, new: str) -> str:
    assert old in text, old
    return text.replace(old, new)


LOSS = """\
  - id: loss
    value: -85
    unit: currency
    currency: USD
    scale: billion
    label: {zh: 亏损, en: Loss}
    source: art
    excerpt: 亏损850亿美元
charts:
"""
NEGATIVE = _replaced(
    _replaced(MINIMAL, "charts:\n", LOSS),
    """\
    kind: bar
    title: {zh: 估值与收入, en: Valuation and revenue}
    categories: [{zh: 收入, en: Revenue}, {zh: 估值, en: Valuation}]
    series:
      - name: {zh: 十亿美元, en: US$ bn}
        values: [revenue, valuation]
""",
    """\
    kind: column
    title: {zh: 估值与收入, en: Valuation and revenue}
    categories: [{zh: 甲, en: Alpha}, {zh: 乙, en: Bravo}, {zh: 丙, en: Charlie}]
    series:
      - name: {zh: 十亿美元, en: US$ bn}
        values: [revenue, loss, valuation]
""",
)
TWO_SERIES = _replaced(
    MINIMAL,
    "        values: [revenue, valuation]\n",
    "        values: [revenue, valuation]\n"
    "      - name: {zh: 再次, en: Again}\n"
    "        values: [valuation, revenue]\n",
)


def _deck(tmp_path: Path, source: Path, lang: str = "en"):
    [deck] = build(source, ("pptx",), lang, tmp_path / "out", check=False)
    return deck


def _charts(deck: Path) -> dict[str, object]:
    """The deck's chart frames by chart id (frames are named after their chart)."""
    prs = Presentation(str(deck))
    return {
        shape.name.removeprefix("Chart "): shape.chart
        for slide in prs.slides
        for shape in slide.shapes
        if shape.has_chart
    }


def _words(pdf: Path, page: int) -> list[tuple[str, float, float]]:
    """Each word on a PDF page with its left and top, as poppler reads them."""
    xml = subprocess.run(
        ["pdftotext", "-f", str(page), "-l", str(page), "-bbox", str(pdf), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return [
        (word, float(x), float(y))
        for x, y, word in re.findall(r'xMin="([\d.]+)" yMin="([\d.]+)"[^>]*>([^<]+)<', xml)
    ]


def _office_pdf(deck: Path) -> Path:
    from briefing.viewers import office_to_pdf

    return office_to_pdf(deck, deck.parent / "pdf")


def _page_axes(briefing, chart, lang="en"):
    """The page's matplotlib axes for a chart, drawn as chart_svg draws them."""
    from briefing.render import charts_mpl

    plt = charts_mpl._pyplot()
    figure, axes = plt.subplots(figsize=(charts_mpl.WIDTH_IN, charts_mpl.HEIGHT_IN))
    charts_mpl._draw(axes, briefing, chart, load_theme(None), lang, None, charts_mpl.LABEL_PT)
    figure.canvas.draw()
    return figure, axes


def _deck_scale(chart) -> tuple[float, float, float | None, bool]:
    value_axis_ = chart.value_axis
    scaling = value_axis_._element.find(qn("c:scaling"))
    return (
        value_axis_.minimum_scale,
        value_axis_.maximum_scale,
        value_axis_.major_unit,
        scaling.find(qn("c:logBase")) is not None,
    )


@needs_office
def test_a_bar_charts_first_category_is_drawn_at_the_top(tmp_path: Path, write_briefing):
    text = MINIMAL.replace("en: Revenue}", "en: Firstcat}").replace(
        "en: Valuation}]", "en: Secondcat}]"
    )
    deck = _deck(tmp_path, write_briefing(text))
    chart = _charts(deck)["money"]
    assert chart.category_axis.reverse_order
    assert chart.value_axis._element.find(qn("c:crosses")).get("val") == "max"
    tops = {w: y for w, _, y in _words(_office_pdf(deck), 2) if w in ("Firstcat", "Secondcat")}
    assert tops["Firstcat"] < tops["Secondcat"], tops


def test_axis_ids_stay_below_two_to_the_31(tmp_path: Path):
    # LibreOffice drops an axis's orientation, label position and title placement past 2**31.
    for chart in _charts(_deck(tmp_path, KESTREL)).values():
        ids = [int(n.get("val")) for n in chart._chartSpace.iter(qn("c:axId"), qn("c:crossAx"))]
        assert ids and all(0 < i < 2**31 for i in ids), ids


@needs_office
def test_a_negative_bars_label_lies_outside_it_and_categories_sit_below_the_axis(
    tmp_path: Path, write_briefing
):
    deck = _deck(tmp_path, write_briefing(NEGATIVE))
    chart = _charts(deck)["money"]
    tick_position = chart.category_axis._element.find(qn("c:tickLblPos")).get("val")
    assert tick_position == "low"
    minimum, maximum, _, _ = _deck_scale(chart)
    assert minimum < -85 and maximum > 840 and minimum <= 0 <= maximum
    words = _words(_office_pdf(deck), 2)
    label = next(y for w, _, y in words if w in ("-85", "−85"))
    bravo = next(y for w, _, y in words if w == "Bravo")
    zero = next(y for w, x, y in words if w == "0")
    # The loss's label below the zero line (past its bar's end), its category below that.
    assert zero < label < bravo


def test_the_page_draws_each_chart_on_the_decks_axis(tmp_path: Path):
    for source in (KESTREL, SORA):
        briefing = load(source / "briefing.yaml")
        charts = _charts(_deck(tmp_path / source.name, source))
        for chart in briefing.charts:
            minimum, maximum, step, log = _deck_scale(charts[chart.id])
            figure, axes = _page_axes(briefing, chart)
            horizontal = charts[chart.id].chart_type == XL_CHART_TYPE.BAR_CLUSTERED
            page_axis = axes.xaxis if horizontal else axes.yaxis
            assert page_axis.get_view_interval() == pytest.approx([minimum, maximum]), chart.id
            assert (page_axis.get_scale() == "log") is log
            ticks = list(page_axis.get_majorticklocs())
            if step is not None:
                assert ticks == pytest.approx(
                    [minimum + i * step for i in range(round((maximum - minimum) / step) + 1)]
                )
            labels = [t.get_text() for t in page_axis.get_majorticklabels()]
            fmt = charts[chart.id].value_axis.tick_labels.number_format
            assert labels == [excel_format(t, fmt) for t in ticks], chart.id
            figure.clf()


def test_lines_start_at_zero_unless_their_range_is_under_a_sixth_of_the_top():
    briefing = load(KESTREL / "briefing.yaml")
    line = briefing.chart("throughput_trend")
    assert value_axis(briefing, line, ChartKind.line).minimum == 0  # 3.28..4.41, as LibreOffice
    narrow = briefing.model_copy(
        update={
            "figures": [
                f.model_copy(update={"value": 4.0 + i / 100})
                if f.id.startswith("throughput_2")
                else f
                for i, f in enumerate(briefing.figures)
            ]
        }
    )
    axis = value_axis(narrow, line, ChartKind.line)
    assert 3.5 < axis.minimum < 4.0


def test_a_log_axis_labels_its_lowest_tick_under_the_shortest_bar(tmp_path: Path):
    briefing = load(SORA / "briefing.yaml")
    chart = briefing.chart("sora_economics")
    axis = value_axis(briefing, chart, ChartKind.column)
    assert axis.log and axis.minimum == 1 and axis.minimum < 2.1
    figure, axes = _page_axes(briefing, chart)
    labels = [t.get_text() for t in axes.yaxis.get_majorticklabels()]
    assert labels[0] == "1.0" and "1,000" in labels
    figure.clf()


def test_long_column_labels_wrap_and_turn_the_chart_into_bars(tmp_path: Path):
    briefing = load(KESTREL / "briefing.yaml")
    chart = _charts(_deck(tmp_path, KESTREL))["trade_change"]
    assert chart.chart_type == XL_CHART_TYPE.BAR_CLUSTERED  # a column chart in the source
    categories = list(chart.plots[0].categories)
    assert categories[1] == "Vehicles on the roll-on roll-off\nberths"
    body = chart.category_axis._element.find(qn("c:txPr")).find(qn("a:bodyPr"))
    assert body.get("rot") == "0"
    figure, axes = _page_axes(briefing, briefing.chart("trade_change"))
    assert [t.get_text() for t in axes.get_yticklabels()] == categories
    assert axes.yaxis_inverted()  # the first category at the top, as on the deck
    figure.clf()
    # Short labels stay a column chart on both.
    net = briefing.chart("net_result")
    assert _charts(_deck(tmp_path / "again", KESTREL))["net_result"].chart_type == (
        XL_CHART_TYPE.COLUMN_CLUSTERED
    )
    figure, axes = _page_axes(briefing, net)
    assert [t.get_text() for t in axes.get_xticklabels()] == [
        "2021",
        "2022",
        "2023",
        "2024",
        "2025",
    ]
    figure.clf()


def test_legends_stay_outside_the_plot(tmp_path: Path, write_briefing):
    path = write_briefing(TWO_SERIES)
    chart = _charts(_deck(tmp_path, path))["money"]
    legend = chart._chartSpace.find(".//" + qn("c:legend"))
    assert legend.find(qn("c:legendPos")).get("val") == "b"
    assert legend.find(qn("c:overlay")).get("val") == "0"
    briefing = load(path)
    figure, axes = _page_axes(briefing, briefing.charts[0])
    renderer = figure.canvas.get_renderer()
    box = axes.get_legend().get_window_extent(renderer)
    assert box.y1 <= axes.get_window_extent(renderer).y0
    figure.clf()


def test_line_labels_clear_their_markers():
    briefing = load(KESTREL / "briefing.yaml")
    figure, axes = _page_axes(briefing, briefing.chart("throughput_trend"))
    renderer = figure.canvas.get_renderer()
    line = axes.get_lines()[0]
    radius = line.get_markersize() / 2 * figure.dpi / 72
    points = axes.transData.transform(line.get_xydata())
    for text, (_, y) in zip(axes.texts, points):
        assert text.get_window_extent(renderer).y0 > y + radius, text.get_text()
    figure.clf()


def test_percent_figures_show_a_literal_percent_sign_on_both(tmp_path: Path):
    briefing = load(KESTREL / "briefing.yaml")
    chart = briefing.chart("trade_change")  # number_format '0', values in percent points
    assert shown_format(briefing, chart) == '0"%";"−"0"%"'  # a real minus, not a hyphen
    deck_chart = _charts(_deck(tmp_path, KESTREL))["trade_change"]
    assert deck_chart.plots[0].data_labels.number_format == '0"%";"−"0"%"'
    assert list(deck_chart.plots[0].series[0].values) == [7, 12, -4, -9]
    figure, axes = _page_axes(briefing, chart)
    assert [t.get_text() for t in axes.texts] == ["7%", "12%", "−4%", "−9%"]
    assert [t.get_text() for t in axes.get_xticklabels()] == ["−20%", "−10%", "0%", "10%", "20%"]
    figure.clf()


def test_excel_literal_percent_format_writes_points_as_percent():
    assert excel_format(12, '0"%"') == "12%"
    assert excel_format(-4.5, '0.0"%"') == "−4.5%"
    assert excel_format(0.12, "0%") == "12%"  # Excel's own %: multiplies by 100


# Percent, one convention: a percent figure holds percent points.


def test_a_percent_format_on_percent_figures_is_an_error_at_the_number_format(tmp_path: Path):
    from click.testing import CliRunner

    from briefing.cli import main

    text = (KESTREL / "briefing.yaml").read_text(encoding="utf-8")
    broken = _replaced(text, "    number_format: '0'\n", "    number_format: '0%'\n")
    folder = tmp_path / "kestrel"
    folder.mkdir()
    (folder / "article.txt").write_bytes((KESTREL / "article.txt").read_bytes())
    (folder / "briefing.yaml").write_text(broken, encoding="utf-8")
    result = CliRunner().invoke(main, ["check", str(folder)])
    assert result.exit_code == 1
    line = broken.splitlines().index("    number_format: '0%'") + 1
    [finding] = [f for f in result.output.splitlines() if "percent-format" in f or "0%'" in f]
    assert f"briefing.yaml:{line}:" in finding and "charts[3].number_format" in finding
    assert "container_growth_2025 is 7, shown as 700%" in finding
    assert 'write 0"%" or 0.0"%"' in finding
    assert "Traceback" not in result.output


def test_a_literal_percent_format_passes_the_check():
    from briefing.check.provenance import percent_format_problem

    briefing = load(KESTREL / "briefing.yaml")
    chart = briefing.chart("trade_change")
    for code in ('0"%"', '0.0"%"', "0"):
        assert (
            percent_format_problem(chart.model_copy(update={"number_format": code}), briefing)
            is None
        )
    assert percent_format_problem(chart.model_copy(update={"number_format": "0.0%"}), briefing)


# Precision: a derived figure holds no more digits than its least precise input.


def test_a_ratio_of_an_over_and_an_about_figure_is_over_and_one_digit(tmp_path: Path):
    from briefing.api import check

    text = (SORA / "briefing.yaml").read_text(encoding="utf-8")
    assert "    value: 2000\n    unit: multiple\n    qualifier: over\n" in text
    old = _replaced(
        text,
        "    value: 2000\n    unit: multiple\n    qualifier: over\n",
        "    value: 2381\n    unit: multiple\n    qualifier: about\n",
    )
    path = tmp_path / "briefing.yaml"
    path.write_text(old, encoding="utf-8")
    _, findings = check(path)
    [warning] = [f for f in findings if f.code == "false-precision"]
    assert warning.severity == "warning"
    assert (warning.line, warning.field) == (
        old.splitlines().index("    value: 2381") + 1,
        "figures[10].value",
    )
    assert "sora_cost" in warning.message and "1 significant digit" in warning.message
    assert warning.message.endswith("write value 2000 with qualifier over")


def test_the_shipped_briefings_derived_figures_are_as_precise_as_their_inputs():
    from briefing.check.provenance import derived_mismatch, false_precision

    for source in (SORA, KESTREL):
        briefing = load(source / "briefing.yaml")
        values = {f.id: f.base_value for f in briefing.figures}
        for figure in briefing.figures:
            assert false_precision(figure, briefing) is None, figure.id
            assert derived_mismatch(figure, values) is None, figure.id


def test_precision_rules_for_sums_directions_and_exact_claims():
    from briefing.check.provenance import false_precision, implied_qualifier

    briefing = load(KESTREL / "briefing.yaml")

    def with_figure(figure_id: str, **update):
        figures = [
            f.model_copy(update=update) if f.id == figure_id else f for f in briefing.figures
        ]
        changed = briefing.model_copy(update={"figures": figures})
        return changed.figure(figure_id), changed

    # A difference keeps its inputs' last place (US$ m): 152 is fine, 152.0 is not.
    assert false_precision(*with_figure("net_swing")) is None
    message = false_precision(*with_figure("net_swing", value=152.0, decimals=1))
    assert "net_2025 (67 million (6.7e7)), is rounded there" in message
    assert message.endswith("write value 152 with qualifier exact")
    # An exact ratio that had to be rounded is no longer exact.
    message = false_precision(*with_figure("growth_since_2018", qualifier=Qualifier.exact))
    assert message.endswith("with qualifier about")
    # An over figure divided into something pushes the result down: under.
    _, changed = with_figure("throughput_2018", qualifier=Qualifier.over)
    assert implied_qualifier("throughput_2025 / throughput_2018", changed).value == "under"
    assert implied_qualifier("throughput_2018 * 2", changed).value == "over"


def test_an_approximate_round_number_agrees_with_its_formula_but_an_exact_one_does_not():
    from briefing.check.provenance import derived_mismatch, significant_digits

    briefing = load(SORA / "briefing.yaml")
    values = {f.id: f.base_value for f in briefing.figures}
    ratio = briefing.figure("cost_revenue_ratio")  # over 2000, for 2380.95
    assert derived_mismatch(ratio, values) is None
    exact = ratio.model_copy(update={"qualifier": Qualifier.exact})
    assert "gives 2380.95" in derived_mismatch(exact, values)
    assert significant_digits(ratio) == 1 and significant_digits(exact) == 4
    assert significant_digits(briefing.figure("sora_revenue")) == 2  # about 2.1
    assert significant_digits(briefing.figure("bcg_respondents")) is None  # 1,488 people

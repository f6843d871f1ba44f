"""Chart colours against the master: series at 3:1 on what is under the chart, gridlines faint,
the same colours in the pptx chart and the slides' SVG, and the audit's check of it."""

from __future__ import annotations

import colorsys
import re
import shutil
from pathlib import Path

import pytest
from pptx import Presentation
from pptx.chart.data import CategoryChartData
from pptx.dml.color import RGBColor
from pptx.enum.chart import XL_CHART_TYPE
from pptx.util import Inches

from briefing.api import build
from briefing.audit import audit
from briefing.contrast import faint_series, ground_of, series_colors_of
from briefing.layout.boxes import ChartBox
from briefing.layout.colors import (
    GRAPHIC_RATIO,
    GRID_MAX_RATIO,
    GRID_MIN_RATIO,
    VARIED_HEADROOM,
    channels,
    contrast,
    gridline_color,
    series_colors,
)
from briefing.layout.deck import lay_out_deck
from briefing.layout.designer import Designer
from briefing.loader import load
from briefing.master import open_master
from briefing.theme import load_theme
from tests.masters import libreoffice_designs, missing, python_pptx_default

OPS = Path(__file__).parent / "briefings" / "northwind_ops" / "briefing.yaml"
SHIPPED = Path(__file__).parent.parent / "seeds" / "sora" / "briefing.yaml"
DEFAULT_SERIES = ["1F4E79", "E07A1F", "2E8B57", "7F8C8D", "5B7DB1", "C0392B"]
OFFICE_ACCENTS = ["4F81BD", "C0504D", "9BBB59", "8064A2", "4BACC6", "F79646"]
METROPOLIS_BLUE = "3866A8"  # what LibreOffice paints under Metropolis's charts (measured)


def _hue(rgb: str) -> float:
    return colorsys.rgb_to_hls(*(v / 255 for v in channels(rgb)))[0]


def test_accents_that_reach_3_to_1_are_kept_in_order():
    assert series_colors(["FFFFFF"], DEFAULT_SERIES, "1F2937", 3) == DEFAULT_SERIES[:3]


def test_an_accent_too_faint_gives_way_to_the_next_that_reads():
    # Pale yellow on white is 1.2:1; the navy after it reads.
    assert series_colors(["FFFFFF"], ["FFE699", "1F4E79"], "000000", 1) == ["1F4E79"]


def test_on_a_blue_ground_the_accents_are_lightened_keeping_their_hue():
    chosen = series_colors([METROPOLIS_BLUE], OFFICE_ACCENTS, "FFFFFF", 3)
    assert all(contrast(c, METROPOLIS_BLUE) >= GRAPHIC_RATIO for c in chosen), chosen
    assert abs(_hue(chosen[0]) - _hue("4F81BD")) < 0.02  # accent 1's blue, lighter
    assert len(set(chosen)) == 3


def test_a_varied_ground_asks_for_headroom():
    grounds = ["3866A8", "4A78B8"]
    chosen = series_colors(grounds, OFFICE_ACCENTS, "FFFFFF", 2)
    worst = [min(contrast(c, g) for g in grounds) for c in chosen]
    assert min(worst) >= GRAPHIC_RATIO * VARIED_HEADROOM, (chosen, worst)


def test_the_ink_comes_after_the_accents_run_out():
    assert series_colors(["FFFFFF"], ["1F4E79"], "000000", 2) == ["1F4E79", "000000"]


def test_the_themes_faint_surface_stays_the_gridline():
    assert gridline_color(["FFFFFF"], "EEF2F6", "6B7280") == "EEF2F6"


def test_a_gridline_brighter_than_the_data_is_replaced_by_a_faint_one():
    # Office's lt2 (EEECE1) on Metropolis's blue stood out more than the series did.
    grid = gridline_color([METROPOLIS_BLUE], "EEECE1", "FFFFFF")
    ratio = contrast(grid, METROPOLIS_BLUE)
    assert GRID_MIN_RATIO <= ratio <= GRID_MAX_RATIO, (grid, ratio)
    series = series_colors([METROPOLIS_BLUE], OFFICE_ACCENTS, "FFFFFF", 1)[0]
    assert contrast(series, METROPOLIS_BLUE) >= 2 * ratio


def test_faint_series_names_the_colour_under_3_to_1():
    blue = tuple(channels(METROPOLIS_BLUE))
    found = faint_series(["4F81BD", "FFFFFF"], blue)
    assert [color for color, _ in found] == ["4F81BD"]
    assert found[0][1] == pytest.approx(1.4, abs=0.05)


def _chart_boxes(source: Path, template, lang: str) -> list[ChartBox]:
    theme = load_theme(str(template))
    designer = Designer(load(source), theme, lang, open_master(theme.master_path), None)
    plan = lay_out_deck(designer)
    return [box for slide in plan.slides for box in slide.boxes if isinstance(box, ChartBox)]


@pytest.mark.parametrize("theme", ["default", "dark"])
def test_the_shipped_themes_keep_their_own_chart_colours(theme):
    colors = load_theme(theme).colors
    boxes = _chart_boxes(SHIPPED, theme, "en") + _chart_boxes(OPS, theme, "en")
    assert boxes
    for box in boxes:
        assert box.series == colors.series[: len(box.series)]
        assert box.inks["grid"] == colors.surface


def _blue_master(folder: Path) -> Path:
    """python-pptx's default master painted a flat mid blue, as Metropolis is under its charts."""
    prs = Presentation(str(python_pptx_default(folder)))
    fill = prs.slide_master.background.fill
    fill.solid()
    fill.fore_color.rgb = RGBColor.from_string(METROPOLIS_BLUE)
    path = folder / "blue.pptx"
    prs.save(str(path))
    return path


def _deck_series(deck: Path) -> dict[int, list[str]]:
    prs = Presentation(str(deck))
    return {
        number: series_colors_of(shape.chart)
        for number, slide in enumerate(prs.slides, start=1)
        for shape in slide.shapes
        if shape.has_chart
    }


def _deck_gridlines(deck: Path) -> list[str]:
    prs = Presentation(str(deck))
    return [
        str(value)
        for slide in prs.slides
        for shape in slide.shapes
        if shape.has_chart
        for value in shape.chart._chartSpace.xpath(".//c:majorGridlines//a:srgbClr/@val")
    ]


def test_a_blue_master_gets_series_and_gridlines_that_read_on_it(tmp_path):
    # Office's accent 1 (4F81BD) was written as it was: 1.4:1 on the blue, under the gridlines.
    master = _blue_master(tmp_path)
    [deck] = build(OPS, ("pptx",), "en", tmp_path / "out", str(master), check=False)
    series = _deck_series(deck)
    assert len(series) == 2
    for colors in series.values():
        for color in colors:
            assert contrast(color, METROPOLIS_BLUE) >= GRAPHIC_RATIO, color
            assert abs(_hue(color) - _hue("4F81BD")) < 0.02, color
    grids = _deck_gridlines(deck)
    assert len(grids) == 2
    for grid in grids:
        assert GRID_MIN_RATIO <= contrast(grid, METROPOLIS_BLUE) <= GRID_MAX_RATIO, grid


def test_the_ground_of_a_chart_is_not_its_bars():
    bar, ground = (75, 115, 172), (255, 140, 0)
    pixels = [bar] * 70 + [ground] * 30  # bars covering most of the box
    assert ground_of(pixels, ["4B73AC"]) == ground
    assert ground_of(pixels) == bar  # what the most common colour alone would say


def _audited(deck: Path) -> list:
    if not (shutil.which("soffice") and shutil.which("pdftotext") and shutil.which("pdftoppm")):
        missing("LibreOffice and poppler-utils (pdftotext, pdftoppm)")
    return [f for f in audit(deck).findings if f.code == "faint-series"]


@pytest.mark.slow
def test_the_audit_reports_a_series_under_3_to_1(tmp_path):
    prs = Presentation()
    prs.slide_width, prs.slide_height = Inches(13.333), Inches(7.5)
    for series_color in ("4F81BD", "C6D6EA"):  # 1.4:1 and 3.5:1 on the blue
        slide = prs.slides.add_slide(prs.slide_layouts[6])
        slide.background.fill.solid()
        slide.background.fill.fore_color.rgb = RGBColor.from_string(METROPOLIS_BLUE)
        data = CategoryChartData()
        data.categories = ["July", "August", "September"]
        data.add_series("Orders", (2.1, 2.3, 2.6))
        frame = slide.shapes.add_chart(
            XL_CHART_TYPE.COLUMN_CLUSTERED, Inches(1), Inches(1), Inches(8), Inches(5), data
        )
        fill = frame.chart.plots[0].series[0].format.fill
        fill.solid()
        fill.fore_color.rgb = RGBColor.from_string(series_color)
    deck = tmp_path / "faint.pptx"
    prs.save(str(deck))
    found = _audited(deck)
    assert [f.slide for f in found] == [1]
    assert "#4F81BD at 1.4:1" in found[0].detail and "3:1" in found[0].detail


@pytest.fixture(scope="module")
def metropolis_deck(tmp_path_factory) -> tuple[Path, Path]:
    """The ops briefing's deck and HTML slides on LibreOffice's Metropolis design."""
    master = libreoffice_designs(["Metropolis"])["Metropolis"]
    out = tmp_path_factory.mktemp("metropolis")
    written = build(OPS, ("pptx", "slides"), "en", out, str(master), check=False)
    deck = next(p for p in written if p.suffix == ".pptx")
    slides = next(p for p in written if p.suffix == ".html")
    return deck, slides


@pytest.mark.slow
def test_metropolis_charts_pass_the_audit_and_the_slides_share_their_colours(metropolis_deck):
    deck, slides = metropolis_deck
    assert _audited(deck) == []
    # The slides' SVG draws each chart in the pptx chart's colours, gridlines too.
    html = slides.read_text(encoding="utf-8").upper()
    colors = [c for found in _deck_series(deck).values() for c in found] + _deck_gridlines(deck)
    assert len(colors) == 4
    for color in colors:
        assert re.search(rf"#{color}\b", html), color

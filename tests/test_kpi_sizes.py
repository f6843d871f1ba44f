"""KPI cards: every number at one size, a long unit under its number, the block at the centre."""

from __future__ import annotations

from pathlib import Path

import pytest

from briefing.layout.boxes import ShapeBox, TextBox
from briefing.layout.deck import lay_out_deck
from briefing.layout.designer import Designer
from briefing.layout.geometry import EMU_PER_PT
from briefing.layout.kinds import _number_and_unit
from briefing.loader import load
from briefing.master import open_master
from briefing.theme import load_theme
from tests.masters import libreoffice_designs

SECOND = Path(__file__).parent / "briefings" / "kestrel_bay" / "briefing.yaml"
NORTHWIND = Path(__file__).parent / "briefings" / "northwind_ops" / "briefing.yaml"


@pytest.fixture(scope="module")
def designs(tmp_path_factory) -> dict[str, Path]:
    names = ["DNA", "Candy", "Forestbird", "Yellow_Idea"]
    return libreoffice_designs(names, tmp_path_factory.mktemp("m"))


def kpi_slide(source: Path, template, lang: str = "en"):
    """The KPI slide laid out on a template, with its designer."""
    kpi, designer, _ = kpi_plan(source, template, lang)
    return kpi, designer


def kpi_plan(source: Path, template, lang: str = "en"):
    """The KPI slide laid out on a template, with its designer and the fits of its boxes."""
    theme = load_theme(str(template))
    designer = Designer(load(source), theme, lang, open_master(theme.master_path), None)
    plan = lay_out_deck(designer)
    [kpi] = [s for s in plan.slides if s.kind == "kpi"]
    return kpi, designer, [fit for fit in plan.fits if fit.box.startswith("kpi item")]


def texts(kpi, ending: str) -> list[TextBox]:
    return [
        b
        for b in kpi.boxes
        if isinstance(b, TextBox) and b.where.startswith("kpi item") and b.where.endswith(ending)
    ]


def sizes(box: TextBox) -> list[float]:
    return [round(style.size * box.scale, 2) for _, style in box.paragraphs]


@pytest.mark.parametrize(
    ("value", "parts"),
    [
        ("4.41 million TEU", ("4.41", "million TEU")),
        ("US$67 m", ("US$67", "m")),
        ("−US$85 m", ("−US$85", "m")),
        ("31%", ("31%", "")),
        ("€1.2 bn", ("€1.2", "bn")),
        ("441万标准箱", ("441", "万标准箱")),
    ],
)
def test_a_value_splits_into_its_number_and_unit(value, parts):
    assert _number_and_unit(value) == parts


def test_every_number_on_a_narrow_kpi_slide_has_one_size(designs):
    # DNA's narrow cards set "4.41 million TEU" in two lines at half the size of "31%".
    kpi, _ = kpi_slide(SECOND, designs["DNA"])
    values = texts(kpi, "value")
    numbers = {sizes(box)[0] for box in values}
    assert len(numbers) == 1
    by_number = {box.paragraphs[0][0]: box for box in values}
    # The long unit goes to a smaller line under its number rather than shrinking it.
    teu = by_number["4.41"]
    assert teu.paragraphs[1][0] == "million TEU"
    assert sizes(teu)[1] < sizes(teu)[0]
    assert [text for text, _ in by_number["31%"].paragraphs] == ["31%"]
    assert len({sizes(box)[0] for box in texts(kpi, "label")}) == 1


def test_a_value_that_fits_on_one_line_keeps_its_unit_beside_it():
    kpi, designer = kpi_slide(NORTHWIND, "default")
    values = texts(kpi, "value")
    assert [box.paragraphs[0][0] for box in values] == ["€1.2 bn", "8.4%", "94.6%", "€410 m"]
    assert {sizes(box)[0] for box in values} == {designer.theme.sizes.kpi}


@pytest.mark.parametrize("design", ["Candy", "Forestbird", "default"])
def test_a_card_holds_its_number_and_label_at_its_centre(designs, design):
    kpi, designer = kpi_slide(SECOND, designs.get(design, design))
    surface = designer.theme.colors.surface
    cards = [b.rect for b in kpi.boxes if isinstance(b, ShapeBox) and b.color == surface]
    values, labels = texts(kpi, "value"), texts(kpi, "label")
    rule = designer.emu(6)  # the accent rule along the card's top
    # Each box as tall as the row's tallest text of its kind: no number at the foot of an
    # empty box, and numbers and labels level from card to card.
    for boxes in (values, labels):
        needed = max(designer.height_of(box.paragraphs, box.rect.width) for box in boxes)
        assert {box.rect.height for box in boxes} == {min(needed, boxes[0].rect.height)}
        assert boxes[0].rect.height <= needed + designer.emu(2)
    for card, value, label in zip(cards, values, labels):
        assert value.rect.bottom == label.rect.top
        above = value.rect.top - (card.top + rule)
        below = card.bottom - label.rect.bottom
        assert abs(above - below) / EMU_PER_PT <= 1


def test_four_cards_take_two_rows_where_one_row_cannot_hold_them(designs):
    # Yellow_Idea's row of four cards could not hold "US$67" even at the floor: the build stopped.
    kpi, designer, fits = kpi_plan(SECOND, designs["Yellow_Idea"])
    surface = designer.theme.colors.surface
    cards = [b.rect for b in kpi.boxes if isinstance(b, ShapeBox) and b.color == surface]
    assert len({card.top for card in cards}) == 2
    assert fits and all(fit.fits for fit in fits), [f for f in fits if not f.fits]


def test_a_number_set_smaller_only_to_match_is_not_reported_as_shrunk(designs):
    # "31%" fits DNA's card at full size; it is set smaller to match "4.41": nothing to shorten.
    kpi, designer, fits = kpi_plan(SECOND, designs["DNA"])
    by_box = {fit.box: fit for fit in fits}
    values = texts(kpi, "value")
    shared = sizes(values[0])[0] / designer.theme.sizes.kpi
    assert shared < 0.9
    reported = {box.paragraphs[0][0]: by_box[box.where].scale for box in values}
    assert min(reported.values()) == pytest.approx(shared, abs=0.01)
    assert reported["31%"] > shared + 0.05

"""Recommendations laid out: numbering that goes on across a continued slide, a balanced split,
two columns where one would set them small; and the sources slide saying only what is true."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from pptx import Presentation

from briefing.layout.boxes import ShapeBox, TextBox
from briefing.layout.deck import _balanced_share, lay_out_deck
from briefing.layout.designer import Designer
from briefing.loader import load
from briefing.master import open_master
from briefing.render.pptx import lay_out, render_pptx
from briefing.theme import load_theme
from tests.conftest import MINIMAL

SHIPPED = Path(__file__).parent.parent / "seeds" / "sora" / "briefing.yaml"
NORTHWIND = Path(__file__).parent / "briefings" / "northwind_ops" / "briefing.yaml"
LONG_WHY = (
    "This reason runs on for a while, as reasons written in a hurry do, so that every item "
    "takes three or four lines of the slide and the list cannot stand on one slide, nor in "
    "two columns of it, however small the type is set within the theme's limits."
)


def _many_recommendations(count: int) -> str:
    items = "".join(
        f"      - action: Do the thing numbered {n} before the quarter ends\n"
        f"        why: {LONG_WHY} {LONG_WHY}\n"
        for n in range(1, count + 1)
    )
    return MINIMAL + (
        "  - kind: recommendations\n"
        "    title: {zh: 我们应当做的许多事情, en: Many things we should do now}\n"
        "    items:\n" + items + "    notes: {zh: 许多事。, en: Many things.}\n"
    )


def plan_of(source: Path, template: str | Path, lang: str):
    """The deck laid out, with the designer that laid it out."""
    theme = load_theme(str(template))
    designer = Designer(load(source), theme, lang, open_master(theme.master_path), None)
    return lay_out_deck(designer), designer


def badges(slide) -> list[str]:
    """The numbers in a laid-out slide's badges, in order."""
    return [
        box.text.paragraphs[0][0]
        for box in slide.boxes
        if isinstance(box, ShapeBox) and box.geometry == "oval" and box.text is not None
    ]


@pytest.mark.parametrize(("total", "keep"), [(5, 3), (7, 4), (9, 5), (6, 3), (3, 2), (2, 1)])
def test_items_are_shared_evenly_between_the_two_slides(total, keep):
    assert _balanced_share(total) == keep


def test_a_continued_list_goes_on_numbering_and_is_split_evenly(write_briefing):
    plan, _ = plan_of(write_briefing(_many_recommendations(6)), "default", "en")
    slides = [s for s in plan.slides if s.kind == "recommendations"]
    assert len(slides) >= 2, "the test needs a list that continues"
    numbers = [badges(s) for s in slides]
    assert sum(numbers, []) == [str(n) for n in range(1, 7)]
    counts = [len(n) for n in numbers]
    assert max(counts) - min(counts) <= 1, counts  # 3 + 3, never 5 + 1
    assert [s.continued for s in slides] == [False] + [True] * (len(slides) - 1)
    # The fit names the item by the number the reader sees.
    wheres = [b.where for b in slides[1].boxes if isinstance(b, TextBox)]
    assert f"recommendations item {numbers[1][0]}" in wheres


def test_the_deck_writes_the_continued_numbers(write_briefing):
    source = write_briefing(_many_recommendations(6))
    laid_out = lay_out(load(source), load_theme("default"), "en")
    stream = io.BytesIO()
    render_pptx(load(source), load_theme("default"), "en", stream, laid_out=laid_out)
    prs = Presentation(io.BytesIO(stream.getvalue()))
    digits = [
        shape.text_frame.text
        for slide in prs.slides
        for shape in slide.shapes
        if shape.has_text_frame
        and shape.text_frame.text.isdigit()
        and shape.top > 0
        and shape.width < shape.height * 2  # the badges, not the slide numbers' wide boxes
    ]
    assert digits == [str(n) for n in range(1, 7)]


def test_recommendations_stay_in_one_column_where_it_holds_them_at_the_body_size():
    plan, designer = plan_of(SHIPPED, "default", "zh")
    [slide] = [s for s in plan.slides if s.kind == "recommendations"]
    items = [b for b in slide.boxes if isinstance(b, TextBox) and b.where.endswith(("1", "5"))]
    body = designer.theme.sizes.body
    # The default theme's room holds them at the body size in one column: it stays one column.
    assert {round(b.paragraphs[0][1].size * b.scale, 1) for b in items} == {body}
    assert len({b.rect.left for b in items}) == 1


def test_two_columns_reach_the_body_size_in_a_short_wide_room(write_briefing, tmp_path):
    from pptx.util import Emu

    theme = load_theme("default")
    prs = open_master(theme.master_path)
    # The same master, 40 % less tall (as Forestbird's room): one column of five items was set
    # at 80 %, half the slide's width empty beside short lines.
    prs.slide_height = Emu(int(prs.slide_height * 0.6))
    master = tmp_path / "short.pptx"
    prs.save(str(master))
    plan, designer = plan_of(SHIPPED, master, "en")
    [slide] = [s for s in plan.slides if s.kind == "recommendations"]
    items = [
        b
        for b in slide.boxes
        if isinstance(b, TextBox)
        and b.where.startswith("recommendations")
        and not b.where.endswith("number")
        and "title" not in b.where
    ]
    assert len(items) == 5
    lefts = sorted({b.rect.left for b in items})
    assert len(lefts) == 2  # 1-3 on the left, 4-5 on the right
    assert [b.rect.left for b in items] == [lefts[0]] * 3 + [lefts[1]] * 2
    sizes = {round(b.paragraphs[0][1].size * b.scale, 1) for b in items}
    assert min(sizes) > 0.9 * designer.theme.sizes.body


@pytest.mark.parametrize(
    ("lang", "said"),
    [
        ("en", "All 16 figures in this briefing carry their source."),
        ("zh", "本简报中的 16 个数字均注明来源。"),
    ],
)
def test_the_sources_slide_says_nothing_of_derivations_a_briefing_lacks(lang, said):
    briefing = load(NORTHWIND)
    assert not any(f.derived for f in briefing.figures)
    assert len(briefing.figures) == 16
    plan, _ = plan_of(NORTHWIND, "default", lang)
    [slide] = [s for s in plan.slides if s.kind == "sources"]
    [box] = [b for b in slide.boxes if isinstance(b, TextBox) and b.where == "sources list"]
    assert box.paragraphs[-1][0] == said


@pytest.mark.parametrize(("lang", "how"), [("en", "derived ones say how"), ("zh", "衍生数字")])
def test_the_sources_slide_says_how_derived_figures_are_traced_when_there_are_some(lang, how):
    plan, _ = plan_of(SHIPPED, "default", lang)
    [slide] = [s for s in plan.slides if s.kind == "sources"]
    [box] = [b for b in slide.boxes if isinstance(b, TextBox) and b.where == "sources list"]
    assert how in box.paragraphs[-1][0]

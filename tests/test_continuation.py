"""A slide that continues must be worth it: the roomiest layout first, a timeline down a narrow
room, at most one continued slide with the items shared evenly, and an overflow reported once
per box, not once per slide."""

from __future__ import annotations

from pathlib import Path

from briefing.layout.boxes import ShapeBox, TextBox
from briefing.layout.deck import lay_out_deck
from briefing.layout.designer import Designer
from briefing.loader import load
from briefing.master import open_master
from briefing.theme import load_theme
from tests.conftest import MINIMAL
from tests.masters import libreoffice_designs

KESTREL = Path(__file__).parent / "briefings" / "kestrel_bay" / "briefing.yaml"
SORA = Path(__file__).parent.parent / "seeds" / "sora" / "briefing.yaml"
LONG = (
    "a point that runs on for a while, as points written in a hurry do, and then some more "
    "words so that it takes several lines of a column at any size the theme allows"
)


def laid_out(source: Path, template: str | Path, lang: str = "en"):
    """The deck laid out, with the designer that laid it out."""
    theme = load_theme(str(template))
    designer = Designer(load(source), theme, lang, open_master(theme.master_path), None)
    return lay_out_deck(designer), designer


def comparison(points: int, text: str = LONG) -> str:
    """A briefing whose last slide compares two columns of `points` long points each."""

    def column(side: str) -> str:
        lines = "".join(
            f"        - {{zh: '第{n}点{text}', en: '{side} {n}: {text}'}}\n"
            for n in range(1, points + 1)
        )
        return f"    {side}:\n      heading: {{zh: {side}, en: {side}}}\n      points:\n" + lines

    return MINIMAL + (
        "  - kind: comparison\n"
        "    title: {zh: 两边比较, en: The two sides compared}\n"
        + column("left")
        + column("right")
        + "    notes: {zh: 比较。, en: Compared.}\n"
    )


def timeline(events: int, text: str = LONG) -> str:
    """A briefing whose last slide is a timeline of `events` long events."""
    lines = "".join(
        f"      - when: {{zh: '{2010 + n}', en: '{2010 + n}'}}\n"
        f"        what: {{zh: 第{n}件事, en: 'Event {n}, {text}'}}\n"
        for n in range(1, events + 1)
    )
    return MINIMAL + (
        "  - kind: timeline\n"
        "    title: {zh: 经过, en: How it went}\n"
        "    events:\n" + lines + "    notes: {zh: 经过。, en: How it went.}\n"
    )


def slides_of(plan, kind: str) -> list:
    return [slide for slide in plan.slides if slide.kind == kind]


def points_shown(slide, side: str) -> int:
    """How many points (the heading left out) a comparison slide sets in one column."""
    [box] = [b for b in slide.boxes if isinstance(b, TextBox) and b.where == f"comparison {side}"]
    return len(box.paragraphs) - 1


def test_a_comparison_takes_the_content_layout_where_the_two_column_ones_leave_a_strip():
    # Vintage's two-body layouts keep the title mid-slide and the columns in a strip under it;
    # its content layout has the whole slide under a title at the top.
    vintage = libreoffice_designs(["Vintage"])["Vintage"]
    plan, designer = laid_out(KESTREL, vintage)
    chosen = designer.layout("comparison")
    assert chosen is designer.layout("bullets")
    two = [lo for lo in chosen.slide_master.slide_layouts if lo.name == "Title, 2 Content"]
    assert designer.frame(chosen).content_area > 2 * designer.frame(two[0]).content_area
    # Kestrel Bay's comparison (four points a column) stands on one slide, all its points set.
    [slide] = slides_of(plan, "comparison")
    assert (points_shown(slide, "left"), points_shown(slide, "right")) == (4, 4)
    assert all(f.fits for f in plan.fits if f.slide_index == slide.source_index)


def test_the_default_theme_keeps_its_two_content_layout_for_a_comparison():
    _, designer = laid_out(KESTREL, "default")
    assert designer.layout("comparison").name == "Two Content"


def test_items_that_do_not_fit_continue_on_one_slide_only_shared_evenly(write_briefing):
    plan, designer = laid_out(write_briefing(comparison(9)), "default")
    slides = slides_of(plan, "comparison")
    assert [s.continued for s in slides] == [False, True]
    assert [points_shown(s, "left") for s in slides] == [5, 4]
    assert [points_shown(s, "right") for s in slides] == [5, 4]
    moved = [w for w in designer.warnings if "continue on the next slide" in w]
    assert moved == [
        "slide 3 (comparison): 4 of 9 items did not fit and continue on the next slide"
    ]


def test_an_overflow_is_reported_once_per_box_at_its_worst(write_briefing):
    # Twelve long points a column overflow even when halved: each column is one finding.
    plan, _ = laid_out(write_briefing(comparison(12, LONG + " " + LONG)), "default")
    slides = slides_of(plan, "comparison")
    assert len(slides) == 2
    index = slides[0].source_index
    for side in ("left", "right"):
        found = [f for f in plan.fits if f.slide_index == index and f.box == f"comparison {side}"]
        assert len(found) == 1, found
        assert not found[0].fits
    # Footers repeat on the continued slide too: still one fit per box of the source slide.
    keys = [(f.slide_index, f.box) for f in plan.fits]
    assert len(keys) == len(set(keys))


def test_a_continued_timeline_names_its_events_by_their_number(write_briefing):
    plan, _ = laid_out(write_briefing(timeline(7, " ".join([LONG] * 4))), "default")
    slides = slides_of(plan, "timeline")
    assert len(slides) == 2
    names = [b.where for b in slides[1].boxes if isinstance(b, TextBox)]
    events = [n for n in names if n.startswith("timeline event") and not n.endswith("date")]
    assert events == ["timeline event 5", "timeline event 6", "timeline event 7"]


def dots(slide) -> list:
    """The rectangles of a timeline slide's dots."""
    return [b.rect for b in slide.boxes if isinstance(b, ShapeBox) and b.geometry == "oval"]


def test_a_timeline_too_narrow_across_runs_down_the_room_on_one_slide():
    # Yellow_Idea leaves the timeline the right two thirds of the slide: across it, five columns
    # are narrower than '2026年3月24日' (a date never breaks), so it went 3 + 2 over two slides.
    yellow = libreoffice_designs(["Yellow_Idea"])["Yellow_Idea"]
    plan, _ = laid_out(SORA, yellow, "zh")
    [slide] = slides_of(plan, "timeline")
    assert all(f.fits for f in plan.fits if f.slide_index == slide.source_index)
    circles = dots(slide)
    assert len(circles) == 5
    assert len({c.left for c in circles}) == 1  # one line down the room
    assert [c.top for c in circles] == sorted(c.top for c in circles)
    texts = {b.where: b.rect for b in slide.boxes if isinstance(b, TextBox)}
    assert texts["timeline event 5 date"].right <= circles[0].left
    assert texts["timeline event 5"].left >= circles[0].right


def test_a_timeline_with_room_across_stays_across():
    plan, _ = laid_out(SORA, "default", "zh")
    [slide] = slides_of(plan, "timeline")
    circles = dots(slide)
    assert len(circles) == 5
    assert len({c.top for c in circles}) == 1

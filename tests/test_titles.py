"""Titles and covers on LibreOffice designs: sizes, lines, colours and one alignment."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import pytest

from briefing.api import build
from briefing.layout.boxes import TextBox
from briefing.layout.geometry import EMU_PER_PT
from briefing.layout.titles import COVER_FLOOR, SHARED_FLOOR, title_alignment
from briefing.render.pptx_text import INSETS_PT
from tests.masters import libreoffice_designs
from tests.test_layout import SECOND, SHIPPED, plan_of

NORTHWIND = Path(__file__).parent / "briefings" / "northwind_ops" / "briefing.yaml"
DESIGNS = ["Pencil", "Piano", "Metropolis", "Midnightblue", "Sunset"]


@pytest.fixture(scope="module")
def designs(tmp_path_factory) -> dict[str, Path]:
    """The reviewed LibreOffice designs as .pptx (converted once, cached across runs)."""
    return libreoffice_designs(DESIGNS, tmp_path_factory.mktemp("designs"))


def titles_of(plan) -> list[tuple[int, TextBox]]:
    """Each slide's title box with its slide number."""
    found = []
    for number, slide in enumerate(plan.slides, start=1):
        for box in slide.boxes:
            if isinstance(box, TextBox) and box.where == f"{slide.kind} title":
                found.append((number, box))
    return found


def set_size(box: TextBox) -> float:
    """The size the box's first paragraph is set at, in points."""
    return box.paragraphs[0][1].size * box.scale


def line_count(box: TextBox, designer) -> int:
    """How many lines the box's text takes at its set size."""
    width = box.rect.width / EMU_PER_PT - 2 * INSETS_PT[0]
    text, style = box.paragraphs[0]
    return len(designer.setter.line_breaks(text, style, set_size(box), width)) + 1


@pytest.mark.parametrize(
    ("design", "source"),
    [
        ("Pencil", NORTHWIND),
        ("Piano", NORTHWIND),
        ("Piano", SECOND),
        ("Metropolis", NORTHWIND),
        ("Sunset", SHIPPED),
    ],
)
def test_a_cover_title_is_never_smaller_than_its_subtitle(designs, design: str, source: Path):
    # Pencil's title was 18.2 pt beside an 18.2 pt subtitle; Piano's 16.6 pt under 18.2 pt.
    plan, designer = plan_of(source, designs[design], "en")
    cover = plan.slides[0].boxes
    [title] = [b for b in cover if isinstance(b, TextBox) and b.where == "title title"]
    [subtitle] = [b for b in cover if isinstance(b, TextBox) and b.where == "title subtitle"]
    assert set_size(title) >= max(style.size * subtitle.scale for _, style in subtitle.paragraphs)
    assert not title.rect.overlaps(subtitle.rect)


@pytest.mark.parametrize(("design", "source"), [("Pencil", NORTHWIND), ("Metropolis", NORTHWIND)])
def test_a_cover_title_takes_more_room_rather_than_shrink(designs, design: str, source: Path):
    # Pencil grows its title into the free room above the pencil line; Metropolis moves its
    # subtitle down (its ribbon holds one small line): neither is set at 55 % any more.
    plan, designer = plan_of(source, designs[design], "en")
    [(_, title)] = [(n, b) for n, b in titles_of(plan) if n == 1]
    assert set_size(title) >= COVER_FLOOR * designer.theme.sizes.cover_title - 0.01
    frame = designer.frame(plan.slides[0].layout, cover=True)
    if not title.rect.overlaps(frame.title):  # moved to head the subtitle: aligned with it
        boxes = plan.slides[0].boxes
        [subtitle] = [b for b in boxes if getattr(b, "where", "") == "title subtitle"]
        assert title.paragraphs[0][1].align == "l"
        assert title.rect.left == subtitle.rect.left
        assert title.rect.bottom <= subtitle.rect.top
    for art in designer.view.layout(plan.slides[0].layout).artwork:
        if not art.overlaps(frame.title):  # what the placeholder itself lies on is its design
            assert not title.rect.overlaps(art)


def test_content_titles_share_one_size_in_at_most_two_lines(designs):
    # Pencil's northwind titles were 19.7, 23.2 and 18.5 pt on slides 2, 3 and 4.
    plan, designer = plan_of(NORTHWIND, designs["Pencil"], "en")
    titles = [box for number, box in titles_of(plan) if number > 1]
    sizes = {round(set_size(box), 2) for box in titles}
    assert len(sizes) == 1
    assert all(line_count(box, designer) <= 2 for box in titles)
    # The largest such size: 5 % larger, some title takes a third line or overflows its room.
    [size] = sizes
    assert size >= SHARED_FLOOR * designer.theme.sizes.title - 0.01
    larger = size + 0.05 * designer.theme.sizes.title
    worse = []
    for number, box in titles_of(plan):
        if number == 1:
            continue
        room = designer.frame(plan.slides[number - 1].layout).title
        text, style = box.paragraphs[0]
        width = room.width / EMU_PER_PT - 2 * INSETS_PT[0]
        lines = len(designer.setter.line_breaks(text, style, larger, width)) + 1
        height = designer.setter.text_height([(text, style)], width, larger / style.size)
        if lines > 2 or height > room.height / EMU_PER_PT - 2 * INSETS_PT[1]:
            worse.append(number)
    assert worse


def test_a_long_title_keeps_the_deck_size_and_colour_in_a_wider_room(designs):
    # Sunset zh slide 7 was set at 70 % (16 pt) and so dark, the other titles blue.
    plan, designer = plan_of(SHIPPED, designs["Sunset"], "zh")
    titles = [box for number, box in titles_of(plan) if number > 1]
    assert len({round(set_size(box), 2) for box in titles}) == 1
    assert len({box.paragraphs[0][1].color for box in titles}) == 1
    seventh = dict(titles_of(plan))[7]
    frame = designer.frame(plan.slides[6].layout)
    assert seventh.rect.width > frame.title.width  # above the ornaments beside the title
    for art in designer.view.layout(plan.slides[6].layout).artwork:
        assert not seventh.rect.overlaps(art)


def test_libreoffice_title_alignment_is_read_from_the_placeholder_paragraph(designs):
    # LibreOffice writes a design's title alignment on the placeholder's empty paragraph.
    from briefing.master import open_master

    prs = open_master(designs["Pencil"])
    assert {title_alignment(layout) for layout in prs.slide_layouts} == {"ctr"}


def test_a_title_moved_under_the_band_aligns_with_the_content_in_deck_and_slides(
    designs, tmp_path: Path
):
    # Midnightblue: the title moved from mid-slide to the top of the content was centred in the
    # deck (its layout's anchorCtr) and left in the HTML slides.
    plan, _ = plan_of(SHIPPED, designs["Midnightblue"], "zh")
    titles = dict(titles_of(plan))
    assert titles[1].paragraphs[0][1].align == "ctr"  # the cover keeps its design
    assert {box.paragraphs[0][1].align for n, box in titles.items() if n > 1} == {"l"}
    written = build(
        SHIPPED, ("pptx", "slides"), "zh", tmp_path, theme=str(designs["Midnightblue"]), check=False
    )
    [deck] = [p for p in written if p.suffix == ".pptx"]
    with zipfile.ZipFile(deck) as archive:
        slide = archive.read("ppt/slides/slide7.xml").decode()
    title = slide[slide.index('type="title"') :]
    title = title[: title.index("</p:sp>")]
    assert 'anchorCtr="0"' in title
    assert 'algn="l"' in title
    [html] = [p for p in written if p.name.endswith(".slides.html")]
    page = html.read_text(encoding="utf-8")
    aligns = re.findall(r'data-where="chart title".*?text-align:(\w+)', page, re.S)
    assert aligns and set(aligns) == {"left"}

"""What counts as a master's artwork, on LibreOffice's designs: the busy parts of a background
picture are (Nature_Illustration's trees, sun and hills), a shape that does not show is not
(Lights' white ellipses on its white sheet)."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from PIL import Image, ImageChops

from briefing.layout.boxes import ChartBox, ShapeBox, TextBox
from tests.masters import libreoffice_designs
from tests.test_layout import plan_of

OPS = Path(__file__).parent / "briefings" / "northwind_ops" / "briefing.yaml"
SECOND = Path(__file__).parent / "briefings" / "kestrel_bay" / "briefing.yaml"
# A pixel of the background picture this far (0-255, in some channel) from the sky is a tree,
# the sun or a hill, not sky or a cloud a shade lighter than it.
FAR_FROM_SKY = 60


@pytest.fixture(scope="module")
def designs(tmp_path_factory) -> dict[str, Path]:
    names = ["Nature_Illustration", "Lights", "Metropolis"]
    return libreoffice_designs(names, tmp_path_factory.mktemp("d"))


def _background_picture(layout, size: tuple[int, int]) -> Image.Image:
    """The picture the slide's master (or layout) sets as its background, at slide scale."""
    for part in (layout, layout.slide_master):
        blip = part.element.find("{*}cSld/{*}bg//{*}blip")
        if blip is not None:
            rid = blip.get(
                "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}embed"
            )
            blob = part.part.related_part(rid).blob
            return Image.open(io.BytesIO(blob)).convert("RGB").resize(size)
    raise AssertionError(f"layout {layout.name!r} has no background picture")


def _off_the_sky(picture: Image.Image, rect, scale: float) -> float:
    """The share of a box's pixels that are drawing (trees, sun, hills) rather than sky."""
    sky = max(picture.getcolors(picture.width * picture.height))[1]
    box = picture.crop(
        (
            round(rect.left * scale),
            round(rect.top * scale),
            round(rect.right * scale),
            round(rect.bottom * scale),
        )
    )
    red, green, blue = ImageChops.difference(box, Image.new("RGB", box.size, sky)).split()
    far = ImageChops.lighter(ImageChops.lighter(red, green), blue)
    drawn = far.point(lambda v: 255 if v > FAR_FROM_SKY else 0).histogram()[255]
    return drawn / max(box.width * box.height, 1)


@pytest.mark.slow
def test_text_and_charts_keep_off_the_drawing_in_nature_illustrations_background(designs):
    """Axis labels, a quote's attribution, badges and source lines sat on the trees and hills
    drawn in the master's background picture (judged for colour only)."""
    plan, designer = plan_of(OPS, designs["Nature_Illustration"], "en")
    width, height = designer.view.slide_size
    scale = 400 / width
    on_drawing = []
    for number, slide in enumerate(plan.slides, start=1):
        frame = designer.frame(slide.layout, cover=slide.kind == "title")
        picture = _background_picture(slide.layout, (400, round(height * scale)))
        ours = [box for box in slide.boxes if isinstance(box, (TextBox, ChartBox, ShapeBox))]
        ours += [footer.text for footer in slide.footers if not footer.from_layout]
        for box in ours:
            if box.rect in frame.panels or any(p.contains(box.rect) for p in frame.panels):
                continue  # on a panel of ours, not on the picture
            share = _off_the_sky(picture, box.rect, scale)
            if share > 0.02:
                on_drawing.append((number, getattr(box, "where", type(box).__name__), share))
    assert on_drawing == []


@pytest.mark.slow
def test_charts_on_lights_get_the_room_its_invisible_ellipses_left_empty(designs):
    """Lights' content master has 30 %-white ellipses over its white sheet: invisible, yet read
    as artwork, they left each chart about a quarter of the slide wide."""
    plan, designer = plan_of(SECOND, designs["Lights"], "en")
    width = designer.view.slide_size[0]
    charts = [box for slide in plan.slides for box in slide.boxes if isinstance(box, ChartBox)]
    assert len(charts) >= 3
    assert [
        round(chart.rect.width / width, 2) for chart in charts if chart.rect.width < 0.4 * width
    ] == []


def test_a_footer_placeholder_running_past_the_slide_still_carries_the_classification(designs):
    """Nature_Illustration's content master draws its footer half below the slide's edge: it is
    cut to the slide, not dropped with the classification in it."""
    plan, designer = plan_of(OPS, designs["Nature_Illustration"], "en")
    page = designer.view.slide_size
    content = [s for s in plan.slides if designer.view.layout(s.layout).master_index == 1]
    assert content, "the content slides take the content master"
    for slide in content:
        [footer] = [f for f in slide.footers if f.kind == "footer"]
        assert footer.text.paragraphs[0][0] == "Confidential"
        assert footer.text.rect.bottom <= page[1] and footer.moved


def test_a_band_drawn_in_the_background_picture_keeps_its_title_and_content_whole(designs):
    """Metropolis draws its title's ribbon and a thin border in its background picture: the
    ribbon's edge is a seam between two grounds, not artwork, and the border touching the
    number's place by a pixel does not move it (which left the content a sliver lower, on a
    panel of ours)."""
    plan, designer = plan_of(SECOND, designs["Metropolis"], "en")
    for slide in plan.slides[1:]:
        view = designer.view.layout(slide.layout)
        frame = designer.frame(slide.layout)
        placeholder = next(p.rect for p in view.placeholders if p.kind == "title")
        assert frame.title.height >= 0.85 * placeholder.height, slide.kind
        assert frame.panels == (), slide.kind

"""LibreOffice's field markers in a master's own text boxes ('<date/time>', '<footer>',
'<number>'): never printed; the date box dated, the number box numbering, in pptx and HTML."""

from __future__ import annotations

import hashlib
import io
from pathlib import Path

import pytest
from lxml import html as lxml_html
from pptx import Presentation
from pptx.oxml.ns import qn
from pptx.oxml.shapes.autoshape import CT_Shape

from briefing.api import build
from briefing.cache import Cache
from briefing.citations import format_date
from briefing.layout.boxes import FooterBox
from briefing.loader import load
from briefing.render.pptx import lay_out, render_pptx
from briefing.render.slides import SlideShow
from briefing.theme import load_theme
from tests.masters import libreoffice_design

SHIPPED = Path(__file__).parent.parent / "seeds" / "sora" / "briefing.yaml"
MARKERS = ("<date/time>", "<footer>", "<number>", "<header>")


def _with_markers(folder: Path, boxes: dict[str, tuple[int, int, int, int]]) -> Path:
    """The default theme's master with text boxes of the master holding only a marker, as
    LibreOffice writes a design's fields into plain boxes."""
    prs = Presentation(str(load_theme("default").master_path))
    master = prs.slide_masters[0]
    tree = master.shapes._spTree
    for number, (text, place) in enumerate(boxes.items(), start=900):
        sp = CT_Shape.new_textbox_sp(number, f"Text {number}", *place)
        tree.append(sp)
        run = sp.txBody.p_lst[0].add_r()
        run.text = text
    path = folder / "marked.pptx"
    prs.save(str(path))
    return path


def _texts(element) -> list[str]:
    return [t.text or "" for t in element.iter(qn("a:t"))]


def _printed(deck: Presentation) -> set[str]:
    """The plain text every slide shows: its own runs, and those of the master's and layout's
    own boxes (placeholders there are prompts slides never show; a field's text is replaced)."""
    shown = set()
    for slide in deck.slides:
        shown |= {r.text for r in slide.element.iter(qn("a:r"))}
    for master in deck.slide_masters:
        for part in (master, *master.slide_layouts):
            for shape in part.shapes:
                if not shape.is_placeholder:
                    shown |= {r.text for r in shape._element.iter(qn("a:r"))}
    return shown


def _number_fields(element) -> list:
    return [f for f in element.iter(qn("a:fld")) if f.get("type") == "slidenum"]


@pytest.fixture(scope="module")
def lights(tmp_path_factory) -> tuple[Path, bytes, Presentation]:
    folder = tmp_path_factory.mktemp("lights")
    master = libreoffice_design(folder, "Lights")
    before = master.read_bytes()
    [deck] = build(SHIPPED, ("pptx",), "zh", folder / "out", theme=str(master))
    return master, before, Presentation(str(deck))


def test_lights_prints_no_marker_and_dates_its_content_slides(lights):
    master, before, deck = lights
    original = Presentation(str(master))
    # The design holds the marker as text in a box of its own (not a placeholder) ...
    assert any(
        "<date/time>" in _texts(sp._element)
        for m in original.slide_masters
        for sp in m.shapes
        if not sp.is_placeholder
    )
    # ... and the deck nowhere, on the master, a layout or a slide.
    assert not _printed(deck) & set(MARKERS)
    date = format_date(load(SHIPPED).meta.date, "zh")
    for number, slide in enumerate(deck.slides, start=1):
        texts = [sh.text_frame.text for sh in slide.shapes if sh.has_text_frame]
        # The cover's details line carries the date already.
        assert (date in texts) == (number > 1), (number, texts)


def test_lights_numbers_its_slides_once(lights):
    _, _, deck = lights
    # Its master numbers the slides in a field of its own: the slides add no number of ours.
    assert any(_number_fields(m.element) for m in deck.slide_masters)
    assert not any(_number_fields(slide.element) for slide in deck.slides)


def test_the_users_master_file_is_not_changed(lights):
    master, before, _ = lights
    assert hashlib.sha256(master.read_bytes()).digest() == hashlib.sha256(before).digest()


def test_a_number_marker_becomes_the_slide_number_field_and_ours_is_not_added(tmp_path):
    master = _with_markers(
        tmp_path,
        {
            "<number>": (300000, 80000, 1000000, 300000),
            "<footer>": (4000000, 80000, 2000000, 300000),
        },
    )
    [path] = build(SHIPPED, ("pptx",), "en", tmp_path / "out", theme=str(master))
    deck = Presentation(str(path))
    [master_shapes] = [m.shapes for m in deck.slide_masters]
    fields = [
        f for sp in master_shapes if not sp.is_placeholder for f in _number_fields(sp._element)
    ]
    assert len(fields) == 1  # the master's own box now numbers every slide
    assert not any(_number_fields(slide.element) for slide in deck.slides)
    assert "<footer>" not in _printed(deck)


def _laid_out_on(master: Path, lang: str = "en"):
    return lay_out(load(SHIPPED), load_theme(str(master)), lang, Cache(None))


def test_the_html_slides_show_the_date_where_the_deck_does(tmp_path):
    master = _with_markers(tmp_path, {"<date/time>": (9800000, 80000, 2000000, 300000)})
    laid_out = _laid_out_on(master)
    stream = io.BytesIO()
    render_pptx(load(SHIPPED), load_theme(str(master)), "en", stream, laid_out=laid_out)
    deck = Presentation(io.BytesIO(stream.getvalue()))
    date = format_date(load(SHIPPED).meta.date, "en")
    in_deck = [
        number
        for number, slide in enumerate(deck.slides, start=1)
        if any(sh.has_text_frame and sh.text_frame.text == date for sh in slide.shapes)
    ]
    page = lxml_html.fromstring(SlideShow(laid_out, Cache(None)).html())
    sections = page.xpath("//section[contains(concat(' ', @class, ' '), ' page ')]")
    in_html = [
        number
        for number, section in enumerate(sections, start=1)
        if [d.text_content().strip() for d in section.xpath(".//div[@data-where='date']")] == [date]
    ]
    assert in_deck == in_html == list(range(2, len(deck.slides) + 1))


def test_a_date_box_on_our_content_is_left_blank(tmp_path):
    # A marker box across the middle of the slide, where every content slide sets its text.
    master = _with_markers(tmp_path, {"<date/time>": (600000, 3000000, 11000000, 400000)})
    laid_out = _laid_out_on(master)
    dates = [
        footer
        for plan in laid_out.plan.slides
        for footer in plan.footers
        if isinstance(footer, FooterBox) and footer.kind == "date"
    ]
    assert dates == []
    stream = io.BytesIO()
    render_pptx(load(SHIPPED), load_theme(str(master)), "en", stream, laid_out=laid_out)
    deck = Presentation(io.BytesIO(stream.getvalue()))
    assert "<date/time>" not in _printed(deck)


def test_the_html_slides_number_slides_where_the_master_numbers_them(tmp_path):
    master = libreoffice_design(tmp_path, "Lights")
    laid_out = _laid_out_on(master, "zh")
    show = SlideShow(laid_out, Cache(None))
    page = lxml_html.fromstring(show.html())
    sections = page.xpath("//section[contains(concat(' ', @class, ' '), ' page ')]")
    shown = [
        [d.text_content().strip() for d in s.xpath(".//div[contains(@class, 'master-number')]")]
        for s in sections
    ]
    # The pptx numbers a slide by the field of its master's own box (every slide but the cover,
    # whose master has none); the HTML numbers the same slides.
    stream = io.BytesIO()
    render_pptx(load(SHIPPED), load_theme(str(master)), "zh", stream, laid_out=laid_out)
    deck = Presentation(io.BytesIO(stream.getvalue()))
    numbered = [
        [str(n)]
        if any(
            _number_fields(sp._element)
            for sp in slide.slide_layout.slide_master.shapes
            if not sp.is_placeholder
        )
        else []
        for n, slide in enumerate(deck.slides, start=1)
    ]
    assert numbered[1:] == [[str(n)] for n in range(2, len(deck.slides) + 1)]
    assert shown == numbered
    # Its boxes hold no other text now: nothing of the master is left undrawn.
    assert not [w for w in show.warnings if "text in shapes" in w]


def test_a_number_marker_cut_into_runs_becomes_one_field():
    from lxml import etree

    from briefing.layout.field_marks import _clear

    root = etree.fromstring(
        '<p:sldMaster xmlns:p="http://schemas.openxmlformats.org/presentationml/2006/main" '
        'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main"><p:cSld><p:spTree>'
        '<p:sp><p:nvSpPr><p:cNvPr id="2" name=""/><p:cNvSpPr txBox="1"/><p:nvPr/></p:nvSpPr>'
        '<p:spPr><a:xfrm><a:off x="0" y="0"/><a:ext cx="9" cy="9"/></a:xfrm></p:spPr>'
        "<p:txBody><a:bodyPr/><a:p><a:r><a:t>&lt;num</a:t></a:r><a:r><a:t>ber&gt;</a:t></a:r>"
        "</a:p></p:txBody></p:sp></p:spTree></p:cSld></p:sldMaster>"
    )
    _clear(root)
    assert len(_number_fields(root)) == 1  # the slide's number once, not once per run
    assert not list(root.iter(qn("a:r")))

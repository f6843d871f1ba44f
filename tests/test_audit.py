"""The audit: each fault made on purpose in a small deck gives exactly its finding, on its slide."""

from __future__ import annotations

import io
import json
import shutil
import unicodedata
from pathlib import Path

import pytest
from click.testing import CliRunner
from PIL import Image
from pptx import Presentation
from pptx.dml.color import RGBColor
from pptx.enum.shapes import MSO_SHAPE
from pptx.oxml import parse_xml
from pptx.oxml.ns import nsdecls, qn
from pptx.oxml.shapes.autoshape import CT_Shape
from pptx.oxml.shapes.picture import CT_Picture
from pptx.util import Inches, Pt

from briefing.audit import NUMBER, Finding, Report, audit, design_decks
from briefing.cli import main
from briefing.contrast import contrast_ratio, text_and_background
from tests.masters import missing

BLANK = 6  # python-pptx's default template: the "Blank" layout


def _text(slide, text: str, left, top, width, height, size=20, colour="1F2937"):
    box = slide.shapes.add_textbox(left, top, width, height)
    box.text_frame.word_wrap = True
    box.text_frame.text = text
    run = box.text_frame.paragraphs[0].runs[0]
    run.font.size = Pt(size)
    run.font.color.rgb = RGBColor.from_string(colour)
    return box


def _deck(fault) -> Presentation:
    """A 4:3 deck: slide 1 is clean, slide 2 carries the fault (on its layout, else Blank)."""
    prs = Presentation()
    for number in (1, 2):
        slide = prs.slides.add_slide(prs.slide_layouts[getattr(fault, "layout", BLANK)])
        _text(
            slide,
            f"Slide {number}: revenue grew in 2026",
            Inches(1),
            Inches(0.6),
            Inches(8),
            Inches(1),
        )
    fault(prs, prs.slides[1])
    return prs


def _picture_on_master(prs, image: Image.Image, left, top, width, height):
    picture = io.BytesIO()
    image.save(picture, "PNG")
    master = prs.slide_master
    _, rid = master.part.get_or_add_image_part(picture)
    pic = CT_Picture.new_pic(90, "Logo band", "", rid, left, top, width, height)
    master.shapes._spTree.append(pic)


def _master_picture(prs, slide):
    """A picture on the master, bottom right, under a text box of slide 2."""
    band = Image.new("RGB", (60, 40), (255, 226, 150))
    _picture_on_master(prs, band, Inches(5), Inches(3), Inches(4), Inches(2))
    _text(slide, "Margins widened", Inches(5.5), Inches(3.6), Inches(3), Inches(0.8))


def _transparent_picture(prs, slide):
    """A master picture whose left three quarters are transparent: text there is on nothing."""
    corner = Image.new("RGBA", (80, 40), (0, 0, 0, 0))
    corner.paste((40, 90, 160, 255), (60, 0, 80, 40))
    _picture_on_master(prs, corner, Inches(1), Inches(3), Inches(8), Inches(2))
    _text(slide, "Margins widened", Inches(1.2), Inches(3.6), Inches(4), Inches(0.8))


def _text_on_our_panel(prs, slide):
    """Our own white panel over the master's picture, and text on the panel: not on artwork."""
    band = Image.new("RGB", (60, 40), (40, 90, 160))
    _picture_on_master(prs, band, Inches(1), Inches(3), Inches(8), Inches(2))
    panel = slide.shapes.add_shape(MSO_SHAPE.RECTANGLE, Inches(1), Inches(3), Inches(8), Inches(2))
    panel.fill.solid()
    panel.fill.fore_color.rgb = RGBColor(0xFF, 0xFF, 0xFF)
    panel.line.fill.background()
    _text(slide, "Margins widened", Inches(1.2), Inches(3.6), Inches(4), Inches(0.8))


def _text_on_a_background_picture(prs, slide):
    """The master's background picture: sky, a cloud a shade lighter, a hill along the bottom
    (Nature_Illustration draws its trees and hills so). Text on the hill is on artwork, text on
    the cloud is not."""
    sky = Image.new("RGB", (400, 300), (232, 241, 243))
    sky.paste((255, 255, 255), (40, 130, 240, 190))  # the cloud
    sky.paste((120, 210, 110), (0, 240, 400, 300))  # the hill: the bottom fifth
    picture = io.BytesIO()
    sky.save(picture, "PNG")
    master = prs.slide_master
    _, rid = master.part.get_or_add_image_part(picture)
    background = master._element.find(qn("p:cSld") + "/" + qn("p:bg"))
    if background is not None:
        background.getparent().remove(background)
    master._element.find(qn("p:cSld")).insert(
        0,
        parse_xml(
            f'<p:bg {nsdecls("p", "a", "r")}><p:bgPr><a:blipFill><a:blip r:embed="{rid}"/>'
            "<a:stretch><a:fillRect/></a:stretch></a:blipFill><a:effectLst/></p:bgPr></p:bg>"
        ),
    )
    _text(slide, "On the cloud", Inches(1.2), Inches(3.5), Inches(4), Inches(0.8))
    _text(slide, "On the hill", Inches(4), Inches(6.6), Inches(4), Inches(0.7))


def _master_shape(prs, left, top, width, height, colour: str):
    """A filled rectangle painted by the master."""
    sp = CT_Shape.new_autoshape_sp(91, "Card", "rect", left, top, width, height)
    prs.slide_master.shapes._spTree.append(sp)
    shape = prs.slide_master.shapes[-1]
    shape.fill.solid()
    shape.fill.fore_color.rgb = RGBColor.from_string(colour)
    shape.line.fill.background()
    return sp


def _text_on_the_masters_card(prs, slide):
    """A card the master sets its body placeholder on: where the content belongs, not artwork
    (it covers 65 % of the slide, under the 85 % that makes a background)."""
    _master_shape(prs, Inches(0.3), Inches(1.6), Inches(9.4), Inches(5.2), "F5F0E6")
    _text(slide, "Margins widened", Inches(1), Inches(3), Inches(6), Inches(1))


_text_on_the_masters_card.layout = 1  # Title and Content: its body lies on the card


def _footer_along_its_band(prs, slide):
    """The layout's footer widened along the band the master sets it on: still the footer's
    place by design, not artwork under it."""
    _master_shape(prs, 0, Inches(6.2), Inches(10), Inches(1.3), "1F3A5F")
    layout_footer = next(
        p for p in slide.slide_layout.placeholders if p.placeholder_format.idx == 11
    )
    footer = slide.shapes.clone_placeholder(layout_footer)
    footer = next(p for p in slide.placeholders if p.placeholder_format.idx == 11)
    footer.left, footer.top = Inches(0.5), layout_footer.top
    footer.width, footer.height = Inches(9), layout_footer.height
    footer.text_frame.text = "Internal · for discussion by the leadership team only"
    footer.text_frame.paragraphs[0].runs[0].font.color.rgb = RGBColor(0xFF, 0xFF, 0xFF)


_footer_along_its_band.layout = 1


def _masters_own_number(prs, slide):
    """The master numbers its slides in a circle of its own, white on teal (2.4:1): its design,
    not a text of ours, though our text above holds the same digit."""
    _master_shape(prs, Inches(8.6), Inches(6.2), Inches(0.8), Inches(0.8), "1ABC9C")
    box = CT_Shape.new_textbox_sp(92, "Number", Inches(8.6), Inches(6.2), Inches(0.8), Inches(0.8))
    prs.slide_master.shapes._spTree.append(box)
    paragraph = box.find(qn("p:txBody")).find(qn("a:p"))
    paragraph.append(parse_xml(f'<a:pPr {nsdecls("a")} algn="ctr"/>'))
    paragraph.append(
        parse_xml(
            f'<a:fld {nsdecls("a")} id="{{B6F15528-21DE-4FAA-801E-634DDDAF4B2B}}" type="slidenum">'
            '<a:rPr sz="2000"><a:solidFill><a:srgbClr val="FFFFFF"/></a:solidFill></a:rPr>'
            "<a:t>‹#›</a:t></a:fld>"
        )
    )
    _text(slide, "Revenue grew 2% in 2026", Inches(0.5), Inches(5.3), Inches(7.9), Inches(1))


def _label_on_the_next_bar(prs, slide):
    """A black bar label whose box the next bar crosses (a cramped bar chart): the bar's blue
    rows are neither its text nor its background."""
    bar = slide.shapes.add_shape(
        MSO_SHAPE.RECTANGLE, Inches(1), Inches(3.42), Inches(6), Inches(0.4)
    )
    bar.fill.solid()
    bar.fill.fore_color.rgb = RGBColor.from_string("4F81BD")
    bar.line.fill.background()
    _text(slide, "25", Inches(1), Inches(3.2), Inches(1), Inches(0.4), 12, "000000")


def _thin_digits(prs, slide):
    """10 pt digits in a grey of 6.3:1: their one-pixel strokes never render at full ink."""
    for i, digit in enumerate("1234567"):
        _text(slide, digit, Inches(1 + i), Inches(3), Inches(0.5), Inches(0.5), 10, "5B616D")


def _thin_light_digits(prs, slide):
    """The same digits in a grey of 3.5:1: short of 4.5:1 however they are measured."""
    for i, digit in enumerate("1234567"):
        _text(slide, digit, Inches(1 + i), Inches(3), Inches(0.5), Inches(0.5), 10, "8A8A8A")


def _line_on_an_edge(prs, slide):
    """Black text on the edge of a green field: white above the line, green below it; the
    white is a second background, not the text's colour."""
    field = slide.shapes.add_shape(MSO_SHAPE.RECTANGLE, 0, Inches(3.45), Inches(10), Inches(4))
    field.fill.solid()
    field.fill.fore_color.rgb = RGBColor.from_string("81D573")
    field.line.fill.background()
    _text(slide, "Review the rights first", Inches(1), Inches(3.2), Inches(8), Inches(0.6), 20)


def _light_grey(prs, slide):
    _text(slide, "Costs fell sharply", Inches(1), Inches(3), Inches(6), Inches(1), 16, "BBBBBB")


def _off_the_slide(prs, slide):
    _text(slide, "Edge", prs.slide_width - Inches(1.2), Inches(3), Inches(3), Inches(1))


def _running_off(prs, slide):
    text = "Line one\nLine two\nLine three\nLine four"
    _text(slide, text, Inches(1), prs.slide_height - Inches(1), Inches(4), Inches(0.5), 24)


def _broken_word(prs, slide):
    _text(slide, "Restructuring", Inches(1), Inches(3), Inches(1.0), Inches(2), 24)


def _overlapping(prs, slide):
    _text(slide, "Alpha beta gamma", Inches(1), Inches(3), Inches(6), Inches(1), 24)
    _text(slide, "Delta epsilon zeta", Inches(1.2), Inches(3.1), Inches(6), Inches(1), 24)


def _split_number(prs, slide):
    _text(slide, "收入达250亿美元", Inches(1), Inches(3), Inches(1.2), Inches(1.5), 20)


def _nothing(prs, slide):
    _text(slide, "收入达250亿美元，估值US$840 bn", Inches(1), Inches(3), Inches(8), Inches(1))


DECKS = {
    "artwork": _master_picture,
    "contrast": _light_grey,
    "outside": _off_the_slide,
    "running-off": _running_off,
    "broken": _broken_word,
    "overlap": _overlapping,
    "split": _split_number,
    "clean": _nothing,
    "transparent": _transparent_picture,
    "panel": _text_on_our_panel,
    "card": _text_on_the_masters_card,
    "footer": _footer_along_its_band,
    "own-number": _masters_own_number,
    "bar-label": _label_on_the_next_bar,
    "thin": _thin_digits,
    "thin-light": _thin_light_digits,
    "edge": _line_on_an_edge,
    "background": _text_on_a_background_picture,
}


@pytest.fixture(scope="module")
def audited(tmp_path_factory) -> dict[str, Report]:
    """Every test deck rendered in one LibreOffice start, then audited."""
    if not (shutil.which("soffice") and shutil.which("pdftotext") and shutil.which("pdftoppm")):
        missing("LibreOffice and poppler-utils (pdftotext, pdftoppm)")
    from briefing.viewers import office_convert_many

    folder = tmp_path_factory.mktemp("audit")
    decks, renders = [], []
    for name, fault in DECKS.items():
        decks.append(folder / f"{name}.pptx")
        _deck(fault).save(str(decks[-1]))
        renders += [decks[-1], *design_decks(decks[-1], folder / "design")]
    pdfs = iter(office_convert_many(renders, folder / "pdf", "pdf"))
    reports = {}
    for deck in decks:
        pdf, design, ground = next(pdfs), next(pdfs), next(pdfs)
        reports[deck.stem] = audit(deck, folder / "png" / deck.stem, pdf, (design, ground))
    return reports


def _codes(report: Report) -> list[tuple[int, str]]:
    return [(finding.slide, finding.code) for finding in report.findings]


@pytest.mark.slow
def test_a_clean_deck_has_no_finding(audited):
    assert audited["clean"].findings == []
    assert audited["clean"].slides == 2


@pytest.mark.slow
def test_text_on_the_masters_picture(audited):
    [finding] = audited["artwork"].findings
    assert (finding.slide, finding.code) == (2, "text-over-artwork")
    assert finding.text == "Margins widened"
    assert 'the master\'s picture "Logo band"' in finding.detail
    assert 55 <= finding.where["x"] <= 65 and 45 <= finding.where["y"] <= 55


@pytest.mark.slow
def test_text_on_the_busy_part_of_a_background_picture_is_on_artwork(audited):
    # The hill is drawn in the master's background picture, not as a shape; the cloud, a shade
    # lighter than the sky, is no artwork.
    [finding] = audited["background"].findings
    assert (finding.slide, finding.code, finding.text) == (2, "text-over-artwork", "On the hill")
    assert "background picture" in finding.detail
    assert finding.where["y"] >= 80


@pytest.mark.slow
def test_text_on_the_transparent_part_of_a_masters_picture_is_not_on_artwork(audited):
    # Inside the picture's box, but where it paints nothing.
    assert audited["transparent"].findings == []


@pytest.mark.slow
def test_text_on_our_own_panel_over_the_masters_picture_is_not_on_artwork(audited):
    assert audited["panel"].findings == []


@pytest.mark.slow
def test_text_on_the_card_the_master_sets_its_body_on_is_not_on_artwork(audited):
    assert audited["card"].findings == []


@pytest.mark.slow
def test_a_footer_widened_along_the_band_the_master_sets_it_on_is_not_on_artwork(audited):
    assert audited["footer"].findings == []


@pytest.mark.slow
def test_the_masters_own_slide_number_is_not_taken_for_our_text(audited):
    assert audited["own-number"].findings == []


@pytest.mark.slow
def test_a_bar_crossing_a_labels_box_is_not_taken_for_its_text(audited):
    assert audited["bar-label"].findings == []


@pytest.mark.slow
def test_thin_digits_are_judged_by_their_stroke_cores_not_their_blended_edges(audited):
    assert audited["thin"].findings == []
    findings = audited["thin-light"].findings
    assert {(f.slide, f.code) for f in findings} == {(2, "low-contrast")}
    # #8A8A8A on white is 3.5:1; its farthest pixels give it within a level (#8B8B8B: 3.4:1).
    assert len(findings) == 7
    assert all(f.detail.startswith(("contrast 3.4:1", "contrast 3.5:1")) for f in findings)


@pytest.mark.slow
def test_a_line_on_the_edge_of_two_backgrounds_is_judged_by_its_ink(audited):
    assert audited["edge"].findings == []


@pytest.mark.slow
def test_light_grey_text_on_white(audited):
    [finding] = audited["contrast"].findings
    assert (finding.slide, finding.code) == (2, "low-contrast")
    assert finding.text == "Costs fell sharply"
    # #BBBBBB on white is 1.9:1; the pixels must give about that, and a 16 pt line needs 4.5:1.
    assert "contrast 1.9:1 (#BBBBBB on #FFFFFF)" in finding.detail
    assert "16 pt text needs 4.5:1" in finding.detail


@pytest.mark.slow
def test_a_text_box_partly_off_the_slide(audited):
    [finding] = audited["outside"].findings
    assert (finding.slide, finding.code, finding.text) == (2, "outside-slide", "Edge")
    assert finding.where["x"] + finding.where["width"] > 100


@pytest.mark.slow
def test_text_running_on_past_the_bottom_of_the_slide(audited):
    [finding] = audited["running-off"].findings
    assert (finding.slide, finding.code) == (2, "outside-slide")
    # The box is on the slide; its last lines are not drawn.
    assert finding.text == "Line three Line four"
    assert finding.detail == "TextBox 2's text runs on past the slide's bottom edge"


@pytest.mark.slow
def test_a_word_too_long_for_its_box_breaks(audited):
    [finding] = audited["broken"].findings
    assert (finding.slide, finding.code, finding.text) == (2, "broken-word", "Restructuring")
    # Where LibreOffice breaks it depends on the face it substitutes; that it breaks does not.
    lead, _, pieces = finding.detail.partition(" as ")
    assert lead == "TextBox 2 breaks it inside"
    assert len(pieces.split(" | ")) > 1 and pieces.replace(" | ", "") == "Restructuring"


@pytest.mark.slow
def test_two_text_boxes_drawn_on_one_another(audited):
    [finding] = audited["overlap"].findings
    assert (finding.slide, finding.code) == (2, "text-over-text")
    assert finding.detail == "TextBox 2 and TextBox 3 are drawn on one another"
    # The words of each box that lie on the other's, box by box.
    assert finding.text.startswith("Alpha ") and " / Delta " in finding.text


@pytest.mark.slow
def test_a_number_and_its_unit_on_two_lines(audited):
    [finding] = audited["split"].findings
    assert (finding.slide, finding.code, finding.text) == (2, "split-number", "250亿美元")
    assert " | " in finding.detail.split(" as ")[1]


@pytest.mark.slow
def test_the_command_exits_1_with_findings_and_prints_json(tmp_path: Path):
    if shutil.which("soffice") is None:
        missing("LibreOffice: apt-get install libreoffice-impress")
    deck = tmp_path / "grey.pptx"
    _deck(_light_grey).save(str(deck))
    result = CliRunner().invoke(main, ["audit", str(deck), "--format", "json"])
    assert result.exit_code == 1, result.output
    report = json.loads(result.output)
    assert report["slides"] == 2
    [finding] = report["findings"]
    assert set(finding) == {"slide", "code", "text", "where", "detail"}
    assert (finding["slide"], finding["code"]) == (2, "low-contrast")


def test_a_missing_deck_is_a_clear_error(tmp_path: Path):
    result = CliRunner().invoke(main, ["audit", str(tmp_path / "nowhere.pptx")])
    assert result.exit_code == 1
    assert f"error: {tmp_path / 'nowhere.pptx'}: no such file; give a .pptx deck" in result.output
    assert "Traceback" not in result.output


def test_a_file_that_is_no_deck_is_a_clear_error(tmp_path: Path):
    notes = tmp_path / "notes.pptx"
    notes.write_text("just text", encoding="utf-8")
    result = CliRunner().invoke(main, ["audit", str(notes)])
    assert result.exit_code == 1
    assert f"error: {notes}: not a PowerPoint deck" in result.output


def test_the_text_report_names_slide_code_text_and_place():
    finding = Finding(
        3, "low-contrast", "Costs", {"x": 10, "y": 20, "width": 30, "height": 4}, "why"
    )
    report = Report("deck.pptx", 5, [finding])
    assert report.as_text().splitlines() == [
        'deck.pptx: slide 3: low-contrast: "Costs" at 10%,20% (30% x 4%): why',
        "deck.pptx: 1 finding(s) on 5 slide(s)",
    ]


def test_contrast_follows_wcag():
    assert contrast_ratio((0, 0, 0), (255, 255, 255)) == pytest.approx(21)
    assert contrast_ratio((0x76, 0x76, 0x76), (255, 255, 255)) == pytest.approx(4.54, abs=0.01)
    assert contrast_ratio((0x77, 0x77, 0x77), (255, 255, 255)) == pytest.approx(4.48, abs=0.01)


def test_text_colour_is_the_stroke_core_not_the_anti_aliased_edge():
    white, ink, edge = (255, 255, 255), (40, 40, 40), (160, 160, 160)
    pixels = [white] * 300 + [edge] * 40 + [ink] * 25
    assert text_and_background(pixels) == (ink, white)


@pytest.mark.parametrize(
    ("text", "number"),
    [
        ("收入超过250亿美元。", "250亿美元"),
        ("revenue of US$25 bn in", "US$25 bn"),
        ("上线5天内", "5天"),
        ("独立应用上线，5天内", "5天"),  # after a full-width comma, which NFKC makes ","
        ("down -6% on the year", "-6%"),
        ("from 2019-2025 on", "2019"),
    ],
)
def test_a_number_holds_its_sign_currency_scale_and_unit(text: str, number: str):
    # The audit reads text as NFKC, as pdftotext's words are compared.
    assert NUMBER.search(unicodedata.normalize("NFKC", text)).group().strip() == number


def test_a_bullet_below_its_overflowing_box_belongs_to_that_box_not_the_master():
    from briefing.audit import Shape, Slide, Word, _assign_owners
    from briefing.layout.geometry import Rect

    body = Shape("Body", "text", Rect(0, 0, 1000, 1000), "Point one\nPoint two")
    source = Shape("Source", "text", Rect(0, 1200, 1000, 200), "Source: a paper")
    bullet = Word("•", Rect(10, 1020, 20, 100), line=1)  # drawn just past the body's bottom
    slide = Slide(1, [body, source], [], [bullet])
    _assign_owners(slide)
    assert bullet.owner is body


def test_a_rule_next_to_a_line_is_never_taken_for_its_text():
    white, grey, orange = (255, 255, 255), (107, 114, 128), (244, 145, 0)
    inside = [white] * 300 + [grey] * 40
    around = [white] * 100 + [orange] * 120  # a band's edge just under the line
    assert text_and_background(inside, around) == (grey, white)


# Decks the audit faulted before: Sunset's titles on its orange (a gradient read lighter than
# drawn, a title coloured at its designed size), lines LibreOffice wrapped a second time
# (Beehive, Yellow_Idea), quotes reaching a footer or a rule (Vintage, Portfolio), the footer
# widened onto Focus's colour blocks (and across them on its cover), Progress's KPI cards refused.
SECOND = Path(__file__).parent / "briefings" / "kestrel_bay" / "briefing.yaml"
FAULTED = [("Sunset", None, "zh"), ("Sunset", SECOND, "en"), ("Beehive", SECOND, "en")]
FAULTED += [("Yellow_Idea", SECOND, "en"), ("Vintage", SECOND, "en")]
FAULTED += [("Portfolio", SECOND, "en"), ("Progress", SECOND, "en"), ("Focus", SECOND, "en")]


@pytest.mark.slow
@pytest.mark.parametrize(("master", "source", "lang"), FAULTED)
def test_the_audit_finds_nothing_where_it_found_faults_before(tmp_path: Path, master, source, lang):
    from briefing.api import build
    from tests.masters import libreoffice_designs

    template = libreoffice_designs([master], tmp_path / "designs")[master]
    [deck] = build(source, ("pptx",), lang, tmp_path / "out", theme=str(template))
    assert [str(finding) for finding in audit(deck).findings] == []

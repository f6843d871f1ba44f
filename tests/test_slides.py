"""The slides HTML and the deck PDF: drawn from the same laid-out deck as the pptx."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from lxml import html as lxml_html

from briefing.api import build, shipped_source
from briefing.cache import Cache
from briefing.layout.boxes import TextBox
from briefing.loader import load_source
from briefing.render.pptx import lay_out
from briefing.render.slides import SlideShow, _title_of
from briefing.richtext import plain
from briefing.speaking import format_duration, speaking_seconds
from briefing.theme import load_theme
from briefing.typography import display_text

PAGES = "//section[contains(concat(' ', @class, ' '), ' page ')]"
TEXTS = ".//div[contains(concat(' ', @class, ' '), ' text ')]"


def _show(lang: str, theme: str | None = None, tmp_path: Path | None = None) -> SlideShow:
    loaded = load_source(shipped_source())
    cache = Cache(tmp_path) if tmp_path else Cache(None)
    return SlideShow(lay_out(loaded.briefing, load_theme(theme), lang, cache), cache)


@pytest.fixture(scope="module", params=["zh", "en"])
def shown(request, tmp_path_factory):
    show = _show(request.param, tmp_path=tmp_path_factory.mktemp("cache"))
    return show, lxml_html.fromstring(show.html())


def _squeezed(text: str) -> str:
    return re.sub(r"\s+", "", text)


def test_each_text_box_holds_the_plans_text_at_its_fitted_size(shown):
    show, document = shown
    plans = show.laid_out.plan.slides
    sections = document.xpath(PAGES)
    assert len(sections) == len(plans)
    for number, (plan, section) in enumerate(zip(plans, sections), start=1):
        boxes = [box for box in plan.boxes if isinstance(box, TextBox)]
        shown_boxes = [div for div in section.xpath(TEXTS) if "footer" not in div.classes]
        # A card's number is a text inside its shape: both lists keep the plan's paint order.
        inner = [b.text for b in plan.boxes if getattr(b, "text", None) is not None]
        expected = sorted(
            [(b.where, b) for b in boxes + [t for t in inner if isinstance(t, TextBox)]],
            key=lambda pair: pair[0],
        )
        found = sorted(((div.get("data-where"), div) for div in shown_boxes), key=lambda p: p[0])
        assert [w for w, _ in found] == [w for w, _ in expected], f"slide {number}"
        for (where, box), (_, div) in zip(expected, found):
            paragraphs = div.findall("p")
            assert len(paragraphs) == len(box.paragraphs), f"slide {number} {where}"
            for (text, style), p in zip(box.paragraphs, paragraphs):
                wanted = _squeezed(plain(display_text(text, viewer_spaces=True)))
                got = _squeezed(p.text_content().replace("•", "", 1 if style.bullet else 0))
                assert got == wanted, f"slide {number} {where}"
                size = re.search(r"font-size:([\d.]+)pt", p.get("style")).group(1)
                assert float(size) == round(style.size * box.scale, 1), f"slide {number} {where}"


def _lines_of(p) -> tuple[str, ...]:
    """A paragraph's lines as shown: its text cut at each <br>, without the bullet."""
    copy = lxml_html.fromstring(lxml_html.tostring(p))
    for br in copy.iter("br"):
        br.tail = "\u2028" + (br.tail or "")
    text = copy.text_content().lstrip("•")
    return tuple(_squeezed(line) for line in text.split("\u2028"))


def test_lines_break_where_the_pptx_breaks_them(shown):
    import io

    from pptx import Presentation

    from briefing.render.pptx import render_pptx

    show, document = shown
    designer = show.laid_out.designer
    deck = io.BytesIO()
    render_pptx(designer.briefing, designer.theme, designer.lang, deck, laid_out=show.laid_out)
    slides = Presentation(deck).slides
    wrapped = 0
    for slide, section in zip(slides, document.xpath(PAGES)):
        in_pptx = {
            tuple(_squeezed(line) for line in paragraph.text.split("\v"))
            for shape in slide.shapes
            if shape.has_text_frame
            for paragraph in shape.text_frame.paragraphs
        }
        for div in section.xpath(TEXTS):
            if "slide-number" in div.classes:
                continue  # a field in the pptx: its number is not in the paragraph's text
            for p in div.findall("p"):
                assert _lines_of(p) in in_pptx, div.get("data-where")
                wrapped += len(_lines_of(p)) > 1
    assert wrapped > 3, "hardly a paragraph wraps: the test shows little"


def test_notes_and_speaking_times_are_in_the_speaker_data(shown):
    show, document = shown
    plans = show.laid_out.plan.slides
    for plan, section in zip(plans, document.xpath(PAGES)):
        assert section.get("data-speaking") == format_duration(speaking_seconds(plan.notes))
        notes = [
            p.text_content()
            for p in section.xpath("aside[@class='notes']/p[not(@class='speaking')]")
        ]
        assert notes == [display_text(line) for line in plan.notes.split("\n") if line.strip()]
    total = sum(round(speaking_seconds(p.notes)) for p in plans)
    assert document.body.get("data-total") == format_duration(total)


def test_the_file_loads_nothing_from_elsewhere(shown):
    show, _ = shown
    page = show.html()
    assert not re.search(r"""(src|href)=["']?(https?:|//)""", page)
    assert not re.search(r"""url\((?!["']?(data:|#))""", page), "a url() that is not data: or local"
    assert "@font-face" in page and "data:font/woff2;base64," in page


def test_text_from_the_briefing_is_escaped(write_briefing, tmp_path):
    from tests.conftest import MINIMAL

    hostile = MINIMAL.replace('"Valuation dwarfs revenue"', '"<img src=x onerror=alert(one)> & co"')
    hostile = hostile.replace('"Valued at {valuation}."', '"</aside><script>alert(two)</script>"')
    [slides] = build(write_briefing(hostile), ("slides",), "en", tmp_path / "out")
    page = slides.read_text(encoding="utf-8")
    assert "<img src=x" not in page and "&lt;img src=x onerror=alert(one)&gt; &amp; co" in page
    assert "<script>alert(two)" not in page and "&lt;/aside&gt;&lt;script&gt;alert(two)" in page
    document = lxml_html.fromstring(page)
    assert len(document.xpath("//script")) == 1  # ours, the presenting script


def test_slides_and_deck_pdf_are_named_and_the_layout_is_made_once(
    write_briefing, tmp_path, monkeypatch
):
    import briefing.render.pptx as pptx

    calls = []
    original = pptx.lay_out
    monkeypatch.setattr(pptx, "lay_out", lambda *a, **k: calls.append(1) or original(*a, **k))
    source = write_briefing(name="deck.yaml")
    written = build(source, ("pptx", "slides", "deck-pdf"), "en", tmp_path / "out")
    assert [p.name for p in written] == [
        "deck-en.pptx",
        "deck-en.slides.html",
        "deck-en.deck.pdf",
    ]
    assert len(calls) == 1


@pytest.mark.slow
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_deck_pdf_has_a_page_per_slide_at_its_shape_with_text_and_fonts(tmp_path, lang):
    import subprocess

    from pptx import Presentation
    from pypdf import PdfReader

    deck, pdf = build(None, ("pptx", "deck-pdf"), lang, tmp_path)
    prs = Presentation(str(deck))
    pages = PdfReader(str(pdf)).pages
    assert len(pages) == len(prs.slides)
    for page in pages:
        box = page.mediabox
        assert float(box.width) / float(box.height) == pytest.approx(
            prs.slide_width / prs.slide_height, rel=1e-3
        )
    show = _show(lang, tmp_path=tmp_path / "cache")
    for number, plan in enumerate(show.laid_out.plan.slides, start=1):
        text = subprocess.run(
            ["pdftotext", "-f", str(number), "-l", str(number), str(pdf), "-"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        assert _squeezed(_title_of(plan)) in _squeezed(text), f"page {number}"
    fonts = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True).stdout
    embedded = [line.split()[0] for line in fonts.splitlines()[2:] if " yes yes yes " in line]
    wanted = "Noto-Sans-CJK-SC" if lang == "zh" else "Source-Sans-Pro"
    assert any(name.endswith("+" + wanted) for name in embedded), fonts


@pytest.mark.slow
def test_deck_pdf_with_notes_puts_each_slides_notes_under_it(tmp_path):
    import subprocess

    from pypdf import PdfReader

    [pdf] = build(None, ("deck-pdf",), "en", tmp_path, notes=True)
    pages = PdfReader(str(pdf)).pages
    show = _show("en", tmp_path=tmp_path / "cache")
    plans = show.laid_out.plan.slides
    assert len(pages) == len(plans)
    box = pages[0].mediabox
    assert float(box.height) / float(box.width) == pytest.approx(9 / 16 * 1.6, rel=1e-3)
    for number, plan in enumerate(plans, start=1):
        text = subprocess.run(
            ["pdftotext", "-f", str(number), "-l", str(number), str(pdf), "-"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        first_note = display_text(plan.notes.split("\n")[0])
        assert _squeezed(first_note) in _squeezed(text), f"page {number}"
        # Under the slide: the note's text comes after the slide's title on the page.
        assert _squeezed(text).index(_squeezed(first_note)) > _squeezed(text).index(
            _squeezed(_title_of(plan))
        )


BADGE = """<p:sp xmlns:p="http://schemas.openxmlformats.org/presentationml/2006/main"
 xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main">
 <p:nvSpPr><p:cNvPr id="990" name="Badge"/><p:cNvSpPr/><p:nvPr/></p:nvSpPr>
 <p:spPr><a:xfrm><a:off x="11430000" y="76200"/><a:ext cx="685800" cy="228600"/></a:xfrm>
  <a:prstGeom prst="roundRect"><a:avLst/></a:prstGeom>
  <a:solidFill><a:srgbClr val="C0392B"/></a:solidFill>
  <a:effectLst><a:outerShdw blurRad="40000" dist="20000" dir="5400000">
   <a:srgbClr val="000000"/></a:outerShdw></a:effectLst></p:spPr>
 <p:txBody><a:bodyPr/><a:lstStyle/><a:p><a:r><a:t>DRAFT</a:t></a:r></a:p></p:txBody>
</p:sp>"""


def test_what_the_html_cannot_draw_of_a_master_is_named_once(write_briefing, tmp_path):
    from lxml import etree
    from pptx import Presentation

    prs = Presentation(str(load_theme(None).master_path))
    tree = prs.slide_masters[0].element.find(
        "{http://schemas.openxmlformats.org/presentationml/2006/main}cSld/"
        "{http://schemas.openxmlformats.org/presentationml/2006/main}spTree"
    )
    tree.append(etree.fromstring(BADGE))
    master = tmp_path / "badged.pptx"
    prs.save(str(master))
    warnings: list[str] = []
    [slides] = build(
        write_briefing(), ("slides",), "en", tmp_path / "out", str(master), warn=warnings.append
    )
    named = [w for w in warnings if "not drawn in the HTML" in w]
    tail = "not drawn in the HTML; `briefing preview` shows the deck as PowerPoint would"
    assert named == [
        f"warning: slide 2: the master's text in shapes is {tail}",
        f"warning: slide 2: the master's shadow, glow or other effects are {tail}",
        "warning: slide 2: the master's 'roundRect' outlines are not drawn in the HTML "
        "(a rectangle stands in); `briefing preview` shows the deck as PowerPoint would",
    ]
    # What it can draw, it draws: the badge's fill is in the drawings of the layouts that show
    # the master's shapes (the cover's does not).
    import base64

    page = slides.read_text(encoding="utf-8")
    drawings = re.findall(r"data:image/svg\+xml;base64,([A-Za-z0-9+/=]+)", page)
    badged = ['fill="#C0392B"' in base64.b64decode(d).decode() for d in drawings]
    assert badged == [False, True]


def test_notes_without_the_deck_pdf_is_a_clear_error(tmp_path):
    from click.testing import CliRunner

    from briefing.cli import main

    result = CliRunner().invoke(main, ["build", "-f", "slides", "--notes", "-o", str(tmp_path)])
    assert result.exit_code == 1
    assert "--notes is for the deck PDF (a handout), not slides: -f deck-pdf" in result.output
    assert "Traceback" not in result.output
    assert not list(tmp_path.iterdir())


def test_each_chart_is_announced_with_the_decks_alt_text(shown):
    from briefing.alt_text import chart_alt

    show, document = shown
    designer = show.laid_out.designer
    figures = document.xpath("//figure[@data-chart]")
    assert len(figures) == 3
    for figure in figures:
        chart = designer.briefing.chart(figure.get("data-chart"))
        [svg] = figure.xpath(".//*[local-name()='svg']")
        assert svg.get("role") == "img"
        assert svg.get("aria-label") == chart_alt(designer.briefing, chart, designer.lang)


@pytest.mark.slow
def test_deck_pdf_draws_a_masters_gradients(tmp_path):
    import subprocess

    from PIL import Image

    from tests.masters import libreoffice_design

    master = libreoffice_design(tmp_path / "masters", "Sunset")  # a radial orange sunburst
    [pdf] = build(None, ("deck-pdf",), "en", tmp_path / "out", str(master))
    drawn = subprocess.run(
        ["pdftoppm", "-png", "-r", "20", "-f", "1", "-l", "1", str(pdf), str(tmp_path / "p")],
        capture_output=True,
        text=True,
    )
    # Drawn in EMU, the gradients' matrices came out singular and poppler painted them brown.
    assert "Singular matrix" not in drawn.stderr
    [page] = tmp_path.glob("p-*.png")
    image = Image.open(page).convert("RGB")
    red, green, blue = image.getpixel((image.width // 2, int(image.height * 0.7)))
    assert red > 200 and 90 < green < 230 and blue < 80, (red, green, blue)


def test_chinese_in_a_chart_is_set_in_the_east_asian_face(shown):
    """Chromium draws Chinese as empty boxes when a system Latin face (a master's Arial) comes
    first in a Chinese page's font list: each chart's Chinese is put in the .ea face, as the
    slides' own text is."""
    from briefing.linebreak import is_wide

    _, document = shown
    charts = document.xpath("//figure[contains(@class, 'chart')]")
    assert charts
    bare = []
    for chart in charts:
        for element in chart.xpath(".//figcaption | .//*[local-name()='text']"):
            own = (element.text or "") + "".join(child.tail or "" for child in element)
            bare += [char for char in own if is_wide(char)]
    assert bare == []
    if document.get("lang", "").startswith("zh"):
        assert document.xpath("//figure//*[local-name()='tspan'][@class='ea']")

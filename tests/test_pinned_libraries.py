"""Behaviour copied from python-pptx and WeasyPrint, compared with the libraries themselves:
a new release that changes what we copied fails here, not in a viewer."""

from __future__ import annotations

import pytest
from lxml import etree
from pptx import Presentation
from pptx.chart.data import CategoryChartData
from pptx.dml.color import RGBColor
from pptx.enum.chart import XL_CHART_TYPE
from pptx.opc.package import OpcPackage
from pptx.util import Inches, Pt

from briefing.render.pptx import _name_parts_by_count
from briefing.render.pptx_text import Style, TextSetter


def _python_pptx_run(paragraph, text: str, style: Style, setter: TextSetter):
    """A run written through python-pptx's own API, then given our language marks."""
    run = paragraph.add_run()
    run.text = text
    font = run.font
    font.size = Pt(style.size)
    font.bold = style.bold
    font.italic = style.italic
    if style.color:
        font.color.rgb = RGBColor.from_string(style.color)
    setter.mark_language(run._r.get_or_add_rPr())
    return run._r


RUNS = [
    ("Revenue 25", Style(size=20)),
    ("估值8400亿美元", Style(size=18.5, bold=True, color="1F4E79")),
    ("tab\tand vertical\x0btab", Style(size=12, italic=True)),
    ("<&> quoted \"'", Style(size=28, bold=True, italic=True, color="E07A1F")),
]


@pytest.mark.parametrize("text, style", RUNS)
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_run_is_written_byte_for_byte_as_python_pptx_writes_it(text, style, lang):
    setter = TextSetter(lang, "Source Sans Pro", "Noto Sans CJK SC")
    slide = Presentation().slides.add_slide(Presentation().slide_layouts[6])
    paragraph = slide.shapes.add_textbox(0, 0, Inches(4), Inches(1)).text_frame.paragraphs[0]
    theirs = _python_pptx_run(paragraph, text, style, setter)
    ours = setter._run(paragraph._p, _Piece(text), style, 1.0)
    paragraph._p.append(ours)  # serialised in the paragraph, as a deck holds it
    assert etree.tostring(ours) == etree.tostring(theirs)


class _Piece:
    """A run of displayed text without emphasis, as richtext gives it."""

    def __init__(self, text: str):
        self.text, self.bold, self.italic = text, False, False


def _add_parts(prs, count: int) -> list[str]:
    """Slides with notes and a chart each (slide, notes, chart and workbook parts)."""
    names = []
    for _ in range(count):
        slide = prs.slides.add_slide(prs.slide_layouts[5])
        slide.notes_slide.notes_text_frame.text = "notes"
        data = CategoryChartData()
        data.categories = ["a", "b"]
        data.add_series("s", (1, 2))
        frame = slide.shapes.add_chart(XL_CHART_TYPE.COLUMN_CLUSTERED, 0, 0, 9, 9, data)
        chart_part = frame.chart.part
        names += [
            str(slide.part.partname),
            str(slide.notes_slide.part.partname),
            str(chart_part.partname),
            str(chart_part.chart_workbook.xlsx_part.partname),
        ]
    return names


def _with_gaps():
    """A deck whose slides 2 and 3 were dropped: the numbers left free are not at the end."""
    prs = Presentation()
    _add_parts(prs, 4)
    slide_ids = prs.slides._sldIdLst
    for slide_id in list(slide_ids)[1:3]:
        prs.part.drop_rel(slide_id.rId)
        slide_ids.remove(slide_id)
    return prs


def test_new_parts_are_named_as_python_pptx_names_them():
    theirs, ours = _with_gaps(), _with_gaps()
    _name_parts_by_count(ours)
    assert ours.part.package.next_partname != OpcPackage.next_partname
    added = _add_parts(ours, 5)
    assert added == _add_parts(theirs, 5)
    # The gaps are filled as the library fills them, not by counting on from the last one.
    assert added[0] == "/ppt/slides/slide3.xml" and "/ppt/notesSlides/notesSlide2.xml" in added


WEASYPRINT_PAGE = """
<style>@page { size: 100mm 60mm; margin: 5mm } body { margin: 0 } main { display: block }
.text { height: 40px; margin: 5px 0 }
figure { display: inline-block; vertical-align: top; margin: 0; width: 40% }
.tall { height: 30px } .short { height: 20px }</style>
<main><section class="text">words, more words</section>
<section class="charts"><figure class="tall"></figure><figure class="short"></figure></section>
<section class="text">spills</section><section class="text">onto</section>
<section class="text">the next</section><section class="text">sheet</section></main>
"""


def test_weasyprints_layout_boxes_hold_what_the_printer_reads():
    """printer.py and pdf.py read `page._page_box` and its boxes (private to WeasyPrint)."""
    from weasyprint import HTML

    document = HTML(string=WEASYPRINT_PAGE).render()
    assert len(document.pages) == 2
    page = document.pages[0]
    box = page._page_box
    # The page box is the public page: its margin box is the sheet, its content the area.
    assert (box.margin_width(), box.margin_height()) == pytest.approx((page.width, page.height))
    assert box.content_box_x() == pytest.approx(5 * 96 / 25.4)
    assert box.height == pytest.approx(50 * 96 / 25.4)

    def descendants(b):
        yield b
        for child in getattr(b, "children", []):
            yield from descendants(child)

    boxes = list(descendants(box))
    (main,) = [b for b in boxes if getattr(b, "element_tag", "") == "main"]
    sections = [c for c in main.children if getattr(c, "element_tag", "") == "section"]
    assert [s.element.get("class") for s in sections[:2]] == ["text", "charts"]
    assert sections[0].margin_height() == pytest.approx(50)  # 40 px and 5 px above and below
    figures = [b for b in descendants(sections[1]) if getattr(b, "element_tag", "") == "figure"]
    assert [f.margin_height() for f in figures] == pytest.approx([30, 20])
    # One row: the page sets its charts as top-aligned inline blocks.
    assert figures[0].position_y == pytest.approx(figures[1].position_y)
    lines = [b for b in boxes if type(b).__name__ == "TextBox"]
    assert lines[0].text == "words, more words"
    assert lines[0].position_x == pytest.approx(box.content_box_x()) and lines[0].width > 0
    spilled = [
        b.element.get("class")
        for b in descendants(document.pages[1]._page_box)
        if getattr(b, "element_tag", "") == "section"
    ]
    assert spilled and set(spilled) == {"text"}

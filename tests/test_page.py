"""The one-page summary: valid, self-contained HTML with the charts' data, and a one-page PDF."""

from __future__ import annotations

import base64
import io
import json
import re
import subprocess
from dataclasses import dataclass
from pathlib import Path

import html5lib
import pytest
import yaml
from pypdf import PdfReader

from briefing.api import build, shipped_source
from briefing.errors import BriefingError
from briefing.loader import load
from briefing.render.page import PAPERS, PageBuilder
from briefing.render.pdf import PageFitting, fit_page
from briefing.render.printer import LocalPrinter, PageRequest, print_page
from briefing.theme import load_theme
from tests.conftest import MINIMAL

SCALE = {"one": 1, "thousand": 1e3, "million": 1e6, "billion": 1e9}
XHTML = "{http://www.w3.org/1999/xhtml}"
PAGE_POINTS = {"a4": (595, 842), "letter": (612, 792)}


@pytest.fixture(scope="module")
def source() -> dict:
    return yaml.safe_load(shipped_source().read_text(encoding="utf-8"))


@pytest.fixture(scope="module", params=["zh", "en"])
def built(request, tmp_path_factory):
    out = tmp_path_factory.mktemp(f"page-{request.param}")
    html, pdf = build(None, ("html", "pdf"), request.param, out)
    return request.param, html.read_text(encoding="utf-8"), pdf


def test_html_parses_without_errors(built):
    _, html, _ = built
    parser = html5lib.HTMLParser(strict=True)
    parser.parse(html)
    assert parser.errors == []


def test_three_inline_svg_charts_hold_the_figures(built, source):
    lang, html, _ = built
    tree = html5lib.parse(html)
    figures = {f["id"]: f for f in source["figures"]}
    charts = {c["id"]: c for c in source["charts"]}
    found = tree.findall(f".//{XHTML}figure[@class='chart']")
    assert [f.get("data-chart") for f in found] == list(charts)
    for element in found:
        spec = charts[element.get("data-chart")]
        divisor = SCALE[spec.get("scale", "one")]
        expected = [
            [
                round(figures[i]["value"] * SCALE[figures[i].get("scale", "one")] / divisor, 9)
                for i in series["values"]
            ]
            for series in spec["series"]
        ]
        assert json.loads(element.get("data-values")) == expected
        svg = element.find("{http://www.w3.org/2000/svg}svg")
        assert svg is not None, "the chart is inline SVG"
        texts = "".join(svg.itertext())
        for category in spec["categories"]:
            assert category[lang].split("（")[0][:4] in texts.replace("\n", "")


def test_the_economics_chart_labels_show_the_source_values(built):
    _, html, _ = built
    economics = html.split('data-chart="sora_economics"', 1)[1].split("</figure>", 1)[0]
    labels = re.findall(r"<text[^>]*>([^<]*)</text>", economics)
    assert "2.1" in labels and "5,000" in labels


def test_page_loads_nothing_from_outside(built):
    _, html, _ = built
    tree = html5lib.parse(html)
    for element in tree.iter():
        for attribute in ("src", "srcset", "data", "poster"):
            value = element.get(attribute)
            assert value is None or value.startswith("data:"), (element.tag, value)
        if element.tag == f"{XHTML}link":
            raise AssertionError("a <link> loads another file")
        if element.tag == f"{XHTML}script":
            raise AssertionError("a <script> in the page")
    for url in re.findall(r"url\(([^)]*)\)", html):
        assert url.startswith(("data:", "#")), url  # embedded, or a clip path in the same SVG
    ids = re.findall(r' id="([^"]+)"', html)
    assert len(ids) == len(set(ids)), "ids repeat across the charts"
    assert "@import" not in html


def test_fonts_are_embedded_and_the_page_stays_small(built):
    _, html, _ = built
    faces = re.findall(r"@font-face\{font-family:\"([^\"]+)\";font-weight:(\d+)", html)
    assert ("Source Sans Pro", "400") in faces and ("Source Sans Pro", "700") in faces
    if 'lang="zh-CN"' in html:
        assert ("Noto Sans CJK SC", "400") in faces and ("Noto Sans CJK SC", "700") in faces
    assert len(html.encode("utf-8")) < 600_000


def test_the_east_asian_subset_draws_every_character_of_the_page(built):
    from fontTools.ttLib import TTFont

    _, html, _ = built
    face = re.search(r'font-family:"Noto Sans CJK SC";font-weight:400;[^)]*base64,([^)]+)\)', html)
    font = TTFont(io.BytesIO(base64.b64decode(face.group(1).split(")")[0])))
    body = re.sub(r"<[^>]+>", "", html.split("</style>", 1)[1])
    missing = {c for c in set(body) if not c.isspace() and ord(c) not in font.getBestCmap()}
    assert missing == set()


def test_pdf_is_one_a4_page_with_embedded_fonts_and_the_figures(built):
    lang, _, pdf = built
    reader = PdfReader(str(pdf))
    assert len(reader.pages) == 1
    width, height = (round(float(v)) for v in reader.pages[0].mediabox[2:])
    assert (width, height) == PAGE_POINTS["a4"]
    fonts = reader.pages[0]["/Resources"]["/Font"]
    for font in fonts.values():
        font = font.get_object()
        descendants = font.get("/DescendantFonts")
        descriptor = (descendants[0].get_object() if descendants else font)["/FontDescriptor"]
        assert any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3"))
    # poppler reads the ToUnicode maps as viewers do (pypdf garbles WeasyPrint's CID fonts).
    done = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True)
    text = done.stdout.replace("\n", "").replace(" ", "")
    expected = {
        "zh": ["8400亿美元", "约210万美元", "45%"],
        "en": ["US$840bn", "aboutUS$2.1m", "45%"],
    }[lang]
    for value in expected:
        assert value in text


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_letter_paper_is_one_letter_page(tmp_path: Path, lang: str):
    [pdf] = build(None, ("pdf",), lang, tmp_path, paper="letter")
    reader = PdfReader(str(pdf))
    assert len(reader.pages) == 1
    width, height = (round(float(v)) for v in reader.pages[0].mediabox[2:])
    assert (width, height) == PAGE_POINTS["letter"]


def _long_briefing(write_briefing, points: int, words: int):
    sentence = "Long talking point that keeps going " * words
    summary = "\n".join(f'      - "{sentence}{n}"' for n in range(points))
    text = MINIMAL.replace(
        "  - kind: chart\n",
        f"  - kind: summary\n    title: Many points\n    notes: Notes here. More notes.\n"
        f"    points:\n{summary}\n  - kind: chart\n",
    )
    return load(write_briefing(text))


def test_an_overlong_page_shrinks_to_fit(write_briefing):
    briefing = _long_briefing(write_briefing, points=6, words=9)
    fitted = fit_page(PageBuilder(briefing, load_theme(), "en"), PAPERS["a4"])
    assert fitted.density > 0
    assert len(PdfReader(io.BytesIO(fitted.pdf)).pages) == 1


def test_a_page_too_long_to_fit_fails_naming_the_part(write_briefing):
    briefing = _long_briefing(write_briefing, points=6, words=60)
    with pytest.raises(BriefingError) as caught:
        fit_page(PageBuilder(briefing, load_theme(), "en"), PAPERS["a4"])
    message = str(caught.value)
    assert "does not fit one A4 page even at the smallest type" in message
    assert re.search(r"\d+ more page\(s\) \(about \d+ mm\)", message)
    assert "takeaways" in message or "charts" in message or "sources" in message


@dataclass(frozen=True)
class _Laid:
    """A ticket for a page laid out already."""

    printed: object

    def result(self):
        return self.printed


class RecordingPrinter(LocalPrinter):
    """Prints here, each distinct page once, and records the fitting steps sent together."""

    def __init__(self, builder: PageBuilder, paper):
        super().__init__()
        self.builder, self.paper = builder, paper
        self.step_of = {builder.print_html(paper, s)[0]: s for s in range(len(builder.fits))}
        self.sent: list[tuple[int, ...]] = []
        self.laid_out: dict[int, object] = {}

    def submit(self, request: PageRequest):
        return self.submit_together([request])[0]

    def submit_together(self, requests: list[PageRequest]):
        self.sent.append(tuple(self.step_of[r.html] for r in requests))
        return [_Laid(self.page(self.step_of[r.html], r)) for r in requests]

    def page(self, step: int, request: PageRequest | None = None):
        """The step laid out (once): as sent by the fitting, or as a plain search asks."""
        if step not in self.laid_out:
            if request is None:
                html, fonts = self.builder.print_html(self.paper, step)
                request = PageRequest(html, fonts, self.paper.css, False, False)
            self.laid_out[step] = print_page(request)
        return self.laid_out[step]

    def fits(self, step: int) -> bool:
        printed = self.page(step)
        return printed.pages == 1 and printed.past_edge is None


KESTREL = Path(__file__).parent / "briefings" / "kestrel_bay" / "briefing.yaml"


@pytest.mark.slow
@pytest.mark.parametrize("measured", [True, False], ids=["measured", "first-try"])
@pytest.mark.parametrize(
    ("source", "lang", "pair", "step"),
    [(None, "zh", (2, 3), 3), (None, "en", (3, 4), 4), (KESTREL, "en", (3, 4), 4)],
)
def test_the_fitting_chooses_the_step_a_search_from_the_largest_type_finds_first(
    source, lang: str, pair: tuple, step: int, measured: bool
):
    briefing = load(source or shipped_source())
    builder, paper = PageBuilder(briefing, load_theme(), lang), PAPERS["a4"]
    ticket = None
    if measured:  # a first build: the page measured before its charts are drawn
        html, fonts = builder.measuring_html(paper)
        ticket = _Laid(print_page(PageRequest(html, fonts, paper.css, False, False)))
    printer = RecordingPrinter(builder, paper)
    fitted = PageFitting(builder, paper, printer, False, ticket).result()
    # The first try (or the measuring page) misses; the step its heights say will fit goes out
    # together with the step before it (a printer process lays them out side by side).
    assert printer.sent == ([pair] if measured else [(0,), pair])
    if measured:  # with empty drawings of their size, the page came out as the drawn one
        assert ticket.printed.heights == printer.page(0).heights
    # Every step in turn from the designed type down, until one fits: the same step.
    searched = next(s for s in range(len(builder.fits)) if printer.fits(s))
    assert fitted.density == searched == step


def test_the_measuring_page_draws_no_chart_and_the_page_after_it_is_the_same(
    write_briefing, monkeypatch
):
    import briefing.render.page as page

    briefing = load(write_briefing())  # no summary slide: the page warns once
    measured = PageBuilder(briefing, load_theme(), "en")
    real_svg = page.cached_chart_svg
    monkeypatch.setattr(page, "cached_chart_svg", lambda *a: pytest.fail("a chart was drawn"))
    html, fonts = measured.measuring_html(PAPERS["a4"])
    assert 'viewBox="0 0 237.6 180"><g style="font-size: 7.5px"></g></svg>' in html
    # The fonts are cut when the printer asks for them, not here; not compressed.
    assert fonts and all(callable(make) and make()[:4] == b"OTTO" for make in fonts.values())
    monkeypatch.setattr(page, "cached_chart_svg", real_svg)
    plain = PageBuilder(briefing, load_theme(), "en")
    assert measured.html(PAPERS["a4"], 0) == plain.html(PAPERS["a4"], 0)
    assert measured.warnings == plain.warnings and len(plain.warnings) == 1
    assert measured.measured_as_drawn()


def test_markup_in_the_source_stays_text(write_briefing, tmp_path: Path):
    text = MINIMAL.replace(
        "  - kind: chart\n",
        '  - kind: summary\n    title: "<script>alert(1)</script>"\n    notes: A. B.\n'
        '    points: ["<b>bold</b> {{ 7*7 }} </svg>"]\n  - kind: chart\n',
    )
    [html] = build(write_briefing(text), ("html",), "en", tmp_path, check=False)
    page = html.read_text(encoding="utf-8")
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "<script>" not in page
    assert "&lt;b&gt;bold&lt;/b&gt; {{ 7*7 }} &lt;/svg&gt;" in page


def test_a_template_edited_between_renders_is_used(tmp_path: Path):
    """The compiled templates are kept between renders (watch mode), never past an edit."""
    from briefing.render.templating import render_template

    (tmp_path / "theme.yaml").write_text("extends: default\n", encoding="utf-8")
    theme = load_theme(tmp_path)
    (tmp_path / "summary.html.j2").write_text("first {{ 1 + 1 }}", encoding="utf-8")
    assert render_template(theme, "summary.html.j2", {}) == "first 2"
    (tmp_path / "summary.html.j2").write_text("second, longer {{ 2 + 2 }}", encoding="utf-8")
    assert render_template(theme, "summary.html.j2", {}) == "second, longer 4"


def test_a_template_error_names_file_and_line(tmp_path: Path):
    (tmp_path / "theme.yaml").write_text("extends: default\n", encoding="utf-8")
    (tmp_path / "summary.html.j2").write_text("<html>\n<p>\n{{ nope( }}\n", encoding="utf-8")
    theme = load_theme(tmp_path)
    builder = PageBuilder(load(shipped_source()), theme, "en")
    with pytest.raises(BriefingError, match=r"summary\.html\.j2:3: template error"):
        builder.html(PAPERS["a4"], 0)
    (tmp_path / "summary.html.j2").write_text("<p>\n{{ missing_value }}\n", encoding="utf-8")
    with pytest.raises(
        BriefingError, match=r"summary\.html\.j2:2: template error: 'missing_value'"
    ):
        builder.html(PAPERS["a4"], 0)


def test_a_page_font_keeps_the_tables_as_harfbuzz_cut_them_but_the_cmap():
    # fontTools recomputed the bounding boxes by running every charstring, and compiled again
    # the tables read to find the Simplified forms (0.66 s of CPU for the Chinese page's faces,
    # 0.2 s as cut); only the cmap changes, to those forms.
    from fontTools.ttLib import TTFont

    from briefing.fonts import font_files
    from briefing.render.webfonts import _subset_sfnt, subset_font

    path = font_files(load_theme().fonts.east_asian).regular
    text = "要点：收入与成本。Revenue 2.1"
    cut = TTFont(io.BytesIO(_subset_sfnt(path, text)))
    woff2 = TTFont(io.BytesIO(subset_font(path, text)))
    assert woff2.flavor == "woff2"
    assert woff2.reader["CFF "] == cut.reader["CFF "]
    assert woff2.reader["GSUB"] == cut.reader["GSUB"]
    assert woff2["head"].xMin == cut["head"].xMin and woff2["head"].yMax == cut["head"].yMax
    full_stop, colon = ord("。"), ord("：")
    for code in (full_stop, colon):
        assert woff2.getBestCmap()[code] != cut.getBestCmap()[code]  # the Simplified form

"""English display text: curly quotes, × for times, a real minus; deck, slides and page agree."""

from __future__ import annotations

import re

import pytest
from pptx import Presentation

from briefing.api import build
from briefing.loader import parse
from briefing.numbers import excel_format, format_figure, with_minus
from briefing.typography import display_text
from tests.conftest import MINIMAL

# --- quotes ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("source", "shown"),
    [
        ('"Brain fry" starts it', "“Brain fry” starts it"),
        ('causes "brain fry": errors', "causes “brain fry”: errors"),
        ("the region's share", "the region’s share"),
        ("the regions' share", "the regions’ share"),
        ("'Workslop' and 'slop'", "‘Workslop’ and ‘slop’"),
        ("in '26 and the '80s", "in ’26 and the ’80s"),
        ("'26 was the year", "’26 was the year"),
        ('a deal—"code red"—at year end', "a deal—“code red”—at year end"),
        ('said -"no"', "said -“no”"),
        ('("quoted")', "(“quoted”)"),
        ("\"'Hi,' she said\"", "“‘Hi,’ she said”"),
        ('**"bold"** then "**inner**"', "**“bold”** then “**inner**”"),
        ('revenue is "over" US$25 bn', "revenue is “over” US$25 bn"),
        ('valued at "{valuation}"', "valued at “{valuation}”"),
        ('see "https://example.org/a-2x"', "see “https://example.org/a-2x”"),
    ],
)
def test_english_quotes_open_at_a_start_space_or_dash_and_close_elsewhere(source, shown):
    assert display_text(source) == shown


@pytest.mark.parametrize(
    "source",
    [
        '年底内部拉响"红色警报"',  # a Chinese text's straight quotes are its author's
        "内部拉响“红色警报”，ByteDance's Seedance",
        "already “curly” and it’s set",
        "run `print('hi')` first",
        'the file is `config "a".yaml`',
    ],
)
def test_chinese_text_code_urls_and_curly_quotes_keep_their_quotes(source):
    assert display_text(source) == source


# --- times -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("source", "shown"),
    [
        ("2,000x faster", "2,000× faster"),
        ("about 34x revenue", "about 34× revenue"),
        ("1.5x, then 3x.", "1.5×, then 3×."),
        ("(10x)", "(10×)"),
    ],
)
def test_a_number_then_x_is_times(source, shown):
    assert display_text(source) == shown


@pytest.mark.parametrize(
    "source",
    ["xx and box", "colour 0x1F", "a 4x4 grid", "the A380x", "10xGenomics", "v2x", "x1.5"],
)
def test_an_x_in_a_word_hex_or_dimensions_stays(source):
    assert display_text(source) == source


def test_a_multiple_figure_shows_times():
    figure = parse(MULTIPLE).figure("multiple")
    assert format_figure(figure, "en") == "about 33.6x"  # as the checks read it
    assert display_text(format_figure(figure, "en")) == "about 33.6×"


# --- minus -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("source", "shown"),
    [
        ("a loss of -US$85 m", "a loss of −US$85 m"),
        ("-4% on the year", "−4% on the year"),
        ("from -€3 bn to -£2 bn", "from −€3 bn to −£2 bn"),
        ("fell (-6%)", "fell (−6%)"),
        ("mixed: -4% and −6%", "mixed: −4% and −6%"),
    ],
)
def test_a_typed_negative_gets_a_real_minus(source, shown):
    assert display_text(source) == shown


@pytest.mark.parametrize(
    "source",
    [
        "2024-2025",
        "on 2026-03-24",
        "COVID-19 and GPT-4",
        "- a list dash",
        "a hyphen-minus - spaced",
        "https://example.org/q?a=-5&b=2x",
        "`x = -5`",
    ],
)
def test_ranges_dates_words_dashes_urls_and_code_keep_their_hyphens(source):
    assert display_text(source) == source


def test_a_negative_currency_figure_shows_a_minus():
    figure = parse(LOSS).figure("loss")
    assert format_figure(figure, "en") == "-US$85 m"  # as the checks read it
    assert display_text(format_figure(figure, "en")) == "−US$85 m"


# --- one display text for the deck, the slides and the page ---------------------------------

MULTIPLE = MINIMAL.replace(
    "charts:\n",
    """\
  - id: multiple
    value: 33.6
    unit: multiple
    qualifier: about
    label: {zh: 估值倍数, en: "Valuation's multiple"}
    source: art
    excerpt: 约33.6倍
  - id: loss
    value: -85
    unit: currency
    currency: USD
    scale: million
    label: {zh: 亏损, en: Loss}
    source: art
    excerpt: 亏损8500万美元
charts:
""",
).replace(
    '"Valued at {valuation}."}\n',
    '"Valued at {valuation}."}\n'
    """\
  - kind: summary
    title: {zh: 估值远超收入的许多倍, en: "The market's \\"brain fry\\" is priced in"}
    points:
      - {zh: "估值为收入的{multiple}", en: "Valued at {multiple} revenue, a 2,000x jump"}
      - {zh: "亏损{loss}", en: "A loss of {loss}; margins -4% in 2024-2025"}
    notes: {zh: 收尾。, en: "Closing: the '26 outlook."}
""",
)
LOSS = MULTIPLE
SHOWN = [
    "The market’s “brain fry” is priced in",
    "Valued at about 33.6× revenue, a 2,000× jump",
    "A loss of −US$85 m; margins −4% in 2024-2025",
]


def _squeezed(text: str) -> str:
    """Text without tags and line breaks, as the words read."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", text.replace("<br>", " ")))


def test_the_deck_the_slides_and_the_page_show_the_same_english_typography(
    write_briefing, tmp_path
):
    source = write_briefing(MULTIPLE)
    deck, slides, page = build(
        source, ("pptx", "slides", "html"), lang="en", out_dir=tmp_path, check=False
    )
    [summary] = [s for s in Presentation(str(deck)).slides if "brain fry" in _slide_text(s)]
    deck_text = _squeezed(_slide_text(summary))
    slides_text = _squeezed(slides.read_text(encoding="utf-8"))
    page_text = _squeezed(page.read_text(encoding="utf-8"))
    for shown in SHOWN:
        assert shown in deck_text
        assert shown in slides_text
    # The page cites each figure with a superscript source number after its value.
    assert "The market’s “brain fry” is priced in" in page_text
    assert "Valued at about 33.6×1 revenue, a 2,000× jump" in page_text
    assert "A loss of −US$85 m1; margins −4% in 2024-2025" in page_text
    notes = Presentation(str(deck)).slides[2].notes_slide.notes_text_frame.text
    assert notes.startswith("Closing: the ’26 outlook.")
    assert "Closing: the ’26 outlook." in slides_text  # the slides' speaker view
    for straight in ('"brain fry"', "market's", "the '26", "2,000x", "-US$85", "-4%"):
        assert straight not in deck_text + slides_text + page_text


def _slide_text(slide) -> str:
    """A slide's text, a line break (python-pptx's vertical tab) read as a space."""
    return " ".join(shape.text_frame.text for shape in slide.shapes if shape.has_text_frame)


# --- chart labels ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("code", "written"),
    [
        ("#,##0", '#,##0;"−"#,##0'),
        ('0.0"%"', '0.0"%";"−"0.0"%"'),
        ("General", 'General;"−"General'),
        ("0;(0)", "0;(0)"),  # the author's own section for negatives
        ("[<10]#,##0.0;#,##0", "[<10]#,##0.0;#,##0"),
    ],
)
def test_a_one_section_chart_format_gets_a_section_with_a_real_minus(code, written):
    assert with_minus(code) == written


def test_chart_labels_write_negatives_with_a_real_minus_as_the_deck_does():
    assert excel_format(-85, "#,##0") == "−85"
    assert excel_format(-85, '#,##0;"−"#,##0') == "−85"  # the deck's code, read by the page
    assert excel_format(-4, '0"%"') == "−4%"
    assert excel_format(-1234.5, "General") == "−1,234.5"
    assert excel_format(85, "#,##0") == "85"
    # A conditional code is PowerPoint's to sign: its hyphen, on the deck and the page alike.
    assert excel_format(-5, "[<10]#,##0.0;#,##0") == "-5.0"


def test_the_slides_redraw_a_cached_chart_once_its_drawing_code_changes(
    write_briefing, tmp_path, monkeypatch
):
    # A slide chart cached by older code would keep its old labels (a hyphen for a minus).
    import briefing.cache
    import briefing.render.charts_mpl

    source = write_briefing(MULTIPLE)
    build(source, ("slides",), lang="en", out_dir=tmp_path / "before", check=False)
    monkeypatch.setattr(briefing.cache, "_CODE_STAMPS", {})
    monkeypatch.setattr(briefing.cache, "stamp_of", lambda package, modules: "edited")
    redrawn = '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 9 9"><desc>new</desc></svg>'
    monkeypatch.setattr(briefing.render.charts_mpl, "chart_svg", lambda *args: redrawn)
    [slides] = build(source, ("slides",), lang="en", out_dir=tmp_path / "after", check=False)
    assert "<desc>new</desc>" in slides.read_text(encoding="utf-8")

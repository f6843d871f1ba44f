"""Line breaking as a typesetter does it: the break rules, the measure that uses them, the deck's
explicit line breaks, the display text and the overflow the fit check must see."""

from __future__ import annotations

import math
import re

import pytest
from pptx import Presentation
from pptx.oxml.ns import qn
from pptx.util import Pt

from briefing.api import check
from briefing.linebreak import break_offsets, character_pieces, pieces
from briefing.measure import LINE_FILL, MAX_PARAGRAPH, TextMeasure
from briefing.render.pptx_text import Style, TextSetter
from briefing.spacing import Spacing
from briefing.typography import display_text
from tests.conftest import MINIMAL, line_of


def never_split(text: str, span: str) -> bool:
    """No break opportunity falls strictly inside `span` where it stands in `text`."""
    start = text.index(span)
    return not any(start < i < start + len(span) for i in break_offsets(text))


# --- the rules -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "span"),
    [
        ("下载量在5天内达到一百万", "5天"),
        ("每年超过250亿美元的投入", "250亿美元"),
        ("公司于2026年3月24日宣布关停", "2026年3月24日"),
        ("下载量下跌-45%，用户流失", "-45%"),
        ("收入超过US$25 bn的公司", "US$25 bn"),
        ("annual revenue of over US$25 bn a year", "US$25 bn"),
        ("downloads fell −6% in January", "−6%"),
        ("it costs US$800/m to run", "US$800/m"),
        ("announced on 24 Mar 2026 by the board", "24 Mar 2026"),
        ("listing in Q4 2026 at the earliest", "Q4 2026"),
        ("about 2,381x its revenue", "2,381x"),
    ],
)
def test_a_number_is_never_separated_from_its_unit_sign_or_currency(text, span):
    assert never_split(text, span)


def test_chinese_breaks_between_budoux_phrases_not_inside_them():
    import budoux

    text = "发布视频生成模型和应用"
    phrases = budoux.load_default_simplified_chinese_parser().parse(text)
    ends = [sum(map(len, phrases[: n + 1])) for n in range(len(phrases) - 1)]
    assert break_offsets(text) == ends
    assert break_offsets("视频生成模型") == [4]  # 视频生成 | 模型, never 视频 | 生成模型


def test_a_short_quoted_term_is_kept_whole():
    assert never_split("AI从“秀性能”转向“算回报”", "“算回报”")


def test_kinsoku_no_line_starts_with_closing_or_ends_with_opening_punctuation():
    text = "据美国《哈佛商业评论》刊发的研究结果，这正是（初步的）症状。"
    for i in break_offsets(text):
        assert text[i] not in "，。、）》」』”"
        assert text[i - 1] not in "（《「『“"


def test_latin_words_break_only_at_spaces_and_hard_hyphens():
    text = "Supervising many AI tools at once is a decision-making burden"
    assert pieces(text) == [
        "Supervising ",
        "many ",
        "AI ",
        "tools ",
        "at ",
        "once ",
        "is ",
        "a ",
        "decision-",
        "making ",
        "burden",
    ]


def test_a_url_breaks_only_after_slash_dot_or_hyphen():
    text = "see https://www.example.com/very-long/path?x=1 now"
    url = "https://www.example.com/very-long/path?x=1"
    start = text.index(url)
    inside = [i for i in break_offsets(text) if start < i < start + len(url)]
    assert inside and all(text[i - 1] in "/.-" for i in inside)
    assert text.index("//") + 1 not in inside  # never between the two slashes


def test_a_phrase_longer_than_the_line_falls_back_to_characters_keeping_units():
    assert character_pieces("超长的短语250亿美元") == ["超", "长", "的", "短", "语", "250亿美元"]
    assert character_pieces("Supercalifragilistic") == ["Supercalifragilistic"]


# --- the measure -----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def measure() -> TextMeasure:
    return TextMeasure("Source Sans Pro", "Noto Sans CJK SC")


def test_the_measure_breaks_at_phrases_and_keeps_figures_whole(measure):
    # 4.5 Chinese characters to a line: a character-by-character wrap would split 250亿美元.
    lines = measure.lines("每年超过250亿美元的投入", 4.5 * 24, 24)
    assert "250亿美元" in lines
    assert "".join(lines) == "每年超过250亿美元的投入"


def test_no_paragraph_ends_with_one_chinese_character_alone(measure):
    text = "结果：算力分散、权责模糊、优先级不清"
    # At 17 characters a line the greedy break leaves 清 alone: 不 comes down with it.
    assert measure.lines(text, 17 * 20 + 1, 20) == ["结果：算力分散、权责模糊、优先级", "不清"]


def test_a_chinese_phrase_longer_than_the_line_breaks_between_characters(measure):
    layout = measure.layout("视频生成模型", 2.2 * 20, 20)
    assert layout.lines == ["视频", "生成", "模型"] and layout.overflow is None


def test_a_url_after_other_words_breaks_at_its_allowed_points(measure):
    layout = measure.layout("see https://www.example.com/some/long/path-to/page.html", 120, 20)
    assert layout.overflow is None
    assert all(line[-1] in "/.-" for line in layout.lines[1:-1])


def test_a_word_longer_than_the_line_is_reported_wherever_it_stands(measure):
    word = "Pneumonoultramicroscopicsilicovolcanoconiosis"
    layout = measure.layout(f"a diagnosis of {word} today", 150, 20)
    assert layout.overflow == word
    assert word in layout.lines  # alone on its line, never cut inside


def test_a_megabyte_string_is_reported_not_measured_as_one_line(measure):
    layout = measure.layout("x" * 1_000_000, 300, 12)
    assert layout.overflow is not None
    huge_chinese = measure.layout("中文字符" * 250_000, 300, 12)
    assert huge_chinese.overflow is not None
    # The work is bounded: only the first MAX_PARAGRAPH characters were broken into lines.
    assert sum(map(len, huge_chinese.lines)) <= MAX_PARAGRAPH


def test_quotes_after_chinese_are_measured_full_width(measure):
    # LibreOffice sets a quote after a Chinese character in the Chinese font, one em wide.
    assert measure.width("号“", 10) == pytest.approx(20)
    assert measure.width("a“", 10) < 15


# --- the deck --------------------------------------------------------------------------------


def write_box(text: str, width_pt: float, size: float, lang: str = "zh"):
    setter = TextSetter(lang, "Source Sans Pro", "Noto Sans CJK SC")
    prs = Presentation()
    slide = prs.slides.add_slide(prs.slide_layouts[6])
    box = slide.shapes.add_textbox(Pt(10), Pt(10), Pt(width_pt + 14.4), Pt(300))
    setter.write(box.text_frame, [(text, Style(size=size))], 1.0, width_pt)
    return setter, box.text_frame.paragraphs[0]._p


def test_the_deck_writes_an_explicit_break_where_the_measure_broke(measure):
    text = "每年超过250亿美元的投入超过250亿美元的投入"
    setter, p = write_box(text, 4.5 * 24, 24)
    written = [
        "\n" if el.tag == qn("a:br") else el.findtext(qn("a:t"))
        for el in p
        if el.tag in (qn("a:r"), qn("a:br"))
    ]
    assert "".join(written).split("\n") == setter.measure.lines(text, 4.5 * 24, 24)
    for br in p.iter(qn("a:br")):
        assert br.find(qn("a:rPr")).get("sz") == "2400"  # the break line is as tall as the text


def test_a_break_at_a_space_drops_the_space_and_emphasis_survives():
    setter, p = write_box("one two **three** four five six seven", 80, 20, "en")
    runs = [
        (el.tag == qn("a:br"), el.findtext(qn("a:t")), el)
        for el in p
        if el.tag in (qn("a:r"), qn("a:br"))
    ]
    texts = ["\n" if br else t for br, t, _ in runs if t is not None or br]
    assert not any(t.endswith(" ") and n == "\n" for t, n in zip(texts, texts[1:]))
    bold = [t for br, t, el in runs if not br and el.find(qn("a:rPr")).get("b") == "1"]
    assert bold == ["three"]


def test_text_is_written_as_displayed():
    setter, p = write_box("面向: 管理层 (2026年3月)，下跌 -45%", 400, 20)
    assert "".join(t.text for t in p.iter(qn("a:t"))) == "面向：管理层（2026年3月），下跌−45%"


def test_a_box_a_word_cannot_fit_never_fits():
    setter = TextSetter("en", "Source Sans Pro", "Noto Sans CJK SC")
    paragraphs = [("Read more at https://example.com/" + "x" * 80, Style(size=18))]
    assert math.isinf(setter.text_height(paragraphs, 300, 1.0))
    scale = setter.fit_scale(paragraphs, Pt(300 + 14.4), Pt(400), floor=12)
    assert scale == pytest.approx(12 / 18)  # the floor: the caller reports the overflow
    assert setter.too_wide(paragraphs, 300, scale) == "x" * 80


def test_check_reports_a_url_after_other_words_that_overflows(write_briefing):
    url = "https://example.com/" + "a" * 300
    text = MINIMAL.replace(
        "    notes: {zh: 开场。, en: Opening.}\n",
        "    notes: {zh: 开场。, en: Opening.}\n"
        "  - kind: bullets\n"
        "    title: {zh: 链接, en: Links}\n"
        f"    points: [{{zh: 详见 {url}, en: Read it at {url}}}]\n"
        "    notes: {zh: 注。, en: Note.}\n",
        1,
    )
    _, findings = check(write_briefing(text), {})
    overflows = [f for f in findings if f.code == "text-overflow"]
    assert {f.slide for f in overflows} == {2}
    assert all(f.line == line_of(text, "points: [{zh: 详见") for f in overflows)
    assert any("wider than the box" in f.message for f in overflows)


# --- the display text ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("source", "shown"),
    [
        ("(2026年3月)", "（2026年3月）"),
        ("面向: 管理层", "面向：管理层"),
        ("注:", "注："),
        ("增长45% 。", "增长45%。"),
        ("Sora ： AI", "Sora：AI"),
        ("fell -45%, then -6%", "fell −45%, then −6%"),
        ("2025-2026, COVID-19 and 1,000 (about 5%)", "2025-2026, COVID-19 and 1,000 (about 5%)"),
    ],
)
def test_display_text_punctuation_and_minus(source, shown):
    assert display_text(source) == shown


def test_one_gap_between_chinese_and_latin():
    # The deck's viewers add their own gap: the source's space is dropped there.
    assert display_text("OpenAI 关停 **Sora** 应用", viewer_spaces=True) == "OpenAI关停**Sora**应用"
    # The page's browsers add none: exactly one space stays.
    assert display_text("OpenAI  关停 Sora 应用") == "OpenAI 关停 Sora 应用"


# --- the page --------------------------------------------------------------------------------


def test_the_page_marks_phrases_figures_and_url_breaks():
    from briefing.render.page import typeset

    assert str(typeset("超过250亿美元的投入")) == (
        '<span class="phrase">超过</span><span class="nowrap">250亿美元</span>'
        '的<span class="phrase">投入</span>'
    )
    assert str(typeset("see https://a.example/x-y")) == (
        "see https://<wbr>a.<wbr>example/<wbr>x-<wbr>y"
    )
    assert str(typeset("<b> & US$25 bn")) == '&lt;b&gt; &amp; <span class="nowrap">US$25 bn</span>'


def line_texts(html: str) -> list[str]:
    """The text of each line WeasyPrint lays out for a page, in order."""
    from weasyprint import HTML

    from briefing.fonts import font_files

    font = font_files("Noto Sans CJK").regular.as_uri()
    style = f"<style>@font-face{{font-family:T;src:url({font})}} body{{font:20pt T}}</style>"
    document = HTML(string=style + html).render()
    lines: list[str] = []

    def walk(box):
        if type(box).__name__ == "LineBox":
            lines.append("".join(text for text in _texts(box)))
            return
        for child in getattr(box, "children", []):
            walk(child)

    walk(document.pages[0]._page_box)
    return [line for line in lines if line]


def _texts(box):
    if getattr(box, "text", None) is not None:
        yield box.text
    for child in getattr(box, "children", []):
        yield from _texts(child)


def test_weasyprint_keeps_a_phrase_and_a_figure_on_one_line():
    from briefing.render.page import typeset

    # Seven characters to a line: left to itself WeasyPrint breaks 视频生 | 成 and 250亿美 | 元.
    css = (
        "<style>p{width:7.2em;margin:0} .phrase{display:inline-block}"
        " .nowrap{white-space:nowrap}</style>"
    )
    lines = line_texts(css + f"<p>{typeset('我们推出视频生成模型')}</p>")
    assert lines == ["我们推出", "视频生成模型"]
    lines = line_texts(css + f"<p>{typeset('每年超过大约250亿美元')}</p>")
    assert any("250亿美元" in line for line in lines)


def test_a_box_past_the_right_edge_is_named_with_its_part_and_token():
    from weasyprint import HTML

    from briefing.render.pdf import past_right_edge

    token = "x" * 300
    page = f'<header class="masthead"><p style="white-space:nowrap">By: {token}</p></header>'
    message = past_right_edge(HTML(string=page).render())
    assert message.startswith("the summary's masthead runs ")
    assert "past the right edge of the sheet: 'xxxxx" in message
    assert past_right_edge(HTML(string="<header><p>short</p></header>").render()) is None


@pytest.mark.parametrize("where", ["author", "takeaway"])
def test_a_long_token_on_the_page_wraps_inside_the_sheet(write_briefing, where):
    import subprocess
    import tempfile
    from pathlib import Path

    from briefing.loader import load
    from briefing.render.page import PAPERS, PageBuilder
    from briefing.render.pdf import fit_page
    from briefing.theme import load_theme

    token = "Q" * 400
    if where == "author":
        text = MINIMAL.replace("author: Analyst", f"author: {token}")
    else:
        text = MINIMAL.replace(
            "  - kind: chart\n",
            f"  - kind: summary\n    title: Points\n    notes: A. B.\n    points: [{token}]\n"
            "  - kind: chart\n",
        )
    fitted = fit_page(PageBuilder(load(write_briefing(text)), load_theme(), "en"), PAPERS["a4"])
    with tempfile.TemporaryDirectory() as work:
        pdf = Path(work) / "page.pdf"
        pdf.write_bytes(fitted.pdf)
        layout = subprocess.run(
            ["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, text=True, check=True
        ).stdout
    page_width = float(re.search(r'<page width="([\d.]+)"', layout).group(1))
    right_edges = [float(x) for x in re.findall(r'xMax="([\d.]+)"', layout)]
    assert max(right_edges) <= page_width
    words = re.findall(r">(Q+)</word>", layout)
    assert len(words) > 1 and sum(map(len, words)) == 400  # wrapped, nothing cut


# --- the measure against LibreOffice's widths --------------------------------------------------


def test_a_line_the_measure_fills_to_its_last_point_wraps():
    """LibreOffice wraps a line it draws 0.2 % narrower than its box (Beehive's source line),
    so the measure leaves the last percent of a line empty."""
    measure = TextMeasure("Arial", "Noto Sans CJK SC")
    text = "The full accounts and the figures for each terminal are in the annual report"
    width = measure.width(text, 14) * 1.002

    assert measure.lines(text, width, 14) == [text.removesuffix(" report"), "report"]
    assert measure.lines(text, width * 1.02, 14) == [text]


def test_a_fitted_size_is_written_rounded_down_never_up():
    """13.39 pt written as 13.4 pt sets the text wider than measured: LibreOffice then wraps
    "Automated equipment, run" on Yellow_Idea a second time, under its explicit break."""
    frame = Presentation().slides.add_slide(Presentation().slide_layouts[6])
    box = frame.shapes.add_textbox(0, 0, Pt(200), Pt(100)).text_frame
    setter = TextSetter("en", "Arial", "Noto Sans CJK SC")

    setter.write(box, [("Automated equipment", Style(size=20))], scale=0.6696)

    assert box.paragraphs[0].runs[0].font.size.pt == 13.3


def test_an_opening_quote_before_chinese_is_full_width_with_a_gap_after_it(measure):
    # LibreOffice, measured: "“" opening a line before Chinese is drawn one em wide in the
    # Chinese font, and the quarter-em gap follows it as it would follow Latin.
    assert measure.width("“工", 10) == pytest.approx(10 + 2.5 + 10)
    assert measure.width("“AI", 10) == pytest.approx(
        measure.width("AI", 10) + measure.char_width("“", 10)
    )


def test_a_middle_dot_between_chinese_is_latin_with_a_gap_on_each_side(measure):
    dot = measure.char_width("·", 10)
    assert dot < 3  # Source Sans Pro's, not the Chinese font's 5.6 or a full em
    assert measure.width("拉·罗", 10) == pytest.approx(10 + 2.5 + dot + 2.5 + 10)
    # Spaces do not stop the gap.
    assert measure.width("料 · 仅", 10) == pytest.approx(10 + 2 + 2.5 + dot + 2.5 + 2 + 10)


def test_the_html_slides_set_each_character_as_the_measure_counts_it():
    from briefing.render.slides_text import ViewerSpacing

    gap = '<span class="gap"></span>'
    assert ViewerSpacing().html("“工作”：AI") == (
        f'<span class="ea">“</span>{gap}<span class="ea">工作”：</span>{gap}AI'
    )
    ea = '<span class="ea">{}</span>'.format
    assert ViewerSpacing().html("— 心·罗") == f"{ea('—')} {gap}{ea('心')}{gap}·{gap}{ea('罗')}"
    # A wrapped line's quote follows the Latin that ended the line before it.
    after_latin = Spacing("narrow", line_start=True)
    assert ViewerSpacing(after_latin).html("“工") == f"“{gap}{ea('工')}"


def test_a_quote_opening_a_wrapped_line_takes_the_script_before_it(measure):
    # LibreOffice, measured: after a line break inside a paragraph, "“" follows the Chinese
    # before it, full width and with no gap after it: ten characters fill ten ems.
    text = "人工智能正从秀性能“转向算回报”的阶段"
    lines = measure.lines(text, 10 * 24 / LINE_FILL + 0.01, 24)
    assert lines == ["人工智能正从秀性能", "“转向算回报”的阶段"]


def test_the_html_slides_open_a_wrapped_line_as_the_measure_does():
    from briefing.render.slides_text import _lines

    html = _lines("人工智能正从秀性能“转向算回报”的阶段", [9])
    ea = '<span class="ea">{}</span>'.format
    assert html == f"{ea('人工智能正从秀性能')}<br>{ea('“转向算回报”的阶段')}"

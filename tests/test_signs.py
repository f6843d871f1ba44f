"""A fall written twice ("fell {x}" with x negative) is a warning; {x:abs} shows the magnitude."""

from __future__ import annotations

from briefing.api import build, check
from briefing.loader import parse
from briefing.richtext import figure_parts, fill
from tests.conftest import MINIMAL, line_of

FALL = """\
  - id: complaints
    value: -18
    unit: percent
    label: {zh: 投诉变化, en: Change in complaints}
    source: art
    excerpt: 投诉下降18%
"""
SLIDE = """\
  - kind: summary
    title: {zh: 服务质量提高了很多, en: Service got better this quarter}
    points:
      - {zh: "投诉下降{complaints}", en: "Complaints fell {complaints}"}
    notes: {zh: "投诉减少了{complaints}。", en: "A fall of {complaints}, down {complaints:abs}."}
"""


def briefing_text(slide: str = SLIDE) -> str:
    return MINIMAL.replace("charts:\n", FALL + "charts:\n") + slide


def test_a_falling_word_before_a_negative_figure_is_a_double_negative(write_briefing):
    text = briefing_text()
    _, findings = check(write_briefing(text), {})
    warned = sorted((f.field, f.line) for f in findings if f.code == "double-negative")
    points, notes = line_of(text, "Complaints fell"), line_of(text, "A fall of")
    assert warned == [
        ("slides[2].notes.en", notes),
        ("slides[2].notes.zh", notes),
        ("slides[2].points[0].en", points),
        ("slides[2].points[0].zh", points),
    ]
    [said] = [f.message for f in findings if f.field == "slides[2].points[0].en"]
    assert said == (
        "'fell {complaints}' reads 'fell -18%': the words say the fall and the figure's sign "
        "says it again; write {complaints:abs} to show 18%"
    )


def test_abs_shows_the_magnitude_and_quiets_the_warning(write_briefing):
    text = briefing_text().replace("{complaints}", "{complaints:abs}")
    _, findings = check(write_briefing(text), {})
    assert [f for f in findings if f.code in ("double-negative", "malformed-reference")] == []
    briefing = parse(text)
    points = briefing.slides[2].points[0]
    assert fill(points, "en", briefing) == "Complaints fell 18%"
    assert fill(points, "zh", briefing) == "投诉下降18%"
    assert figure_parts("fell {complaints:abs}.") == [
        ("fell ", False),
        ("complaints:abs", True),
        (".", False),
    ]


def test_a_positive_figure_or_a_neutral_word_is_no_double_negative(write_briefing):
    slide = SLIDE.replace("Complaints fell {complaints}", "Complaints changed by {complaints}")
    slide = slide.replace("A fall of {complaints}", "Valued at {valuation}")
    slide = slide.replace("投诉下降{complaints}", "投诉变化{complaints}").replace("减少了", "为")
    _, findings = check(write_briefing(briefing_text(slide)), {})
    assert [f for f in findings if f.code == "double-negative"] == []


def test_the_page_shows_the_magnitude_with_its_source(write_briefing, tmp_path):
    text = briefing_text().replace(
        "Complaints fell {complaints}", "Complaints fell {complaints:abs}"
    )
    [page] = build(write_briefing(text), ("html",), lang="en", out_dir=tmp_path, check=False)
    html = page.read_text(encoding="utf-8")
    assert 'data-figure="complaints">18%<sup class="cite">' in html
    assert "fell −18%" not in html and "fell -18%" not in html


def test_an_unknown_view_of_a_reference_names_the_one_allowed(write_briefing):
    text = briefing_text().replace("{complaints:abs}", "{complaints:ab}")
    _, findings = check(write_briefing(text), {})
    [error] = [f for f in findings if f.code == "malformed-reference"]
    assert "a reference takes only ':abs'" in error.message
    assert "write {complaints} or {complaints:abs}" in error.message

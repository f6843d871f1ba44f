"""briefing check: each finding with its message and line; JSON report; build stops on errors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from briefing.api import check, shipped_source
from briefing.cli import main
from tests.conftest import MINIMAL, line_of

SHARED_SEED = Path(__file__).resolve().parents[2] / "shared" / "seeds" / "000_d7da8ac55d8eb135.txt"
# A sentence broken across a blank line, with full-width digits, as real articles come.
ARTICLE = (
    "据报道，目前OpenAI年化收入超过250亿美元，并于今年2月底宣布完成新一轮融\n\n"
    "资，估值达８４００亿美元。\n"
)


def findings_of(write_briefing, text: str, **against):
    path = write_briefing(text)
    _, findings = check(path, {k: Path(v) for k, v in against.items()})
    return path, [f for f in findings if f.severity == "error"]


def test_the_minimal_briefing_has_no_errors(write_briefing):
    _, errors = findings_of(write_briefing, MINIMAL)
    assert errors == []


def test_a_wrong_value_is_an_error_at_its_line(write_briefing):
    text = MINIMAL.replace("value: 840", "value: 850")
    path, [error] = findings_of(write_briefing, text)
    assert (error.code, error.line, error.field) == (
        "value-mismatch",
        line_of(text, "value: 850"),
        "figures[1].value",
    )
    assert (
        "value 850 billion (8.5e11) does not match the excerpt '估值达8400亿美元'" in error.message
    )
    assert str(error).startswith(f"{path}:{error.line}:")


def test_an_excerpt_missing_from_the_source_text(write_briefing, tmp_path: Path):
    article = tmp_path / "article.txt"
    article.write_text(ARTICLE, encoding="utf-8")
    text = MINIMAL.replace("excerpt: 估值达8400亿美元", "excerpt: 估值高达8400亿美元")
    _, [error] = findings_of(write_briefing, text, art=article)
    assert error.code == "excerpt-not-in-source"
    assert error.line == line_of(text, "估值高达")
    assert "does not occur in the text of source 'art'" in error.message


def test_excerpts_are_found_across_line_breaks_and_full_width_digits(write_briefing, tmp_path):
    article = tmp_path / "article.txt"
    article.write_text(ARTICLE, encoding="utf-8")
    _, errors = findings_of(write_briefing, MINIMAL, art=article)
    assert errors == []


def test_a_source_text_path_in_the_yaml_is_read_beside_it(write_briefing, tmp_path: Path):
    (tmp_path / "article.txt").write_text("没有这个数字", encoding="utf-8")
    text = MINIMAL.replace("    language: zh\n", "    language: zh\n    text: article.txt\n", 1)
    _, errors = findings_of(write_briefing, text)
    assert [e.code for e in errors] == ["excerpt-not-in-source"] * 2


def test_a_bare_number_in_a_talking_point(write_briefing):
    text = MINIMAL.replace(
        'en: "Valued at {valuation}."', 'en: "Valued at {valuation}, 34 times revenue."'
    )
    _, [error] = findings_of(write_briefing, text)
    assert (error.code, error.field, error.slide) == ("bare-number", "slides[1].notes.en", 2)
    assert error.line == line_of(text, "34 times")
    assert "'34' is a number with no source" in error.message


def test_years_and_dates_are_not_bare_numbers(write_briefing):
    text = MINIMAL.replace(
        'en: "Valued at {valuation}."',
        'en: "In March 2026, on 24 Mar 2026, valued at {valuation}."',
    )
    _, errors = findings_of(write_briefing, text)
    assert errors == []


def test_a_derived_figure_that_does_not_recompute(write_briefing):
    text = MINIMAL.replace(
        "charts:",
        "  - id: multiple\n    value: 40\n    unit: multiple\n    label: m\n"
        "    derived: {formula: valuation / revenue, explain: x}\ncharts:",
    )
    _, [error] = findings_of(write_briefing, text)
    assert error.code == "derived-mismatch" and error.line == line_of(text, "value: 40")
    assert "formula 'valuation / revenue' gives 33.6, but the figure states 40" in error.message


def test_an_overloaded_slide(write_briefing):
    points = "".join(
        f"      - {{zh: 第{n}点很重要的事情, en: Point number {n} matters a lot}}\n"
        for n in "一二三四五六七"
    )
    text = MINIMAL.replace(
        "  - kind: chart\n",
        "  - kind: bullets\n"
        "    title: {zh: 这页要点太多了不好读, en: This slide has too many points}\n"
        f"    notes: A. B.\n    points:\n{points}  - kind: chart\n",
    )
    _, errors = findings_of(write_briefing, text)
    overloaded = [e for e in errors if e.code == "too-many-points"]
    assert overloaded and overloaded[0].slide == 2
    assert overloaded[0].line == line_of(text, "kind: bullets")
    assert "7 points on one bullets slide; the budget is 6" in overloaded[0].message


def test_budgets_are_overridable_in_the_briefing(write_briefing):
    points = "".join(f"      - Point {n}\n" for n in "abcdefg")
    text = (
        MINIMAL.replace(
            "  - kind: chart\n",
            "  - kind: bullets\n    title: A slide with many small points\n    notes: A. B.\n"
            f"    points:\n{points}  - kind: chart\n",
        )
        + "budgets:\n  bullets: {bullets: 8}\n"
    )
    _, errors = findings_of(write_briefing, text)
    assert [e for e in errors if e.code == "too-many-points"] == []


@pytest.mark.parametrize(
    ("lang_text", "lang"),
    [
        ("{zh: " + "这是一段非常非常长的文字，" * 60 + ", en: short}", "zh"),
        ("{zh: 短, en: " + "This is a very long talking point that goes on. " * 40 + "}", "en"),
    ],
)
def test_an_overflowing_box_is_an_error_naming_slide_and_box(write_briefing, lang_text, lang):
    text = (
        MINIMAL.replace(
            "  - kind: chart\n",
            "  - kind: quote\n    title: A quote that is far too long to fit\n    notes: A. B.\n"
            f"    quote: {lang_text}\n    by: Someone\n    source: art\n  - kind: chart\n",
        )
        + "budgets:\n  default: {slide_words: 5000, slide_chars_zh: 5000}\n"
    )
    _, errors = findings_of(write_briefing, text)
    [overflow] = [e for e in errors if e.code == "text-overflow"]
    # At the field the box shows, with what to do about it.
    assert overflow.slide == 2 and overflow.line == line_of(text, "    quote: ")
    assert overflow.field == "slides[1].quote"
    assert f"the quote overflows its box ({lang})" in overflow.message
    assert "quote a shorter phrase of the source" in overflow.message
    assert "even at the minimum size (12 pt) on layout 'Title Only'" in overflow.message


def test_build_stops_on_errors_and_skips_with_no_check(write_briefing, tmp_path: Path):
    text = MINIMAL.replace("value: 840", "value: 850")
    source = write_briefing(text)
    runner = CliRunner()
    stopped = runner.invoke(main, ["build", str(source), "--out", str(tmp_path / "a")])
    assert stopped.exit_code == 1
    assert "does not match the excerpt" in stopped.output
    assert not (tmp_path / "a").exists() or not any((tmp_path / "a").glob("*.pptx"))
    skipped = runner.invoke(
        main, ["build", str(source), "--no-check", "--out", str(tmp_path / "b")]
    )
    assert skipped.exit_code == 0
    assert "checks skipped (--no-check)" in skipped.stderr


def test_json_report_follows_the_documented_schema(write_briefing):
    text = MINIMAL.replace("value: 840", "value: 850")
    source = write_briefing(text)
    result = CliRunner().invoke(main, ["check", str(source), "--format", "json"])
    assert result.exit_code == 1
    report = json.loads(result.stdout)
    assert report["version"] == 1 and report["file"] == str(source)
    assert report["errors"] == 1 and report["warnings"] == len(report["findings"]) - 1
    [error] = [f for f in report["findings"] if f["severity"] == "error"]
    assert set(error) == {"severity", "code", "file", "line", "column", "slide", "field", "message"}
    assert (error["code"], error["line"]) == ("value-mismatch", line_of(text, "value: 850"))


def test_against_refuses_an_unknown_source(write_briefing, tmp_path: Path):
    result = CliRunner().invoke(
        main, ["check", str(write_briefing()), "--against", f"nope={tmp_path}/x.txt"]
    )
    assert result.exit_code == 1 and "no source 'nope'; known: art" in result.output


def test_the_shipped_briefing_passes():
    result = CliRunner().invoke(main, ["check"])
    assert result.exit_code == 0, result.output
    assert result.stdout.strip().endswith("0 error(s), 0 warning(s)")


@pytest.mark.skipif(
    not SHARED_SEED.is_file(), reason="the shared articles are not beside this clone"
)
def test_the_shipped_briefing_passes_against_the_articles():
    _, findings = check(shipped_source(), {"sora": SHARED_SEED, "brainfry": SHARED_SEED})
    assert findings == []


def _with_slide(slide_yaml: str) -> str:
    return MINIMAL.replace("  - kind: chart\n", slide_yaml + "  - kind: chart\n")


@pytest.mark.parametrize(
    ("slide", "code", "message"),
    [
        (
            "  - kind: bullets\n    title: A slide whose one point is long\n    notes: A. B.\n"
            '    points: ["' + "word " * 30 + '"]\n',
            "point-too-long",
            "a point of 30 words (en); the budget is 25",
        ),
        (
            "  - kind: bullets\n    title: A slide with too many words\n    notes: A. B.\n"
            "    points: [" + ", ".join(['"' + "word " * 24 + '"'] * 6) + "]\n",
            "slide-too-long",
            "words on the slide (en); the budget is 120",
        ),
        (
            "  - kind: kpi\n    title: Too many numbers at once here\n    notes: A. B.\n"
            "    items: [{figure: revenue}, {figure: valuation}, {figure: revenue}]\n",
            None,
            None,
        ),
    ],
)
def test_budget_findings(write_briefing, slide, code, message):
    text = _with_slide(slide)
    _, errors = findings_of(write_briefing, text)
    if code is None:
        assert [e for e in errors if e.code.startswith("too-many")] == []
        return
    [error] = [e for e in errors if e.code == code]
    assert message in error.message and error.slide == 2


def test_too_many_figures_on_one_slide(write_briefing):
    # The chart's own data is read as a chart and not counted; figures in its points are.
    budget = "budgets:\n  chart: {numbers: 1}\n"
    _, errors = findings_of(write_briefing, MINIMAL + budget)
    assert not [e for e in errors if e.code == "too-many-numbers"]
    text = MINIMAL.replace(
        "    chart: money\n",
        "    chart: money\n"
        "    points: [{zh: '{revenue}与{valuation}', en: '{revenue} and {valuation}'}]\n",
    )
    _, errors = findings_of(write_briefing, text + budget)
    [error] = [e for e in errors if e.code == "too-many-numbers"]
    assert "2 figures on one slide; the budget is 1" in error.message
    assert error.line == line_of(text, "kind: chart")


def test_a_label_title_and_an_approximate_excerpt_are_warnings(write_briefing):
    text = MINIMAL.replace(
        'title: {zh: "估值是收入的许多倍", en: "Valuation dwarfs revenue"}',
        "title: {zh: 估值, en: Valuation}",
    )
    text = text.replace("excerpt: 估值达8400亿美元", "excerpt: 估值约8400亿美元")
    path = write_briefing(text)
    _, findings = check(path)
    warnings = {f.code: f for f in findings if f.severity == "warning"}
    assert "the title has 1 words (en)" in warnings["title-not-a-sentence"].message
    assert warnings["title-not-a-sentence"].line == line_of(text, "title: {zh: 估值, en")
    assert "gives an approximate number" in warnings["qualifier-mismatch"].message


def test_a_bare_number_in_the_subtitle_or_an_axis_title(write_briefing):
    text = MINIMAL.replace("  author: Analyst\n", "  author: Analyst\n  subtitle: Top 37 risks\n")
    text = text.replace(
        "    scale: billion\nslides:",
        "    scale: billion\n    value_axis: {title: in 1000s}\nslides:",
    )
    _, errors = findings_of(write_briefing, text)
    assert {(e.field, e.message.split("'")[1]) for e in errors} == {
        ("meta.subtitle", "37"),
        ("charts[0].value_axis.title", "1000"),
    }


def test_a_long_chart_note_shrinks_then_overflows_instead_of_breaking_the_slide(write_briefing):
    note = "This note goes on and on about the chart. " * 40
    text = MINIMAL.replace(
        "    scale: billion\nslides:", f'    scale: billion\n    note: "{note}"\nslides:'
    )
    _, errors = findings_of(write_briefing, text)
    overflow = [e.message for e in errors if e.code == "text-overflow"]
    assert any("the source line overflows its box (en)" in m for m in overflow)


def test_a_briefing_in_a_language_we_have_no_words_for(write_briefing, tmp_path: Path):
    import re

    from pptx import Presentation

    from briefing.api import build

    # Every text in one string, the briefing in French: our own words fall back to English.
    text = re.sub(r"\{zh: (?:\"[^\"]*\"|[^,}]*), en: (\"[^\"]*\"|[^}]*)\}", r"\1", MINIMAL)
    text = text.replace("languages: [zh, en]", "languages: [fr]")
    [deck] = build(write_briefing(text), ("pptx",), None, tmp_path, check=False)
    shown = [
        sh.text_frame.text
        for s in Presentation(str(deck)).slides
        for sh in s.shapes
        if sh.has_text_frame
    ]
    assert any(t.startswith("Source: Some paper, Mar 2026") for t in shown)


def test_a_character_no_font_draws_is_a_warning_at_its_line(write_briefing):
    text = MINIMAL.replace("{zh: 开场。, en: Opening.}", "{zh: 开场 🚀。, en: Opening.}")
    path = write_briefing(text)
    _, findings = check(path)
    [missing] = [f for f in findings if f.code == "missing-glyph"]
    assert missing.severity == "warning" and missing.line == line_of(text, "🚀")
    assert "🚀 (U+1F680) is in none of the fonts" in missing.message
    _, clean = check(write_briefing(MINIMAL))
    assert not [f for f in clean if f.code == "missing-glyph"]


def test_the_sources_slide_needs_no_action_title(write_briefing):
    text = MINIMAL + (
        "  - kind: sources\n"
        "    title: {zh: 来源, en: Sources}\n"
        "    notes: {zh: 来源。, en: Sources.}\n"
    )
    _, findings = check(write_briefing(text))
    on_third = [f for f in findings if f.code == "title-not-a-sentence" and f.slide == 3]
    assert not on_third
    labelled = text.replace(
        "kind: sources", "kind: bullets\n    points: [{zh: 一点, en: One point}]"
    )
    _, findings = check(write_briefing(labelled))
    assert [f for f in findings if f.code == "title-not-a-sentence" and f.slide == 3]


def test_the_summary_follows_the_errors_it_counts_on_their_stream(write_briefing):
    bad = write_briefing(MINIMAL.replace("kind: chart", "kind: chrat"))
    result = CliRunner().invoke(main, ["check", str(bad)])
    assert result.exit_code == 1
    *errors, summary = result.stderr.strip().splitlines()
    assert "unknown kind 'chrat'" in errors[0]
    assert summary == f"{bad}: 1 error(s), 0 warning(s)"
    assert "error(s)" not in result.stdout


KPI_OF_LONG_VALUES = """\
  - kind: kpi
    title: {zh: 四个数字说明了一切, en: Four numbers tell the whole story here}
    notes: {zh: 说。, en: Say.}
    items:
      - figure: riders
      - figure: revenue
      - figure: valuation
      - figure: revenue
"""
RIDERS = """\
  - id: riders
    value: 1234567890123456
    unit: count
    noun: {zh: 名乘客, en: passengers a year}
    label: {zh: 乘客, en: Riders}
    source: art
    excerpt: 乘客1234567890123456名
"""


def test_a_shrunk_kpi_value_is_worded_for_what_its_author_can_do(write_briefing):
    text = MINIMAL.replace("charts:\n", RIDERS + "charts:\n") + KPI_OF_LONG_VALUES
    _, findings = check(write_briefing(text), {})
    [shrunk] = [f for f in findings if f.code == "text-shrunk"]
    assert (shrunk.line, shrunk.field) == (line_of(text, "- figure: riders"), "slides[2].items[0]")
    assert shrunk.message.startswith("the value of kpi item 1 (figure 'riders') is set at")
    assert "a figure's value cannot be shortened: give the figure a larger `scale`" in (
        shrunk.message
    )
    assert "fewer cards" in shrunk.message and "consider shortening" not in shrunk.message


@pytest.mark.parametrize(
    ("where", "name", "field"),
    [
        ("title title", "the cover's title", ("title",)),
        ("kpi title", "the title", ("title",)),
        ("title subtitle", "the cover's subtitle and date line", ("subtitle",)),
        ("timeline event 3 date", "the date of timeline event 3", ("events", 2, "when")),
        ("timeline event 3", "timeline event 3", ("events", 2, "what")),
        ("comparison left", "the left column", ("left",)),
        ("summary points", "the list of points", ("points",)),
        ("kpi item 2 label", "the label of kpi item 2", ("items", 1)),
    ],
)
def test_each_box_is_named_as_its_author_knows_it(where, name, field):
    from briefing.check.box_words import box_words

    words = box_words(where)
    assert (words.name, words.field) == (name, field)
    assert "box" not in words.name and words.remedy

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
    assert overflow.slide == 2 and overflow.line == line_of(text, "kind: quote")
    assert f"the quote quote box overflows ({lang})" in overflow.message
    assert "even at the minimum size (12 pt)" in overflow.message


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

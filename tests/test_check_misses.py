"""What the check used to miss: signs, currencies, quotes, mixed units, malformed references."""

from __future__ import annotations

from pathlib import Path

import pytest

from briefing.check.run import run_checks
from briefing.loader import load_source
from briefing.theme import load_theme
from tests.conftest import MINIMAL, line_of


def errors_of(write_briefing, text: str, against: dict[str, Path] | None = None):
    """The errors of the checks a build runs first (text fit aside: it is not at stake here)."""
    loaded = load_source(write_briefing(text))
    findings = run_checks(loaded, load_theme(None), against, fit=False)
    return [f for f in findings if f.severity == "error"]


def with_figure(figure_yaml: str) -> str:
    """MINIMAL with one more figure, written as the figures list writes it."""
    return MINIMAL.replace("charts:\n", figure_yaml + "charts:\n", 1)


FALL = """\
  - id: downloads_change
    value: 6
    unit: percent
    label: {zh: 下载量变化, en: Change in downloads}
    source: art
    excerpt: downloads fell 6%
"""


def test_a_positive_value_against_a_fall_is_a_sign_error(write_briefing):
    text = with_figure(FALL)
    [error] = errors_of(write_briefing, text)
    assert (error.code, error.field) == ("sign-mismatch", "figures[2].value")
    assert error.line == line_of(text, "value: 6")
    assert "write value -6" in error.message


def test_a_negative_value_against_a_fall_and_a_label_naming_the_fall_pass(write_briefing):
    assert errors_of(write_briefing, with_figure(FALL.replace("value: 6", "value: -6"))) == []
    named = FALL.replace("Change in downloads", "Fall in downloads").replace("变化", "跌幅")
    assert errors_of(write_briefing, with_figure(named)) == []


def test_negative_in_words_is_a_sign_too(write_briefing):
    text = with_figure(
        "  - id: cash\n    value: 85\n    unit: currency\n    currency: USD\n"
        "    scale: million\n    label: {zh: 现金流, en: Cash flow}\n    source: art\n"
        "    excerpt: negative $85 million\n"
    )
    [error] = errors_of(write_briefing, text)
    assert error.code == "sign-mismatch" and "write value -85" in error.message


def test_a_currency_the_excerpt_contradicts(write_briefing):
    text = with_figure(
        "  - id: order\n    value: 4.2\n    unit: currency\n    currency: EUR\n"
        "    scale: billion\n    label: {zh: 订单, en: Order}\n    source: art\n"
        "    excerpt: worth $4.2 billion\n"
    )
    [error] = errors_of(write_briefing, text)
    assert (error.code, error.field) == ("currency-mismatch", "figures[2].currency")
    assert error.line == line_of(text, "currency: EUR")
    assert "which states USD; write currency: USD" in error.message


QUOTE_SLIDE = """\
  - kind: quote
    title: {zh: 董事长说得很直白, en: The chair put it bluntly}
    quote: {zh: "“我们增长得太快了”", en: "We grew too fast"}
    by: {zh: 董事长, en: The chair}
    source: art
    notes: {zh: 引语。, en: A quote.}
"""


def test_a_quote_not_in_the_source_text(write_briefing, tmp_path: Path):
    article = tmp_path / "article.txt"
    article.write_text("年化收入超过250亿美元。估值达8400亿美元。我们增长得太\n快了。\n", "utf-8")
    text = MINIMAL + QUOTE_SLIDE
    # Found across a line break, without its quotation marks; the English is a translation.
    assert errors_of(write_briefing, text, {"art": article}) == []
    changed = text.replace("我们增长得太快了", "我们增长太快了")
    [error] = errors_of(write_briefing, changed, {"art": article})
    assert (error.code, error.field) == ("quote-not-in-source", "slides[2].quote.zh")
    assert error.line == line_of(changed, "我们增长太快了")
    assert "'我们增长太快了' does not occur in the text of source 'art'" in error.message


def test_three_units_on_one_chart_axis(write_briefing):
    text = with_figure(
        "  - id: users\n    value: 1\n    unit: count\n    scale: billion\n"
        "    label: {zh: 用户, en: Users}\n    source: art\n    excerpt: 估值达8400亿美元\n"
        "  - id: share\n    value: 45\n    unit: percent\n"
        "    label: {zh: 份额, en: Share}\n    source: art\n    excerpt: 暴涨45%\n"
    ).replace(
        "categories: [{zh: 收入, en: Revenue}, {zh: 估值, en: Valuation}]",
        "categories: [a, b, c, d]",
    )
    text = text.replace(
        "values: [revenue, valuation]", "values: [revenue, valuation, users, share]"
    )
    errors = [e for e in errors_of(write_briefing, text) if e.code == "mixed-units"]
    [error] = errors
    assert error.field == "charts[0].series"
    assert "3 units on one axis" in error.message
    assert (
        "currency USD (revenue, valuation)" in error.message and "percent (share)" in error.message
    )


@pytest.mark.parametrize(
    ("written", "said"),
    [
        ("{Valuation}", "figure ids are lower_snake_case (a-z, 0-9, _); did you mean {valuation}?"),
        ("｛ｖａｌｕａｔｉｏｎ｝", "full-width characters; write {valuation}"),
        ("{}", "'{}' is an empty reference"),
        ("{valuation", "'{valuation' opens a reference that never closes; write {valuation}"),
    ],
)
def test_malformed_references_are_errors_with_the_fix(write_briefing, written, said):
    text = MINIMAL.replace('en: "Valued at {valuation}."', f'en: "Valued at {written}."')
    [error] = errors_of(write_briefing, text)
    assert (error.code, error.field) == ("malformed-reference", "slides[1].notes.en")
    assert error.line == line_of(text, "Valued at")
    assert said in error.message


def test_a_near_miss_id_gets_did_you_mean(write_briefing):
    from briefing.errors import SourceError

    text = MINIMAL.replace("Valued at {valuation}", "Valued at {valuaton}")
    with pytest.raises(SourceError) as caught:
        errors_of(write_briefing, text)
    assert "unknown figure 'valuaton'; did you mean 'valuation'?" in str(caught.value)


def test_an_excerpt_with_no_number_does_not_say_correct_the_value(write_briefing):
    text = MINIMAL.replace("excerpt: 估值达8400亿美元", "excerpt: 估值很高")
    [error] = errors_of(write_briefing, text)
    assert error.code == "value-mismatch" and "states no number" in error.message
    assert "correct the value" not in error.message


def test_a_percent_formula_missing_times_100_gets_a_hint(write_briefing):
    text = with_figure(
        "  - id: ratio\n    value: 3\n    unit: percent\n    decimals: 0\n"
        "    label: {zh: 比例, en: Ratio}\n"
        "    derived: {formula: revenue / valuation, explain: {zh: 收入除以估值, en: Over}}\n"
    )
    [error] = errors_of(write_briefing, text)
    assert error.code == "derived-mismatch"
    assert "write '(revenue / valuation) * 100'" in error.message


# Messages: every problem says what is allowed, in one format, and the JSON report always comes.


def load_problems(text: str) -> list[str]:
    from briefing.errors import SourceError
    from briefing.loader import parse

    with pytest.raises(SourceError) as caught:
        parse(text, "b.yaml")
    return [str(p) for p in caught.value.problems]


def test_a_mis_cased_id_says_ids_are_lower_snake_case():
    text = MINIMAL.replace("id: revenue", "id: Sora-Cost")
    [problem] = [p for p in load_problems(text) if "figures[0].id" in p]
    assert problem.startswith(f"b.yaml:{line_of(text, 'Sora-Cost')}:")
    assert "'Sora-Cost' is not an id: ids are lower_snake_case" in problem
    assert "write 'sora_cost'" in problem and "documented form" not in problem


def test_a_tab_says_use_spaces():
    text = MINIMAL.replace("  author: Analyst", "\tauthor: Analyst")
    [problem] = load_problems(text)
    assert problem.startswith(f"b.yaml:{line_of(text, 'author')}:")
    assert "tab, use spaces" in problem


@pytest.mark.parametrize(
    ("before", "after", "said"),
    [
        ("kind: chart", "kind: chrat", "unknown kind 'chrat'; allowed kinds: title"),
        ("unit: currency", "unit: curency", "unknown value 'curency'; allowed: currency, percent"),
    ],
)
def test_unknown_kind_and_unit_get_did_you_mean(before, after, said):
    [problem] = load_problems(MINIMAL.replace(before, after, 1))
    assert said in problem
    assert problem.endswith(f"did you mean '{before.split(': ')[1]}'?")


def test_load_errors_and_findings_print_in_one_format(write_briefing):
    from click.testing import CliRunner

    from briefing.cli import main

    bad = write_briefing(MINIMAL.replace("kind: chart", "kind: chrat"), name="bad.yaml")
    wrong = write_briefing(MINIMAL.replace("value: 840", "value: 850"), name="wrong.yaml")
    result = CliRunner().invoke(main, ["check", str(bad), str(wrong)])
    assert result.exit_code == 1
    line = line_of(MINIMAL, "kind: chart")
    assert f"{bad}:{line}:11: error: slide 2: slides[1].kind: unknown kind 'chrat'" in result.output
    value_line = line_of(MINIMAL, "value: 840")
    assert (
        f"{wrong}:{value_line}:" in result.output and ": error: figures[1].value:" in result.output
    )
    assert f"{bad}: 1 error(s)" in result.output and f"{wrong}: 1 error(s)" in result.output
    built = CliRunner().invoke(main, ["build", str(bad), "--out", str(bad.parent / "out")])
    assert built.exit_code == 1
    assert f"{bad}:{line}:11: error: slide 2: slides[1].kind: unknown kind 'chrat'" in built.output
    assert "error: error:" not in built.output


def test_check_json_reports_a_source_that_does_not_load(write_briefing):
    import json

    from click.testing import CliRunner

    from briefing.cli import main

    bad = write_briefing(MINIMAL.replace("  author: Analyst", "\tauthor: Analyst"))
    result = CliRunner().invoke(main, ["check", str(bad), "--format", "json"])
    assert result.exit_code == 1
    report = json.loads(result.stdout)
    [finding] = report["findings"]
    assert report["errors"] == 1 and report["file"] == str(bad)
    assert (finding["code"], finding["line"]) == ("invalid-source", line_of(MINIMAL, "author"))
    assert "tab, use spaces" in finding["message"]
    two = CliRunner().invoke(
        main, ["check", str(bad), str(bad.parent / "none.yaml"), "--format", "json"]
    )
    reports = json.loads(two.stdout)
    assert [r["findings"][0]["code"] for r in reports] == ["invalid-source", "unreadable-source"]


def test_check_json_reports_a_template_that_does_not_load(write_briefing, tmp_path: Path):
    import json

    from click.testing import CliRunner

    from briefing.cli import main

    source = write_briefing()
    args = ["check", str(source), "--template", str(tmp_path / "none"), "--format", "json"]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 1
    [finding] = json.loads(result.stdout)["findings"]
    assert (finding["code"], finding["file"]) == ("invalid-template", str(source))
    assert "no such theme" in finding["message"]

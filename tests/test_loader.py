"""The loader: valid sources load; each kind of bad input names its file, line and field."""

from __future__ import annotations

import pytest

from briefing.errors import SourceError
from briefing.loader import load, parse
from tests.conftest import MINIMAL, line_of


def errors_of(text: str) -> list[str]:
    with pytest.raises(SourceError) as caught:
        parse(text, "b.yaml")
    return [str(p) for p in caught.value.problems]


def test_minimal_briefing_loads():
    briefing = parse(MINIMAL)
    assert briefing.figure("valuation").base_value == 840e9
    assert briefing.meta.languages == ["zh", "en"]
    assert briefing.slides[1].kind == "chart"


def test_malformed_yaml_names_line_and_column():
    text = MINIMAL.replace(
        "  audience: {zh: 管理层, en: Executives}", "  audience: {zh: 管理层, en"
    )
    [message] = errors_of(text)
    assert message.startswith("b.yaml:")
    assert "not valid YAML" in message
    line = int(message.split(":")[1])
    assert abs(line - line_of(text, "audience")) <= 1


def test_unknown_key_lists_allowed_keys_and_suggests_nearest():
    text = MINIMAL.replace("  author: Analyst", "  author: Analyst\n  autor: x")
    [message] = errors_of(text)
    assert message.startswith(
        f"b.yaml:{line_of(text, 'autor:')}:3: meta.autor: unknown key 'autor'"
    )
    assert "allowed keys: audience, author, classification" in message
    assert "did you mean 'author'?" in message


def test_missing_field_is_named():
    text = MINIMAL.replace("    label: {zh: 估值, en: Valuation}\n", "")
    [message] = errors_of(text)
    assert "figures[1].label: required field is missing" in message
    assert message.startswith(f"b.yaml:{line_of(text, 'id: valuation')}:")


def test_wrong_type_shows_the_value():
    text = MINIMAL.replace("value: 840", "value: lots")
    [message] = errors_of(text)
    assert message.startswith(f"b.yaml:{line_of(text, 'value: lots')}:12: figures[1].value:")
    assert "expected a number, not the text 'lots'; write digits, e.g. 840" in message


def test_unknown_figure_in_chart_suggests_a_known_one():
    text = MINIMAL.replace("values: [revenue, valuation]", "values: [revenue, valuaton]")
    [message] = errors_of(text)
    assert f"b.yaml:{line_of(text, 'valuaton')}:" in message
    assert (
        "charts[0].series[0].values[1]: unknown figure 'valuaton'; did you mean 'valuation'?"
        in message
    )


def test_unknown_figure_reference_in_text():
    text = MINIMAL.replace("Valued at {valuation}.", "Valued at {price}.")
    [message] = errors_of(text)
    assert f"b.yaml:{line_of(text, '{price}')}:" in message
    assert "slides[1].notes.en: unknown figure 'price'" in message


def test_unknown_source_on_a_figure():
    text = MINIMAL.replace(
        "    source: art\n    excerpt: 估值", "    source: paper\n    excerpt: 估值"
    )
    [message] = errors_of(text)
    assert f"b.yaml:{line_of(text, 'source: paper')}:" in message
    assert "figures[1].source: unknown source 'paper'" in message


def test_duplicate_ids_point_at_the_second():
    text = MINIMAL.replace("  - id: valuation", "  - id: revenue")
    problems = errors_of(text)
    duplicate = [p for p in problems if "duplicate id" in p]
    assert (
        duplicate
        and "figures[1].id: duplicate id 'revenue' (already used by figures[0])" in duplicate[0]
    )
    second = [n for n, line in enumerate(text.splitlines(), 1) if "- id: revenue" in line][1]
    assert duplicate[0].startswith(f"b.yaml:{second}:")


def test_empty_series_is_refused():
    text = MINIMAL.replace("values: [revenue, valuation]", "values: []")
    problems = errors_of(text)
    line = line_of(text, "values: []")
    assert any(
        p.startswith(f"b.yaml:{line}:") and "charts[0].series[0].values:" in p and "at least 1" in p
        for p in problems
    )


def test_a_non_numeric_series_value_is_refused():
    text = MINIMAL.replace("values: [revenue, valuation]", "values: [revenue, 840]")
    [message] = errors_of(text)
    assert message.startswith(f"b.yaml:{line_of(text, 'values: [revenue, 840]')}:")
    assert "charts[0].series[0].values[1]: 840 is a number; chart values are figure ids" in message


def test_series_length_must_match_categories():
    text = MINIMAL.replace("values: [revenue, valuation]", "values: [revenue]")
    [message] = errors_of(text)
    assert message.startswith(f"b.yaml:{line_of(text, 'values: [revenue]')}:")
    assert "has 1 values but the chart has 2 categories" in message


def test_missing_language_is_named():
    text = MINIMAL.replace("audience: {zh: 管理层, en: Executives}", "audience: {zh: 管理层}")
    [message] = errors_of(text)
    assert message.startswith(f"b.yaml:{line_of(text, 'audience')}:")
    assert "meta.audience: missing language en" in message


def test_unknown_slide_kind_lists_kinds():
    text = MINIMAL.replace("kind: chart", "kind: graph")
    [message] = errors_of(text)
    assert f"b.yaml:{line_of(text, 'kind: graph')}:" in message
    assert "unknown kind 'graph'; allowed kinds: title, summary, bullets, chart, kpi" in message


def test_every_error_is_reported_at_once():
    text = MINIMAL.replace("value: 840", "value: lots").replace("  author: Analyst", "  autor: x")
    problems = errors_of(text)
    assert len(problems) == 3  # the wrong value, the unknown key, the now missing author
    assert any("value" in p for p in problems) and any("autor" in p for p in problems)
    assert any("meta.author: required field is missing" in p for p in problems)


def test_log_axis_refuses_zero():
    text = MINIMAL.replace("value: 25\n", "value: 0\n").replace(
        "    scale: billion\nslides:", "    scale: billion\n    value_axis: {scale: log}\nslides:"
    )
    [message] = errors_of(text)
    assert "charts[0].series[0].values[0]: figure 'revenue' is not positive" in message


def test_derived_formula_must_name_known_figures():
    text = MINIMAL.replace(
        "charts:",
        "  - id: multiple\n    value: 34\n    unit: multiple\n    label: m\n"
        "    derived: {formula: valuation / revenu, explain: x}\ncharts:",
    )
    [message] = errors_of(text)
    assert "figures[2].derived.formula: unknown figure 'revenu'; did you mean 'revenue'?" in message


def test_unreadable_file(tmp_path):
    path = tmp_path / "latin1.yaml"
    path.write_bytes("meta: {title: caf\xe9}".encode("latin-1"))
    with pytest.raises(SourceError) as caught:
        load(path)
    assert f"{path}:1:18: not UTF-8 text: byte 0xe9 cannot start a character" in str(caught.value)
    with pytest.raises(SourceError, match="cannot read the file"):
        load(tmp_path / "missing.yaml")


def test_empty_file_and_non_mapping():
    assert "the file is empty" in errors_of("")[0]
    assert "expected a mapping" in errors_of("- a\n- b\n")[0]


def test_unquoted_leading_reference_gets_a_hint():
    text = MINIMAL.replace(
        'notes: {zh: "估值{valuation}。", en: "Valued at {valuation}."}',
        "notes:\n      zh: x\n      en: {valuation}",
    )
    [message] = errors_of(text)
    assert "must be quoted" in message


@pytest.mark.parametrize(
    ("date", "expected"),
    [
        ("2026-02-30", "'2026-02-30' is not a date (day is out of range for month)"),
        ("2026-13", "'2026-13' is not a date (month must be in 1..12)"),
    ],
)
def test_impossible_dates_are_located(date, expected):
    text = MINIMAL.replace("  date: 2026-03\n", f"  date: {date}\n", 1)
    [message] = errors_of(text)
    assert message.startswith(f"b.yaml:{line_of(text, date)}:9: meta.date: {expected}")


def test_a_derivation_cycle_is_located():
    text = MINIMAL.replace(
        "charts:",
        "  - id: a\n    value: 1\n    unit: index\n    label: a\n"
        "    derived: {formula: b * 1, explain: x}\n"
        "  - id: b\n    value: 1\n    unit: index\n    label: b\n"
        "    derived: {formula: a * 1, explain: x}\ncharts:",
    )
    problems = errors_of(text)
    assert any(
        "figures[2].derived.formula: derived from itself: a -> b -> a" in p for p in problems
    )


def test_a_budget_for_an_unknown_kind_is_refused():
    text = MINIMAL + "budgets:\n  bulets: {bullets: 3}\n"
    [message] = errors_of(text)
    assert f"b.yaml:{line_of(text, 'bulets')}:" in message
    assert "budgets.bulets: unknown slide kind 'bulets'; did you mean 'bullets'?" in message


def test_only_http_links_and_supported_number_formats():
    text = MINIMAL.replace(
        "    language: zh\n", "    language: zh\n    url: javascript:alert(1)\n", 1
    )
    [message] = errors_of(text)
    assert (
        "sources[0].url: 'javascript:alert(1)' is not allowed here; expected an http(s)" in message
    )
    text = MINIMAL.replace(
        "    scale: billion\nslides:",
        "    scale: billion\n    number_format: '\"US$\"#,##0'\nslides:",
    )
    [message] = errors_of(text)
    assert "charts[0].number_format:" in message and "0, 0.0, #,##0, 0%" in message


def test_a_colon_in_an_unquoted_text_says_to_quote_it_or_use_a_block_scalar():
    text = MINIMAL.replace(
        "notes: {zh: 开场。, en: Opening.}", "notes: Three decisions: one is urgent."
    )
    [message] = errors_of(text)
    assert message.startswith(f"b.yaml:{line_of(text, 'Three decisions')}:")
    assert "the text of 'notes' holds ': '" in message
    assert 'put the text in quotes (notes: "...: ...")' in message
    assert "block scalar (notes: |-" in message


KPI = """\
  - kind: kpi
    title: Five numbers
    notes: Say them.
    items:
"""


def test_too_many_kpi_items_are_said_in_our_words_at_the_first_one_too_many():
    text = MINIMAL + KPI + "      - figure: revenue\n" * 5
    [message] = errors_of(text)
    fifth = len(text.splitlines())  # the last line is the fifth item
    assert message.startswith(f"b.yaml:{fifth}:")
    assert "slides[2].items[4]: a kpi slide holds at most 4 items; this one has 5: split it" in (
        message
    )
    assert "after validation" not in message


@pytest.mark.parametrize(
    ("before", "after", "said"),
    [
        (
            KPI,
            KPI + "      - figure: revenue\n",
            "a kpi slide needs at least 2 items; this one has 1",
        ),
        ("languages: [zh, en]", "languages: zh", "expected a list, not the text 'zh'; write one"),
        ("chart: money", "chart: [money]", "expected one text or id, not a list ['money']; write"),
        ("  - id: art\n", "  - 5\n  - id: art\n", "expected a source written as `key: value`"),
        ("value: 840", "value: 840\n    decimals: 9", "9 is out of range; allowed: at most 6"),
        ("value: 840", "value: 840\n    decimals: 1.5", "expected a whole number, e.g. 1, not"),
    ],
)
def test_pydantic_wordings_do_not_leak(before, after, said):
    text = (MINIMAL + KPI if before == KPI else MINIMAL).replace(before, after, 1)
    messages = errors_of(text)
    assert any(said in m for m in messages), messages
    assert not any("Input should" in m or "after validation" in m for m in messages)


def test_a_title_slide_without_a_title_shows_the_meta_title():
    text = MINIMAL.replace("    title: {zh: 测试, en: Test}\n", "")
    briefing = parse(text)
    assert briefing.slides[0].title == {"zh": "测试简报", "en": "Test briefing"}
    assert briefing.slides[1].title == {
        "zh": "估值是收入的许多倍",
        "en": "Valuation dwarfs revenue",
    }
    # Other kinds still need their own: a title there is the slide's conclusion.
    untitled_chart = MINIMAL.replace(
        '    title: {zh: "估值是收入的许多倍", en: "Valuation dwarfs revenue"}\n', ""
    )
    assert any("slides[1].title: required field is missing" in m for m in errors_of(untitled_chart))

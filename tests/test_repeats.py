"""Repeated words: text next to a figure that says again what the figure already says."""

from __future__ import annotations

from briefing.api import check
from briefing.check.repeats import repeated_after, repeated_before
from tests.conftest import MINIMAL, line_of


def repeats_of(write_briefing, text: str):
    _, findings = check(write_briefing(text))
    return [f for f in findings if f.code == "repeated-words"]


def test_a_unit_written_after_a_figure_that_carries_it_is_a_warning_at_its_line(write_briefing):
    # The figure reads "US$840 billion" in English and "8400亿美元" in Chinese.
    text = MINIMAL.replace(
        'en: "Valued at {valuation}."', 'en: "Valued at {valuation} billion in March."'
    ).replace('zh: "估值{valuation}。"', 'zh: "估值{valuation}亿美元。"')
    found = repeats_of(write_briefing, text)
    assert [(f.severity, f.line, f.field) for f in found] == [
        ("warning", line_of(text, "估值{valuation}亿美元"), "slides[1].notes.zh"),
        ("warning", line_of(text, "{valuation} billion in"), "slides[1].notes.en"),
    ]
    assert "'billion' is written next to {valuation}" in found[1].message
    assert "it would read 'US$840 bn billion'" in found[1].message
    assert "'亿美元'" in found[0].message


def test_the_shipped_wording_has_no_repeats(write_briefing):
    assert repeats_of(write_briefing, MINIMAL) == []


def test_words_before_a_figure_that_starts_with_them():
    assert repeated_before("over US$25 billion", "revenue of over ") == "over"
    assert repeated_before("US$25 billion", "about US$ ") == "US"
    assert repeated_before("US$25 billion", "revenue of ") is None


def test_what_is_no_repeat():
    assert repeated_after("34 crane moves an hour", " against 26") is None
    assert repeated_after("5 days", "s") is None  # a suffix, not a word
    assert repeated_after("250亿美元", "的收入") is None
    assert repeated_after("2025", " 2025 figures") is None  # digits repeat by design

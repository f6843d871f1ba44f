"""Figures written as readers expect them, in Chinese and English."""

from __future__ import annotations

import pytest

from briefing.model import Figure
from briefing.numbers import format_figure
from briefing.references import evaluate


def figure(**fields) -> Figure:
    return Figure.model_validate({"id": "f", "label": "x", "source": "s", "excerpt": "e", **fields})


@pytest.mark.parametrize(
    ("fields", "zh", "en"),
    [
        (
            {"value": 840, "unit": "currency", "currency": "USD", "scale": "billion"},
            "8400亿美元",
            "US$840 bn",
        ),
        (
            {
                "value": 2.1,
                "unit": "currency",
                "currency": "USD",
                "scale": "million",
                "qualifier": "about",
            },
            "约210万美元",
            "about US$2.1 m",
        ),
        (
            {
                "value": 5,
                "unit": "currency",
                "currency": "USD",
                "scale": "billion",
                "qualifier": "over",
                "per": {"zh": "每年", "en": "a year"},
            },
            "每年超过50亿美元",
            "over US$5 bn a year",
        ),
        ({"value": 45, "unit": "percent"}, "45%", "45%"),
        (
            {"value": 1488, "unit": "count", "noun": {"zh": "名", "en": "workers"}},
            "1488名",
            "1,488 workers",
        ),
        ({"value": 25000, "unit": "count"}, "2.5万", "25,000"),
        (
            {"value": 1, "unit": "count", "scale": "million", "qualifier": "over"},
            "超过100万",
            "over 1 million",
        ),
        ({"value": 34, "unit": "multiple", "qualifier": "about"}, "约34倍", "about 34x"),
    ],
)
def test_format_figure(fields, zh, en):
    assert format_figure(figure(**fields), "zh") == zh
    assert format_figure(figure(**fields), "en") == en


def test_evaluate_formula_on_values_in_units_of_one():
    assert evaluate("valuation / revenue", {"valuation": 840e9, "revenue": 25e9}) == 33.6
    assert evaluate("100 * (1 - fall / 100)", {"fall": 45}) == pytest.approx(55)
    assert evaluate("-a + 2", {"a": 1}) == 1


@pytest.mark.parametrize(
    ("fields", "zh", "en"),
    [
        (
            {
                "value": 2.13,
                "unit": "currency",
                "currency": "USD",
                "scale": "million",
                "decimals": 1,
            },
            "210万美元",
            "US$2.1 m",
        ),
        (
            {"value": 1500, "unit": "currency", "currency": "USD", "scale": "billion"},
            "1.5万亿美元",
            "US$1,500 bn",
        ),
        ({"value": 2381, "unit": "multiple"}, "2381倍", "2,381x"),
    ],
)
def test_both_languages_round_and_group_alike(fields, zh, en):
    assert format_figure(figure(**fields), "zh") == zh
    assert format_figure(figure(**fields), "en") == en


def test_a_language_without_its_own_words_falls_back_to_english():
    from briefing.words import word

    assert word("source", "fr") == "Source: " and word("source", "zh") == "来源："

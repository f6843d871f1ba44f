"""Provenance: excerpts state the figures' values, formulas give the derived ones, texts cite."""

from __future__ import annotations

from pathlib import Path

import pytest

from briefing.check.provenance import (
    Quantity,
    bare_numbers,
    derived_mismatch,
    excerpt_in_text,
    excerpt_quantities,
    figure_matches_excerpt,
    normalise_for_matching,
)
from briefing.loader import load
from briefing.model import Figure, SlideBase
from briefing.references import texts

SORA = Path(__file__).parents[1] / "seeds" / "sora" / "briefing.yaml"
SEED_TEXT = Path(__file__).resolve().parents[2] / "shared" / "seeds" / "000_d7da8ac55d8eb135.txt"
needs_seed_text = pytest.mark.skipif(not SEED_TEXT.exists(), reason="shared seed text absent")


def figure(**fields) -> Figure:
    return Figure.model_validate({"id": "f", "label": "x", "source": "s", **fields})


def derived(value: float, formula: str, **fields) -> Figure:
    derivation = {"formula": formula, "explain": "how"}
    return Figure.model_validate(
        {
            "id": "d",
            "label": "x",
            "unit": "multiple",
            "value": value,
            "derived": derivation,
            **fields,
        }
    )


def exact(value: float) -> list[Quantity]:
    return [Quantity(value, percent=False, approximate=False)]


def rough(value: float) -> list[Quantity]:
    return [Quantity(value, percent=False, approximate=True)]


@pytest.mark.parametrize(
    ("excerpt", "quantities"),
    [
        ("估值达8400亿美元", exact(8.4e11)),
        ("总收入仅约210万美元", rough(2.1e6)),
        ("每年运行成本高达50多亿美元", rough(5e9)),
        ("下载量已暴跌45%", [Quantity(45, percent=True, approximate=False)]),
        ("美国1488名全职人员", exact(1488)),
        ("不到四个月", rough(4)),
        ("2.5万条代码", exact(25000)),
        ("超过200个角色", rough(200)),
        ("上线5天内", exact(5)),
        ("US$840 bn", exact(8.4e11)),
        ("日均用户达10亿级", exact(1e9)),
        ("下载量突破100万", exact(1e6)),
        ("1,488 workers", exact(1488)),
        ("15 hours", exact(15)),
        ("revenue of 2.1 million", exact(2.1e6)),
        ("1.5万亿元", exact(1.5e12)),
        ("3百万用户", exact(3e6)),
        ("２．５万条代码", exact(25000)),
        ("下载量已暴跌４５％", [Quantity(45, percent=True, approximate=False)]),
        ("百分之四十五", [Quantity(45, percent=True, approximate=False)]),
        ("45 percent", [Quantity(45, percent=True, approximate=False)]),
        ("2025年12月", [*exact(2025), *exact(12)]),
    ],
)
def test_excerpt_quantities(excerpt, quantities):
    assert excerpt_quantities(excerpt) == quantities


@pytest.mark.parametrize(
    "excerpt",
    [
        "约210万",
        "50多亿",
        "200余人",
        "超过200个",
        "逾100家",
        "近300名",
        "不到四个月",
        "300人以上",
        "5亿美元左右",
        "about 2.1 million",
        "over US$5 bn",
        "more than 200",
        "nearly 50%",
    ],
)
def test_each_approximate_marker_marks_the_number(excerpt):
    (quantity,) = excerpt_quantities(excerpt)
    assert quantity.approximate


@pytest.mark.parametrize("excerpt", ["估值达8400亿美元", "最近3天", "高达50亿美元", "1488名"])
def test_unmarked_numbers_are_exact(excerpt):
    assert not any(q.approximate for q in excerpt_quantities(excerpt))


@pytest.mark.parametrize(
    ("excerpt", "value"),
    [
        ("四", 4),
        ("十五个", 15),
        ("二十五名", 25),
        ("三百", 300),
        ("两年", 2),
        ("一万五千名", 15000),
        ("三千五百万", 3.5e7),
        ("一万五", 15000),
        ("一百零一天", 101),
        ("十亿", 1e9),
        ("二〇二五年", 2025),
    ],
)
def test_chinese_numerals_standing_as_numbers(excerpt, value):
    assert [q.value for q in excerpt_quantities(excerpt)] == [value]


@pytest.mark.parametrize(
    "excerpt", ["押注一系列创业公司", "统一", "两者", "十分关键", "统一多个平台"]
)
def test_chinese_numerals_inside_words_are_not_numbers(excerpt):
    assert excerpt_quantities(excerpt) == []


def test_figure_matching_its_excerpt():
    valuation = figure(
        value=840, unit="currency", currency="USD", scale="billion", excerpt="估值达8400亿美元"
    )
    assert figure_matches_excerpt(valuation) is None


def test_figure_not_matching_its_excerpt_says_both_values():
    valuation = figure(
        value=850, unit="currency", currency="USD", scale="billion", excerpt="估值达8400亿美元"
    )
    assert figure_matches_excerpt(valuation) == (
        "value 850 billion (8.5e11) does not match the excerpt '估值达8400亿美元', "
        "which states 8400亿 (8.4e11)"
    )


def test_percent_figure_compares_absolute_values_with_percentages():
    assert (
        figure_matches_excerpt(figure(value=45, unit="percent", excerpt="下载量已暴跌45%")) is None
    )
    assert (
        figure_matches_excerpt(figure(value=-45, unit="percent", excerpt="下载量已暴跌45%")) is None
    )
    assert figure_matches_excerpt(figure(value=40, unit="percent", excerpt="下载量已暴跌45%")) == (
        "value 40% does not match the excerpt '下载量已暴跌45%', which states 45%"
    )


def test_percentage_and_plain_number_do_not_stand_for_each_other():
    count = figure(value=45, unit="count", excerpt="下载量已暴跌45%")
    assert figure_matches_excerpt(count) == (
        "value 45 does not match the excerpt '下载量已暴跌45%', which states 45%; "
        "that is a percentage, but the figure's unit is count"
    )
    percent = figure(value=45, unit="percent", excerpt="1月下载量为45")
    assert figure_matches_excerpt(percent).endswith(
        "a percent figure needs a percentage in its excerpt"
    )


def test_chinese_numeral_excerpt_and_mismatch():
    assert figure_matches_excerpt(figure(value=4, unit="count", excerpt="不到四个月")) is None
    assert figure_matches_excerpt(figure(value=5, unit="count", excerpt="不到四个月")) == (
        "value 5 does not match the excerpt '不到四个月', which states 四 (4)"
    )


def test_excerpt_without_a_number():
    message = figure_matches_excerpt(figure(value=45, unit="percent", excerpt="下载量大幅下滑"))
    assert message == (
        "value 45% does not match the excerpt '下载量大幅下滑', which states no number; "
        "quote the characters of the source that hold it"
    )


def test_decimals_allow_a_rounded_value():
    fields = {"value": 2.1, "unit": "currency", "currency": "USD", "scale": "million"}
    excerpt = "收入2,134,000美元"
    assert figure_matches_excerpt(figure(**fields, decimals=1, excerpt=excerpt)) is None
    assert figure_matches_excerpt(figure(**fields, excerpt=excerpt)) == (
        "value 2.1 million (2.1e6) does not match the excerpt '收入2,134,000美元', "
        "which states 2,134,000"
    )


def test_derived_and_unsourced_figures_are_not_matched():
    assert figure_matches_excerpt(derived(34, "a / b")) is None
    assert figure_matches_excerpt(figure(value=3, unit="count")) is None


def test_normalise_drops_whitespace_and_folds_width():
    assert normalise_for_matching("估值 达\n\n８４００亿 美元．") == "估值达8400亿美元."


def test_excerpt_found_across_broken_lines_and_full_width_digits():
    text = (
        "据报道，目前OpenAI年化收入超过２５０亿美元，并于今年2月底宣布完成新一轮融\n"
        "\n"
        "资，估值达８４００亿美元。随着规模迅速扩张……\n"
    )
    assert excerpt_in_text("估值达8400亿美元", text)
    assert excerpt_in_text("年化收入超过250亿美元", text)
    assert excerpt_in_text("完成新一轮融资", text)
    assert not excerpt_in_text("估值达8500亿美元", text)
    assert not excerpt_in_text("", text)


@needs_seed_text
def test_excerpts_found_in_the_shared_seed_text():
    text = SEED_TEXT.read_text(encoding="utf-8")
    assert "融\n\n资" in text
    assert excerpt_in_text("估值达8400亿美元", text)
    assert excerpt_in_text("年化收入超过250亿美元", text)


def test_derived_figure_agrees_after_rounding():
    values = {"valuation": 840e9, "revenue": 25e9, "cost": 5e9, "sales": 2.1e6}
    assert derived_mismatch(derived(34, "valuation / revenue", decimals=0), values) is None
    assert derived_mismatch(derived(34, "valuation / revenue"), values) is None
    assert derived_mismatch(derived(33.6, "valuation / revenue"), values) is None
    assert derived_mismatch(derived(2381, "cost / sales"), values) is None
    assert derived_mismatch(figure(value=840, unit="count", excerpt="840"), values) is None


def test_derived_figure_disagreeing_names_formula_and_both_values():
    values = {"valuation": 840e9}
    assert derived_mismatch(derived(850, "valuation / 1e9"), values) == (
        "formula 'valuation / 1e9' gives 840, but the figure states 850"
    )
    assert derived_mismatch(derived(850, "valuation", scale="billion"), values) == (
        "formula 'valuation' gives 840 billion (8.4e11), but the figure states 850 billion (8.5e11)"
    )
    assert derived_mismatch(derived(36, "valuation / 25e9", decimals=0), values) == (
        "formula 'valuation / 25e9' gives 33.6, but the figure states 36 "
        "(34 when rounded to 0 decimals)"
    )


def test_derived_figure_that_cannot_be_computed():
    assert derived_mismatch(derived(1, "a / b"), {"a": 1, "b": 0}) == (
        "formula 'a / b' divides by zero with the figures' values"
    )


@pytest.mark.parametrize(
    ("text", "numbers"),
    [
        ("OpenAI 估值8400亿美元，远超收入", ["8400亿"]),
        ("运行成本高达50多亿美元", ["50多亿"]),
        ("到2026年1月下载量已下跌45%", ["45%"]),
        ("Revenue was about 2.1 million dollars", ["2.1 million"]),
        ("BCG surveyed 1,488 workers", ["1,488"]),
        ("One programmer spent 15 hours debugging", ["15"]),
        ("US$840bn valuation", ["840bn"]),
        ("估值{valuation}，约为年化收入的{valuation_multiple}", []),
        ("{q4_revenue} rose 12%", ["12%"]),
        ("2026年3月24日宣布关停；3月23日双方还在开会", []),
        ("On 24 Mar 2026 OpenAI said so; the app launched in Sep 2025", []),
        ("An IPO in Q4, data to 2025-12", []),
        ("字节跳动的Seedance 2.0模型与Sora2竞争", []),
        ("GPT-4 and Claude 3.5 write code", []),
        ("See slide 3 and 第4页", []),
        ("Sora 应用上线{launch_days}内下载量{launch_downloads}", []),
    ],
)
def test_bare_numbers(text, numbers):
    assert bare_numbers(text) == numbers


def test_every_sora_figure_matches_its_excerpt_and_formula():
    briefing = load(SORA)
    values = {f.id: f.base_value for f in briefing.figures}
    problems = {
        f.id: figure_matches_excerpt(f) or derived_mismatch(f, values) for f in briefing.figures
    }
    assert {k: v for k, v in problems.items() if v} == {}
    assert all(f.excerpt for f in briefing.figures if f.derived is None)


@needs_seed_text
def test_every_sora_excerpt_occurs_in_the_seed_text():
    text = SEED_TEXT.read_text(encoding="utf-8")
    excerpts = [f.excerpt for f in load(SORA).figures if f.excerpt]
    assert excerpts
    assert [e for e in excerpts if not excerpt_in_text(e, text)] == []


def test_sora_slides_write_no_bare_numbers():
    briefing = load(SORA)
    found = {
        (index, *path, lang): bare_numbers(value)
        for index, slide in enumerate(briefing.slides)
        if isinstance(slide, SlideBase)
        for path, text in texts(slide)
        for lang, value in text.items()
        if bare_numbers(value)
    }
    assert found == {}

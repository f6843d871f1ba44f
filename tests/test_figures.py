"""`briefing figures`: every number an article states, as figure entries the check accepts."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from briefing.check.provenance import (
    currency_mismatch,
    excerpt_in_text,
    figure_matches_excerpt,
    sign_mismatch,
)
from briefing.cli import main
from briefing.extract import Candidate, extract_figures
from briefing.model import SCALE_FACTOR, Figure, Scale

ARTICLES = Path(__file__).parent / "briefings" / "articles"
NORDVALE = ARTICLES / "nordvale_air.txt"
SHARED = Path(__file__).parents[2] / "shared"
SEED = SHARED / "seeds" / "000_d7da8ac55d8eb135.txt"
needs_shared = pytest.mark.skipif(not SEED.exists(), reason="../shared (seed articles) absent")

# FACTS.md's figures, by article, as (value in units of one, unit, currency, qualifier).
# Left out on purpose: the dates; "4" expansion projects and "3" merged products, which the
# article names one by one but never writes as a number; Seedance 2.0 and "Spud", which are names.
ARTICLE_A = [
    (1e9, "currency", "USD", "exact"),  # line 17: 投资10亿美元
    (200, "count", None, "over"),  # line 17: 超过200个角色
    (4, "count", None, "under"),  # line 17: 不到四个月
    (1e6, "count", None, "exact"),  # line 31: 下载量突破100万
    (5, "count", None, "exact"),  # line 31: 上线5天内
    (-45, "percent", None, "exact"),  # line 33: 暴跌45%
    (2.1e6, "currency", "USD", "about"),  # line 35: 约210万美元
    (5e9, "currency", "USD", "over"),  # line 35: 50多亿美元
    (1e9, "count", None, "exact"),  # line 45: 日均用户达10亿级
    (25e9, "currency", "USD", "over"),  # line 47: 超过250亿美元
    (840e9, "currency", "USD", "exact"),  # line 49: 估值达8400亿美元
]
ARTICLE_B = [
    (15, "count", None, "exact"),  # line 73: 连续工作15小时
    (25_000, "count", None, "exact"),  # line 73: 2.5万条代码
    (1488, "count", None, "exact"),  # line 75: 1488名全职人员
]


def _seed_lines(first: int, last: int) -> str:
    """One article of the shared seed file, cut at the lines FACTS.md gives."""
    lines = SEED.read_text(encoding="utf-8").splitlines()
    return "\n".join(lines[first - 1 : last]) + "\n"


def _as_figure(candidate: Candidate) -> Figure:
    entry = candidate.entry("article") | {"label": "x"}
    return Figure.model_validate(entry)


def _base(candidate: Candidate) -> float:
    return round(candidate.value * SCALE_FACTOR[Scale(candidate.scale)], 6)


def _accepted_by_the_check(candidates: list[Candidate], text: str) -> None:
    for candidate in candidates:
        figure = _as_figure(candidate)
        assert excerpt_in_text(candidate.excerpt, text), candidate
        assert figure_matches_excerpt(figure) is None, candidate
        assert sign_mismatch(figure) is None, candidate
        assert currency_mismatch(figure) is None, candidate


@needs_shared
@pytest.mark.parametrize(("lines", "expected"), [((3, 63), ARTICLE_A), ((65, 85), ARTICLE_B)])
def test_every_figure_of_facts_md_is_found_in_the_chinese_articles(lines, expected):
    text = _seed_lines(*lines)
    candidates = extract_figures(text, "zh")
    found = [(_base(c), c.unit, c.currency, c.qualifier) for c in candidates]
    missing = [fact for fact in expected if fact not in found]
    assert missing == []
    _accepted_by_the_check(candidates, text)


@needs_shared
def test_dates_and_years_are_not_figures():
    candidates = extract_figures(_seed_lines(3, 85), "zh")
    values = {_base(c) for c in candidates}
    assert values.isdisjoint({2024, 2025, 2026}), values
    # 3月24日, 2025年12月, 今年1月, 3月刊: no month or day is listed.
    for candidate in candidates:
        assert not re.search(r"[0-9]+\s*[年月日号]", candidate.excerpt), candidate
    assert not any(
        c.excerpt.startswith("Seedance") or c.value == 2 and c.line == 37 for c in candidates
    )


def test_the_english_article_gives_exactly_its_expected_figures():
    text = NORDVALE.read_text(encoding="utf-8")
    expected = yaml.safe_load((ARTICLES / "nordvale_air.figures.yaml").read_text("utf-8"))
    candidates = extract_figures(text, "en")

    def key(entry: dict) -> tuple:
        return (
            entry["value"],
            entry["unit"],
            entry.get("scale", "one"),
            entry.get("currency"),
            entry.get("qualifier", "exact"),
        )

    assert sorted(map(key, (c.entry("nordvale") for c in candidates))) == sorted(map(key, expected))
    _accepted_by_the_check(candidates, text)
    # A fall is negative and its excerpt holds the word that says so.
    revenue_change = next(c for c in candidates if c.value == -8)
    assert "fell" in revenue_change.excerpt and revenue_change.line == 6


def test_the_cli_prints_entries_to_paste_and_json_with_lines(tmp_path: Path):
    runner = CliRunner()
    result = runner.invoke(main, ["figures", str(NORDVALE), "--source", "nordvale"])
    assert result.exit_code == 0, result.output
    entries = yaml.safe_load(result.output)
    assert entries[0]["id"] == "loss" and entries[0]["value"] == -142
    assert entries[0]["source"] == "nordvale" and entries[0]["excerpt"].endswith("€142 million")
    assert result.output.startswith("# line 5\n")
    rows = json.loads(runner.invoke(main, ["figures", str(NORDVALE), "--format", "json"]).output)
    assert [r["line"] for r in rows][:3] == [5, 6, 6]
    assert len(rows) == len(entries) == 20


def test_an_article_that_is_not_utf8_is_a_clear_error(tmp_path: Path):
    article = tmp_path / "a.txt"
    article.write_bytes("收入".encode("gbk"))
    result = CliRunner().invoke(main, ["figures", str(article)])
    assert result.exit_code == 1
    assert "not UTF-8" in result.output and "Traceback" not in result.output

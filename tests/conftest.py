"""Shared fixtures: a small valid briefing as YAML text, written where a test wants it."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

MINIMAL = textwrap.dedent(
    """\
    meta:
      title: {zh: 测试简报, en: Test briefing}
      date: 2026-03
      audience: {zh: 管理层, en: Executives}
      author: Analyst
      languages: [zh, en]
    sources:
      - id: art
        outlet: {zh: 某报, en: Some paper}
        title: {zh: 标题, en: Title}
        date: 2026-03
        language: zh
    figures:
      - id: revenue
        value: 25
        unit: currency
        currency: USD
        scale: billion
        qualifier: over
        label: {zh: 年化收入, en: Annualised revenue}
        source: art
        excerpt: 年化收入超过250亿美元
      - id: valuation
        value: 840
        unit: currency
        currency: USD
        scale: billion
        label: {zh: 估值, en: Valuation}
        source: art
        excerpt: 估值达8400亿美元
    charts:
      - id: money
        kind: bar
        title: {zh: 估值与收入, en: Valuation and revenue}
        categories: [{zh: 收入, en: Revenue}, {zh: 估值, en: Valuation}]
        series:
          - name: {zh: 十亿美元, en: US$ bn}
            values: [revenue, valuation]
        scale: billion
    slides:
      - kind: title
        title: {zh: 测试, en: Test}
        notes: {zh: 开场。, en: Opening.}
      - kind: chart
        title: {zh: "估值是收入的许多倍", en: "Valuation dwarfs revenue"}
        chart: money
        notes: {zh: "估值{valuation}。", en: "Valued at {valuation}."}
    """
)


# A test whose name says it is about caching or a cold build gets a cache of its own (below), as
# do the printer's tests (a cached page skips the printer); the others share one per test run, as
# builds on one machine share the user's: fonts are subset and charts drawn once, not per test.
ABOUT_CACHING = ("cache", "remembered", "memo", "cold")
OWN_CACHE_MODULES = ("test_printer.py",)


@pytest.fixture(scope="session")
def shared_cache(tmp_path_factory) -> Path:
    """One cache folder for the whole test run."""
    return tmp_path_factory.mktemp("shared-cache")


@pytest.fixture(autouse=True)
def cache_folder(request, tmp_path: Path, shared_cache: Path, monkeypatch) -> Path:
    """The cache a test builds with (BRIEFING_CACHE_DIR): the run's shared one, or an empty one
    of its own (tmp_path/.cache) for a test about caching or one asking for `own_cache`; the
    user's cache is neither read nor filled by tests."""
    name = request.node.name.lower()
    own = (
        "own_cache" in request.fixturenames
        or any(word in name for word in ABOUT_CACHING)
        or request.node.path.name in OWN_CACHE_MODULES
    )
    folder = tmp_path / ".cache" if own else shared_cache
    monkeypatch.setenv("BRIEFING_CACHE_DIR", str(folder))
    return folder


@pytest.fixture
def own_cache(tmp_path: Path) -> Path:
    """An empty cache of this test's own (tmp_path/.cache), as a fresh machine has."""
    return tmp_path / ".cache"


@pytest.fixture
def write_briefing(tmp_path: Path):
    """Write YAML text to tmp_path/briefing.yaml and return its path."""

    def write(text: str = MINIMAL, name: str = "briefing.yaml") -> Path:
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        return path

    return write


def line_of(text: str, needle: str) -> int:
    """The 1-based line number of the first line containing needle."""
    for number, line in enumerate(text.splitlines(), start=1):
        if needle in line:
            return number
    raise AssertionError(f"{needle!r} not in text")

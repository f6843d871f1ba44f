"""A slide chart's title in the HTML slides: spaced as the pptx's title is, no gap beside
full-width punctuation."""

from __future__ import annotations

import pytest
from lxml import html as lxml_html

from briefing.api import shipped_source
from briefing.cache import Cache
from briefing.loader import load_source
from briefing.render.pptx import lay_out
from briefing.render.slides import SlideShow
from briefing.theme import load_theme

GAP = "‸"  # where the title has a gap span (a quarter em) between Chinese and Latin


@pytest.fixture(scope="module")
def titles(tmp_path_factory) -> dict[str, str]:
    """Each chart's title in the Chinese slides, text with its gaps marked, by chart id."""
    cache = Cache(tmp_path_factory.mktemp("cache"))
    laid_out = lay_out(load_source(shipped_source()).briefing, load_theme(None), "zh", cache)
    document = lxml_html.fromstring(SlideShow(laid_out, cache).html())
    found = {}
    for figure in document.xpath("//figure[@data-chart]"):
        caption = figure.find("figcaption")
        for gap in caption.xpath(".//span[@class='gap']"):
            gap.text = GAP
        found[figure.get("data-chart")] = caption.text_content()
    return found


def test_no_gap_beside_a_full_width_colon_or_bracket(titles):
    # The colon and brackets carry their own space in the glyph: "Sora：", not "Sora ：".
    assert titles["sora_economics"] == "Sora：收入与成本（百万美元，对数刻度）"
    assert titles["valuation_vs_revenue"] == "OpenAI：估值与年化收入（十亿美元）"


def test_the_source_space_between_latin_and_chinese_gives_way_to_the_gap(titles):
    # As the pptx's title holds it ("Sora应用"): the viewer's gap stands for the space, once.
    assert titles["download_decline"] == f"Sora{GAP}应用下载量指数（上线初期 {GAP}= 100）"

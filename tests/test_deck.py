"""The shipped deck opened with python-pptx: slides, notes, native charts, Chinese typefaces."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml
from pptx import Presentation
from pptx.enum.chart import XL_CHART_TYPE
from pptx.oxml.ns import qn

from briefing.api import build, shipped_source
from briefing.typography import display_text

SCALE = {"one": 1, "thousand": 1e3, "million": 1e6, "billion": 1e9}
CJK = re.compile(r"[\u4e00-\u9fff]")


@pytest.fixture(scope="module")
def source() -> dict:
    """The shipped briefing as plain YAML data, read independently of the loader."""
    return yaml.safe_load(shipped_source().read_text(encoding="utf-8"))


@pytest.fixture(scope="module", params=["zh", "en"])
def deck(request, tmp_path_factory) -> tuple[str, Presentation]:
    out = tmp_path_factory.mktemp(f"deck-{request.param}")
    [path] = build(None, ("pptx",), request.param, out)
    assert path == out / f"sora-{request.param}.pptx"
    return request.param, Presentation(str(path))


def test_one_slide_per_source_slide_in_16_9(deck, source):
    _, prs = deck
    assert len(prs.slides) == len(source["slides"])
    assert 10 <= len(prs.slides) <= 14
    assert (prs.slide_width, prs.slide_height) == (12192000, 6858000)


def test_every_slide_has_speaker_notes_of_two_to_six_sentences(deck):
    lang, prs = deck
    for number, slide in enumerate(prs.slides, start=1):
        notes = slide.notes_slide.notes_text_frame.text
        sentences = [s for s in re.split(r"(?<=[。.!?！？])\s*", notes) if s.strip()]
        assert 2 <= len(sentences) <= 6, (number, notes)


def test_every_slide_but_the_cover_shows_its_number(deck):
    _, prs = deck
    for number, slide in enumerate(prs.slides, start=1):
        fields = [f for f in slide.shapes._spTree.iter(qn("a:fld")) if f.get("type") == "slidenum"]
        # A cover carries no number, as printed decks do; the count still starts at it.
        assert [f.findtext(qn("a:t")) for f in fields] == ([] if number == 1 else [str(number)])


def test_charts_are_native_and_hold_the_figures(deck, source):
    lang, prs = deck
    figures = {f["id"]: f for f in source["figures"]}
    charts = {c["id"]: c for c in source["charts"]}
    kinds = {
        "column": XL_CHART_TYPE.COLUMN_CLUSTERED,
        "bar": XL_CHART_TYPE.BAR_CLUSTERED,
        "line": XL_CHART_TYPE.LINE_MARKERS,
    }
    chart_slides = [s for s in source["slides"] if s["kind"] == "chart"]
    found = [sh for slide in prs.slides for sh in slide.shapes if sh.has_chart]
    assert len(found) == len(chart_slides) == 3
    for spec_slide, frame in zip(chart_slides, found):
        spec = charts[spec_slide["chart"]]
        chart = frame.chart
        assert chart.chart_type == kinds[spec["kind"]]
        divisor = SCALE[spec.get("scale", "one")]
        for series_spec, series in zip(spec["series"], chart.plots[0].series):
            expected = [
                figures[i]["value"] * SCALE[figures[i].get("scale", "one")] / divisor
                for i in series_spec["values"]
            ]
            assert list(series.values) == pytest.approx(expected)
        categories = list(chart.plots[0].categories)
        assert categories == [c[lang] for c in spec["categories"]]
        descr = frame._element.nvGraphicFramePr.cNvPr.get("descr")
        for category, value in zip(categories, chart.plots[0].series[0].values):
            shown = f"{value:,.6f}".rstrip("0").rstrip(".")
            assert f"{category} {shown}" in descr, (category, value, descr)


def test_the_economics_chart_has_a_log_axis(deck):
    _, prs = deck
    frames = [sh for slide in prs.slides for sh in slide.shapes if sh.has_chart]
    economics = frames[0].chart
    scaling = economics.value_axis._element.find(qn("c:scaling"))
    assert scaling[0].tag == qn("c:logBase") and scaling[0].get("val") == "10"
    assert [v for v in economics.plots[0].series[0].values] == pytest.approx([2.1, 5000])


def test_index_chart_is_derived_from_the_reported_fall(deck, source):
    _, prs = deck
    figures = {f["id"]: f for f in source["figures"]}
    frames = [sh for slide in prs.slides for sh in slide.shapes if sh.has_chart]
    values = list(frames[1].chart.plots[0].series[0].values)
    assert values == pytest.approx([100, 100 * (1 - figures["downloads_fall"]["value"] / 100)])


def test_every_run_carries_lang_and_east_asian_typeface(deck):
    lang, prs = deck
    expected_lang = {"zh": "zh-CN", "en": "en-US"}[lang]
    chinese_runs = 0
    for slide in prs.slides:
        for part in (slide, slide.notes_slide):
            for run in part._element.iter(qn("a:r")):
                rpr = run.find(qn("a:rPr"))
                assert rpr is not None and rpr.get("lang") == expected_lang
                ea = rpr.find(qn("a:ea"))
                assert ea is not None and ea.get("typeface") == "Noto Sans CJK SC"
                chinese_runs += bool(CJK.search(run.findtext(qn("a:t")) or ""))
    if lang == "zh":
        assert chinese_runs > 100


def test_chart_slides_carry_a_source_line(deck):
    lang, prs = deck
    word = {"zh": "来源：", "en": "Source: "}[lang]
    for slide in prs.slides:
        if any(sh.has_chart for sh in slide.shapes):
            texts = [sh.text_frame.text for sh in slide.shapes if sh.has_text_frame]
            lines = [line for t in texts for line in t.splitlines() if line.startswith(word)]
            assert lines, "a chart slide without a source line"
            assert any("Appfigures" in t for t in lines) or any(
                ("中文新闻报道" in t or "Chinese-language news report" in t) for t in lines
            )


def test_kpi_slide_shows_figures_as_written(deck):
    lang, prs = deck
    # A big number may wrap under its unit: compare without spaces and line breaks.
    texts = [
        re.sub(r"\s", "", sh.text_frame.text)
        for slide in prs.slides
        for sh in slide.shapes
        if sh.has_text_frame
    ]
    expected = {
        "zh": ["10亿美元", "超过200个角色", "不到4个月"],
        "en": ["US$1 bn", "over 200 characters", "under 4 months"],
    }[lang]
    for value in expected:
        assert value.replace(" ", "") in texts


def test_nothing_lies_outside_the_slide(deck):
    _, prs = deck
    for slide in prs.slides:
        for shape in slide.shapes:
            assert shape.left >= 0 and shape.top >= 0
            assert shape.left + shape.width <= prs.slide_width
            assert shape.top + shape.height <= prs.slide_height


def test_last_slide_lists_the_sources(deck, source):
    lang, prs = deck
    text = " ".join(sh.text_frame.text for sh in prs.slides[-1].shapes if sh.has_text_frame)
    # As displayed: lines end in explicit breaks, and Chinese drops the space before Latin.
    unspaced = re.sub(r"\s", "", text)
    for cited in source["sources"]:
        assert re.sub(r"\s", "", display_text(cited["title"][lang])) in unspaced


def test_build_replaces_an_existing_deck_only_when_complete(tmp_path: Path):
    target = tmp_path / "sora-zh.pptx"
    target.write_bytes(b"old deck")
    build(None, ("pptx",), "zh", tmp_path)
    assert target.read_bytes()[:2] == b"PK"
    shown = sorted(p.name for p in tmp_path.iterdir() if not p.name.startswith("."))
    assert shown == ["manifest.json", "sora-zh.pptx"]
    assert target.stat().st_mode & 0o044 == 0o044, "readable by others, as any saved file"

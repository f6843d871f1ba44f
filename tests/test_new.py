"""`briefing new`: a folder that checks to its placeholders only, and builds once written."""

from __future__ import annotations

import json
import re
from pathlib import Path

import jsonschema
import yaml
from click.testing import CliRunner
from pptx import Presentation

from briefing.cli import main
from briefing.model import Briefing

NORDVALE = Path(__file__).parent / "briefings" / "articles" / "nordvale_air.txt"
QUOTE = "We grew too fast on routes that never paid"


def run(*args: str):
    return CliRunner().invoke(main, list(args))


def check_report(folder: Path) -> dict:
    return json.loads(run("check", str(folder), "--format", "json").stdout)


def deck_text(path: Path) -> str:
    deck = Presentation(str(path))
    return "\n".join(
        shape.text_frame.text
        for slide in deck.slides
        for shape in slide.shapes
        if shape.has_text_frame
    )


def test_new_from_an_article_checks_to_placeholders_then_builds_once_written(tmp_path: Path):
    folder = tmp_path / "demo"
    made = run("new", str(folder), "--from", str(NORDVALE))
    assert made.exit_code == 0, made.output
    source = folder / "briefing.yaml"
    assert (folder / "nordvale_air.txt").read_text("utf-8") == NORDVALE.read_text("utf-8")
    data = yaml.safe_load(source.read_text("utf-8"))
    # As `briefing schema` gives it to an editor: the skeleton validates before it is written.
    jsonschema.validate(data, Briefing.model_json_schema())
    # The article's figures, as `briefing figures` finds them, cite the copied article.
    assert len(data["figures"]) == 20 and data["sources"][0]["text"] == "nordvale_air.txt"
    kinds = [slide["kind"] for slide in data["slides"]]
    assert set(kinds) >= {"title", "summary", "kpi", "chart", "bullets", "timeline"}
    assert set(kinds) >= {"comparison", "quote", "recommendations", "sources"}

    report = check_report(folder)
    assert {f["code"] for f in report["findings"]} == {"placeholder"}
    assert report["errors"] == source.read_text("utf-8").count('"TODO:')
    # The skeleton does not build into a deck of placeholders.
    stopped = run("build", str(folder), "--out", str(tmp_path / "out"))
    assert stopped.exit_code == 1 and "placeholder" in stopped.output

    text = source.read_text("utf-8").replace('"TODO: the exact words"', f'"{QUOTE}"')
    text = re.sub(r'"TODO: ([^"]*)"', lambda m: f'"Written: {m.group(1)}"', text)
    source.write_text(text, "utf-8")
    assert check_report(folder)["errors"] == 0
    built = run("build", str(folder), "--format", "all", "--out", str(tmp_path / "out"))
    assert built.exit_code == 0, built.output
    written = sorted(p.name for p in (tmp_path / "out").glob("demo-*"))
    assert written == ["demo-en.html", "demo-en.pdf", "demo-en.pptx"]
    # Lines broken to fit their boxes are joined again before looking for words.
    deck = " ".join(deck_text(tmp_path / "out" / "demo-en.pptx").split())
    assert QUOTE in deck and "Written: what we should do" in deck
    assert "€142" in deck and "TODO" not in deck  # the first KPI: the net loss


def test_new_with_no_article_is_a_working_example(tmp_path: Path):
    folder = tmp_path / "example"
    assert run("new", str(folder)).exit_code == 0
    report = check_report(folder)
    assert (report["errors"], report["warnings"]) == (0, 0), report["findings"]
    built = run("build", str(folder), "--out", str(tmp_path / "out"))
    assert built.exit_code == 0, built.output
    deck = deck_text(tmp_path / "out" / "example-en.pptx")
    assert "Loaves sold last year" in deck and "18%" in deck and "€4.5 m" in deck


def test_new_refuses_a_folder_that_has_a_briefing(tmp_path: Path):
    (tmp_path / "briefing.yaml").write_text("kept", "utf-8")
    result = run("new", str(tmp_path), "--from", str(NORDVALE))
    assert result.exit_code == 1 and "already exists" in result.output
    assert (tmp_path / "briefing.yaml").read_text("utf-8") == "kept"


def test_two_articles_in_two_languages(tmp_path: Path):
    other = tmp_path / "Other Article.txt"
    other.write_text("据报道，公司年化收入超过250亿美元，估值达8400亿美元。\n", "utf-8")
    folder = tmp_path / "both"
    result = run("new", str(folder), "--from", str(NORDVALE), "--from", str(other))
    assert result.exit_code == 0, result.output
    data = yaml.safe_load((folder / "briefing.yaml").read_text("utf-8"))
    assert data["meta"]["languages"] == ["en", "zh"]
    assert [(s["id"], s["language"]) for s in data["sources"]] == [
        ("nordvale_air", "en"),
        ("other_article", "zh"),
    ]
    valuation = next(f for f in data["figures"] if f["excerpt"] == "估值达8400亿美元")
    assert (valuation["value"], valuation["scale"], valuation["source"]) == (
        840,
        "billion",
        "other_article",
    )
    assert {f["code"] for f in check_report(folder)["findings"]} == {"placeholder"}


NORTHWIND = Path(__file__).parent / "briefings" / "northwind_ops" / "article.txt"


def test_new_names_figures_by_their_measure_and_counts_by_their_noun(tmp_path: Path):
    made = run("new", str(tmp_path / "ops"), "--from", str(NORTHWIND))
    assert made.exit_code == 0, made.output
    data = yaml.safe_load((tmp_path / "ops" / "briefing.yaml").read_text("utf-8"))
    figures = {f["excerpt"]: f for f in data["figures"]}
    # "Operating margin improved to 8.4%", "Headcount stood at 14,300": the measure, not the verb.
    ids = {f["id"] for f in data["figures"]}
    assert {"margin", "delivery", "complaints", "headcount", "orders"} <= ids
    assert ids.isdisjoint({"improved", "reached", "stood"})
    # "2.1 million orders in July": the noun after the number; "14,300 at the end": none.
    assert figures["network handled 2.1 million"]["noun"] == "orders"
    assert "noun" not in next(f for f in data["figures"] if f["id"] == "headcount")


def test_the_skeleton_chart_holds_figures_of_one_unit_and_scale(tmp_path: Path):
    made = run("new", str(tmp_path / "ops"), "--from", str(NORTHWIND))
    assert made.exit_code == 0, made.output
    data = yaml.safe_load((tmp_path / "ops" / "briefing.yaml").read_text("utf-8"))
    figures = {f["id"]: f for f in data["figures"]}
    [chart] = data["charts"]
    shown = [figures[i] for i in chart["series"][0]["values"]]
    kinds = {(f["unit"], f.get("currency"), f.get("scale", "one")) for f in shown}
    assert kinds == {("currency", "EUR", "million")} and chart["scale"] == "million"
    # The €1.2bn of revenue is no segment of the €410 million lines.
    assert "revenue" not in chart["series"][0]["values"]


def test_a_noun_in_a_second_language_is_left_to_write_and_the_title_slide_takes_meta(tmp_path):
    made = run("new", str(tmp_path / "ops"), "--from", str(NORTHWIND), "--lang", "en,zh")
    assert made.exit_code == 0, made.output
    data = yaml.safe_load((tmp_path / "ops" / "briefing.yaml").read_text("utf-8"))
    orders = next(f for f in data["figures"] if f["id"] == "orders")
    assert orders["noun"]["en"] == "orders" and orders["noun"]["zh"].startswith("TODO:")
    [title] = [s for s in data["slides"] if s["kind"] == "title"]
    assert "title" not in title and "subtitle" in data["meta"]

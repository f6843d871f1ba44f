"""What the code says it does, held to: slide kinds listed alike everywhere, the templates
commands, the page's charts."""

from __future__ import annotations

import re
import shutil
import typing
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from briefing.cli import main
from briefing.layout.choice import KIND_SHAPE
from briefing.layout.deck import CONTINUABLE
from briefing.layout.kinds import SLIDE_KINDS
from briefing.model import Page, Slide
from briefing.theme import load_theme, shipped_themes_dir
from tests.conftest import MINIMAL

ROOT = Path(__file__).resolve().parent.parent


def _model_kinds() -> set[str]:
    union = typing.get_args(Slide)[0]
    return {
        typing.get_args(cls.model_fields["kind"].annotation)[0] for cls in typing.get_args(union)
    }


def test_every_list_of_slide_kinds_names_the_models_kinds():
    kinds = _model_kinds()
    assert len(kinds) == 10
    assert set(KIND_SHAPE) == kinds
    assert set(SLIDE_KINDS) | {"title"} == kinds  # the title slide is laid out as the cover
    assert set(CONTINUABLE) <= kinds
    default = yaml.safe_load((shipped_themes_dir() / "default" / "theme.yaml").read_text())
    assert set(default["layouts"]) == kinds
    assert set(default["budgets"]["kinds"]) <= kinds
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    table = readme.split("Slide kinds and their content:", 1)[1].split("\n\n", 2)[1]
    assert set(re.findall(r"^\| `(\w+)` \|", table, re.M)) == kinds


def test_templates_list_reads_what_a_theme_extends(tmp_path: Path, monkeypatch):
    themes = tmp_path / "themes"
    shutil.copytree(shipped_themes_dir() / "default", themes / "default")
    shutil.copytree(shipped_themes_dir() / "dark", themes / "dark")
    (themes / "night").mkdir()
    (themes / "night" / "theme.yaml").write_text("name: night\nextends: dark\n")
    monkeypatch.setattr("briefing.theme.shipped_themes_dir", lambda: themes)
    listed = CliRunner().invoke(main, ["templates", "list"]).output.splitlines()
    assert [line.split(":")[0] for line in listed] == [
        "dark (extends default)",
        "default",
        "night (extends dark)",
    ]


def test_templates_export_lists_each_file_once_and_the_copy_loads_alone(tmp_path: Path):
    result = CliRunner().invoke(main, ["templates", "export", "dark", str(tmp_path / "mine")])
    assert result.exit_code == 0, result.output
    listed = [Path(p).name for p in result.output.splitlines()]
    assert listed.count("theme.yaml") == 1 and {"master.pptx", "summary.css"} <= set(listed)
    assert sorted(listed) == sorted(p.name for p in (tmp_path / "mine").iterdir())
    assert "extends" not in (tmp_path / "mine" / "theme.yaml").read_text()
    assert load_theme(tmp_path / "mine").colors == load_theme("dark").colors


def test_the_page_charts_field_says_what_the_page_does():
    described = Page.model_fields["charts"].description
    # The page draws every chart by default and names any left out in a warning.
    assert "every chart" in described and "warning" in described


@pytest.fixture
def alt_briefing(write_briefing):
    text = MINIMAL.replace(
        "    scale: billion\nslides:",
        "    scale: billion\n"
        "    alt: {zh: 估值远高于收入, en: Valuation far above revenue}\n"
        "slides:",
    )
    assert text != MINIMAL
    return write_briefing(text)


def _chart_descr(deck: Path) -> list[str]:
    from pptx import Presentation

    return [
        shape._element.nvGraphicFramePr.cNvPr.get("descr")
        for slide in Presentation(deck).slides
        for shape in slide.shapes
        if shape.has_chart
    ]


@pytest.mark.parametrize(
    "lang, alt", [("en", "Valuation far above revenue"), ("zh", "估值远高于收入")]
)
def test_a_charts_own_alt_text_reaches_the_deck_and_the_page(alt_briefing, tmp_path, lang, alt):
    from briefing.api import build
    from briefing.loader import load
    from briefing.render.page import PageBuilder

    (deck,) = build(alt_briefing, ("pptx",), lang=lang, out_dir=tmp_path / "out", check=False)
    assert _chart_descr(deck) == [alt]
    charts = PageBuilder(load(alt_briefing), load_theme(), lang).context()["charts"]
    assert f'<svg role="img" aria-label="{alt}"' in str(charts[0]["svg"])


def test_without_alt_text_the_charts_values_are_said(write_briefing, tmp_path):
    from briefing.api import build

    (deck,) = build(write_briefing(), ("pptx",), lang="en", out_dir=tmp_path / "out", check=False)
    (descr,) = _chart_descr(deck)
    assert descr.startswith("Valuation and revenue. US$ bn: Revenue 25, Valuation 840")


def test_the_readmes_code_map_names_every_module():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    code_map = readme.split("## How the code is laid out", 1)[1].split("```", 2)[1]
    modules = [
        path.relative_to(ROOT).as_posix()
        for path in sorted((ROOT / "briefing").rglob("*.py"))
        if path.name != "__init__.py"
    ]
    # A name on its own, so that slides_pdf.py does not stand for pdf.py.
    named = set(re.findall(r"(?<![\w/])(\w+\.py)\b", code_map))
    assert [m for m in modules if Path(m).name not in named] == []

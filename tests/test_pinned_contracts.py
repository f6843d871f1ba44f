"""What the code says it does, held to: slide kinds listed alike everywhere, the templates
commands, the page's charts."""

from __future__ import annotations

import re
import shutil
import typing
from pathlib import Path

import yaml
from click.testing import CliRunner

from briefing.cli import main
from briefing.layout.choice import KIND_SHAPE
from briefing.layout.deck import CONTINUABLE
from briefing.layout.kinds import SLIDE_KINDS
from briefing.model import Page, Slide
from briefing.theme import load_theme, shipped_themes_dir

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
    listed = result.output.splitlines()
    assert sorted(Path(p).name for p in listed) == [
        "master.pptx",
        "summary.css",
        "summary.html.j2",
        "theme.yaml",
    ]
    assert sorted(p.name for p in (tmp_path / "mine").iterdir()) == sorted(
        Path(p).name for p in listed
    )
    assert "extends" not in (tmp_path / "mine" / "theme.yaml").read_text()
    assert load_theme(tmp_path / "mine").colors == load_theme("dark").colors


def test_the_page_charts_field_says_what_the_page_does():
    described = Page.model_fields["charts"].description
    # The page draws every chart by default and names any left out in a warning.
    assert "every chart" in described and "warning" in described

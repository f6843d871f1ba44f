"""Bring your own template: foreign masters, theme folders with overrides, errors, dark theme."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from pptx import Presentation

from briefing.api import build
from briefing.cli import main
from briefing.errors import BriefingError
from briefing.master import master_tokens
from briefing.theme import load_theme
from tests.masters import FOREIGN, python_pptx_default


@pytest.mark.slow
@pytest.mark.parametrize("maker", FOREIGN)
def test_the_shipped_briefing_builds_on_a_foreign_template(tmp_path: Path, maker: str):
    from pypdf import PdfReader

    from briefing.viewers import office_to_pdf

    template = FOREIGN[maker](tmp_path)
    master = Presentation(str(template))
    layout_names = {layout.name for layout in master.slide_layouts}
    [deck_path] = build(None, ("pptx",), "zh", tmp_path / "out", theme=str(template))
    deck = Presentation(str(deck_path))
    assert (deck.slide_width, deck.slide_height) == (master.slide_width, master.slide_height)
    assert len(deck.slides) == 13
    for slide in deck.slides:
        assert slide.slide_layout.name in layout_names
        assert slide.notes_slide.notes_text_frame.text.strip()
        for shape in slide.shapes:
            assert shape.left >= 0 and shape.top >= 0, shape.name
            assert shape.left + shape.width <= deck.slide_width, shape.name
            assert shape.top + shape.height <= deck.slide_height, shape.name
    # Charts take the template's own accents.
    accents = master_tokens(template)["colors"]["series"]
    chart = next(sh.chart for s in deck.slides for sh in s.shapes if sh.has_chart)
    fill = chart.plots[0].series[0].format.fill.fore_color.rgb
    assert str(fill) == accents[0]
    pdf = office_to_pdf(deck_path, tmp_path / "pdf")
    assert len(PdfReader(str(pdf)).pages) == 13


def test_sample_slides_of_a_template_are_left_out(tmp_path: Path):
    template = tmp_path / "with-samples.pptx"
    prs = Presentation()
    for _ in range(2):
        prs.slides.add_slide(prs.slide_layouts[1]).shapes.title.text = "Sample"
    prs.save(str(template))
    [deck] = build(None, ("pptx",), "en", tmp_path / "out", theme=str(template))
    titles = [s.shapes.title.text for s in Presentation(str(deck)).slides if s.shapes.title]
    assert len(Presentation(str(deck)).slides) == 13 and "Sample" not in titles


def test_a_potx_master_is_accepted(tmp_path: Path):
    source = python_pptx_default(tmp_path)
    archive = zipfile.ZipFile(source)
    potx = tmp_path / "corporate.potx"
    with zipfile.ZipFile(potx, "w") as out:
        for info in archive.infolist():
            data = archive.read(info)
            if info.filename == "[Content_Types].xml":
                data = data.replace(b"presentation.main+xml", b"template.main+xml")
            out.writestr(info, data)
    [deck] = build(None, ("pptx",), "en", tmp_path / "out", theme=str(potx))
    assert len(Presentation(str(deck)).slides) == 13


def test_a_user_folder_overrides_one_block_and_inherits_the_rest(tmp_path: Path):
    theme = tmp_path / "my-theme"
    theme.mkdir()
    (theme / "theme.yaml").write_text(
        "extends: default\ncolors: {accent: 00A651}\n", encoding="utf-8"
    )
    (theme / "summary.html.j2").write_text(
        '{% extends "default/summary.html.j2" %}\n'
        '{% block footer %}<p class="house-footer">Prepared by ACME Strategy</p>{% endblock %}\n',
        encoding="utf-8",
    )
    [html] = build(None, ("html",), "en", tmp_path / "out", theme=str(theme))
    page = html.read_text(encoding="utf-8")
    assert '<p class="house-footer">Prepared by ACME Strategy</p>' in page
    assert page.count('<figure class="chart"') == 3  # the charts block is inherited
    assert "--color-accent:#00A651" in page and "--color-primary:#0B2545" in page


def test_the_dark_theme_reaches_deck_page_and_charts(tmp_path: Path):
    dark = load_theme("dark")
    deck_path, html = build(None, ("pptx", "html"), "en", tmp_path, theme="dark")
    deck = Presentation(str(deck_path))
    background = deck.slide_master.background.fill.fore_color.rgb
    assert str(background) == dark.colors.background
    chart = next(sh.chart for s in deck.slides for sh in s.shapes if sh.has_chart)
    assert str(chart.plots[0].series[0].format.fill.fore_color.rgb) == dark.colors.series[0]
    title_runs = deck.slides[1].shapes.title.text_frame.paragraphs[0].runs
    assert str(title_runs[0].font.color.rgb) == dark.colors.primary
    page = html.read_text(encoding="utf-8")
    assert f"--color-background:#{dark.colors.background}" in page
    assert f"fill: #{dark.colors.series[0].lower()}" in page  # the SVG bars


@pytest.mark.parametrize(
    ("files", "expected"),
    [
        (
            {"theme.yaml": "extends: default\ncolours: {}\n"},
            "unknown key 'colours' (allowed: budgets, colors, extends",
        ),
        (
            {"theme.yaml": "extends: default\ncolors: {primry: 000000}\n"},
            "unknown key 'colors.primry'",
        ),
        (
            {"theme.yaml": "extends: nowhere\n"},
            "extends 'nowhere', which is neither a shipped theme",
        ),
        (
            {"theme.yaml": "extends: ../b\n", "../b/theme.yaml": "extends: ../a\n"},
            "`extends` makes a cycle",
        ),
    ],
)
def test_theme_errors_name_the_file(tmp_path: Path, files: dict, expected: str):
    folder = tmp_path / "a"
    for name, text in files.items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_text(text, encoding="utf-8")
    with pytest.raises(BriefingError) as caught:
        load_theme(folder)
    assert expected in str(caught.value)
    assert "theme.yaml" in str(caught.value)


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"just some text", "not a PowerPoint file (it is not a zip package)"),
        ("docx", "not a PowerPoint file (it is a Word document)"),
    ],
)
def test_a_bad_master_is_refused_and_nothing_written(tmp_path: Path, content, expected: str):
    master = tmp_path / "corporate.pptx"
    if content == "docx":
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w") as archive:
            archive.writestr("[Content_Types].xml", "<Types/>")
            archive.writestr("word/document.xml", "<w:document/>")
        content = buffer.getvalue()
    master.write_bytes(content)
    result = CliRunner().invoke(
        main, ["build", "--template", str(master), "--out", str(tmp_path / "out")]
    )
    assert result.exit_code == 1
    assert f"{master}: {expected}" in result.output
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())


def test_templates_list_inspect_and_export(tmp_path: Path):
    runner = CliRunner()
    listed = runner.invoke(main, ["templates", "list"]).output
    assert listed.startswith("dark (extends default)") and "\ndefault:" in listed
    inspected = runner.invoke(main, ["templates", "inspect", str(python_pptx_default(tmp_path))])
    assert "(10.00 x 7.50 in, 4:3)" in inspected.output
    assert "  - Two Content: title[0], object[1], object[2]" in inspected.output
    assert "  comparison       Two Content" in inspected.output
    exported = runner.invoke(main, ["templates", "export", "dark", str(tmp_path / "mine")])
    assert exported.exit_code == 0, exported.output
    assert (tmp_path / "mine" / "master.pptx").is_file()
    theme = load_theme(tmp_path / "mine")
    assert theme.colors == load_theme("dark").colors and theme.folders[0].name == "mine"
    again = runner.invoke(main, ["templates", "export", "dark", str(tmp_path / "mine")])
    assert again.exit_code == 1 and "the folder is not empty" in again.output


def test_layouts_missing_from_a_master_fall_back_with_a_warning(tmp_path: Path):
    template = tmp_path / "few-layouts.pptx"
    prs = Presentation()
    for layout in list(prs.slide_layouts):
        if layout.name not in ("Title Slide", "Title and Content"):
            prs.slide_layouts.remove(layout)
    prs.save(str(template))
    warnings: list[str] = []
    [deck] = build(
        None, ("pptx",), "en", tmp_path / "out", theme=str(template), warn=warnings.append
    )
    names = {s.slide_layout.name for s in Presentation(str(deck)).slides}
    assert names <= {"Title Slide", "Title and Content"}
    assert any("no layout like 'Title Only' for slide kind 'chart'; using" in w for w in warnings)


def test_a_theme_map_names_layouts_exactly_and_a_missing_name_is_warned(tmp_path: Path):
    theme = tmp_path / "mine"
    theme.mkdir()
    (theme / "theme.yaml").write_text(
        "extends: default\nlayouts: {kpi: Title and Content, timeline: Nowhere}\n", encoding="utf-8"
    )
    warnings: list[str] = []
    [deck] = build(None, ("pptx",), "en", tmp_path / "out", theme=str(theme), warn=warnings.append)
    layouts = [s.slide_layout.name for s in Presentation(str(deck)).slides]
    assert layouts[5] == "Title and Content"  # the KPI slide
    assert any(
        "maps 'timeline' to 'Nowhere', which the master lacks; using 'Title Only'" in w
        for w in warnings
    )


def test_a_misspelt_master_and_a_sibling_parent(tmp_path: Path):
    (tmp_path / "corp").mkdir()
    (tmp_path / "corp" / "theme.yaml").write_text("extends: dark\n", encoding="utf-8")
    (tmp_path / "mine").mkdir()
    (tmp_path / "mine" / "theme.yaml").write_text("extends: corp\n", encoding="utf-8")
    assert load_theme(tmp_path / "mine").colors == load_theme("dark").colors
    (tmp_path / "mine" / "theme.yaml").write_text(
        "extends: corp\nmaster: corprate.pptx\n", encoding="utf-8"
    )
    with pytest.raises(BriefingError, match="master 'corprate.pptx' is not in"):
        load_theme(tmp_path / "mine")


def test_titles_scale_with_a_smaller_master_like_all_other_text(tmp_path: Path):
    from pptx import Presentation as Open

    master = Open(str(Path(__file__).parent.parent / "templates" / "default" / "master.pptx"))
    master.slide_height = int(master.slide_height * 0.75)  # a 5.625 in tall master
    master.save(str(tmp_path / "small.pptx"))
    [deck] = build(None, ("pptx",), "en", tmp_path / "out", theme=str(tmp_path / "small.pptx"))
    theme_title_pt = 28
    for slide in list(Presentation(str(deck)).slides)[1:]:
        title = slide.shapes.title
        sizes = [r.font.size.pt for p in title.text_frame.paragraphs for r in p.runs]
        assert sizes and max(sizes) <= theme_title_pt * 0.75 + 0.05, (title.text, sizes)

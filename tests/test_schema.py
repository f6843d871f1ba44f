"""Decks PowerPoint opens without a repair prompt: every package we write validated with
openxml-audit (the ECMA-376 schemas and PowerPoint's known rules)."""

from __future__ import annotations

import copy
import importlib.util
import re
import sys
import zipfile
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner
from lxml import etree
from openxml_audit import AppPrediction, OpenXmlValidator, ValidationSeverity, predict

from briefing.api import build, shipped_source
from briefing.cli import main
from briefing.theme import shipped_themes_dir
from tests.masters import libreoffice_design, pandoc_reference, python_pptx_default

ROOT = Path(__file__).resolve().parent.parent
C = "http://schemas.openxmlformats.org/drawingml/2006/chart"
A = "http://schemas.openxmlformats.org/drawingml/2006/main"


# Decks are built with check=False: the checks (text fit on a foreign master, budgets) have tests
# of their own and never change the bytes written; here only the package counts.


def audit(path: Path):
    """openxml-audit's result for a package: every finding, no cap."""
    return OpenXmlValidator(max_errors=0).validate(path)


def assert_opens_clean(path: Path) -> None:
    """No errors and openxml-audit's verdict that PowerPoint opens the file cleanly."""
    result = audit(path)
    assert [str(e) for e in result.errors if e.severity is ValidationSeverity.ERROR] == []
    assert predict(result).prediction is AppPrediction.OPENS_CLEAN


def chart_parts(path: Path) -> dict[str, etree._Element]:
    """Every chart part of a deck, parsed."""
    archive = zipfile.ZipFile(path)
    return {
        name: etree.fromstring(archive.read(name))
        for name in archive.namelist()
        if re.fullmatch(r"ppt/charts/chart\d+\.xml", name)
    }


# --- the shipped masters ---------------------------------------------------------------


def make_master_module():
    """tools/make_master.py, which is a script and not part of the package."""
    spec = importlib.util.spec_from_file_location("make_master", ROOT / "tools/make_master.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize("theme", ["default", "dark"])
def test_a_shipped_master_is_valid_and_regenerates_byte_for_byte(theme: str):
    master = shipped_themes_dir() / theme / "master.pptx"
    assert_opens_clean(master)
    # Sizes are integers in hundredths of a point ("1200", not the "1200.0" it once wrote).
    root = etree.fromstring(zipfile.ZipFile(master).read("ppt/slideMasters/slideMaster1.xml"))
    sizes = [node.get("sz") for node in root.iter(f"{{{A}}}defRPr") if node.get("sz")]
    assert len(sizes) >= 10 and all(size.isdigit() for size in sizes), sizes
    rebuilt = make_master_module().master_package(shipped_themes_dir() / theme)
    assert rebuilt == master.read_bytes()


# --- the shipped deck on shipped and foreign masters ---------------------------------------

MASTERS = {
    "default": lambda folder: "default",
    "dark": lambda folder: "dark",
    "pandoc": lambda folder: str(pandoc_reference(folder)),
    "python-pptx": lambda folder: str(python_pptx_default(folder)),
}


@pytest.fixture(
    scope="module",
    params=[(m, lang) for m in MASTERS for lang in ("zh", "en")],
    ids=lambda param: "-".join(param),
)
def shipped_deck(request, tmp_path_factory) -> Path:
    master, lang = request.param
    folder = tmp_path_factory.mktemp(f"shipped-{master}-{lang}")
    theme = MASTERS[master](folder)
    [path] = build(None, ("pptx",), lang, folder / "out", theme=theme, check=False)
    return path


def test_the_shipped_deck_opens_clean(shipped_deck: Path):
    assert_opens_clean(shipped_deck)


# --- every slide kind and chart kind -----------------------------------------------------

EXTRA_CHARTS = [
    {
        "id": "two_lines",
        "kind": "line",
        "title": {"zh": "下载量指数的两种走向", "en": "Two ways the download index went"},
        "categories": [{"zh": "上线", "en": "Launch"}, {"zh": "一月", "en": "January"}],
        "series": [
            {
                "name": {"zh": "实际", "en": "Actual"},
                "values": ["download_index_launch", "download_index_jan"],
            },
            {
                "name": {"zh": "反向", "en": "Reversed"},
                "values": ["download_index_jan", "download_index_launch"],
            },
        ],
        "number_format": "0",
    },
    {
        "id": "log_line",
        "kind": "line",
        "title": {"zh": "收入与成本（对数刻度）", "en": "Revenue and cost (log scale)"},
        "categories": [{"zh": "收入", "en": "Revenue"}, {"zh": "成本", "en": "Cost"}],
        "series": [
            {"name": {"zh": "百万美元", "en": "US$ m"}, "values": ["sora_revenue", "sora_cost"]}
        ],
        "scale": "million",
        "value_axis": {"scale": "log"},
        "number_format": "#,##0",
    },
    {
        "id": "log_bars",
        "kind": "bar",
        "title": {"zh": "收入与成本（对数刻度）", "en": "Revenue and cost (log scale)"},
        "categories": [{"zh": "收入", "en": "Revenue"}, {"zh": "成本", "en": "Cost"}],
        "series": [
            {"name": {"zh": "百万美元", "en": "US$ m"}, "values": ["sora_revenue", "sora_cost"]},
            {"name": {"zh": "对照", "en": "Mirror"}, "values": ["sora_cost", "sora_revenue"]},
        ],
        "scale": "million",
        "value_axis": {"scale": "log", "title": {"zh": "百万美元", "en": "US$ million"}},
        "number_format": "#,##0",
    },
]


def every_kind_briefing() -> dict:
    """The shipped briefing (every slide kind; log and linear columns, bars) plus line charts,
    a log line, log bars with an axis title, and two-series charts with a legend."""
    data = yaml.safe_load(shipped_source().read_text(encoding="utf-8"))
    data["charts"] += EXTRA_CHARTS
    chart_slide = next(s for s in data["slides"] if s["kind"] == "chart")
    for chart in EXTRA_CHARTS:
        slide = {k: v for k, v in chart_slide.items() if k != "points"}
        data["slides"].insert(-1, {**slide, "chart": chart["id"]})
    return data


@pytest.fixture(scope="module", params=["zh", "en"])
def every_kind_deck(request, tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp(f"every-kind-{request.param}")
    text = yaml.safe_dump(every_kind_briefing(), allow_unicode=True, sort_keys=False)
    (folder / "briefing.yaml").write_text(text, encoding="utf-8")
    [path] = build(folder / "briefing.yaml", ("pptx",), request.param, folder / "out", check=False)
    return path


def test_a_deck_of_every_slide_and_chart_kind_opens_clean(every_kind_deck: Path):
    from pptx import Presentation

    deck = Presentation(str(every_kind_deck))
    kinds = {
        (
            shape.chart.chart_type.name,
            shape.chart._chartSpace.find(f".//{{{C}}}logBase") is not None,
        )
        for slide in deck.slides
        for shape in slide.shapes
        if shape.has_chart
    }
    assert kinds == {
        (kind, log)
        for kind in ("COLUMN_CLUSTERED", "BAR_CLUSTERED", "LINE_MARKERS")
        for log in (True, False)
    }
    assert len(deck.slides) == 16
    assert_opens_clean(every_kind_deck)


def test_chart_axis_ids_are_unsigned_and_still_paired(every_kind_deck: Path):
    charts = chart_parts(every_kind_deck)
    assert len(charts) == 6
    for name, chart in charts.items():
        [plot] = [n for n in chart.find(f".//{{{C}}}plotArea") if n.tag.endswith("Chart")]
        plot_ids = [int(n.get("val")) for n in plot.findall(f"{{{C}}}axId")]
        axes = {
            int(axis.find(f"{{{C}}}axId").get("val")): int(axis.find(f"{{{C}}}crossAx").get("val"))
            for axis in chart.iter(f"{{{C}}}catAx", f"{{{C}}}valAx")
        }
        assert all(0 <= i < 2**32 for i in [*plot_ids, *axes, *axes.values()]), name
        # The plot names both axes, and each axis crosses the other.
        assert sorted(plot_ids) == sorted(axes), name
        first, second = axes
        assert axes == {first: second, second: first}, name


def test_chart_text_has_no_bullet_markup_and_keeps_its_runs(every_kind_deck: Path):
    lang = "zh-CN" if every_kind_deck.stem.endswith("zh") else "en-US"
    for name, chart in chart_parts(every_kind_deck).items():
        assert list(chart.iter(f"{{{A}}}buNone")) == [], name
        title_runs = chart.findall(f"{{{C}}}chart/{{{C}}}title//{{{A}}}r/{{{A}}}rPr")
        assert title_runs and all(r.get("lang") == lang for r in title_runs), name


# --- a long deck -------------------------------------------------------------------------


@pytest.fixture(scope="module")
def long_deck(tmp_path_factory) -> Path:
    """200 slides: the shipped body slides over and over between its title and sources."""
    data = yaml.safe_load(shipped_source().read_text(encoding="utf-8"))
    first, *body, last = data["slides"]
    data["slides"] = [first, *(copy.deepcopy(body[i % len(body)]) for i in range(198)), last]
    folder = tmp_path_factory.mktemp("long")
    text = yaml.safe_dump(data, allow_unicode=True, sort_keys=False)
    (folder / "briefing.yaml").write_text(text, encoding="utf-8")
    [path] = build(folder / "briefing.yaml", ("pptx",), "zh", folder / "out", check=False)
    return path


def test_a_200_slide_deck_opens_clean(long_deck: Path):
    archive = zipfile.ZipFile(long_deck)
    slides = [n for n in archive.namelist() if re.fullmatch(r"ppt/slides/slide\d+\.xml", n)]
    assert len(slides) == 200
    assert_opens_clean(long_deck)


# --- a foreign master with errors of its own ---------------------------------------------


def error_kinds(path: Path, skip_sample_slides: bool = False) -> set[tuple[str, str, str]]:
    """Errors as (part kind, element path, description): the same error on every layout of
    one kind, renumbered or not, is one error; sample slides can be left out (decks drop them)."""
    kinds = set()
    for error in audit(path).errors:
        if error.severity is not ValidationSeverity.ERROR:
            continue
        if skip_sample_slides and error.part_uri.startswith("/ppt/slides/"):
            continue
        kinds.add((re.sub(r"\d+", "#", error.part_uri), error.path, error.description))
    return kinds


@pytest.mark.slow
@pytest.mark.parametrize("design", ["Blue_Curve", "Growing_Liberty"])
def test_on_a_libreoffice_design_the_deck_adds_no_error_to_the_masters(tmp_path, design):
    master = libreoffice_design(tmp_path, design)
    own = error_kinds(master, skip_sample_slides=True)
    assert own, "the design was chosen for errors of its own; it has none now"
    [deck] = build(None, ("pptx",), "zh", tmp_path / "out", theme=str(master), check=False)
    assert error_kinds(deck) == own


# --- templates inspect -------------------------------------------------------------------


def test_inspect_reports_a_masters_own_schema_errors(tmp_path: Path):
    source = python_pptx_default(tmp_path)
    broken = tmp_path / "broken.pptx"
    with zipfile.ZipFile(source) as archive, zipfile.ZipFile(broken, "w") as out:
        for info in archive.infolist():
            data = archive.read(info)
            if info.filename == "ppt/slideMasters/slideMaster1.xml":
                data = data.replace(b'<a:defRPr sz="4400"', b'<a:defRPr sz="4400.0"', 1)
            out.writestr(info, data)
    runner = CliRunner()
    report = runner.invoke(main, ["templates", "inspect", str(broken)])
    assert report.exit_code == 0, report.output
    lines = report.output.splitlines()
    header = next(i for i, line in enumerate(lines) if line.startswith("master's own schema"))
    assert lines[header].startswith(
        "master's own schema errors (openxml-audit): 1; Microsoft PowerPoint: at risk"
    )
    error = lines[header + 1]
    assert error.startswith("  - /ppt/slideMasters/slideMaster1.xml /sldMaster[1]/txStyles[1]/")
    assert "'4400.0'" in error
    clean = runner.invoke(main, ["templates", "inspect", "default"]).output
    assert "master's own schema errors (openxml-audit): 0; " in clean
    assert "expected to open cleanly" in clean


def test_inspect_without_openxml_audit_says_the_master_was_not_checked(monkeypatch):
    # openxml-audit comes with the test extra only; a plain install still inspects.
    monkeypatch.setitem(sys.modules, "openxml_audit", None)
    report = CliRunner().invoke(main, ["templates", "inspect", "default"])
    assert report.exit_code == 0, report.output
    assert report.output.splitlines()[-1] == (
        "schema: not checked (pip install openxml-audit to check the master)"
    )

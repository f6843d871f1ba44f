"""The page fills its sheet: every chart drawn or named, chart text at least 7 pt in the PDF,
takeaways and numbers as the deck has them, the dark sheet painted to its edges."""

from __future__ import annotations

import copy
import io
import json
import math
import shutil
import subprocess
from html import escape
from pathlib import Path

import html5lib
import pytest
import yaml
from pypdf import PdfReader

from briefing.api import build, shipped_source
from briefing.charts import chart_values
from briefing.loader import load
from briefing.numbers import excel_format
from briefing.render.page import MIN_CHART_PT, PAPERS, PageBuilder
from briefing.theme import load_theme
from tests.conftest import MINIMAL

XHTML = "{http://www.w3.org/1999/xhtml}"
KESTREL = Path(__file__).parent / "briefings" / "kestrel_bay"
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


def _text_sizes(pdf: bytes) -> list[tuple[str, float]]:
    """Each text run of the PDF's first page with the size it is printed at, in points."""
    runs: list[tuple[str, float]] = []

    def visit(text, cm, tm, font, size):
        if text.strip():
            a = tm[0] * cm[0] + tm[1] * cm[2]
            b = tm[0] * cm[1] + tm[1] * cm[3]
            c = tm[2] * cm[0] + tm[3] * cm[2]
            d = tm[2] * cm[1] + tm[3] * cm[3]
            runs.append((text.strip(), size * math.sqrt(abs(a * d - b * c))))

    PdfReader(io.BytesIO(pdf)).pages[0].extract_text(visitor_text=visit)
    return runs


def _value_labels(briefing, chart_id: str) -> set[str]:
    """The labels a chart writes on its bars and points."""
    chart = briefing.chart(chart_id)
    return {
        excel_format(v, chart.number_format) for row in chart_values(briefing, chart) for v in row
    }


def _chart_text_sizes(pdf: bytes, briefing) -> dict[str, list[float]]:
    """Each chart's value labels as found in the PDF, by chart id: the sizes they print at."""
    runs = _text_sizes(pdf)
    found = {}
    for chart in briefing.charts:
        labels = _value_labels(briefing, chart.id)
        # A label may carry its unit or a real minus: "−4%" is the label -4.
        found[chart.id] = [size for text, size in runs if _bare(text) in labels]
    return found


def _bare(text: str) -> str:
    return text.replace("\u2212", "-").lstrip("+").removesuffix("%").strip()


def _assert_charts_at_least_7_pt(pdf: bytes, briefing) -> None:
    for chart_id, sizes in _chart_text_sizes(pdf, briefing).items():
        assert sizes, f"no value label of chart {chart_id} found in the PDF"
        assert min(sizes) >= MIN_CHART_PT - 0.05, (chart_id, sizes)


def _with(text: str, change) -> str:
    data = yaml.safe_load(text)
    change(data)
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False)


@pytest.fixture(scope="module")
def kestrel(tmp_path_factory):
    out = tmp_path_factory.mktemp("kestrel")
    warnings: list[str] = []
    html, pdf = build(KESTREL, ("html", "pdf"), "en", out, warn=warnings.append)
    return html.read_text(encoding="utf-8"), pdf.read_bytes(), warnings


def test_a_fourth_chart_is_drawn(kestrel):
    html, _, warnings = kestrel
    drawn = [f.get("data-chart") for f in html5lib.parse(html).iter(f"{XHTML}figure")]
    briefing = load(KESTREL / "briefing.yaml")
    assert drawn == [c.id for c in briefing.charts] and len(drawn) == 4
    assert not [w for w in warnings if "leaves out chart" in w]


@pytest.mark.parametrize("paper", ["a4", "letter"])
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_chart_text_is_at_least_7_pt_in_the_shipped_pdf(tmp_path: Path, lang: str, paper: str):
    [pdf] = build(None, ("pdf",), lang, tmp_path, paper=paper)
    _assert_charts_at_least_7_pt(pdf.read_bytes(), load(shipped_source()))


def test_chart_text_is_at_least_7_pt_with_four_charts(kestrel):
    _, pdf, _ = kestrel
    _assert_charts_at_least_7_pt(pdf, load(KESTREL / "briefing.yaml"))


def test_charts_grow_into_free_space_before_the_type_shrinks(write_briefing, tmp_path: Path):
    [html, pdf] = build(write_briefing(), ("html", "pdf"), "en", tmp_path / "out", check=False)
    assert 'class="density-0"' in html.read_text(encoding="utf-8")  # the designed type size
    sizes = _chart_text_sizes(pdf.read_bytes(), load(write_briefing()))["money"]
    assert sizes and min(sizes) > MIN_CHART_PT * 1.2, sizes


def test_charts_that_do_not_fit_are_named_in_a_warning(write_briefing, tmp_path: Path):
    def many_charts(data):
        for n in range(2, 9):
            chart = copy.deepcopy(data["charts"][0])
            chart["id"] = f"money{n}"
            data["charts"].append(chart)

    source = write_briefing(_with(MINIMAL, many_charts))
    warnings: list[str] = []
    [html] = build(source, ("html",), "en", tmp_path / "out", check=False, warn=warnings.append)
    drawn = [
        f.get("data-chart") for f in html5lib.parse(html.read_text("utf-8")).iter(f"{XHTML}figure")
    ]
    every = ["money"] + [f"money{n}" for n in range(2, 9)]
    assert 0 < len(drawn) < len(every) and drawn == every[: len(drawn)]
    left_out = [w for w in warnings if "leaves out chart" in w]
    assert [w.split("'")[1] for w in left_out] == every[len(drawn) :]
    assert "7 pt" in left_out[0] and "A4" in left_out[0] and "page.charts" in left_out[0]


def test_without_a_summary_slide_the_takeaways_are_the_chart_slides_titles(
    write_briefing, tmp_path: Path
):
    warnings: list[str] = []
    [html] = build(write_briefing(), ("html",), "en", tmp_path, check=False, warn=warnings.append)
    tree = html5lib.parse(html.read_text(encoding="utf-8"))
    points = [
        "".join(li.itertext())
        for li in tree.iterfind(f".//{XHTML}section[@class='takeaways']//{XHTML}li")
    ]
    assert points == ["Valuation dwarfs revenue"]
    assert any("no summary slide" in w and "chart slides' titles" in w for w in warnings)


def test_with_a_summary_slide_the_takeaways_are_its_points_without_a_warning(write_briefing):
    def summary(data):
        data["slides"].insert(
            1,
            {
                "kind": "summary",
                "title": "In short",
                "points": ["First point here", "Second point here"],
                "notes": "Notes.",
            },
        )

    builder = PageBuilder(load(write_briefing(_with(MINIMAL, summary))), load_theme(), "en")
    assert [str(p) for p in builder.context()["takeaways"]] == [
        "First point here",
        "Second point here",
    ]
    assert builder.warnings == []


def test_the_kpi_slides_labels_are_the_pages(write_briefing):
    def kpi(data):
        data["slides"].insert(
            1,
            {
                "kind": "kpi",
                "title": "Two numbers that matter",
                "items": [
                    {"figure": "revenue", "label": {"zh": "收入（年化）", "en": "Revenue, a year"}},
                    {"figure": "valuation"},
                ],
                "notes": "Notes.",
            },
        )

    briefing = load(write_briefing(_with(MINIMAL, kpi)))
    for lang, expected in (
        ("en", ["Revenue, a year", "Valuation"]),
        ("zh", ["收入（年化）", "估值"]),
    ):
        numbers = PageBuilder(briefing, load_theme(), lang).context()["numbers"]
        labels = ["".join(html5lib.parseFragment(str(n["label"])).itertext()) for n in numbers]
        assert labels == expected


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        ("en", ["Act now. Because it pays", "Ask why? Because"]),
        ("zh", ["立即行动。因为划算", "为什么？因为"]),
    ],
)
def test_an_action_and_its_reason_are_separated(write_briefing, lang: str, expected):
    def actions(data):
        data["slides"].insert(
            1,
            {
                "kind": "recommendations",
                "title": "What to do",
                "items": [
                    {
                        "action": {"zh": "立即行动", "en": "Act now"},
                        "why": {"zh": "因为划算", "en": "Because it pays"},
                    },
                    {
                        "action": {"zh": "为什么？", "en": "Ask why?"},
                        "why": {"zh": "因为", "en": "Because"},
                    },
                ],
                "notes": "Notes.",
            },
        )

    builder = PageBuilder(load(write_briefing(_with(MINIMAL, actions))), load_theme(), lang)
    tree = html5lib.parse(builder.html(PAPERS["a4"], 0))
    items = tree.iterfind(f".//{XHTML}section[@class='actions']//{XHTML}li")
    assert ["".join(li.itertext()) for li in items] == expected


def test_the_dark_sheet_is_painted_to_its_edges(tmp_path: Path):
    [pdf] = build(None, ("pdf",), "en", tmp_path, theme="dark")
    done = subprocess.run(
        ["pdftoppm", "-r", "20", "-png", "-singlefile", str(pdf), str(tmp_path / "sheet")],
        check=True,
        capture_output=True,
    )
    assert done.returncode == 0
    from PIL import Image

    image = Image.open(tmp_path / "sheet.png").convert("RGB")
    width, height = image.size
    background = tuple(bytes.fromhex(load_theme("dark").colors.background))
    # One pixel in from each edge: the last column and row are only partly on the sheet.
    right, bottom = width - 2, height - 2
    for x, y in [(1, 1), (right, 1), (1, bottom), (right, bottom), (width // 2, 1)]:
        assert all(abs(a - b) <= 3 for a, b in zip(image.getpixel((x, y)), background)), (x, y)


@pytest.mark.skipif(CHROMIUM is None, reason="needs Chromium: apt-get install chromium")
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_at_phone_width_the_classification_keeps_clear_of_the_title(tmp_path: Path, lang: str):
    [html] = build(None, ("html",), lang, tmp_path)
    # The page has no script of its own: one that hands the two boxes to the frame's parent is
    # added. A frame 375 px wide, since headless Chromium keeps its window 500 px at least.
    probe = (
        "<script>const box = s => { const r = document.querySelector(s).getBoundingClientRect();"
        " return [r.left, r.top, r.right, r.bottom]; };"
        " parent.document.body.dataset.boxes = JSON.stringify("
        "[box('.classification'), box('h1'), window.innerWidth]);"
        "</script></body>"
    )
    page = html.read_text(encoding="utf-8").replace("</body>", probe)
    probed = tmp_path / "probed.html"
    probed.write_text(
        f'<!DOCTYPE html><html><body style="margin:0"><iframe srcdoc="{escape(page)}"'
        ' style="width:375px;height:800px;border:0"></iframe></body></html>',
        encoding="utf-8",
    )
    done = subprocess.run(
        [
            CHROMIUM,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            f"--user-data-dir={tmp_path / 'profile'}",
            "--window-size=375,800",
            "--dump-dom",
            probed.as_uri(),
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    boxes = html5lib.parse(done.stdout).find(f"{XHTML}body").get("data-boxes")
    classification, title, width = json.loads(boxes)
    assert width == 375
    (left, top, right, bottom), (h1_left, h1_top, h1_right, h1_bottom) = classification, title
    assert right <= width and h1_right <= width
    apart = right <= h1_left or h1_right <= left or bottom <= h1_top or h1_bottom <= top
    assert apart, ((left, top, right, bottom), (h1_left, h1_top, h1_right, h1_bottom))

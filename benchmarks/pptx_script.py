"""The shipped briefing's deck as a hand-written python-pptx script would make it: the yardstick
for the pptx build's own cost (no model, no checks, no fitting, no master reading).

Usage: python3 benchmarks/pptx_script.py BRIEFING.yaml OUT.pptx [LANG]
Same slides, titles, points, items, native charts with the figures' values and speaker notes, on
the shipped default master; text in the layouts' placeholders at their own sizes.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import yaml
from pptx import Presentation
from pptx.chart.data import CategoryChartData
from pptx.enum.chart import XL_CHART_TYPE
from pptx.util import Inches

ROOT = Path(__file__).resolve().parent.parent
MASTER = ROOT / "templates" / "default" / "master.pptx"
CHART_TYPES = {
    "bar": XL_CHART_TYPE.BAR_CLUSTERED,
    "column": XL_CHART_TYPE.COLUMN_CLUSTERED,
    "line": XL_CHART_TYPE.LINE_MARKERS,
}


def main() -> None:
    source, out = Path(sys.argv[1]), Path(sys.argv[2])
    lang = sys.argv[3] if len(sys.argv) > 3 else "zh"
    data = yaml.load(source.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader)
    figures = {figure["id"]: figure for figure in data["figures"]}
    charts = {chart["id"]: chart for chart in data["charts"]}

    def text(value) -> str:
        value = value.get(lang, "") if isinstance(value, dict) else str(value or "")
        return re.sub(r"\{(\w+)\}", lambda m: str(figures[m[1]]["value"]), value)

    prs = Presentation(str(MASTER))
    for source_slide in data["slides"]:
        layout = prs.slide_layouts[0 if source_slide["kind"] == "title" else 1]
        slide = prs.slides.add_slide(layout)
        slide.shapes.title.text = text(source_slide["title"])
        lines = [text(p) for p in source_slide.get("points", [])]
        for item in source_slide.get("items", []):  # KPIs name a figure, actions say why
            if "figure" in item:
                figure = figures[item["figure"]]
                lines.append(f"{figure['value']} {text(figure['label'])}")
            else:
                lines.append(f"{text(item['action'])}: {text(item['why'])}")
        lines += [f"{text(e['when'])} {text(e['what'])}" for e in source_slide.get("events", [])]
        for side in ("left", "right"):
            if side in source_slide:
                lines += [text(source_slide[side]["heading"])]
                lines += [text(p) for p in source_slide[side]["points"]]
        if "quote" in source_slide:
            lines.append(text(source_slide["quote"]))
        body = next((ph for ph in slide.placeholders if ph.placeholder_format.idx == 1), None)
        if body is not None and lines:
            body.text_frame.text = "\n".join(lines)
        if "chart" in source_slide:
            chart = charts[source_slide["chart"]]
            chart_data = CategoryChartData()
            chart_data.categories = [text(c) for c in chart["categories"]]
            for series in chart["series"]:
                values = [figures[v]["value"] for v in series["values"]]
                chart_data.add_series(text(series["name"]), values)
            slide.shapes.add_chart(
                CHART_TYPES.get(chart["kind"], XL_CHART_TYPE.COLUMN_CLUSTERED),
                Inches(6.8),
                Inches(1.6),
                Inches(6),
                Inches(5),
                chart_data,
            )
        slide.notes_slide.notes_text_frame.text = text(source_slide.get("notes", ""))
    prs.save(str(out))


if __name__ == "__main__":
    main()

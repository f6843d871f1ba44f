"""The text measure against a real renderer: lines measured equal lines LibreOffice draws."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from pptx import Presentation
from pptx.util import Emu, Pt

from briefing.render.pptx_text import Style, TextSetter
from briefing.viewers import office_to_pdf

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        not os.environ.get("CI") and not (shutil.which("soffice") and shutil.which("pdftotext")),
        reason="needs LibreOffice and poppler-utils",
    ),
]
SAMPLES = [
    (
        "zh",
        20,
        300,
        "OpenAI 决定关停 Sora 并非单一产品成败问题，而是从多线扩张转向重点突破的战略收缩。",
    ),
    (
        "zh",
        18,
        420,
        "据美国《哈佛商业评论》3月刊发的一项研究结果，这正是遭遇“人工智能脑炸”的症状。",
    ),
    ("zh", 24, 260, "视频生成比文本和代码更耗算力、存储和审核成本，商业化路径并不清晰。"),
    ("zh", 16, 200, "限制每人同时照看的 AI 工具数量，安排休息，关注疲劳信号。"),
    ("en", 20, 300, "The industry is turning from showing performance to commercial delivery."),
    (
        "en",
        18,
        420,
        "Supervising many AI tools at once overloads attention: more errors, decision fatigue.",
    ),
    ("en", 24, 260, "One year of running Sora cost about 2,381x its lifetime revenue."),
    ("en", 16, 200, "Figures carry sources and drafts get a human review: no workslop."),
]


def test_lines_measured_equal_lines_drawn(tmp_path: Path):
    prs = Presentation()
    prs.slide_width, prs.slide_height = Emu(12192000), Emu(6858000)
    measured = []
    for lang, size, width_pt, text in SAMPLES:
        setter = TextSetter(lang, "Source Sans Pro", "Noto Sans CJK SC")
        slide = prs.slides.add_slide(prs.slide_layouts[6])
        box = slide.shapes.add_textbox(Pt(40), Pt(40), Pt(width_pt), Pt(300))
        setter.write(box.text_frame, [(text, Style(size=size))])
        usable = width_pt - 14.4  # the default insets, 0.1 in left and right
        measured.append(len(setter.measure.lines(text, usable, size)))
    deck = tmp_path / "samples.pptx"
    prs.save(deck)
    pdf = office_to_pdf(deck, tmp_path)
    layout = subprocess.run(
        ["pdftotext", "-bbox-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    drawn = [len(re.findall(r"<line ", page)) for page in layout.split("<page ")[1:]]
    assert drawn == measured

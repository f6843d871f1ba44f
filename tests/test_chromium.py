"""A real browser: headless Chromium shows the page and prints it on one sheet."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest
from PIL import Image
from pypdf import PdfReader

from briefing.api import build

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        not os.environ.get("CI") and CHROMIUM is None,
        reason="needs Chromium: apt-get install chromium",
    ),
]
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--hide-scrollbars",
]


def chromium(tmp_path: Path, *arguments: str) -> None:
    subprocess.run(
        [CHROMIUM, *FLAGS, f"--user-data-dir={tmp_path / 'profile'}", *arguments],
        check=True,
        capture_output=True,
        timeout=120,
    )


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_chromium_shows_the_page_and_prints_one_sheet(tmp_path: Path, lang: str):
    [html] = build(None, ("html",), lang, tmp_path)
    shot = tmp_path / "shot.png"
    chromium(tmp_path, "--window-size=1280,1600", f"--screenshot={shot}", html.as_uri())
    image = Image.open(shot).convert("L")
    low, high = image.getextrema()
    assert high - low > 150, "the screenshot is blank"
    dark = sum(image.histogram()[:128]) / (image.width * image.height)
    assert dark > 0.01, "hardly any text or chart drawn"
    printed = tmp_path / "printed.pdf"
    chromium(tmp_path, "--no-pdf-header-footer", f"--print-to-pdf={printed}", html.as_uri())
    assert len(PdfReader(str(printed)).pages) == 1

"""`briefing preview`: a deck drawn by LibreOffice, one PNG per slide and a contact sheet."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from PIL import Image
from pptx import Presentation

from briefing.cli import main
from briefing.preview import contact_sheet


@pytest.mark.slow
def test_preview_builds_the_briefing_and_draws_every_slide(tmp_path: Path):
    result = CliRunner().invoke(main, ["preview", "--lang", "en", "-o", str(tmp_path)])
    assert result.exit_code == 0, result.output
    printed = [Path(line) for line in result.output.split()]
    *pages, sheet = printed
    slides = len(Presentation(str(tmp_path / "sora-en.pptx")).slides)
    assert len(pages) == slides and all(page.suffix == ".png" for page in pages)
    assert sheet.name == "sora-en-sheet.png"
    width, height = _size(pages[0])
    assert _size(sheet) == (4 * width + 5 * 8, 4 * height + 5 * 8)  # 13 slides: 4 rows


def _size(png: Path) -> tuple[int, int]:
    with Image.open(png) as image:  # reading the size alone leaves the file open
        return image.size


def test_a_contact_sheet_keeps_page_order(tmp_path: Path):
    colours = ["#ff0000", "#00ff00", "#0000ff"]
    pages = []
    for index, colour in enumerate(colours):
        path = tmp_path / f"page-{index}.png"
        Image.new("RGB", (20, 10), colour).save(path)
        pages.append(path)
    contact_sheet(pages, tmp_path / "sheet.png", columns=2)
    sheet = Image.open(tmp_path / "sheet.png")
    sheet.load()  # the file is closed once read
    assert sheet.size == (2 * 20 + 3 * 8, 2 * 10 + 3 * 8)
    assert sheet.getpixel((8 + 10, 8 + 5)) == (255, 0, 0)
    assert sheet.getpixel((8 + 20 + 8 + 10, 8 + 5)) == (0, 255, 0)
    assert sheet.getpixel((8 + 10, 8 + 10 + 8 + 5)) == (0, 0, 255)


def test_a_missing_deck_is_a_clear_error(tmp_path: Path):
    result = CliRunner().invoke(main, ["preview", str(tmp_path / "none.pptx"), "-o", str(tmp_path)])
    assert result.exit_code == 1
    assert "none.pptx: no such deck" in result.output

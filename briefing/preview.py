"""`briefing preview`: a deck as LibreOffice draws it, one PNG per slide and a contact sheet."""

from __future__ import annotations

from pathlib import Path

from briefing.errors import BriefingError
from briefing.viewers import office_to_pdf, pdf_to_png

SHEET_COLUMNS = 4
SHEET_GAP = 8  # pixels between the pages of the contact sheet


def preview(deck: Path, out_dir: Path, dpi: int = 60) -> tuple[list[Path], Path]:
    """Render a .pptx into out_dir: slide PNGs in order, and a contact sheet of them all."""
    if not deck.is_file():
        raise BriefingError(f"{deck}: no such deck")
    if deck.suffix.lower() != ".pptx":
        raise BriefingError(f"{deck}: not a .pptx deck; give a deck, or a briefing to build first")
    pdf = office_to_pdf(deck, out_dir)
    pages = pdf_to_png(pdf, out_dir / deck.stem, dpi)
    if not pages:
        raise BriefingError(f"{deck}: LibreOffice drew no slide")
    sheet = out_dir / f"{deck.stem}-sheet.png"
    contact_sheet(pages, sheet)
    return pages, sheet


def contact_sheet(pages: list[Path], target: Path, columns: int = SHEET_COLUMNS) -> None:
    """Tile page images, in order, into one picture to take a deck in at a glance."""
    from PIL import Image

    images = [Image.open(page).convert("RGB") for page in pages]
    width, height = images[0].size
    columns = min(columns, len(images))
    rows = (len(images) + columns - 1) // columns
    size = (
        columns * width + (columns + 1) * SHEET_GAP,
        rows * height + (rows + 1) * SHEET_GAP,
    )
    sheet = Image.new("RGB", size, "#808080")
    for index, image in enumerate(images):
        left = SHEET_GAP + (index % columns) * (width + SHEET_GAP)
        top = SHEET_GAP + (index // columns) * (height + SHEET_GAP)
        sheet.paste(image.resize((width, height)), (left, top))
    sheet.save(target)

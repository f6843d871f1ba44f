"""Render a deck to PNG pages through LibreOffice, with the shipped fonts made visible to it."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

from briefing.fonts import font_dirs


def fontconfig_env(work: Path) -> dict[str, str]:
    """An environment whose fontconfig also sees the fonts shipped as PyPI packages."""
    dirs = "".join(f"<dir>{d}</dir>" for d in font_dirs())
    conf = work / "fonts.conf"
    conf.write_text(
        '<?xml version="1.0"?><fontconfig>'
        '<include ignore_missing="yes">/etc/fonts/fonts.conf</include>'
        f"{dirs}<cachedir>{work / 'fc-cache'}</cachedir></fontconfig>",
        encoding="utf-8",
    )
    return {**os.environ, "FONTCONFIG_FILE": str(conf), "HOME": str(work)}


def deck_to_pdf(deck: Path, out_dir: Path) -> Path:
    """Convert a deck to PDF with headless LibreOffice; return the PDF path."""
    out_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as work:
        subprocess.run(
            ["soffice", "--headless", "--norestore", f"-env:UserInstallation=file://{work}/lo",
             "--convert-to", "pdf", "--outdir", str(out_dir), str(deck)],
            check=True, capture_output=True, timeout=180, env=fontconfig_env(Path(work)),
        )
    return out_dir / (deck.stem + ".pdf")


def pdf_to_png(pdf: Path, prefix: Path, dpi: int = 60) -> list[Path]:
    """Rasterise each page of a PDF with pdftoppm."""
    subprocess.run(["pdftoppm", "-png", "-r", str(dpi), str(pdf), str(prefix)], check=True)
    return sorted(prefix.parent.glob(prefix.name + "*.png"))


if __name__ == "__main__":
    for name in sys.argv[1:]:
        pdf = deck_to_pdf(Path(name), Path("outputs/preview"))
        print("\n".join(str(p) for p in pdf_to_png(pdf, Path("outputs/preview") / Path(name).stem)))

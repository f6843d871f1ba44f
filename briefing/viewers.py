"""Open outputs in the real clients (LibreOffice, pdftoppm) for previews and tests."""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from briefing.errors import BriefingError
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


def office_to_pdf(document: Path, out_dir: Path) -> Path:
    """Convert a deck to PDF with headless LibreOffice; return the PDF's path."""
    return office_convert(document, out_dir, "pdf")


def office_convert(document: Path, out_dir: Path, suffix: str) -> Path:
    """Convert a document with headless LibreOffice (to pdf, pptx, ...); return the new path."""
    [converted] = office_convert_many([document], out_dir, suffix)
    return converted


def pdf_to_png(pdf: Path, prefix: Path, dpi: int = 60) -> list[Path]:
    """Rasterise each page of a PDF with pdftoppm; return the PNG paths in page order."""
    return _rasterise(pdf, prefix, dpi, "png")


def pdf_to_pixels(pdf: Path, prefix: Path, dpi: int = 60) -> list[Path]:
    """Each page as an uncompressed picture (PPM) for reading back at once: pdftoppm spends
    seconds compressing a textured page to PNG (Vintage's paper: 3.6 s a page at 150 dpi, 0.1 s
    as PPM), which nobody but the reader here would see."""
    return _rasterise(pdf, prefix, dpi, "ppm")


def _rasterise(pdf: Path, prefix: Path, dpi: int, kind: str) -> list[Path]:
    if shutil.which("pdftoppm") is None:
        raise BriefingError("pdftoppm is not installed; on Debian: apt-get install poppler-utils")
    prefix.parent.mkdir(parents=True, exist_ok=True)
    form = ["-png"] if kind == "png" else []
    subprocess.run(["pdftoppm", *form, "-r", str(dpi), str(pdf), str(prefix)], check=True)
    return sorted(prefix.parent.glob(f"{prefix.name}-*.{kind}"))


def office_convert_many(documents: list[Path], out_dir: Path, suffix: str) -> list[Path]:
    """Convert several documents in one LibreOffice start (it costs seconds); return new paths."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        raise BriefingError(
            "LibreOffice is not installed; on Debian: apt-get install libreoffice-impress"
        )
    out_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as work:
        try:
            subprocess.run(
                [
                    soffice,
                    "--headless",
                    "--norestore",
                    f"-env:UserInstallation=file://{work}/lo",
                    "--convert-to",
                    suffix,
                    "--outdir",
                    str(out_dir),
                    *map(str, documents),
                ],
                check=True,
                capture_output=True,
                timeout=120 + 60 * len(documents),
                env=fontconfig_env(Path(work)),
            )
        except (subprocess.CalledProcessError, subprocess.TimeoutExpired) as failure:
            names = ", ".join(str(d) for d in documents)
            raise BriefingError(f"LibreOffice could not convert {names}: {failure}") from None
    converted = [out_dir / f"{document.stem}.{suffix}" for document in documents]
    missing = [str(d) for d, c in zip(documents, converted) if not c.is_file()]
    if missing:
        raise BriefingError(f"LibreOffice did not convert {', '.join(missing)}")
    return converted

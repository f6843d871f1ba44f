"""A real client: LibreOffice opens each deck and draws one page per slide."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from pypdf import PdfReader

from briefing.api import build
from briefing.viewers import office_to_pdf, pdf_to_png

# CI installs LibreOffice and poppler; elsewhere, say what is missing instead of failing.
pytestmark = pytest.mark.skipif(
    not os.environ.get("CI") and not (shutil.which("soffice") and shutil.which("pdftoppm")),
    reason="needs LibreOffice and poppler-utils: apt-get install libreoffice-impress poppler-utils",
)


@pytest.mark.slow
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_libreoffice_renders_every_slide(tmp_path: Path, lang: str):
    [deck] = build(None, ("pptx",), lang, tmp_path)
    pdf = office_to_pdf(deck, tmp_path / "pdf")
    reader = PdfReader(str(pdf))
    from pptx import Presentation

    assert len(reader.pages) == len(Presentation(str(deck)).slides)
    text = "".join(page.extract_text() for page in reader.pages)
    expected = {"zh": "8400亿美元", "en": "US$840 bn"}[lang]
    assert expected in text.replace(" ", "").replace("US$840bn", "US$840 bn")
    fonts = {
        str(font.get("/BaseFont"))
        for page in reader.pages
        for font in (page.get("/Resources", {}).get("/Font", {}) or {}).values()
        for font in [font.get_object()]
    }
    if lang == "zh":
        assert any("NotoSansCJK" in f for f in fonts), fonts
    pngs = pdf_to_png(pdf, tmp_path / "png" / "page", dpi=20)
    assert len(pngs) == len(reader.pages)
    from PIL import Image

    for png in pngs:
        low, high = Image.open(png).convert("L").getextrema()
        assert high - low > 100, f"{png.name} looks blank"

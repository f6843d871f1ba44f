"""After `briefing fonts install`, a plain LibreOffice draws a Chinese deck in the shipped fonts."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest
from pypdf import PdfReader

from briefing.api import build
from briefing.font_install import Machine, install_fonts

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not shutil.which("soffice"), reason="needs LibreOffice"),
]


def _pdf_fonts(pdf: Path) -> set[str]:
    """The base names of the fonts a PDF embeds (without the subset prefix)."""
    names = set()
    for page in PdfReader(pdf).pages:
        for font in page["/Resources"].get("/Font", {}).values():
            names.add(str(font.get_object()["/BaseFont"]).split("+")[-1])
    return names


def _fc_match(home: Path, env: dict[str, str]) -> str:
    result = subprocess.run(
        ["fc-match", "-f", "%{family}", "Noto Sans CJK SC:lang=zh-cn"],
        capture_output=True,
        text=True,
        env={**env, "HOME": str(home)},
        check=True,
    )
    return result.stdout


def test_libreoffice_draws_the_chinese_in_noto_after_the_install(write_briefing, tmp_path: Path):
    home = tmp_path / "home"
    home.mkdir()
    # The user's own folders only: XDG paths set elsewhere would point past the fake home.
    env = {k: v for k, v in os.environ.items() if not k.startswith(("XDG_", "FONTCONFIG"))}
    if "Noto Sans CJK" in _fc_match(home, env):
        pytest.skip("this machine has Noto Sans CJK installed: nothing to prove")
    (deck,) = build(write_briefing(), ("pptx",), lang="zh", out_dir=tmp_path / "out", check=False)

    install_fonts(Machine("linux", home, {**env, "HOME": str(home)}))
    assert "Noto Sans CJK" in _fc_match(home, env)
    subprocess.run(
        [
            "soffice",
            "--headless",
            "--norestore",
            f"-env:UserInstallation=file://{tmp_path / 'profile'}",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path / "pdf"),
            str(deck),
        ],
        env={**env, "HOME": str(home)},
        capture_output=True,
        check=True,
        timeout=180,
    )
    fonts = _pdf_fonts(tmp_path / "pdf" / f"{deck.stem}.pdf")
    assert any(name.startswith("NotoSansCJK") for name in fonts), fonts

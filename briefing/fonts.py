"""Where the font files that ship with briefing (as PyPI packages) are on this machine."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from importlib.util import find_spec
from pathlib import Path

from briefing.errors import BriefingError


@dataclass(frozen=True)
class FontFiles:
    """A family's regular and bold files."""

    family: str
    regular: Path
    bold: Path


def _package_dir(module: str) -> Path:
    spec = find_spec(module)
    if spec is None or spec.origin is None:
        raise BriefingError(
            f"font package '{module}' is not installed; reinstall briefing (pip install .)"
        )
    return Path(spec.origin).parent


def _source_sans() -> FontFiles:
    files = _package_dir("font_source_sans_pro") / "files"
    return FontFiles(
        "Source Sans Pro", files / "SourceSansPro-Regular.otf", files / "SourceSansPro-Bold.otf"
    )


def _noto_cjk() -> FontFiles:
    # The package holds the Pan-CJK font with Traditional defaults; it covers Simplified
    # Chinese fully and viewers select SC forms through the text's lang.
    return FontFiles(
        "Noto Sans CJK",
        _package_dir("cvttf_NotoSansCJK_Regular") / "NotoSansCJKtc-Regular.otf",
        _package_dir("cvttf_NotoSansCJK_Bold") / "NotoSansCJKtc-Bold.otf",
    )


SHIPPED = {"Source Sans Pro": _source_sans, "Noto Sans CJK": _noto_cjk}


def font_files(family: str) -> FontFiles | None:
    """Return the shipped files of a family (Noto Sans CJK SC/TC/JP all map to one file)."""
    for name, locate in SHIPPED.items():
        if family.startswith(name):
            return locate()
    return None


def font_dirs() -> list[Path]:
    """Every folder holding a shipped font, for fontconfig and the renderers."""
    return sorted({f.regular.parent for f in (locate() for locate in SHIPPED.values())})


# Faces with the advance widths of ones masters name but briefing does not ship: text measured
# with them breaks where LibreOffice (which draws them in their place) and PowerPoint break it.
METRIC_TWINS = {
    "Calibri": "Carlito",
    "Arial": "LiberationSans",
    "Times New Roman": "LiberationSerif",
}
SYSTEM_FONT_DIRS = (
    "/usr/share/fonts",
    "/usr/local/share/fonts",
    "~/.local/share/fonts",
    "~/.fonts",
    "/Library/Fonts",
    "~/Library/Fonts",
    "C:/Windows/Fonts",
)


def metric_twin(family: str) -> FontFiles | None:
    """The installed metric-compatible face of a family we do not ship, or None."""
    twin = METRIC_TWINS.get(family)
    return _installed(twin) if twin else None


@cache
def _installed(stem: str) -> FontFiles | None:
    """A face's regular and bold files in the system's font folders, or None if either lacks."""
    found: dict[str, Path] = {}
    for folder in SYSTEM_FONT_DIRS:
        root = Path(folder).expanduser()
        if root.is_dir():
            for style in ("Regular", "Bold"):
                for path in root.rglob(f"{stem}-{style}.ttf"):
                    found.setdefault(style, path)
    if len(found) < 2:
        return None
    return FontFiles(stem, found["Regular"], found["Bold"])

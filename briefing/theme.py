"""A theme: token values (colours, fonts, sizes), its master deck and the slide-kind layout map."""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from briefing.errors import ThemeError
from briefing.model import Budget

Color = str


class Fonts(BaseModel):
    """Typefaces: one for Latin script, one for East-Asian script."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    latin: str
    east_asian: str


class Colors(BaseModel):
    """Colour tokens as RRGGBB hex."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    primary: Color = Field(pattern=r"^[0-9A-Fa-f]{6}$")
    accent: Color = Field(pattern=r"^[0-9A-Fa-f]{6}$")
    text: Color = Field(pattern=r"^[0-9A-Fa-f]{6}$")
    muted: Color = Field(pattern=r"^[0-9A-Fa-f]{6}$")
    background: Color = Field(pattern=r"^[0-9A-Fa-f]{6}$")
    surface: Color = Field(pattern=r"^[0-9A-Fa-f]{6}$")
    cover_text: Color = Field(pattern=r"^[0-9A-Fa-f]{6}$")
    series: list[Color] = Field(min_length=1)


class Sizes(BaseModel):
    """Type sizes in points."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    cover_title: float
    title: float
    body: float
    small: float
    kpi: float
    min_body: float


class Budgets(BaseModel):
    """Readability limits: a default and per slide kind."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    default: Budget
    kinds: dict[str, Budget] = {}


class Theme(BaseModel):
    """A theme folder's tokens, as read from its theme.yaml."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    name: str
    folder: Path = Path(".")
    master: str = "master.pptx"
    fonts: Fonts
    colors: Colors
    sizes: Sizes
    layouts: dict[str, str]
    budgets: Budgets

    def files(self) -> list[Path]:
        """Every file of the theme a build reads (for the manifest)."""
        return sorted(p for p in self.folder.iterdir() if p.is_file() and p.suffix != ".py")

    @property
    def master_path(self) -> Path:
        """The master deck every pptx build starts from."""
        return self.folder / self.master


def shipped_themes_dir() -> Path:
    """The folder of themes that ship with briefing."""
    return Path(str(files("briefing.templates")))


def load_theme(name: str = "default") -> Theme:
    """Read a shipped theme by name."""
    folder = shipped_themes_dir() / name
    path = folder / "theme.yaml"
    try:
        tokens = yaml.safe_load(path.read_text(encoding="utf-8"))
        theme = Theme.model_validate({**tokens, "folder": folder})
    except OSError as error:
        raise ThemeError(f"{path}: cannot read the theme: {error.strerror}") from None
    except (yaml.YAMLError, ValidationError) as error:
        raise ThemeError(f"{path}: not a valid theme: {error}") from None
    if not theme.master_path.is_file():
        raise ThemeError(f"{path}: the master deck {theme.master} is missing")
    return theme

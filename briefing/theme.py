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
    """A theme's tokens merged along its chain, its master deck and its template folders."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    name: str
    folders: tuple[Path, ...] = Field(description="template lookup chain, most specific first")
    master_path: Path
    fonts: Fonts
    colors: Colors
    sizes: Sizes
    layouts: dict[str, str]
    budgets: Budgets

    @property
    def folder(self) -> Path:
        """The most specific folder of the chain."""
        return self.folders[0]

    def find(self, filename: str) -> Path | None:
        """The first file of that name along the chain (user folder, parents, default)."""
        for folder in self.folders:
            if (folder / filename).is_file():
                return folder / filename
        return None

    def files(self) -> list[Path]:
        """Every file a build reads from the theme (for the manifest): the first of each name."""
        names = sorted({p.name for f in self.folders for p in f.iterdir() if p.is_file()})
        found = [self.find(n) for n in names if not n.endswith(".py") and n != "theme.yaml"]
        # Every theme.yaml of the chain counts: a parent's token change changes the output.
        found += [f / "theme.yaml" for f in self.folders if (f / "theme.yaml").is_file()]
        if self.master_path not in found:
            found.append(self.master_path)
        return [p for p in found if p is not None]


THEME_KEYS = {"name", "extends", "master", "fonts", "colors", "sizes", "layouts", "budgets"}
SECTION_MODELS = {"fonts": Fonts, "colors": Colors, "sizes": Sizes, "budgets": Budgets}
MASTER_SUFFIXES = (".pptx", ".potx")


def shipped_themes_dir() -> Path:
    """The folder of themes that ship with briefing."""
    return Path(str(files("briefing.templates")))


def shipped_themes() -> list[str]:
    """Names of the themes that ship with briefing."""
    root = shipped_themes_dir()
    return sorted(p.name for p in root.iterdir() if (p / "theme.yaml").is_file())


def load_theme(spec: str | Path | None = None) -> Theme:
    """A theme from a shipped name, a theme folder, or a .pptx/.potx master (default: default)."""
    spec = str(spec) if spec is not None else "default"
    path = Path(spec)
    if path.suffix.lower() in MASTER_SUFFIXES:
        return _master_theme(path)
    if path.is_dir():
        return _folder_theme(path.resolve())
    if spec in shipped_themes():
        return _folder_theme(shipped_themes_dir() / spec)
    raise ThemeError(
        f"{spec}: no such theme; give a shipped theme ({', '.join(shipped_themes())}), "
        "a theme folder, or a .pptx/.potx master"
    )


def _folder_theme(folder: Path) -> Theme:
    chain = _chain(folder)
    tokens: dict = {}
    for _, layer in reversed(chain):
        tokens = _merge(tokens, {k: v for k, v in layer.items() if k not in ("extends", "name")})
    folders = tuple(f for f, _ in chain)
    master = None
    for theme_folder, layer in chain:
        candidate = theme_folder / layer.get("master", "master.pptx")
        if candidate.is_file():
            master = candidate
            break
        if "master" in layer:
            raise ThemeError(
                f"{theme_folder / 'theme.yaml'}: master '{layer['master']}' is not in "
                f"{theme_folder}"
            )
    if master is None:
        raise ThemeError(f"{folder / 'theme.yaml'}: no master deck in the theme or its parents")
    tokens.pop("master", None)
    name = chain[0][1].get("name", folder.name)
    return _validated(
        folder / "theme.yaml", {**tokens, "name": name, "folders": folders, "master_path": master}
    )


def _chain(folder: Path) -> list[tuple[Path, dict]]:
    """The theme folder, then what it extends, down to default (which extends nothing)."""
    chain: list[tuple[Path, dict]] = []
    seen: list[Path] = []
    default = (shipped_themes_dir() / "default").resolve()
    while True:
        folder = folder.resolve()
        if folder in seen:
            cycle = " -> ".join(str(f / "theme.yaml") for f in [*seen, folder])
            raise ThemeError(f"{folder / 'theme.yaml'}: `extends` makes a cycle: {cycle}")
        seen.append(folder)
        layer = _read_layer(folder / "theme.yaml")
        chain.append((folder, layer))
        parent = layer.get("extends")
        if parent is None:
            if folder == default:
                return chain
            parent = "default"
        folder = _parent_folder(folder, str(parent))


def _parent_folder(folder: Path, parent: str) -> Path:
    for candidate in (folder.parent / parent, folder / parent):  # beside it, or a path
        if (candidate / "theme.yaml").is_file():
            return candidate
    if parent in shipped_themes():
        return shipped_themes_dir() / parent
    raise ThemeError(
        f"{folder / 'theme.yaml'}: extends '{parent}', which is neither a shipped theme "
        f"({', '.join(shipped_themes())}) nor a theme folder beside it"
    )


def _read_layer(path: Path) -> dict:
    """One theme.yaml, its keys checked against the allowed ones."""
    try:
        layer = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except OSError as error:
        raise ThemeError(f"{path}: cannot read the theme: {error.strerror}") from None
    except yaml.YAMLError as error:
        raise ThemeError(f"{path}: not valid YAML: {error}") from None
    if not isinstance(layer, dict):
        raise ThemeError(f"{path}: expected a mapping of theme keys")
    problems = [_unknown_key(k, THEME_KEYS) for k in layer if k not in THEME_KEYS]
    for section, model in SECTION_MODELS.items():
        value = layer.get(section)
        if isinstance(value, dict):
            allowed = set(model.model_fields)
            problems += [_unknown_key(k, allowed, section) for k in value if k not in allowed]
    if problems:
        raise ThemeError(f"{path}: " + "; ".join(problems))
    return layer


def _unknown_key(key, allowed: set[str], section: str = "") -> str:
    from difflib import get_close_matches

    name = f"{section}.{key}" if section else key
    message = f"unknown key '{name}' (allowed: {', '.join(sorted(allowed))})"
    close = get_close_matches(str(key), sorted(allowed), n=1)
    return message + (f"; did you mean '{close[0]}'?" if close else "")


def _merge(base: dict, override: dict) -> dict:
    """Deep-merge mappings: the override wins key by key; lists are replaced whole."""
    merged = dict(base)
    for key, value in override.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = _merge(merged[key], value)
        else:
            merged[key] = value
    return merged


def _validated(path: Path, tokens: dict) -> Theme:
    try:
        return Theme.model_validate(tokens)
    except ValidationError as error:
        details = "; ".join(
            f"{'.'.join(str(p) for p in e['loc'])}: {e['msg']}" for e in error.errors()
        )
        raise ThemeError(f"{path}: not a valid theme: {details}") from None


def _master_theme(path: Path) -> Theme:
    """The default theme's tokens with the colours and fonts of a user's master deck."""
    from briefing.master import master_tokens

    if not path.is_file():
        raise ThemeError(f"{path}: no such master deck")
    default = _folder_theme(shipped_themes_dir() / "default")
    tokens = _merge(default.model_dump(), master_tokens(path))
    # The default theme's layout names describe its own master: find this one's by shape.
    tokens["layouts"] = {}
    return _validated(path, {**tokens, "name": path.stem, "master_path": path.resolve()})


def export_theme(name: str, folder: Path) -> list[Path]:
    """Copy a shipped theme's files into a new folder a user can edit and build with."""
    import shutil

    if name not in shipped_themes():
        raise ThemeError(f"{name}: no shipped theme of that name ({', '.join(shipped_themes())})")
    if folder.exists() and any(folder.iterdir()):
        raise ThemeError(f"{folder}: the folder is not empty; export into a new folder")
    theme = load_theme(name)
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for path in theme.files():
        shutil.copyfile(path, folder / path.name)
        written.append(folder / path.name)
    # The copy stands alone: every token is written out, so it extends nothing.
    tokens = theme.model_dump(mode="json", exclude={"folders", "master_path", "name"})
    text = yaml.safe_dump({"name": folder.name, **tokens}, allow_unicode=True, sort_keys=False)
    (folder / "theme.yaml").write_text(
        f"# Exported from the '{name}' theme; edit freely.\n{text}", encoding="utf-8"
    )
    return sorted(written)

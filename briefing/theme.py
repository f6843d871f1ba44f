"""A theme: token values (colours, fonts, sizes), its master deck and the slide-kind layout map."""

from __future__ import annotations

import math
import re
from importlib.resources import files
from pathlib import Path
from typing import Annotated

import yaml
from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationError,
)

from briefing.errors import InputError, ThemeError
from briefing.inputs import read_input
from briefing.model import Budget

# Theme values are written into CSS, SVG and XML: each is checked here, where it enters.
FONT_NAME = re.compile(r"\w[\w .+()-]{0,63}")  # \w is any script's letters and digits: 微软雅黑
FONT_NAME_ALLOWED = "letters, digits, spaces and - . _ + ( ), at most 64 characters"
COLOR = re.compile(r"[0-9A-Fa-f]{6}")
MAX_THEME_FILE = 1_000_000  # a theme.yaml has ~1 KB, a stylesheet ~10 KB
MAX_SIZE = 4000  # points: PowerPoint's own largest type size


def _shown(value) -> str:
    """A value as a message quotes it: short, whatever its length."""
    text = repr(value)
    return text if len(text) <= 40 else text[:36] + "...'"


def font_name_problem(value) -> str | None:
    """What is wrong with a font name, or None when it is one."""
    if not isinstance(value, str) or not FONT_NAME.fullmatch(value):
        return f"{_shown(value)} is not a font name; a font name has {FONT_NAME_ALLOWED}"
    return None


def color_problem(value) -> str | None:
    """What is wrong with a colour, or None when it is six hex digits."""
    if isinstance(value, int) and not isinstance(value, bool):
        # YAML reads 000000 or 123456 as a number and drops leading zeros.
        return (
            f"{_shown(value)} is a number to YAML; a colour is six hex digits RRGGBB, "
            "so quote one of digits only ('000000')"
        )
    if not isinstance(value, str) or not COLOR.fullmatch(value):
        return f"{_shown(value)} is not a colour; a colour is six hex digits RRGGBB (like 1F4E79)"
    return None


def size_problem(value) -> str | None:
    """What is wrong with a type size, or None when it is a usable number of points."""
    allowed = f"a size is a finite number of points, more than 0 and at most {MAX_SIZE}"
    if isinstance(value, bool) or not isinstance(value, int | float):
        return f"{_shown(value)} is not a number; {allowed}"
    if not math.isfinite(value) or not 0 < value <= MAX_SIZE:
        return f"{_shown(value)} is out of range; {allowed}"
    return None


def _checked(problem_of):
    def check(value):
        problem = problem_of(value)
        if problem:
            raise ValueError(problem)
        return value

    return check


FontName = Annotated[str, BeforeValidator(_checked(font_name_problem))]
Color = Annotated[str, BeforeValidator(_checked(color_problem))]
Size = Annotated[float, BeforeValidator(_checked(size_problem)), AfterValidator(float)]


class Fonts(BaseModel):
    """Typefaces: one for Latin script, one for East-Asian script."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    latin: FontName
    east_asian: FontName


class Colors(BaseModel):
    """Colour tokens as RRGGBB hex."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    primary: Color
    accent: Color
    text: Color
    muted: Color
    background: Color
    surface: Color
    cover_text: Color
    cover_background: Color | None = None  # the cover's fill; the primary colour when absent
    cover_title: Color | None = None  # the cover title's colour; the background when absent
    series: list[Color] = Field(min_length=1, max_length=64)


class Sizes(BaseModel):
    """Type sizes in points."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    cover_title: Size
    title: Size
    body: Size
    small: Size
    kpi: Size
    min_body: Size


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
    warnings: tuple[str, ...] = Field(default=(), description="what loading it left out, why")

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
TOKEN_CHECKS = {"fonts": font_name_problem, "colors": color_problem, "sizes": size_problem}
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
        candidate = theme_folder / _master_name(theme_folder, layer.get("master", "master.pptx"))
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
    from briefing.master import read_master

    warnings = read_master(master).warnings  # checked now: a refused master stops any build
    return _validated(
        folder / "theme.yaml",
        {**tokens, "name": name, "folders": folders, "master_path": master, "warnings": warnings},
    )


def _master_name(folder: Path, name) -> str:
    """The master's file name from a theme.yaml: a file of the theme's own folder, since a
    theme someone sends you must not pick up another deck of yours."""
    if not isinstance(name, str) or name in ("", ".", "..") or Path(name).name != name:
        raise ThemeError(
            f"{folder / 'theme.yaml'}: master: {_shown(name)} is not a file name; give the name "
            "of a .pptx or .potx in the theme's folder (no folders in it)"
        )
    if (folder / name).is_symlink() and (folder / name).resolve().parent != folder.resolve():
        raise ThemeError(f"{folder / 'theme.yaml'}: master: {name} links outside the theme folder")
    return name


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
        # A folder named like the theme it extends (an export of `default` into ./default)
        # means the shipped one, not itself.
        if (candidate / "theme.yaml").is_file() and candidate.resolve() != folder:
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
        text = read_input(path, MAX_THEME_FILE, "a theme.yaml").decode("utf-8")
        layer = yaml.safe_load(text) or {}
    except InputError as error:
        raise ThemeError(str(error)) from None
    except UnicodeDecodeError as error:
        raise ThemeError(f"{path}: not UTF-8 text (byte {error.start})") from None
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
    located = _token_problems(layer)
    if located:
        lines = _lines_of(text)
        raise ThemeError(
            "\n".join(
                f"{path}:{lines.get(keys, 1)}: {field}: {what}" for keys, field, what in located
            )
        )
    return layer


def _token_problems(layer: dict) -> list[tuple[tuple, str, str]]:
    """Each font, colour and size of one theme.yaml that is not one: (keys, field, problem)."""
    problems = []
    for section, problem_of in TOKEN_CHECKS.items():
        values = layer.get(section)
        if not isinstance(values, dict):
            continue
        for key, value in values.items():
            if section == "colors" and key == "series":
                if not isinstance(value, list) or not 1 <= len(value) <= 64:
                    problems.append(
                        ((section, key), f"{section}.{key}", "a list of 1 to 64 colours RRGGBB")
                    )
                    continue
                for index, entry in enumerate(value):
                    if problem := problem_of(entry):
                        problems.append(
                            ((section, key, index), f"{section}.{key}[{index}]", problem)
                        )
            elif problem := problem_of(value):
                problems.append(((section, key), f"{section}.{key}", problem))
    return problems


def _lines_of(text: str) -> dict[tuple, int]:
    """The line of each key and list item of a YAML mapping, by its path of keys."""
    lines: dict[tuple, int] = {}

    def walk(node, path: tuple) -> None:
        if isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                lines[(*path, key.value)] = key.start_mark.line + 1
                walk(value, (*path, key.value))
        elif isinstance(node, yaml.SequenceNode):
            for index, item in enumerate(node.value):
                lines[(*path, index)] = item.start_mark.line + 1
                walk(item, (*path, index))

    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError:
        return lines
    if root is not None:
        walk(root, ())
    return lines


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
            f"{'.'.join(str(p) for p in e['loc'])}: "
            + (str(e["ctx"]["error"]) if e["type"] == "value_error" else e["msg"])
            for e in error.errors()
        )
        raise ThemeError(f"{path}: not a valid theme: {details}") from None


def _master_theme(path: Path) -> Theme:
    """The default theme's tokens with the colours and fonts of a user's master deck."""
    from briefing.master import master_tokens, read_master

    if not path.is_file():
        raise ThemeError(f"{path}: no such master deck")
    default = _folder_theme(shipped_themes_dir() / "default")
    warnings: list[str] = []
    tokens = _merge(default.model_dump(), master_tokens(path, warnings))
    # The default theme's layout names describe its own master: find this one's by shape.
    tokens["layouts"] = {}
    warnings[:0] = read_master(path).warnings
    return _validated(
        path,
        {**tokens, "name": path.stem, "master_path": path.resolve(), "warnings": tuple(warnings)},
    )


def export_theme(name: str, folder: Path) -> list[Path]:
    """Copy a shipped theme's files into a new folder a user can edit and build with."""
    import shutil

    if name not in shipped_themes():
        raise ThemeError(f"{name}: no shipped theme of that name ({', '.join(shipped_themes())})")
    if folder.exists() and any(folder.iterdir()):
        raise ThemeError(f"{folder}: the folder is not empty; export into a new folder")
    theme = load_theme(name)
    folder.mkdir(parents=True, exist_ok=True)
    written = [folder / "theme.yaml"]
    # Each theme.yaml of the chain is replaced by the one written below.
    for path in (p for p in theme.files() if p.name != "theme.yaml"):
        shutil.copyfile(path, folder / path.name)
        written.append(folder / path.name)
    # The copy stands alone: every token is written out, so it extends nothing.
    tokens = theme.model_dump(
        mode="json", exclude={"folders", "master_path", "name", "warnings"}, exclude_none=True
    )
    text = yaml.safe_dump({"name": folder.name, **tokens}, allow_unicode=True, sort_keys=False)
    (folder / "theme.yaml").write_text(
        f"# Exported from the '{name}' theme; edit freely.\n{text}", encoding="utf-8"
    )
    return sorted(written)

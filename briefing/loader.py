"""Read a briefing YAML file into the model; every problem located as file:line:col and field."""

from __future__ import annotations

import hashlib
import re
import typing
import unicodedata
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ValidationError

from briefing.errors import InputError, Problem, SourceError
from briefing.inputs import read_input
from briefing.model import ID_PATTERN, Briefing
from briefing.references import reference_problems
from briefing.schema_words import in_our_words
from briefing.sound_part import SoundPart, sound_part, whole_part

Location = tuple[int, int]
MAX_BYTES = 2_000_000  # a long briefing is ~60 KB; this leaves room and refuses a dump
MAX_DEPTH = 30  # the format nests 6 levels; deeper is a mistake or an attack
MAX_VALUES = 100_000  # after alias expansion: a 500-slide briefing has ~20,000
MAX_DIGITS = 400  # of an integer; past 309 digits no float holds it anyway
# XML 1.0 cannot hold these; python-pptx and WeasyPrint fail on them.
CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
DataPath = tuple[str | int, ...]


class _Loader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):
    """libyaml's parser when PyYAML has it (the same nodes and marks, several times faster),
    reading dates as text: the model checks them, and 2026-02-30 gets a located error."""


_Loader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


class _Positions:
    """Where each value (and each mapping key) of a YAML document starts."""

    def __init__(self) -> None:
        self.values: dict[DataPath, Location] = {}
        self.keys: dict[DataPath, Location] = {}
        self.duplicates: list[tuple[DataPath, Location]] = []

    def record(self, node: yaml.Node, path: DataPath = ()) -> None:
        """Walk a composed node tree, remembering the mark of every value and key."""
        self.values[path] = _mark(node)
        if isinstance(node, yaml.MappingNode):
            own, merged = _merge_parts(node)
            for key_node, value_node in own:
                child = path + (_key(key_node),)
                if child in self.keys:
                    self.duplicates.append((child, _mark(key_node)))
                self.keys[child] = _mark(key_node)
                self.record(value_node, child)
            for key_node, value_node in merged:
                child = path + (_key(key_node),)
                # A key written beside `<<: *base` overrides the base's: YAML allows that.
                if child not in self.keys:
                    self.keys[child] = _mark(key_node)
                    self.record(value_node, child)
        elif isinstance(node, yaml.SequenceNode):
            for index, item in enumerate(node.value):
                self.record(item, path + (index,))

    def locate(self, path: DataPath, prefer_key: bool = False) -> Location:
        """Return the closest known position of a path (its key, its value, or a parent)."""
        while path:
            if prefer_key and path in self.keys:
                return self.keys[path]
            if path in self.values:
                return self.values[path]
            path = path[:-1]
        return self.values.get((), (1, 1))


MERGE = "tag:yaml.org,2002:merge"


def _merge_parts(node: yaml.MappingNode) -> tuple[list, list]:
    """A mapping's own pairs, and the pairs it takes from `<<` merges (first merge first)."""
    own, merged = [], []
    for key_node, value_node in node.value:
        if key_node.tag != MERGE:
            own.append((key_node, value_node))
            continue
        bases = value_node.value if isinstance(value_node, yaml.SequenceNode) else [value_node]
        for base in bases:
            if isinstance(base, yaml.MappingNode):
                base_own, base_merged = _merge_parts(base)
                merged += base_own + base_merged
    return own, merged


def _key(node: yaml.Node) -> str:
    return node.value if isinstance(node, yaml.ScalarNode) else str(node)


def _mark(node: yaml.Node) -> Location:
    return node.start_mark.line + 1, node.start_mark.column + 1


@dataclass(frozen=True)
class LoadedSource:
    """A validated briefing with where each of its values stands in its file; read with
    problems, the part of it that still checks (None when nothing does) and the problems."""

    briefing: Briefing | None
    file: str
    positions: _Positions
    sha256: str | None = None  # of the bytes read: the manifest records what was built from
    problems: tuple[Problem, ...] = ()  # every load problem, in file order
    part: SoundPart | None = None  # with problems: which of the file's items `briefing` kept

    def original(self, path: DataPath) -> DataPath:
        """A field path of `briefing` as the path of the same field in the file."""
        return self.part.original(path) if self.part else path

    def where(self, path: DataPath) -> Location:
        """Line and column of a field path of `briefing` (or of its nearest parent)."""
        return self.positions.locate(self.original(path))


def load(path: Path) -> Briefing:
    """Load and validate a briefing file, raising SourceError with every problem found."""
    return load_source(path).briefing


def load_source(path: Path) -> LoadedSource:
    """Load a briefing file, keeping the positions of its fields for later findings."""
    return _whole(load_with_problems(path))


def load_with_problems(path: Path) -> LoadedSource:
    """Load a briefing file that may not validate: its problems, and the part that checks.
    A file that cannot be read or parsed as YAML still raises SourceError."""
    name = str(path)
    try:
        data = read_input(path, MAX_BYTES, "a briefing")
    except InputError as error:
        raise SourceError([Problem(name, 0, 0, "", error.reason)]) from None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        column = error.start - (data.rfind(b"\n", 0, error.start) + 1) + 1
        message = f"not UTF-8 text: byte 0x{data[error.start]:02x} cannot start a character"
        raise SourceError([Problem(name, line, column, "", message)]) from None
    return replace(parse_with_problems(text, name), sha256=hashlib.sha256(data).hexdigest())


def parse(text: str, name: str = "<briefing>") -> Briefing:
    """Validate briefing YAML text; `name` is the file name used in messages."""
    return parse_source(text, name).briefing


def parse_source(text: str, name: str = "<briefing>") -> LoadedSource:
    """Validate briefing YAML text, keeping field positions."""
    return _whole(parse_with_problems(text, name))


def _whole(loaded: LoadedSource) -> LoadedSource:
    """A source that loaded without a problem, else SourceError with every problem."""
    if loaded.problems:
        raise SourceError(list(loaded.problems))
    return loaded


def parse_with_problems(text: str, name: str = "<briefing>") -> LoadedSource:
    """Validate briefing YAML text, keeping field positions; where items do not validate, the
    references among the rest are still resolved, so every load problem is found at once."""
    data, positions = _read_yaml(text, name)
    problems = [
        Problem(name, *location, field_name(path), "duplicate key; each key may appear once")
        for path, location in positions.duplicates
    ]
    part: SoundPart | None
    try:
        part = whole_part(Briefing.model_validate(data))
    except ValidationError as error:
        problems += [_problem(e, data, positions, name) for e in error.errors()]
        part = sound_part(data, [e["loc"] for e in error.errors()])
    if part is not None:
        found = reference_problems(part.briefing)
        for path, message in found:
            path = part.original(path)
            problems.append(Problem(name, *positions.locate(path), field_name(path), message))
        if found:
            part = part.without([path for path, _ in found])
    if not problems:
        return LoadedSource(part.briefing, name, positions)
    ordered = tuple(sorted(problems, key=lambda p: (p.line, p.column)))
    return LoadedSource(part and part.briefing, name, positions, problems=ordered, part=part)


def _read_yaml(text: str, name: str) -> tuple[Any, _Positions]:
    if len(text) > MAX_BYTES:
        message = f"the text has {len(text):,} characters; a briefing may have {MAX_BYTES:,}"
        raise SourceError([Problem(name, 0, 0, "", message)])
    loader = _Loader(text.removeprefix("\ufeff"))  # a byte-order mark is no content
    try:
        node = loader.get_single_node()
        if node is None:
            raise SourceError([Problem(name, 1, 1, "", "the file is empty; expected a briefing")])
        _check_shape(node, name)
        # Before construction: it copies merged keys into the mapping's own (and the copies
        # would read as duplicates).
        positions = _Positions()
        positions.record(node)
        data = loader.construct_document(node)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line, column = (mark.line + 1, mark.column + 1) if mark else (0, 0)
        what = " ".join(filter(None, [error.context, error.problem]))
        message = f"not valid YAML: {what}"
        if mark and _tab_at(text, mark.line, mark.column):
            message = "not valid YAML: tab, use spaces (YAML indents with spaces only)"
        elif mark and "mapping values are not allowed" in what:
            message = _colon_hint(text, mark.line)
        raise SourceError([Problem(name, line, column, "", message)]) from None
    except yaml.reader.ReaderError as error:
        # A raw control character in the file: the reader knows its offset, not its line.
        before = text[: error.position]
        if getattr(yaml, "CSafeLoader", None) and isinstance(loader, yaml.CSafeLoader):
            # libyaml counts bytes of UTF-8, not characters.
            before = text.encode("utf-8")[: error.position].decode("utf-8", "ignore")
        line, column = before.count("\n") + 1, len(before) - before.rfind("\n")
        message = (
            f"holds the control character U+{error.character:04X}, which documents "
            "cannot store; delete it"
        )
        raise SourceError([Problem(name, line, column, "", message)]) from None
    except (yaml.YAMLError, ValueError) as error:
        # PyYAML raises plain errors for a few scalars (a 5,000-digit number).
        raise SourceError([Problem(name, 0, 0, "", f"not valid YAML: {error}")]) from None
    finally:
        loader.dispose()
    if not isinstance(data, dict):
        raise SourceError(
            [Problem(name, 1, 1, "", "expected a mapping with meta, sources, figures, slides")]
        )
    problems = [
        Problem(name, *positions.locate(path), field_name(path), message)
        for path, message in _control_characters(data)
    ]
    if problems:
        raise SourceError(problems)
    return data, positions


# The key a text stands under, on the line where YAML met a second ": ".
_KEY_OF_LINE = re.compile(r"^\s*(?:-\s+)?([A-Za-z_][A-Za-z0-9_]*):\s")


def _colon_hint(text: str, line: int) -> str:
    """YAML's "mapping values are not allowed": nearly always a ': ' inside an unquoted text."""
    lines = text.removeprefix("\ufeff").split("\n")
    match = _KEY_OF_LINE.match(lines[line]) if line < len(lines) else None
    key = match.group(1) if match else "key"
    what = f"the text of '{key}'" if match else "a text on this line"
    return (
        f"not valid YAML: {what} holds ': ', which YAML reads as the start of a "
        f'mapping; put the text in quotes ({key}: "...: ...") or write it as a block '
        f"scalar ({key}: |- and the text on the next lines, indented)"
    )


def _tab_at(text: str, line: int, column: int) -> bool:
    """Whether a YAML error's line holds a tab at or before the column it names."""
    lines = text.removeprefix("\ufeff").split("\n")
    return line < len(lines) and "\t" in lines[line][: column + 1]


def _check_shape(node: yaml.Node, name: str) -> None:
    """Refuse documents too deep or too large once aliases are expanded ("billion laughs")."""
    stack = [(node, 1)]
    seen = 0
    while stack:
        current, depth = stack.pop()
        seen += 1
        if depth > MAX_DEPTH or seen > MAX_VALUES:
            what = (
                f"nests deeper than {MAX_DEPTH} levels"
                if depth > MAX_DEPTH
                else f"holds more than {MAX_VALUES:,} values once its aliases are expanded"
            )
            raise SourceError([Problem(name, *_mark(current), "", f"the document {what}")])
        if _too_long_a_number(current):
            message = (
                f"a number of {len(current.value):,} digits; numbers may have at most "
                f"{MAX_DIGITS} (a value is a float, and floats end near 1e308)"
            )
            raise SourceError([Problem(name, *_mark(current), "", message)])
        if isinstance(current, yaml.MappingNode):
            stack += [(child, depth + 1) for pair in current.value for child in pair]
        elif isinstance(current, yaml.SequenceNode):
            stack += [(child, depth + 1) for child in current.value]


def _too_long_a_number(node: yaml.Node) -> bool:
    """An integer too long to read: Python refuses past 4,300 digits, and without a line."""
    return (
        isinstance(node, yaml.ScalarNode)
        and node.tag == "tag:yaml.org,2002:int"
        and len(node.value) > MAX_DIGITS
    )


def _control_characters(data: Any, path: DataPath = ()) -> list[tuple[DataPath, str]]:
    """Strings holding characters an Office or XML file cannot store (a copied \\v, say)."""
    found = []
    if isinstance(data, dict):
        for key, value in data.items():
            found += _control_characters(value, path + (key,))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            found += _control_characters(value, path + (index,))
    elif isinstance(data, str):
        bad = CONTROL.search(data)
        if bad:
            found.append(
                (
                    path,
                    (
                        f"holds the control character U+{ord(bad.group()):04X} at character "
                        f"{bad.start() + 1}, which documents cannot store; delete it"
                    ),
                )
            )
    return found


def _problem(error: dict, data: Any, positions: _Positions, name: str) -> Problem:
    """Turn one pydantic error into a located, plainly worded problem."""
    path = _data_path(error["loc"])
    kind = error["type"]
    if kind == "extra_forbidden":
        key = str(path[-1])
        allowed = _allowed_keys(error["loc"][:-1])
        message = f"unknown key '{key}'; allowed keys: {', '.join(allowed)}"
        message += _did_you_mean(key, allowed, lower=False)
        return Problem(name, *positions.locate(path, prefer_key=True), field_name(path), message)
    if kind == "missing":
        message = "required field is missing"
    elif kind == "union_tag_not_found":
        message = "missing 'kind'; allowed kinds: " + ", ".join(_slide_kinds())
    elif kind == "union_tag_invalid":
        path += ("kind",)
        tag = str(error["ctx"]["tag"])
        message = f"unknown kind {tag!r}; allowed kinds: " + ", ".join(_slide_kinds())
        message += _did_you_mean(tag, _slide_kinds())
    elif kind == "enum":
        allowed = re.findall(r"'([^']*)'", error["ctx"]["expected"])
        written = str(error["input"])
        message = f"unknown value {written!r}; allowed: {', '.join(allowed)}"
        message += _did_you_mean(written, allowed)
    elif kind == "string_pattern_mismatch" and error["ctx"]["pattern"] == ID_PATTERN:
        written = str(error["input"])
        message = (
            f"{written!r} is not an id: ids are lower_snake_case (a-z, 0-9 and _, starting "
            f"with a letter)"
        )
        if fixed := _as_id(written):
            message += f"; write {fixed!r}"
    elif kind == "string_pattern_mismatch":
        message = f"{error['input']!r} is not allowed here; expected {_description(error['loc'])}"
    elif worded := in_our_words(error, path, data):
        message, path = worded
    else:
        message = error["msg"][0].lower() + error["msg"][1:]
        if error["msg"].startswith("Value error, "):
            message = error["msg"].removeprefix("Value error, ")
        if not isinstance(error.get("input"), (dict, list)) and kind != "value_error":
            message += f" (got {error['input']!r})"
    return Problem(name, *positions.locate(path), field_name(path), message)


def _did_you_mean(written: str, allowed: list[str], lower: bool = True) -> str:
    from difflib import get_close_matches  # only for a mistake: a clean build never needs it

    close = get_close_matches(written.lower() if lower else written, allowed, n=1)
    return f"; did you mean '{close[0]}'?" if close else ""


def _as_id(written: str) -> str:
    """The lower_snake_case id closest to what was written (Sora-Cost -> sora_cost)."""
    name = re.sub(r"[^a-z0-9]+", "_", unicodedata.normalize("NFKC", written).lower()).strip("_")
    return name if re.match(ID_PATTERN, name) else ""


def _data_path(loc: tuple) -> DataPath:
    """Drop the parts of a pydantic location that are union tags, not keys of the data."""
    path: list[str | int] = []
    annotation: Any = Briefing
    for part in loc:
        annotation = _unwrap(annotation)
        if typing.get_origin(annotation) is typing.Union:
            # A discriminated union puts the tag in the location: it is no key of the data.
            annotation = next((m for m in typing.get_args(annotation) if _kind_of(m) == part), None)
            continue
        path.append(part)
        if isinstance(annotation, type) and issubclass(annotation, BaseModel):
            field = annotation.model_fields.get(part) if isinstance(part, str) else None
            annotation = field.annotation if field else None
        elif typing.get_origin(annotation) in (list, dict):
            annotation = typing.get_args(annotation)[-1]
        else:
            annotation = None
    return tuple(path)


def field_name(path: DataPath) -> str:
    """A field path as written in messages: slides[3].items[0].figure."""
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


def _model_at(loc: tuple) -> type[BaseModel] | None:
    """Find the model class a pydantic location points into, following union tags."""
    annotation: Any = Briefing
    for part in loc:
        annotation = _unwrap(annotation)
        if isinstance(annotation, type) and issubclass(annotation, BaseModel):
            field = annotation.model_fields.get(part) if isinstance(part, str) else None
            if field is None:
                return None
            annotation = field.annotation
        elif typing.get_origin(annotation) is list:
            annotation = typing.get_args(annotation)[0]
        elif typing.get_origin(annotation) is typing.Union:
            annotation = next((m for m in typing.get_args(annotation) if _kind_of(m) == part), None)
    annotation = _unwrap(annotation)
    return (
        annotation if isinstance(annotation, type) and issubclass(annotation, BaseModel) else None
    )


def _unwrap(annotation: Any) -> Any:
    """Strip Annotated and Optional wrappers; resolve a list[...] of a union to itself."""
    while True:
        origin = typing.get_origin(annotation)
        if origin is typing.Annotated:
            annotation = typing.get_args(annotation)[0]
        elif origin in (typing.Union, getattr(__import__("types"), "UnionType", None)):
            members = [m for m in typing.get_args(annotation) if m is not type(None)]
            if len(members) != 1:
                return typing.Union[tuple(members)]  # noqa: UP007 - built at run time
            annotation = members[0]
        else:
            return annotation


def _kind_of(model: Any) -> str | None:
    field = getattr(model, "model_fields", {}).get("kind")
    return typing.get_args(field.annotation)[0] if field else None


def _allowed_keys(loc: tuple) -> list[str]:
    model = _model_at(loc)
    return sorted(model.model_fields) if model else []


def _slide_kinds() -> list[str]:
    union = _unwrap(typing.get_args(Briefing.model_fields["slides"].annotation)[0])
    return [_kind_of(m) for m in typing.get_args(union)]


def _description(loc: tuple) -> str:
    model = _model_at(loc[:-1])
    field = model.model_fields.get(loc[-1]) if model and isinstance(loc[-1], str) else None
    if field is not None and field.description:
        return field.description
    for meta in getattr(field, "metadata", []) if field else []:
        if getattr(meta, "description", None):
            return meta.description
    return "a value of the documented form"

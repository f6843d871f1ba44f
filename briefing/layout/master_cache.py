"""What the layout reads off a master, kept between builds under the master's content: the frame of
each layout and the colours painted under boxes. Finding them means reading the master's artwork
and painting its layouts (about 50 ms a build), and a master rarely changes."""

from __future__ import annotations

import dataclasses
import hashlib
import json

from briefing.cache import Cache, code_stamp, file_stamp
from briefing.layout import frames, geometry
from briefing.master import master_bytes

# The dataclasses an entry may hold, by name: decoding builds only these. Taken from the modules
# that define a frame, so a new kind of field needs no change here.
KINDS = {
    name: kind
    for module in (frames, geometry)
    for name, kind in vars(module).items()
    if isinstance(kind, type) and dataclasses.is_dataclass(kind)
}


class UsedDict(dict):
    """A dict that remembers which keys were read, so that only those are kept."""

    def __init__(self, known: dict):
        super().__init__(known)
        self.used: set = set()

    def __getitem__(self, key):
        self.used.add(key)
        return super().__getitem__(key)


class MasterMemo:
    """Frames and background colours found on a master last time, under the hash of everything
    they depend on: the master's bytes, the theme, the language, the footer's text, the fonts
    that measure it and the code that finds them. Only what this build used is kept."""

    def __init__(self, cache: Cache | None, designer):
        self.cache = cache or Cache(None)
        theme, measure = designer.theme, designer.setter.measure
        fonts = [
            file_stamp(path)
            for files in (measure.latin, measure.east_asian)
            for path in (files.regular, files.bold)
        ]
        self.key = (
            "master-layout",
            code_stamp("briefing.layout.designer", "briefing.layout.frames"),
            hashlib.sha256(master_bytes(theme.master_path)).hexdigest(),
            theme.model_dump_json(exclude={"folders", "master_path"}),
            designer.lang,
            designer.text(designer.briefing.meta.classification),
            fonts,
        )
        known = self.cache.get(self.key, decode) or ({}, {})
        self.frames, self.backgrounds = UsedDict(known[0]), UsedDict(known[1])
        self._loaded = known

    def save(self) -> None:
        """Store what this build used, when it differs from what was found."""
        tables = (self.frames, self.backgrounds)
        kept = tuple({key: table[key] for key in table.used} for table in tables)
        if kept != self._loaded:
            self.cache.put(self.key, encode(kept))


def encode(tables: tuple[dict, dict]) -> bytes:
    """Frames and backgrounds as JSON (never pickle: the cache folder may be shared)."""
    return json.dumps([[[_plain(k), _plain(v)] for k, v in t.items()] for t in tables]).encode()


def decode(data: bytes) -> tuple[dict, dict]:
    """The tables `encode` wrote."""
    frames, backgrounds = json.loads(data)
    return (
        {_typed(k): _typed(v) for k, v in frames},
        {_typed(k): _typed(v) for k, v in backgrounds},
    )


def _plain(value):
    if dataclasses.is_dataclass(value):
        fields = {f.name: _plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
        return {"kind": type(value).__name__, "fields": fields}
    if isinstance(value, tuple):
        return {"tuple": [_plain(item) for item in value]}
    if isinstance(value, list):
        return [_plain(item) for item in value]
    return value


def _typed(value):
    if isinstance(value, dict) and "tuple" in value:
        return tuple(_typed(item) for item in value["tuple"])
    if isinstance(value, dict):
        return KINDS[value["kind"]](**{k: _typed(v) for k, v in value["fields"].items()})
    if isinstance(value, list):
        return [_typed(item) for item in value]
    return value

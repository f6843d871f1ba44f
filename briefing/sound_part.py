"""The part of a broken briefing that can still be checked: each broken item left out with all
that refers to it, so that one run reports every error, as a compiler does."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from pydantic import ValidationError

from briefing.model import Briefing, Page
from briefing.references import mentions

SECTIONS = ("sources", "figures", "charts", "slides")
# Parts the checks never read: one that does not validate is left at its default. (Budgets are
# read: the theme's in their place would report what the author's own allow.)
SPARE = ("page",)
DataPath = tuple[str | int, ...]


@dataclass(frozen=True)
class SoundPart:
    """A briefing of the items that validate and resolve, and where each stands in the file."""

    briefing: Briefing
    kept: dict[str, tuple[int, ...]]  # section -> the file's index of each item kept

    def original(self, path: DataPath) -> DataPath:
        """A path into this part as a path into the file (slides[1] may be the file's [2])."""
        if len(path) > 1 and path[0] in self.kept and isinstance(path[1], int):
            return (path[0], self.kept[path[0]][path[1]], *path[2:])
        return path

    @property
    def slides_in_place(self) -> bool:
        """Whether each slide kept has all the file's slides before it (then its deck slide
        number is the one the whole deck would give it)."""
        return self.kept["slides"] == tuple(range(len(self.kept["slides"])))

    def without(self, paths: list[DataPath]) -> SoundPart | None:
        """This part less the items these paths (of its own) point into, and their dependents."""
        broken = {(p[0], p[1]) for p in paths if len(p) > 1 and p[0] in SECTIONS}
        return _closed(self.briefing, self.kept, broken)


def whole_part(briefing: Briefing) -> SoundPart:
    """A briefing that validated, as a part that leaves nothing out."""
    kept = {s: tuple(range(len(getattr(briefing, s)))) for s in SECTIONS}
    return SoundPart(briefing, kept)


def sound_part(data: dict, error_locations: list[tuple]) -> SoundPart | None:
    """What validates of a briefing's data once the items pydantic refused are left out; None
    when a refusal is not one item's (meta, a whole section) or the rest does not validate."""
    broken: dict[str, set[int]] = {s: set() for s in SECTIONS}
    spare = set()
    for loc in error_locations:
        if len(loc) > 1 and loc[0] in SECTIONS and isinstance(loc[1], int):
            broken[loc[0]].add(loc[1])
        elif loc and loc[0] in SPARE:
            spare.add(loc[0])
        else:
            return None
    reduced: dict[str, Any] = {k: v for k, v in data.items() if k not in spare}
    kept: dict[str, tuple[int, ...]] = {}
    absent: dict[str, set[str]] = {s: set() for s in SECTIONS}
    for section in SECTIONS:
        items = data.get(section) or []
        kept[section] = tuple(i for i in range(len(items)) if i not in broken[section])
        absent[section] = {_id_of(items[i]) for i in broken[section]} - {None}
        if section in data:
            reduced[section] = [items[i] for i in kept[section]]
    try:
        briefing = Briefing.model_validate(reduced)
    except ValidationError:
        return None
    return _closed(briefing, kept, set(), absent)


def _id_of(item: Any) -> str | None:
    """The id a refused item was given, when it has one to refer to it by."""
    value = item.get("id") if isinstance(item, dict) else None
    return value if isinstance(value, str) else None


def _closed(
    briefing: Briefing,
    kept: dict[str, tuple[int, ...]],
    broken: set[tuple[str, int]],
    absent: dict[str, set[str]] | None = None,
) -> SoundPart | None:
    """Leave out the broken items, then every item referring to an id that is not kept, until
    none does. With `absent`, only references to those ids count: the others are still to be
    reported as unknown (then they are broken items in their turn)."""
    items = {
        s: [(i, item) for i, item in enumerate(getattr(briefing, s)) if (s, i) not in broken]
        for s in SECTIONS
    }
    if absent is not None:
        absent = {s: set(absent.get(s, ())) for s in SECTIONS}

    def present() -> dict[str, set]:
        return {s: {getattr(item, "id", None) for _, item in items[s]} for s in SECTIONS}

    def missing(item, ids: dict[str, set]) -> bool:
        return any(
            name not in ids[where] and (absent is None or name in absent.get(where, ()))
            for where, name in mentions(item)
        )

    changed = True
    while changed:
        ids = present()
        changed = False
        for section in SECTIONS:
            keep = [(i, item) for i, item in items[section] if not missing(item, ids)]
            if absent is not None:
                # Left out for what it refers to: what refers to it is left out in turn.
                absent[section] |= ids[section] - {getattr(item, "id", None) for _, item in keep}
            changed |= len(keep) != len(items[section])
            items[section] = keep
    ids = present()
    if missing(briefing.meta, ids):
        return None  # the cover and every slide's footer show meta: nothing checks without it
    if not items["slides"] or not items["sources"]:
        return None
    update: dict[str, Any] = {s: [item for _, item in items[s]] for s in SECTIONS}
    if missing(briefing.page, ids):
        update["page"] = Page()
    part = briefing.model_copy(update=update)
    return SoundPart(part, {s: tuple(kept[s][i] for i, _ in items[s]) for s in SECTIONS})

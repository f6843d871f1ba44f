"""Pydantic's validation errors said in the briefing's own words: what holds what, and the fix."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

DataPath = tuple[str | int, ...]

# What a list is part of, by the key holding it: a slide kind, or the item a list belongs to.
HOLDER = {"charts": "chart", "series": "series", "left": "column", "right": "column"}
# (holder, list key) -> (what holds it, what it holds, fix when too long, fix when too short)
LISTS: dict[tuple[str, str], tuple[str, str, str, str]] = {
    ("kpi", "items"): (
        "a kpi slide",
        "items",
        "split it into two kpi slides, or show the rest on a bullets slide or in the notes",
        "add a figure, or state the one number on a bullets slide",
    ),
    ("timeline", "events"): (
        "a timeline slide",
        "events",
        "split it into two timeline slides, or keep the steps that carry the story",
        "add a step, or say it on a bullets slide",
    ),
    ("recommendations", "items"): (
        "a recommendations slide",
        "items",
        "split them over two slides, or keep the actions that matter most",
        "write at least one action",
    ),
    ("summary", "points"): ("a summary slide", "points", "", "write at least one point"),
    ("bullets", "points"): ("a bullets slide", "points", "", "write at least one point"),
    ("column", "points"): ("a comparison column", "points", "", "write at least one point"),
    ("chart", "categories"): ("a chart", "categories", "", "name one category per figure"),
    ("chart", "series"): ("a chart", "series", "", "write a series: its name and values"),
    ("series", "values"): ("a series", "values", "", "list its figure ids, one per category"),
    ("briefing", "slides"): (
        "a briefing",
        "slides",
        "split it into several briefings",
        "write at least one slide",
    ),
    ("briefing", "sources"): (
        "a briefing",
        "sources",
        "",
        "name the source its figures come from",
    ),
    ("meta", "languages"): ("a briefing", "languages", "", "name one, e.g. [en] or [zh, en]"),
    ("page", "numbers"): (
        "the page's key-number strip",
        "figure ids",
        "keep the 3 to 5 that matter most (the slides show the rest)",
        "",
    ),
    ("page", "charts"): (
        "the page",
        "chart ids",
        "keep the 3 that matter most (the slides show every chart)",
        "",
    ),
}
SINGULAR = {"categories": "category", "series": "series", "figure ids": "figure id"}
SINGULAR |= {"chart ids": "chart id"}


def in_our_words(error: dict, path: DataPath, data: Any) -> tuple[str, DataPath] | None:
    """A pydantic error as a message and the path to point at; None for kinds not worded here."""
    word = WORDINGS.get(error["type"])
    return word(error, path, data) if word else None


def _too_long(error: dict, path: DataPath, data: Any) -> tuple[str, DataPath]:
    limit, count = error["ctx"]["max_length"], error["ctx"]["actual_length"]
    holder, noun, fix, _ = _list_words(path, data)
    message = f"{holder} holds at most {limit} {_counted(noun, limit)}; this one has {count}"
    # The first item past the limit is where the list goes wrong.
    return message + (f": {fix}" if fix else ""), path + (limit,)


def _too_short(error: dict, path: DataPath, data: Any) -> tuple[str, DataPath]:
    limit, count = error["ctx"]["min_length"], error["ctx"]["actual_length"]
    holder, noun, _, fix = _list_words(path, data)
    message = f"{holder} needs at least {limit} {_counted(noun, limit)}; this one has {count}"
    return message + (f": {fix}" if fix else ""), path


def _list_words(path: DataPath, data: Any) -> tuple[str, str, str, str]:
    key = str(path[-1]) if path else ""
    return LISTS.get((_holder(path, data), key), ("this list", "items", "", ""))


def _holder(path: DataPath, data: Any) -> str:
    """What a list belongs to: the briefing, a slide's kind, or the item named by its key."""
    if len(path) == 1:
        return "briefing"
    if path[0] == "slides" and len(path) == 3:
        slide = _at(data, path[:2])
        return str(slide.get("kind", "")) if isinstance(slide, dict) else ""
    parent = path[-3] if isinstance(path[-2], int) and len(path) > 2 else path[-2]
    return HOLDER.get(str(parent), str(parent))


def _at(data: Any, path: DataPath) -> Any:
    for part in path:
        try:
            data = data[part]
        except (KeyError, IndexError, TypeError):
            return None
    return data


def _counted(noun: str, count: int) -> str:
    return noun if count != 1 else SINGULAR.get(noun, noun.removesuffix("s"))


def _described(value: Any) -> str:
    """A written value as a reader recognises it: the text 'lots', a list, a mapping."""
    if value is None:
        return "nothing (the value is empty)"
    if isinstance(value, bool):
        return f"{str(value).lower()} (a yes/no)"
    if isinstance(value, str):
        return f"the text {value!r}"
    if isinstance(value, (int, float)):
        return f"the number {value:g}"
    if isinstance(value, list):
        return f"a list {_short(value)}"
    if isinstance(value, dict):
        return f"a mapping {_short(value)}"
    return repr(value)


def _short(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


def _expected(what: str, hint: str = "") -> Callable[[dict, DataPath, Any], tuple[str, DataPath]]:
    def word(error: dict, path: DataPath, data: Any) -> tuple[str, DataPath]:
        message = f"expected {what}, not {_described(error.get('input'))}"
        if hint:
            message += f"; {hint}"
        if isinstance(error.get("input"), list) and len(error["input"]) == 1 and "list" not in what:
            message += "; write it without the brackets"
        return message, path

    return word


def _bound(error: dict, path: DataPath, data: Any) -> tuple[str, DataPath]:
    ctx, written = error["ctx"], error.get("input")
    bound = {
        "ge": f"at least {ctx.get('ge')}",
        "gt": f"more than {ctx.get('gt')}",
        "le": f"at most {ctx.get('le')}",
        "lt": f"less than {ctx.get('lt')}",
    }
    allowed = " and ".join(said for key, said in bound.items() if key in ctx)
    return f"{written} is out of range; allowed: {allowed}", path


def _model_type(error: dict, path: DataPath, data: Any) -> tuple[str, DataPath]:
    name = re.sub(r"(?<!^)(?=[A-Z])", " ", error.get("ctx", {}).get("class_name", "")).lower()
    what = f"{'an' if name[:1] in 'aeiou' else 'a'} {name}" if name else "a mapping"
    return (
        f"expected {what} written as `key: value` lines, not {_described(error.get('input'))}",
        path,
    )


NUMBER_HINT = "write digits, e.g. 840 or 1.2 (the scale word goes in `scale:`, the unit in `unit:`)"
WORDINGS: dict[str, Callable[[dict, DataPath, Any], tuple[str, DataPath]]] = {
    "too_long": _too_long,
    "too_short": _too_short,
    "float_parsing": _expected("a number", NUMBER_HINT),
    "float_type": _expected("a number", NUMBER_HINT),
    "int_parsing": _expected("a whole number, e.g. 1"),
    "int_type": _expected("a whole number, e.g. 1"),
    "int_from_float": _expected("a whole number, e.g. 1"),
    "finite_number": _expected("a finite number", "write the number the source states"),
    "string_type": _expected("one text or id"),
    "list_type": _expected("a list", "write one `- item` per line, or [a, b]"),
    "dict_type": _model_type,
    "model_type": _model_type,
    "bool_type": _expected("true or false"),
    "bool_parsing": _expected("true or false"),
    "greater_than": _bound,
    "greater_than_equal": _bound,
    "less_than": _bound,
    "less_than_equal": _bound,
}

"""Cross-reference rules a schema cannot express: ids, figure references, languages, formulas."""

from __future__ import annotations

import ast
import operator
import re
import unicodedata
from collections.abc import Iterator
from typing import Any

from pydantic import BaseModel

from briefing.model import (
    ANY_LANGUAGE,
    FIGURE_REFERENCE,
    AxisScale,
    Briefing,
    Chart,
    ChartSlide,
    Figure,
    KpiSlide,
    Page,
    QuoteSlide,
    Unit,
)

Path = tuple[str | int, ...]
_ALLOWED_OPERATORS = (ast.Add, ast.Sub, ast.Mult, ast.Div, ast.USub, ast.UAdd)
BINARY = {
    ast.Add: operator.add,
    ast.Sub: operator.sub,
    ast.Mult: operator.mul,
    ast.Div: operator.truediv,
}


def reference_problems(briefing: Briefing) -> list[tuple[Path, str]]:
    """Return every broken reference, duplicate id and missing translation, with its path."""
    problems: list[tuple[Path, str]] = []
    problems += _duplicate_ids(briefing)
    problems += _figure_problems(briefing)
    problems += _chart_problems(briefing)
    problems += _slide_problems(briefing)
    problems += _text_problems(briefing)
    problems += _page_problems(briefing)
    problems += _budget_problems(briefing)
    return problems


def mentions(item: Any) -> Iterator[tuple[str, str]]:
    """The ids an item of a briefing refers to, each with the section that holds it (figures,
    sources, charts): a figure's source and formula, a chart's values, a slide's chart, kpi
    figures and quoted source, a page's numbers and charts, and every {figure} in its texts."""
    if isinstance(item, Figure):
        if item.source is not None:
            yield "sources", item.source
        if item.derived is not None:
            yield from (("figures", name) for name in _formula_names(item.derived.formula))
    elif isinstance(item, Chart):
        yield from (("figures", v) for series in item.series for v in series.values)
    elif isinstance(item, ChartSlide):
        yield "charts", item.chart
    elif isinstance(item, KpiSlide):
        yield from (("figures", kpi.figure) for kpi in item.items)
    elif isinstance(item, QuoteSlide):
        yield "sources", item.source
    elif isinstance(item, Page):
        yield from (("figures", figure_id) for figure_id in item.numbers)
        yield from (("charts", chart_id) for chart_id in item.charts)
    for _, text in texts(item):
        for value in text.values():
            yield from (("figures", figure_id) for figure_id in FIGURE_REFERENCE.findall(value))


def _formula_names(formula: str) -> list[str]:
    """The figure ids a formula names (none when it does not parse: that is its own error)."""
    try:
        tree = ast.parse(formula, mode="eval")
    except SyntaxError:
        return []
    return [node.id for node in ast.walk(tree) if isinstance(node, ast.Name)]


def _page_problems(briefing: Briefing) -> Iterator[tuple[Path, str]]:
    figure_ids = {f.id for f in briefing.figures}
    chart_ids = {c.id for c in briefing.charts}
    for index, figure_id in enumerate(briefing.page.numbers):
        if figure_id not in figure_ids:
            yield ("page", "numbers", index), _unknown("figure", figure_id, figure_ids)
    for index, chart_id in enumerate(briefing.page.charts):
        if chart_id not in chart_ids:
            yield ("page", "charts", index), _unknown("chart", chart_id, chart_ids)


def _duplicate_ids(briefing: Briefing) -> Iterator[tuple[Path, str]]:
    for section in ("sources", "figures", "charts"):
        seen: dict[str, int] = {}
        for index, item in enumerate(getattr(briefing, section)):
            if item.id in seen:
                yield (
                    (section, index, "id"),
                    (f"duplicate id '{item.id}' (already used by {section}[{seen[item.id]}])"),
                )
            else:
                seen[item.id] = index


def _figure_problems(briefing: Briefing) -> Iterator[tuple[Path, str]]:
    source_ids = {s.id for s in briefing.sources}
    figure_ids = {f.id for f in briefing.figures}
    for index, figure in enumerate(briefing.figures):
        path = ("figures", index)
        if figure.source is not None and figure.source not in source_ids:
            yield path + ("source",), _unknown("source", figure.source, source_ids)
        cycle = _derivation_cycle(briefing, figure.id)
        if cycle:
            yield (
                path + ("derived", "formula"),
                (
                    f"derived from itself: {' -> '.join(cycle)}; a derivation must end in "
                    "sourced figures"
                ),
            )
        if figure.derived is None:
            for field in ("source", "excerpt"):
                if getattr(figure, field) is None:
                    yield path, f"a figure needs '{field}' unless it has 'derived'"
        else:
            for message in formula_problems(figure.derived.formula, figure_ids - {figure.id}):
                yield path + ("derived", "formula"), message
        if figure.unit is Unit.currency and figure.currency is None:
            yield path, "a currency figure needs 'currency' (an ISO code such as USD)"


def _derivation_cycle(briefing: Briefing, start: str) -> list[str]:
    """The chain of figure ids that leads from a derived figure back to itself, if any."""
    formulas = {f.id: f.derived.formula for f in briefing.figures if f.derived is not None}

    def walk(figure_id: str, trail: list[str]) -> list[str]:
        if figure_id not in formulas:
            return []
        try:
            tree = ast.parse(formulas[figure_id], mode="eval")
        except SyntaxError:
            return []
        for name in [n.id for n in ast.walk(tree) if isinstance(n, ast.Name)]:
            if name == start:
                return [*trail, figure_id, name]
            if name not in trail and name != figure_id:
                found = walk(name, [*trail, figure_id])
                if found:
                    return found
        return []

    return walk(start, [])


def _budget_problems(briefing: Briefing) -> Iterator[tuple[Path, str]]:
    allowed = {"default", *slide_kinds()}
    for key in briefing.budgets:
        if key not in allowed:
            yield ("budgets", key), _unknown("slide kind", key, allowed)


def slide_kinds() -> list[str]:
    """Every slide kind the source format knows (the keys a budget may name)."""
    import typing

    from briefing.model import Slide

    union = typing.get_args(typing.get_args(Slide)[0])
    return [typing.get_args(m.model_fields["kind"].annotation)[0] for m in union]


def _chart_problems(briefing: Briefing) -> Iterator[tuple[Path, str]]:
    figure_ids = {f.id for f in briefing.figures}
    for index, chart in enumerate(briefing.charts):
        for s_index, series in enumerate(chart.series):
            path = ("charts", index, "series", s_index, "values")
            if len(series.values) != len(chart.categories):
                yield (
                    path,
                    (
                        f"has {len(series.values)} values but the chart has "
                        f"{len(chart.categories)} categories; give one figure per category"
                    ),
                )
            for v_index, figure_id in enumerate(series.values):
                if figure_id not in figure_ids:
                    yield path + (v_index,), _unknown("figure", figure_id, figure_ids)
                elif chart.value_axis.scale is AxisScale.log and (
                    briefing.figure(figure_id).value <= 0
                ):
                    yield (
                        path + (v_index,),
                        (f"figure '{figure_id}' is not positive; a log axis shows only values > 0"),
                    )


def _slide_problems(briefing: Briefing) -> Iterator[tuple[Path, str]]:
    chart_ids = {c.id for c in briefing.charts}
    figure_ids = {f.id for f in briefing.figures}
    source_ids = {s.id for s in briefing.sources}
    for index, slide in enumerate(briefing.slides):
        path = ("slides", index)
        if isinstance(slide, ChartSlide) and slide.chart not in chart_ids:
            yield path + ("chart",), _unknown("chart", slide.chart, chart_ids)
        if isinstance(slide, KpiSlide):
            for i, item in enumerate(slide.items):
                if item.figure not in figure_ids:
                    yield path + ("items", i, "figure"), _unknown("figure", item.figure, figure_ids)
        if isinstance(slide, QuoteSlide) and slide.source not in source_ids:
            yield path + ("source",), _unknown("source", slide.source, source_ids)


def _text_problems(briefing: Briefing) -> Iterator[tuple[Path, str]]:
    languages = set(briefing.meta.languages)
    figure_ids = {f.id for f in briefing.figures}
    for path, text in texts(briefing):
        if ANY_LANGUAGE not in text:
            missing = sorted(languages - text.keys())
            if missing:
                yield (
                    path,
                    (
                        f"missing language {', '.join(missing)} (the briefing's languages are "
                        f"{', '.join(briefing.meta.languages)})"
                    ),
                )
            for extra in sorted(text.keys() - languages):
                yield (
                    path + (extra,),
                    (
                        f"language '{extra}' is not one of the briefing's languages "
                        f"({', '.join(briefing.meta.languages)})"
                    ),
                )
        for lang, value in text.items():
            for reference in FIGURE_REFERENCE.findall(value):
                if reference not in figure_ids:
                    where = path if lang == ANY_LANGUAGE else path + (lang,)
                    yield where, _unknown("figure", reference, figure_ids)


def texts(node: Any, path: Path = ()) -> Iterator[tuple[Path, dict[str, str]]]:
    """Yield every text field of a model with its path; of a briefing, a title slide's title
    only where it is not meta.title (which it shows when it has none: one text, checked once)."""
    if isinstance(node, Briefing):
        for where, text in _texts(node, path):
            title_slide = len(where) == 3 and where[0] == "slides" and where[2] == "title"
            if not (
                title_slide and node.slides[where[1]].kind == "title" and text == node.meta.title
            ):
                yield where, text
        return
    yield from _texts(node, path)


def _texts(node: Any, path: Path = ()) -> Iterator[tuple[Path, dict[str, str]]]:
    if isinstance(node, BaseModel):
        for name in type(node).model_fields:
            yield from _texts(getattr(node, name), path + (name,))
    elif isinstance(node, list):
        for index, item in enumerate(node):
            yield from _texts(item, path + (index,))
    elif isinstance(node, dict):
        if node and all(isinstance(value, str) for value in node.values()):
            yield path, node  # a text: one string per language
        else:
            for key, value in node.items():
                yield from _texts(value, path + (key,))


def formula_problems(formula: str, known: set[str]) -> list[str]:
    """Say what is wrong with a derivation formula: syntax, operators or unknown figures."""
    try:
        tree = ast.parse(formula, mode="eval")
    except SyntaxError:
        return [f"'{formula}' is not a formula; use figure ids, numbers, + - * / and ( )"]
    problems = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Name) and node.id not in known:
            problems.append(_unknown("figure", node.id, known))
        elif isinstance(node, (ast.BinOp, ast.UnaryOp)) and not isinstance(
            node.op, _ALLOWED_OPERATORS
        ):
            problems.append(f"'{formula}' uses an operator other than + - * /")
        elif not isinstance(
            node, (ast.Expression, ast.BinOp, ast.UnaryOp, ast.Name, ast.Constant, ast.Load)
        ) and not isinstance(node, (ast.operator, ast.unaryop)):
            problems.append(f"'{formula}' may use only figure ids, numbers, + - * / and ( )")
    return problems


def evaluate(formula: str, values: dict[str, float]) -> float:
    """Compute a checked derivation formula from figures' values in units of one."""

    def walk(node: ast.AST) -> float:
        if isinstance(node, ast.Expression):
            return walk(node.body)
        if isinstance(node, ast.Constant):
            return float(node.value)
        if isinstance(node, ast.Name):
            return float(values[node.id])
        if isinstance(node, ast.UnaryOp):
            operand = walk(node.operand)
            return -operand if isinstance(node.op, ast.USub) else operand
        return BINARY[type(node.op)](walk(node.left), walk(node.right))

    return walk(ast.parse(formula, mode="eval"))


def _unknown(kind: str, name: str, known: set[str]) -> str:
    from difflib import get_close_matches

    message = f"unknown {kind} '{name}'"
    close = get_close_matches(name, sorted(known), n=1)
    if close:
        return f"{message}; did you mean '{close[0]}'?"
    return f"{message}; known: {', '.join(sorted(known)) or 'none'}"


# Anything in braces, or an opening brace with no closing one on its line (half or full width).
BRACED = re.compile(r"[{｛]([^{}｛｝\n]*)([}｝])?")


def malformed_references(text: str, known: set[str]) -> list[str]:
    """Say what is wrong with each {…} of a text that is no figure reference, and the fix."""
    problems = []
    for match in BRACED.finditer(text):
        written, inner, closed = match.group(), match.group(1), match.group(2)
        if closed and FIGURE_REFERENCE.fullmatch(written):
            continue
        name = unicodedata.normalize("NFKC", inner).strip()
        fix = _closest_id(re.sub(r"[^a-z0-9]+", "_", name.lower()).strip("_"), known)
        if not closed:
            opened = written[0] + re.match(r"\s*\w*", inner).group()
            # The id is the word after the brace, not the rest of the line the brace ran into.
            fix = _closest_id(unicodedata.normalize("NFKC", opened[1:]).strip().lower(), known)
            problems.append(
                f"'{opened}' opens a reference that never closes; write {{{fix or 'figure_id'}}}"
            )
        elif not name:
            problems.append(f"'{written}' is an empty reference; write a figure id inside it")
        elif ":" in name and (head := _closest_id(name.partition(":")[0].strip(), known)):
            problems.append(
                f"'{written}': after a figure id a reference takes only ':abs' (the value "
                f"without its sign); write {{{head}}} or {{{head}:abs}}"
            )
        elif unicodedata.normalize("NFKC", written) != written:
            problems.append(
                f"'{written}' is written in full-width characters; write {{{fix or name}}} "
                "with half-width braces and letters"
            )
        elif fix:
            problems.append(
                f"'{written}' is no reference: figure ids are lower_snake_case "
                f"(a-z, 0-9, _); did you mean {{{fix}}}?"
            )
        else:
            problems.append(
                f"'{written}' is no reference: figure ids are lower_snake_case (a-z, 0-9, _); "
                f"known: {', '.join(sorted(known)) or 'none'}"
            )
    return problems


def _closest_id(name: str, known: set[str]) -> str | None:
    from difflib import get_close_matches

    if name in known:
        return name
    close = get_close_matches(name, sorted(known), n=1)
    return close[0] if close else None

"""Provenance rules over a whole briefing: values, excerpts in sources, formulas, bare numbers."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

from briefing.check.findings import Issue
from briefing.check.provenance import (
    bare_numbers,
    currency_mismatch,
    derived_mismatch,
    excerpt_in_text,
    excerpt_quantities,
    false_precision,
    figure_matches_excerpt,
    percent_format_problem,
    percent_formula_hint,
    sign_mismatch,
)
from briefing.inputs import SOURCE_TEXT_LIMIT, read_input
from briefing.model import ANY_LANGUAGE, Briefing, Qualifier, QuoteSlide, Unit
from briefing.references import malformed_references, texts

SHOWN = ("meta", "figures", "charts", "slides")


def provenance_issues(briefing: Briefing, source_texts: dict[str, str]) -> Iterator[Issue]:
    """Every figure that does not trace to its source, and every number that is no figure."""
    values = {f.id: f.base_value for f in briefing.figures}
    for index, figure in enumerate(briefing.figures):
        path = ("figures", index)
        message = figure_matches_excerpt(figure)
        if message:
            # With no number in the excerpt the value may be right: the excerpt is what is wrong.
            if excerpt_quantities(figure.excerpt or ""):
                message += "; correct the value"
            yield path + ("value",), "error", "value-mismatch", message
        message = derived_mismatch(figure, values)
        if message:
            message += percent_formula_hint(figure, values) or "; correct the value or the formula"
            yield path + ("value",), "error", "derived-mismatch", message
        if message := sign_mismatch(figure):
            yield path + ("value",), "error", "sign-mismatch", message
        if message := currency_mismatch(figure):
            yield path + ("currency",), "error", "currency-mismatch", message
        if message := false_precision(figure, briefing):
            yield path + ("value",), "warning", "false-precision", message
        text = source_texts.get(figure.source or "")
        if figure.excerpt and text is not None and not excerpt_in_text(figure.excerpt, text):
            yield (
                path + ("excerpt",),
                "error",
                "excerpt-not-in-source",
                f"the excerpt '{figure.excerpt}' does not occur in the text of source "
                f"'{figure.source}'; quote the source's own characters",
            )
        if (
            figure.excerpt
            and figure.qualifier is Qualifier.exact
            and any(q.approximate for q in excerpt_quantities(figure.excerpt))
        ):
            yield (
                path + ("qualifier",),
                "warning",
                "qualifier-mismatch",
                (
                    f"the excerpt '{figure.excerpt}' gives an approximate number; "
                    "set qualifier to about, over or under"
                ),
            )
    for path, text in texts(briefing):
        # Everything the outputs show, but a derivation's explanation, which may show its
        # arithmetic, and the sources' own titles, which are quoted as published.
        if path[0] in SHOWN and "derived" not in path:
            yield from _bare_in_text(path, text)
        yield from _malformed_in_text(path, text, values.keys())
        yield from _placeholders_in_text(path, text)
    yield from quote_issues(briefing, source_texts)
    yield from mixed_unit_issues(briefing)
    for index, chart in enumerate(briefing.charts):
        if message := percent_format_problem(chart, briefing):
            yield ("charts", index, "number_format"), "error", "percent-format", message


def _malformed_in_text(path, text: dict[str, str], known) -> Iterator[Issue]:
    for lang, value in text.items():
        where = path if lang == ANY_LANGUAGE else path + (lang,)
        for message in malformed_references(value, set(known)):
            yield where, "error", "malformed-reference", message


# What `briefing new` leaves to write: a skeleton must not build into a deck of placeholders.
PLACEHOLDER = re.compile(r"(?<![A-Za-z])TODO(?![A-Za-z])")


def _placeholders_in_text(path, text: dict[str, str]) -> Iterator[Issue]:
    for lang, value in text.items():
        if PLACEHOLDER.search(value):
            where = path if lang == ANY_LANGUAGE else path + (lang,)
            yield (
                where,
                "error",
                "placeholder",
                f"'{value}' is a placeholder still to write; replace it with the text",
            )


QUOTE_MARKS = "\"'“”‘’「」『』«»"


def quote_issues(briefing: Briefing, source_texts: dict[str, str]) -> Iterator[Issue]:
    """A quote slide's words in its source's language that its source's text does not hold."""
    languages = {s.id: s.language for s in briefing.sources}
    for index, slide in enumerate(briefing.slides):
        text = source_texts.get(slide.source) if isinstance(slide, QuoteSlide) else None
        if text is None:
            continue
        for lang, quote in slide.quote.items():
            # Only the source's own language can be found; other languages are translations.
            if lang not in (ANY_LANGUAGE, languages.get(slide.source)):
                continue
            words = quote.strip().strip(QUOTE_MARKS).strip()
            # A placeholder is reported as one; it is no quote to look for yet.
            if words and not PLACEHOLDER.search(words) and not excerpt_in_text(words, text):
                where = ("slides", index, "quote") + (() if lang == ANY_LANGUAGE else (lang,))
                yield (
                    where,
                    "error",
                    "quote-not-in-source",
                    f"the quote '{words}' does not occur in the text of source "
                    f"'{slide.source}'; quote the source's own words (translations go in the "
                    "other languages)",
                )


def mixed_unit_issues(briefing: Briefing) -> Iterator[Issue]:
    """A chart whose figures are in more than one unit: one value axis cannot show them all."""
    known = {f.id: f for f in briefing.figures}
    for index, chart in enumerate(briefing.charts):
        units: dict[str, list[str]] = {}
        for series in chart.series:
            for figure_id in series.values:
                if figure := known.get(figure_id):
                    units.setdefault(_unit_name(figure), []).append(figure_id)
        if len(units) > 1:
            said = "; ".join(f"{unit} ({', '.join(ids)})" for unit, ids in units.items())
            yield (
                ("charts", index, "series"),
                "error",
                "mixed-units",
                f"the chart puts figures of {len(units)} units on one axis: {said}; "
                "show one unit per chart (split it, or derive the figures into one unit)",
            )


def _unit_name(figure) -> str:
    if figure.unit is Unit.currency:
        return f"currency {figure.currency}"
    return figure.unit.value


def _bare_in_text(path, text: dict[str, str]) -> Iterator[Issue]:
    for lang, value in text.items():
        where = path if lang == ANY_LANGUAGE else path + (lang,)
        for number in bare_numbers(value):
            yield (
                where,
                "error",
                "bare-number",
                (
                    f"'{number}' is a number with no source; make it a figure and write "
                    "{figure_id}"
                ),
            )


def inside(base: Path, relative: str, what: str) -> Path:
    """A path named in a briefing, refused when it leads out of the briefing's folder.

    Paths given on the command line are the user's own choice and are not checked.
    """
    from briefing.errors import BriefingError

    root = base.resolve()
    path = (base / relative).resolve()  # resolves symlinks too: a link out is refused
    if not path.is_relative_to(root):
        raise BriefingError(
            f"{base / relative}: the {what} lies outside the briefing's folder ({root}); "
            "keep it beside briefing.yaml or pass it with --against"
        )
    return path


def read_source_texts(briefing: Briefing, base: Path, against: dict[str, Path]) -> dict[str, str]:
    """The full texts to find excerpts in: --against ID=PATH first, then each source's `text:`."""
    from briefing.errors import BriefingError

    paths = {
        s.id: inside(base, s.text, f"source '{s.id}' text") for s in briefing.sources if s.text
    }
    known = {s.id for s in briefing.sources}
    for source_id, path in against.items():
        if source_id not in known:
            raise BriefingError(
                f"--against {source_id}=...: no source '{source_id}'; "
                f"known: {', '.join(sorted(known))}"
            )
        paths[source_id] = path
    result = {}
    for source_id, path in paths.items():
        what = f"the text of source '{source_id}'"
        data = read_input(path, SOURCE_TEXT_LIMIT, what)
        try:
            result[source_id] = data.decode("utf-8")
        except UnicodeDecodeError as error:
            raise BriefingError(f"{path}: cannot read {what}: {error}") from None
    return result

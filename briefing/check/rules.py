"""Provenance rules over a whole briefing: values, excerpts in sources, formulas, bare numbers."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from briefing.check.findings import Issue
from briefing.check.provenance import (
    bare_numbers,
    derived_mismatch,
    excerpt_in_text,
    excerpt_quantities,
    figure_matches_excerpt,
)
from briefing.inputs import SOURCE_TEXT_LIMIT, read_input
from briefing.model import ANY_LANGUAGE, Briefing, Qualifier
from briefing.references import texts

SHOWN = ("meta", "figures", "charts", "slides")


def provenance_issues(briefing: Briefing, source_texts: dict[str, str]) -> Iterator[Issue]:
    """Every figure that does not trace to its source, and every number that is no figure."""
    values = {f.id: f.base_value for f in briefing.figures}
    for index, figure in enumerate(briefing.figures):
        path = ("figures", index)
        message = figure_matches_excerpt(figure)
        if message:
            yield path + ("value",), "error", "value-mismatch", message + "; correct the value"
        message = derived_mismatch(figure, values)
        if message:
            yield (
                path + ("value",),
                "error",
                "derived-mismatch",
                (message + "; correct the value or the formula"),
            )
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

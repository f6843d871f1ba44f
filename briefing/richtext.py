"""Text from the source made ready to set: figure references filled in, emphasis split into runs."""

from __future__ import annotations

import re
from dataclasses import dataclass

from briefing.model import FIGURE_REFERENCE, Briefing, pick
from briefing.numbers import format_figure

_EMPHASIS = re.compile(r"\*\*(.+?)\*\*|\*(.+?)\*")


@dataclass(frozen=True)
class Run:
    """A stretch of text with one emphasis."""

    text: str
    bold: bool = False
    italic: bool = False


def fill(text: dict[str, str] | None, lang: str, briefing: Briefing) -> str:
    """Pick a text's language and replace each {figure_id} with the figure's value."""
    return FIGURE_REFERENCE.sub(lambda m: shown(m.group()[1:-1], lang, briefing), pick(text, lang))


def shown(reference: str, lang: str, briefing: Briefing) -> str:
    """What a reference (the id inside the braces, or id:abs) reads as in one language."""
    figure_id, _, view = reference.partition(":")
    return format_figure(briefing.figure(figure_id), lang, magnitude=view == "abs")


def runs(text: str) -> list[Run]:
    """Split Markdown emphasis (**bold**, *italic*) into runs; other characters stay as typed."""
    result: list[Run] = []
    position = 0
    for match in _EMPHASIS.finditer(text):
        if match.start() > position:
            result.append(Run(text[position : match.start()]))
        if match.group(1) is not None:
            result.append(Run(match.group(1), bold=True))
        else:
            result.append(Run(match.group(2), italic=True))
        position = match.end()
    if position < len(text):
        result.append(Run(text[position:]))
    return result


def plain(text: str) -> str:
    """Return text with emphasis markers removed."""
    return "".join(run.text for run in runs(text))


def figure_parts(text: str) -> list[tuple[str, bool]]:
    """Split text into literal stretches and figure references (flagged True: what stands in
    the braces, an id or id:abs), in order: callers set each kind their way without stand-in
    characters that a text could also hold."""
    parts: list[tuple[str, bool]] = []
    position = 0
    for match in FIGURE_REFERENCE.finditer(text):
        if match.start() > position:
            parts.append((text[position : match.start()], False))
        parts.append((match.group()[1:-1], True))
        position = match.end()
    if position < len(text):
        parts.append((text[position:], False))
    return parts

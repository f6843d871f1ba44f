"""Speaking time: each slide's notes said aloud, the total, and a warning past `meta.duration`."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from briefing.check.findings import Issue
from briefing.model import Briefing
from briefing.richtext import fill, plain
from briefing.speaking import format_duration, speaking_seconds


@dataclass(frozen=True)
class SpeakingTime:
    """How long a briefing's notes take to say in one language: per slide (None: no notes)."""

    lang: str
    slides: list[float | None]

    @property
    def total(self) -> float:
        """Seconds for the whole deck; a slide with no notes adds nothing."""
        return sum(seconds or 0 for seconds in self.slides)


def speaking_time(briefing: Briefing, lang: str) -> SpeakingTime:
    """Each slide's speaking time from its notes in `lang`, figures as the deck says them."""
    slides: list[float | None] = []
    for slide in briefing.slides:
        notes = plain(fill(slide.notes, lang, briefing))
        slides.append(speaking_seconds(notes) if notes.strip() else None)
    return SpeakingTime(lang, slides)


def duration_issues(briefing: Briefing) -> Iterator[Issue]:
    """A warning at `meta.duration` for each language whose notes take longer than the slot."""
    minutes = briefing.meta.duration
    if minutes is None:
        return
    for lang in briefing.meta.languages:
        total = speaking_time(briefing, lang).total
        # Compared as shown, to the second: a fraction of a second over is no overrun.
        if round(total) > minutes * 60:
            yield (
                ("meta", "duration"),
                "warning",
                "over-time",
                (
                    f"the notes take about {format_duration(total)} to say ({lang}), over the "
                    f"slot of {format_duration(minutes * 60)}; shorten the notes, cut slides or "
                    "ask for a longer slot"
                ),
            )


def speaking_lines(briefing: Briefing) -> list[str]:
    """The check's speaking-time table: a row per slide, a column per language, the total."""
    languages = briefing.meta.languages
    times = [speaking_time(briefing, lang) for lang in languages]
    rows = [f"speaking time ({' / '.join(languages)}), from the notes:"]
    for index, slide in enumerate(briefing.slides):
        said = [t.slides[index] for t in times]
        cells = " / ".join("no notes" if s is None else format_duration(s) for s in said)
        rows.append(f"  slide {index + 1:<3} {slide.kind:<16} {cells}")
    total = " / ".join(format_duration(t.total) for t in times)
    slot = briefing.meta.duration
    rows.append(
        f"  {'total':<26} {total}" + (f" (slot {format_duration(slot * 60)})" if slot else "")
    )
    return rows

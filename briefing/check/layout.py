"""The laid-out deck checked as a viewer will paint it: boxes off the slide, on the master's
artwork or on each other, and text that does not reach WCAG contrast."""

from __future__ import annotations

from collections.abc import Iterator

from briefing.check.box_words import box_words
from briefing.check.findings import Issue
from briefing.layout.artwork import designed_on
from briefing.layout.boxes import ChartBox, DeckPlan, ShapeBox, SlidePlan, TextBox
from briefing.layout.colors import contrast, required_ratio
from briefing.layout.frames import text_area
from briefing.layout.geometry import Rect

OVERLAP_SHARE = 0.02  # two text boxes sharing more than this of the smaller one collide


def layout_issues(plan: DeckPlan, designer) -> Iterator[Issue]:
    """Every fault of the deck's geometry and colours, located at its source slide."""
    for number, slide in enumerate(plan.slides, start=1):
        yield from _slide_issues(slide, number, designer)


def _slide_issues(slide: SlidePlan, number: int, designer) -> Iterator[Issue]:
    view = designer.view.layout(slide.layout)
    frame = designer.frame(slide.layout, cover=slide.kind == "title")
    page = Rect(0, 0, *view.slide_size)
    artwork = view.artwork
    path = ("slides", slide.source_index)
    texts = [box for box in slide.boxes if isinstance(box, TextBox)]
    designed = [footer.text for footer in slide.footers if footer.from_layout]
    texts += [footer.text for footer in slide.footers]
    ours = texts + [box for box in slide.boxes if isinstance(box, (ChartBox, ShapeBox))]
    for box in ours:
        name = _name(box)
        if not page.contains(box.rect):
            yield path, "error", "off-slide", f"deck slide {number}: {name} runs off the slide"
        if box.rect in frame.panels or any(box is footer for footer in designed):
            continue  # a panel of ours is laid over artwork on purpose; footers are the master's
        on_panel = any(panel.contains(box.rect) for panel in frame.panels)
        for art in artwork:
            # A background picture's busy part is met where a text box sets its text, as the
            # layout places boxes by it (layout/frames.py).
            judged = box.rect
            if isinstance(box, TextBox) and art in view.backdrop_art:
                judged = text_area(box.rect, designer)
            overlap = judged.intersection(art)
            if on_panel or overlap is None or designed_on(box.rect, art):
                continue
            yield (
                path,
                "error",
                "on-artwork",
                f"deck slide {number}: {name} lies on the master's artwork "
                f"(layout '{view.name}'); map the slide kind to another layout",
            )
            break
    yield from _collisions(texts, path, number)
    for box in texts:
        yield from _contrast(box, path, number, view, frame, designer)


def _collisions(texts: list[TextBox], path, number: int) -> Iterator[Issue]:
    for index, first in enumerate(texts):
        for second in texts[index + 1 :]:
            overlap = first.rect.intersection(second.rect)
            smaller = min(first.rect.area, second.rect.area) or 1
            if overlap is not None and overlap.area > OVERLAP_SHARE * smaller:
                yield (
                    path,
                    "error",
                    "text-over-text",
                    f"deck slide {number}: {box_words(first.where).name} and "
                    f"{box_words(second.where).name} overlap",
                )


def _contrast(box: TextBox, path, number: int, view, frame, designer) -> Iterator[Issue]:
    """Text colour against what lies under the box: our panel or card, else the master."""
    backgrounds = [box.on] if box.on else designer.backgrounds_of(box.rect, frame.panels, view)
    for _, style in box.paragraphs:
        if style.color is None:
            continue
        # Bold is not counted, as the layout and the audit (which sees pixels) do not count it.
        needed = required_ratio(style.size * box.scale, bold=False)
        ratio, background = min((contrast(style.color, b), b) for b in backgrounds)
        if ratio + 0.005 < needed:
            yield (
                path,
                "warning",
                "low-contrast",
                f"deck slide {number}: {box_words(box.where).name} (#{style.color}) on "
                f"#{background} has contrast {ratio:.1f}:1, WCAG asks "
                f"{needed:g}:1; no colour of the master reads better",
            )
            return


def _name(box) -> str:
    if isinstance(box, TextBox):
        return box_words(box.where).name
    if isinstance(box, ChartBox):
        return f"the chart '{box.chart_id}'"
    return "a shape"

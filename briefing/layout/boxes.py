"""A slide laid out as data: positioned text, shapes and charts, before any pptx is written."""

from __future__ import annotations

from dataclasses import dataclass, field

from briefing.layout.geometry import Rect
from briefing.render.pptx_text import Style

Paragraphs = list[tuple[str, Style]]


@dataclass(frozen=True)
class Fit:
    """How one text box was fitted: the scale chosen, the height needed and the height there."""

    slide_index: int  # the source slide's index, so findings point at the briefing
    box: str
    scale: float
    needed: float
    available: float
    floor: float  # the smallest size allowed on this master, in points
    layout: str = ""  # the master's layout the box is on, for messages

    @property
    def fits(self) -> bool:
        """Whether the text fits at the scale written (the floor when it did not)."""
        return self.needed <= self.available + 0.01


@dataclass
class TextBox:
    """Paragraphs set at a fitted scale in a rectangle, or in one of the layout's placeholders."""

    rect: Rect
    paragraphs: Paragraphs
    where: str  # names the box in findings: "chart points", "kpi item 2 value"
    scale: float = 1.0
    anchor: str | None = "top"  # top | middle | bottom; None keeps the placeholder's own
    bullets: bool = False  # the paragraphs carry bullet characters
    placeholder: str | None = None  # title | body0 | subtitle: written into that placeholder
    on: str | None = None  # the fill of ours under the text (a card), when there is one


@dataclass
class ShapeBox:
    """A filled rectangle or oval of ours (cards, rules, dots), optionally holding text."""

    rect: Rect
    color: str
    geometry: str = "rect"  # rect | oval
    text: TextBox | None = None


@dataclass
class ChartBox:
    """A native chart of the briefing drawn in a rectangle."""

    rect: Rect
    chart_id: str
    inks: dict[str, str] = field(default_factory=dict)  # text, title, axis, grid: read on it
    series: list[str] = field(default_factory=list)  # each series' colour, 3:1 on what is under it


@dataclass
class FooterBox:
    """A footer or slide-number placeholder of the layout, filled in and fitted."""

    kind: str  # footer | slide_number
    rect: Rect
    text: TextBox
    from_layout: bool = True  # a copy of the layout's placeholder, else a text box of ours
    moved: bool = False  # written at rect, not where the master drew it


@dataclass
class SlidePlan:
    """One slide of the deck: its layout, boxes in paint order, notes and footers."""

    source_index: int  # which source slide it shows (a continued slide shares it)
    kind: str
    layout: object  # the python-pptx slide layout
    boxes: list = field(default_factory=list)
    footers: list[FooterBox] = field(default_factory=list)
    notes: str = ""
    continued: bool = False


@dataclass
class DeckPlan:
    """The whole deck laid out: slides, every fit, and warnings to print."""

    slides: list[SlidePlan]
    fits: list[Fit]
    warnings: list[str]
    issues: list = field(default_factory=list)  # the layout's own check (see check/layout.py)

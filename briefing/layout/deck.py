"""The whole deck laid out: every source slide in its layout, continued where it overflows."""

from __future__ import annotations

from briefing.citations import format_date
from briefing.layout.boxes import DeckPlan, FooterBox, SlidePlan
from briefing.layout.designer import Designer
from briefing.layout.frames import Frame
from briefing.layout.kinds import SLIDE_KINDS, lay_out_cover, lay_out_title, title_alignment
from briefing.render.pptx_text import Style


class ListItems:
    """A slide's items in one list field: how many, the first k, the rest."""

    def __init__(self, field: str):
        self.field = field

    def count(self, source) -> int:
        """How many items the slide has."""
        return len(getattr(source, self.field))

    def cut(self, source, keep: int) -> tuple:
        """The slide with its first `keep` items, and the slide with the rest."""
        items = getattr(source, self.field)
        return (
            source.model_copy(update={self.field: items[:keep]}),
            source.model_copy(update={self.field: items[keep:]}),
        )


class ColumnPoints:
    """A comparison's two columns, cut at the same point count: each keeps its heading."""

    def count(self, source) -> int:
        """The longer column's number of points."""
        return max(len(source.left.points), len(source.right.points))

    def cut(self, source, keep: int) -> tuple:
        """The slide with the first `keep` points of each column, and the slide with the rest."""
        first, rest = {}, {}
        for side in ("left", "right"):
            column = getattr(source, side)
            first[side] = column.model_copy(update={"points": column.points[:keep]})
            rest[side] = column.model_copy(update={"points": column.points[keep:]})
        return source.model_copy(update=first), source.model_copy(update=rest)


# Slide kinds whose items may continue on a second slide, and how their items are cut.
CONTINUABLE = {
    "summary": ListItems("points"),
    "bullets": ListItems("points"),
    "recommendations": ListItems("items"),
    "timeline": ListItems("events"),
    "comparison": ColumnPoints(),
}
MIN_ITEMS = {"timeline": 2}  # a timeline of one event is no timeline


def lay_out_deck(designer: Designer) -> DeckPlan:
    """Every slide of the briefing as positioned boxes, with footers and the fits found."""
    slides, fits = [], []
    for index, source in enumerate(designer.briefing.slides):
        for plan, trial in _lay_out_slide(designer, index, source):
            slides.append(plan)
            fits += trial
    for number, plan in enumerate(slides, start=1):
        frame = designer.frame(plan.layout, cover=plan.kind == "title")
        designer.begin_slide(plan.source_index, plan.layout, frame)
        plan.footers = _footers(designer, frame, plan, number)
        fits += designer.trial.fits
    return DeckPlan(slides, _once_per_box(fits), designer.warnings)


def _lay_out_slide(designer: Designer, index: int, source):
    """One source slide as one plan, or as two when its items do not fit on one: a second
    continuation would scatter one thought over a run of near-empty slides, so what the two
    halves cannot hold is set smaller, down to the floor, and reported as an overflow."""
    layout = designer.layout(source.kind)
    frame = designer.frame(layout, cover=source.kind == "title")
    plan, fits = _attempt(designer, index, source, layout, frame, False)
    items = CONTINUABLE.get(source.kind)
    total = items.count(source) if items else 0
    smallest = MIN_ITEMS.get(source.kind, 1)
    if all(f.fits for f in fits) or total < 2 * smallest:
        yield plan, fits
        return
    keep = _balanced_share(total)
    first, rest = items.cut(source, keep)
    designer.warn(
        f"slide {index + 1} ({source.kind}): {total - keep} of {total} items "
        "did not fit and continue on the next slide"
    )
    yield _attempt(designer, index, first, layout, frame, False)
    yield _attempt(designer, index, rest, layout, frame, True, keep + 1)


def _balanced_share(total: int) -> int:
    """How many items the first of two slides keeps: half, the odd one first (5 go 3 + 2; 4 + 1
    would leave one item alone on the continued slide, reading as left over)."""
    return -(-total // 2)


def _once_per_box(fits: list) -> list:
    """One fit per box of a source slide, its worst: a continued slide repeats its columns'
    and footers' names, and its author has one column to shorten, so one finding."""
    worst: dict = {}
    for fit in fits:
        key = (fit.slide_index, fit.box)
        if key not in worst or _badness(fit) > _badness(worst[key]):
            worst[key] = fit
    return list(worst.values())


def _badness(fit) -> tuple:
    """How badly a box fits, for choosing the worst of its fits: an overflow by the most
    points, else the smallest scale."""
    return (not fit.fits, fit.needed - fit.available if not fit.fits else -fit.scale)


def _attempt(
    designer: Designer, index: int, source, layout, frame: Frame, continued: bool, first: int = 1
):
    """Lay a slide out once; its fits say whether it worked."""
    designer.begin_slide(index, layout, frame, first)
    boxes: list = designer.panel_boxes()
    align = title_alignment(layout)
    if source.kind == "title":
        boxes += lay_out_cover(designer, source, frame, align)
    else:
        boxes.append(lay_out_title(designer, source, frame, continued, align))
        boxes += SLIDE_KINDS[source.kind](designer, source, frame)
    plan = SlidePlan(
        index, source.kind, layout, boxes, notes=designer.text(source.notes), continued=continued
    )
    return plan, designer.trial.fits


def _footers(designer: Designer, frame: Frame, plan: SlidePlan, number: int) -> list[FooterBox]:
    """The classification and the slide number, fitted into the layout's footer places; the
    cover carries no number, as printed decks do."""
    small = designer.theme.sizes.small
    text = designer.text(designer.briefing.meta.classification)
    footers = []
    spots = {spot.kind: spot for spot in frame.footers}
    if text and "footer" in spots:
        rect = spots["footer"].rect
        box = designer.fit(rect, [(text, Style(size=small))], "footer", anchor=None)
        footers.append(FooterBox("footer", rect, box, moved=spots["footer"].moved))
    if plan.kind == "title":
        return footers  # the cover's details line carries the date
    footers += _dates(designer, plan, footers)
    if "slide_number" not in spots:
        return footers
    spot = spots["slide_number"]
    style = Style(size=small, align="r", color=designer.theme.colors.muted)
    box = designer.fit(spot.rect, [(str(number), style)], "slide number", single_line=True)
    footers.append(FooterBox("slide_number", spot.rect, box, from_layout=not spot.ours))
    return footers


def _dates(designer: Designer, plan: SlidePlan, footers: list[FooterBox]) -> list[FooterBox]:
    """The briefing's date where the master's own box printed '<date/time>', in the deck's
    face and a colour that reads; left blank where it would meet our text or the artwork."""
    date = format_date(designer.briefing.meta.date, designer.lang)
    view = designer.view_of_slide
    taken = [box.rect for box in plan.boxes if hasattr(box, "rect")]
    taken += [footer.rect for footer in footers] + list(view.artwork)
    found = []
    for spot in designer.field_marks.dates(plan.layout):
        if any(spot.rect.overlaps(rect) for rect in taken):
            continue
        style = Style(
            size=designer.theme.sizes.small, align=spot.align, color=designer.theme.colors.muted
        )
        box = designer.fit(spot.rect, [(date, style)], "date", anchor=spot.anchor, single_line=True)
        found.append(FooterBox("date", spot.rect, box, from_layout=False))
        taken.append(spot.rect)
    return found

"""The frame of a layout: where its title, content and footers go, clear of the master's artwork."""

from __future__ import annotations

from dataclasses import dataclass

from briefing.layout.artwork import designed_on
from briefing.layout.geometry import Rect
from briefing.layout.master_view import largest_empty_rect
from briefing.render.pptx_text import INSETS_PT, Style

TITLE_KINDS = ("title", "ctrTitle", "center_title")
BODY_KINDS = ("body", "object", "obj")
SUBTITLE_KINDS = ("subtitle", "subTitle")
FOOTER_KINDS = {"footer": "footer", "ftr": "footer", "slide_number": "slide_number"}
FOOTER_KINDS["sldNum"] = "slide_number"
SMALLEST_ROOM_PT = (144, 72)  # width, height: less than this is no room for content
# When less than this share of a box's area is clear of artwork, or what lies under it is busy,
# the box gets a panel of the master's background colour instead of being squeezed.
CLEAR_SHARE = 0.5
# Placeholders whose content room is less than this share of the slide's free space waste it.
WASTED_SHARE = 0.35
ON_SLIDE_SHARE = 0.5  # a footer placeholder with less of it on the slide is not shown
MARGIN_SHARE = 4  # per cent of the slide's width and height kept clear at its edges
BUSY_SPREAD = 40  # standard deviation of the grey levels (0-255) under a box: stripes, photos
LEGIBLE_HEADROOM = 1.25  # a backdrop must let small text reach 4.5:1 by this factor, or a panel


@dataclass(frozen=True)
class FooterSpot:
    """A footer or slide-number placeholder of the layout and where it sits."""

    kind: str  # footer | slide_number
    rect: Rect | None  # the room its text is fitted to
    moved: bool  # widened or grown past one line: written with this geometry, not the master's
    ours: bool = False  # a slide-number box of ours, for a layout that has no placeholder


@dataclass(frozen=True)
class Frame:
    """What a layout offers a slide: title, content and subtitle rooms, footers, in EMU."""

    layout_name: str
    title: Rect | None  # the title placeholder's room, None when the layout has no title
    content: Rect | None  # the room for content under the title, None when there is none
    subtitle: Rect | None  # the cover's subtitle room
    footers: tuple[FooterSpot, ...]
    panels: tuple[Rect, ...]  # where a panel of ours covers artwork the master left no room beside
    has_title_placeholder: bool
    has_body_placeholder: bool

    @property
    def content_area(self) -> int:
        """The content room's area clear of panels of ours, for choosing among layouts: room
        that needs a panel over the master's artwork is no room the design offers."""
        if self.content is None:
            return 0
        covered = [c for panel in self.panels if (c := panel.intersection(self.content))]
        return max(self.content.area - sum(c.area for c in covered), 0)


def frame_of(designer, layout, cover: bool = False) -> Frame:
    """The frame of a layout, as its placeholders and the master's artwork leave it.

    A master whose placeholders use little of the slide's free space (LibreOffice's designs
    place the title mid-slide on every layout) gets, for content slides, a title at the top of
    the free space and the content under it: the master's design, the slide's room."""
    view = designer.view.layout(layout)
    width, height = view.slide_size
    slide = Rect(0, 0, width, height)
    by_kind = _rects_by_kind(view)
    title_area = _first(by_kind, TITLE_KINDS)
    bodies = [rect for kind in BODY_KINDS for rect in by_kind.get(kind, [])]
    if not bodies and layout is not designer.layout("bullets"):
        # A title-only layout has no body of its own: the content layout's body shows where
        # the template puts content (its own master's, where it has one).
        content_view = designer.view.layout(_content_layout(designer, layout))
        bodies = [
            rect for kind in BODY_KINDS for rect in _rects_by_kind(content_view).get(kind, [])
        ]
    if bodies:
        area = bodies[0]
        for rect in bodies[1:]:
            area = area.union(rect)
    else:
        area = Rect(width // 20, height // 4, width - width // 10, height * 2 // 3)
    obstacles = list(view.artwork)
    footers = tuple(
        spot
        for ph in view.placeholders
        if FOOTER_KINDS.get(ph.kind) == "footer" and ph.rect is not None
        if (spot := _footer_spot(designer, view, ph.rect, ph.kind)) is not None
    )
    # The slide number is always a field of ours: LibreOffice draws a slide-number placeholder
    # in the master's own colour whatever the slide says (grey on Vivid's blue band, 1.3:1), so
    # its colour could not be chosen. It takes the master's place when that is clear of artwork.
    number = next(
        (ph.rect for ph in view.placeholders if ph.kind in ("slide_number", "sldNum") and ph.rect),
        None,
    )
    number = _footer_tall(designer, number) if number is not None else None
    if (
        number is None
        or not slide.contains(number)
        or any(_meets(number, art, view, designer) for art in obstacles)
    ):
        taken = obstacles + [spot.rect for spot in footers]
        number = _number_corner(view, taken, designer)
    if not view.numbers_slides:  # a master that numbers its slides itself needs no second one
        footers += (FooterSpot("slide_number", number, False, ours=True),)
    area = _below(area, title_area, designer.gap)
    for spot in footers:
        area = _above(area, spot.rect, designer.gap // 2)
    area = area.intersection(slide) if area.area else None
    if not cover:
        free = _free_space(view, obstacles, footers, designer)
        if free is not None and (area is None or area.area < WASTED_SHARE * free.area):
            title_area, area = _replanned(free, title_area, designer)
    panels: list[Rect] = []
    minimum = (designer.emu(SMALLEST_ROOM_PT[0]), designer.emu(SMALLEST_ROOM_PT[1]))
    content = _clear(view, area, obstacles, minimum, panels, designer) if area else None
    title = _clear(
        view, title_area, obstacles, (designer.emu(72), designer.emu(18)), panels, designer
    )
    subtitle_area = _first(by_kind, SUBTITLE_KINDS) or (bodies[0] if bodies else None)
    if subtitle_area is not None:
        for spot in footers:
            subtitle_area = _above(subtitle_area, spot.rect, designer.gap // 2)
        subtitle_area = subtitle_area.intersection(slide)
    if title_area is not None:
        title_area = title_area.intersection(slide)
    subtitle = _clear(view, subtitle_area, obstacles, minimum, panels, designer)
    if cover and subtitle is not None:
        moved = tuple(_off_the_blocks(spot, view, subtitle, panels, designer) for spot in footers)
        if moved != footers:
            footers = moved
            for spot in footers:
                subtitle = _above(subtitle, spot.rect, designer.gap // 2)
    return Frame(
        layout_name=view.name,
        title=title,
        content=content,
        subtitle=subtitle,
        footers=footers,
        panels=tuple(panels),
        has_title_placeholder=title_area is not None,
        has_body_placeholder=bool(by_kind.get("body") or by_kind.get("object")),
    )


def _content_layout(designer, layout):
    """The content layout of a layout's own master (as master_view.panel_areas borrows it),
    else the deck's."""
    from briefing.layout.choice import content_layout_of

    return content_layout_of(layout.slide_master) or designer.layout("bullets")


def _meets(box: Rect, art: Rect, view, designer) -> bool:
    """Whether a text box meets a piece of artwork: a busy part of a background picture only
    where its text is set (inside its insets), since the part is cut to whole pixels of a
    coarse raster (Metropolis's border touches its number's place by one of them)."""
    if art in view.backdrop_art:
        return text_area(box, designer).overlaps(art)
    return box.overlaps(art)


def _kept_off(art: Rect, margin: int, view) -> Rect:
    """A piece of artwork with the margin content keeps off it: half of it for a background
    picture's busy part, whose cells already reach past the drawing (Metropolis's title kept
    its ribbon's height, not three quarters of it)."""
    return art.inset(-(margin // 2 if art in view.backdrop_art else margin))


def text_area(box: Rect, designer) -> Rect:
    """Where a text box of ours sets its text: the box less its insets."""
    return box.inset(designer.emu(INSETS_PT[0]), designer.emu(INSETS_PT[1]))


def _free_space(view, obstacles, footers, designer) -> Rect | None:
    """The largest rectangle of the slide, within its margins, clear of artwork and footers."""
    width, height = view.slide_size
    margin_x, margin_y = width * MARGIN_SHARE // 100, height * MARGIN_SHARE // 100
    inner = Rect(margin_x, margin_y, width - 2 * margin_x, height - 2 * margin_y)
    # Kept off by the margin that _clear keeps off artwork inside a placeholder: a room ending on
    # a line of the master (Portfolio's rule under the content) leaves the last line of text,
    # set a little taller by viewers than measured, on it.
    margin = designer.gap // 2
    blocked = [_kept_off(art, margin, view) for art in obstacles] + [
        _reach_above(spot.rect, margin) for spot in footers if spot.rect is not None
    ]
    minimum = (designer.emu(SMALLEST_ROOM_PT[0]), designer.emu(SMALLEST_ROOM_PT[1]))
    return largest_empty_rect(inner, blocked, *minimum)


def _reach_above(footer: Rect, gap: int) -> Rect:
    """A footer with the gap above it that content keeps: text that a viewer sets a little
    taller than measured would touch the footer's (Vintage's body ends where its footer starts)."""
    return Rect(footer.left, footer.top - gap, footer.width, footer.height + gap)


def _replanned(free: Rect, title_area: Rect | None, designer) -> tuple[Rect, Rect]:
    """A title band at the top of the free space and the content room under it."""
    wanted = title_area.height if title_area is not None else designer.emu(64)
    height = max(min(wanted, free.height // 5), designer.emu(40))
    title = Rect(free.left, free.top, free.width, height)
    top = title.bottom + designer.gap
    return title, Rect(free.left, top, free.width, free.bottom - top)


def _footer_spot(designer, view, rect: Rect, kind: str) -> FooterSpot | None:
    """A footer placeholder's spot: cut to the slide where it runs past its edge (Nature
    Illustration's content master draws it half below), none where it is mostly off the slide
    (a master resized without its placeholders)."""
    shown = rect.intersection(Rect(0, 0, *view.slide_size))
    if shown is None or shown.area < ON_SLIDE_SHARE * rect.area:
        return None
    room, moved = _footer_room(designer, view, shown, kind)
    return FooterSpot("footer", room, moved or shown != rect)


def _footer_room(designer, view, rect: Rect, kind: str) -> tuple[Rect, bool]:
    """Where a footer's text is fitted, and whether it leaves the master's place: a box grown
    to one line stays as drawn (viewers draw a line past a thin box); a longer text takes the
    empty date place beside it where that is clear of artwork, then a second line."""
    one_line = _footer_tall(designer, rect)
    if FOOTER_KINDS[kind] != "footer" or _footer_tall(designer, rect, kind) == one_line:
        return one_line, False
    wider = _footer_tall(designer, _with_date(view, rect), kind)
    if any(wider.overlaps(art) and not rect.overlaps(art) for art in view.artwork):
        # The date place lies on the master's artwork (Focus's colour block in the corner):
        # the footer keeps its own place and takes a second line there.
        return _footer_tall(designer, rect, kind), True
    return wider, True


def _off_the_blocks(spot: FooterSpot, view, subtitle: Rect, panels, designer) -> FooterSpot:
    """A cover's footer whose place lies across the master's artwork (Focus's colour blocks,
    not one band of its own) goes to the foot of the subtitle's room, on the panel of ours the
    cover's text is set on there."""
    art = [a for a in view.artwork if spot.rect is not None and spot.rect.overlaps(a)]
    if spot.kind != "footer" or not art or any(designed_on(spot.rect, a) for a in art):
        return spot
    moved = _footer_tall(designer, Rect(subtitle.left, subtitle.bottom, subtitle.width, 0), "ftr")
    if not any(panel.contains(moved) for panel in panels):
        return spot
    return FooterSpot(spot.kind, moved, True, spot.ours)


def _with_date(view, footer: Rect) -> Rect:
    """The footer widened over the date placeholder beside it, which decks leave empty."""
    numbers = [ph.rect for ph in view.placeholders if ph.kind == "slide_number" and ph.rect]
    for ph in view.placeholders:
        if ph.kind != "date" or ph.rect is None:
            continue
        same_row = ph.rect.top < footer.bottom and footer.top < ph.rect.bottom
        # Cut to the slide: a date place may run past its edge as the footer's does.
        wider = footer.union(ph.rect).intersection(Rect(0, 0, *view.slide_size)) or footer
        if same_row and not any(wider.overlaps(number) for number in numbers):
            return wider
    return footer


def _footer_tall(designer, rect: Rect, kind: str = "sldNum") -> Rect:
    """A footer box grown upwards to hold its text in small type: masters draw them thin, and
    a long classification may take two lines (past that its fit fails and says so)."""
    small = designer.theme.sizes.small
    line = designer.height_of([("0 国", Style(size=small))], designer.view.slide_size[0])
    needed = line
    text = designer.text(designer.briefing.meta.classification)
    if FOOTER_KINDS.get(kind) == "footer" and text:
        needed = min(designer.height_of([(text, Style(size=small))], rect.width), 2 * line)
    if needed <= rect.height:
        return rect
    return Rect(rect.left, rect.bottom - needed, rect.width, needed)


def _number_corner(view, obstacles, designer) -> Rect:
    """Where a slide number of ours goes: the bottom-right corner, clear of artwork."""
    width, height = view.slide_size
    box = _footer_tall(designer, Rect(width * 8 // 10, height * 92 // 100, width // 6, 0))
    corner = Rect(box.left, height * 97 // 100 - box.height, box.width, box.height)
    region = Rect(width * 6 // 10, height * 80 // 100, width * 38 // 100, height * 19 // 100)
    if not any(corner.overlaps(taken) for taken in obstacles):
        return corner
    room = largest_empty_rect(region, obstacles, corner.width, corner.height)
    if room is None:
        # Artwork across the whole bottom (a band): the bottom-right of the slide's free space.
        margin_x, margin_y = width * MARGIN_SHARE // 100, height * MARGIN_SHARE // 100
        inner = Rect(margin_x, margin_y, width - 2 * margin_x, height - 2 * margin_y)
        room = largest_empty_rect(inner, obstacles, corner.width, corner.height) or corner
    return Rect(room.right - corner.width, room.bottom - corner.height, corner.width, corner.height)


def _rects_by_kind(view) -> dict[str, list[Rect]]:
    found: dict[str, list[Rect]] = {}
    for ph in view.placeholders:
        if ph.rect is not None and ph.rect.area:
            found.setdefault(ph.kind, []).append(ph.rect)
    return found


def _first(by_kind: dict[str, list[Rect]], kinds) -> Rect | None:
    return next((by_kind[kind][0] for kind in kinds if by_kind.get(kind)), None)


def _below(area: Rect, above: Rect | None, gap: int) -> Rect:
    """The part of area below a box that overlaps its top (a title drawn into the body)."""
    if above is None or not area.overlaps(above):
        return area
    top = above.bottom + gap
    return Rect(area.left, top, area.width, max(area.bottom - top, 0))


def _above(area: Rect, below: Rect | None, gap: int) -> Rect:
    """The part of area above a footer box that reaches into it or into the gap above it."""
    if below is None or not area.overlaps(_reach_above(below, gap)):
        return area
    if below.top - gap <= area.top:
        return area  # a footer at the top or beside the body: leave the body whole
    return Rect(area.left, area.top, area.width, below.top - gap - area.top)


def _clear(view, rect, obstacles, minimum, panels: list[Rect], designer) -> Rect | None:
    """The part of a placeholder's box clear of the master's artwork; where too little is clear,
    the backdrop under it is busy, or no colour of the master reads on it with some headroom
    (a mid-tone photo), the whole box on a panel of ours (added to panels)."""
    if rect is None:
        return None
    if any(designed_on(rect, art) for art in obstacles):
        # The master set it on a band of its own: the band is its background, but what else
        # the master paints on the band is still kept clear of (Lights' bulbs on its picture).
        obstacles = [art for art in obstacles if not designed_on(rect, art)]
        if not any(rect.overlaps(art) for art in obstacles):
            return rect
    # Artwork is kept a margin off, also just outside the box: Portfolio's body ends 1 pt above
    # its rule, and a last line that viewers set a little lower than measured sat on the rule.
    margin = designer.gap // 2
    room = largest_empty_rect(rect, [_kept_off(art, margin, view) for art in obstacles], *minimum)
    if (
        room is not None
        and room.area >= CLEAR_SHARE * rect.area
        and not _busy(view, room)
        and _legible(view, room, designer)
    ):
        return room
    pad = designer.gap // 2
    slide = Rect(0, 0, *view.slide_size)
    panel = Rect(rect.left - pad, rect.top - pad, rect.width + 2 * pad, rect.height + 2 * pad)
    panels.append(panel.intersection(slide) or rect)
    return rect


def _legible(view, rect: Rect, designer) -> bool:
    """Whether some text colour of the master reads on every part of rect with headroom: the
    viewers' anti-aliasing and a photo's grain take some contrast away."""
    from briefing.layout.colors import NORMAL_TEXT_RATIO, contrast

    backgrounds = designer.backgrounds_of(rect, (), view)
    candidates = view.text_colors() + [designer.theme.colors.text, designer.theme.colors.background]
    wanted = NORMAL_TEXT_RATIO * LEGIBLE_HEADROOM
    return any(all(contrast(c, b) >= wanted for b in backgrounds) for c in candidates)


def _busy(view, rect: Rect) -> bool:
    """Whether what the master paints under rect varies too much for text to read on it."""
    return view.spread_under(rect) > BUSY_SPREAD

"""Titles and covers as a designer sets them: one title size for the deck, a cover title never
smaller than its subtitle, lines of even length, one alignment for the deck and the slides."""

from __future__ import annotations

from dataclasses import replace

from briefing.citations import format_date
from briefing.layout.boxes import Paragraphs, TextBox
from briefing.layout.designer import Designer
from briefing.layout.frames import TITLE_KINDS, Frame
from briefing.layout.geometry import EMU_PER_PT, Rect
from briefing.render.pptx_text import INSETS_PT, Style
from briefing.words import word

BALANCE_SLACK_PT = 3  # a balanced title's box is this much wider than its longest line
TITLE_LINES = 2  # a title of three lines reads as a paragraph
# The deck's title size goes no lower than this share of the designed size for one long title:
# that title gets its own size (and a warning) instead of shrinking every other.
SHARED_FLOOR = 0.8
COVER_FLOOR = 0.8  # a cover title set below this share of its size takes more room first
STEP = 0.05  # scales are tried in 5 % steps, as the fit does


def lay_out_cover(designer: Designer, source, frame: Frame, align: str = "l") -> list:
    """The cover: title, subtitle and the meta line, in the layout's own title design; a title
    that would be set below COVER_FLOOR, or smaller than its subtitle, takes more room."""
    meta, sizes = designer.briefing.meta, designer.theme.sizes
    title_rect = frame.title or band_above(designer, frame)
    # Colours: the cover keeps the master's own design; None lets readable() pick its colours.
    title = [(designer.text(source.title), Style(size=sizes.cover_title, bold=True, align=align))]
    subtitle = designer.text(source.subtitle or meta.subtitle)
    by = ", ".join(filter(None, [designer.text(meta.author), designer.text(meta.organisation)]))
    audience = word("for", designer.lang) + designer.text(meta.audience)
    details = " · ".join(filter(None, [format_date(meta.date, designer.lang), audience, by]))
    paragraphs = [(subtitle, Style(size=sizes.body * 1.1))] if subtitle else []
    paragraphs.append(
        (details, Style(size=sizes.small * 7 / 6, space_before=14 if subtitle else 0))
    )
    sub_rect = frame.subtitle
    placeholder = "subtitle"
    if sub_rect is None or sub_rect.overlaps(title_rect):
        top = title_rect.bottom + designer.gap
        sub_rect = Rect(title_rect.left, top, title_rect.width, designer.emu(120))
        placeholder = None
    # Never below the subtitle's size, nor below COVER_FLOOR of its own where room allows.
    wanted = max(COVER_FLOOR, max(style.size for _, style in paragraphs) / sizes.cover_title)
    placed = title_rect
    title_rect, sub_rect = _cover_rooms(designer, title, title_rect, sub_rect, paragraphs, wanted)
    if not title_rect.overlaps(placed):
        # Moved to head the subtitle's room: aligned with the lines it now heads.
        align = "l"
        title = [(text, replace(style, align=align)) for text, style in title]
    paragraphs = _no_larger_than_title(designer, title, title_rect, paragraphs)
    boxes: list = [
        _even_title(
            designer,
            title_rect,
            title,
            "title title",
            "title" if frame.has_title_placeholder else None,
            align,
        )
    ]
    boxes.append(designer.fit(sub_rect, paragraphs, "title subtitle", placeholder=placeholder))
    return boxes


def _cover_rooms(
    designer: Designer,
    title: Paragraphs,
    title_rect: Rect,
    sub_rect: Rect,
    subtitle: Paragraphs,
    wanted: float,
) -> tuple[Rect, Rect]:
    """Where the cover's title and subtitle go: the title placeholder where the title reaches
    `wanted` there; else the placeholder grown into the free room below it (clear of artwork,
    above the subtitle's text); else the title heads the subtitle's room and the subtitle moves
    under it. Of those short of `wanted`, the one that sets the title largest."""
    width = title_rect.width
    scale = designer.measure_fit(title_rect, title)[0]
    if scale >= wanted - 1e-9:
        return title_rect, sub_rect
    choices = [(scale, title_rect, sub_rect)]
    grown = _grown_down(designer, title_rect, sub_rect, subtitle)
    if grown is not None:
        choices.append((designer.measure_fit(grown, title)[0], grown, sub_rect))
        if choices[-1][0] >= wanted - 1e-9:
            return grown, sub_rect
    sub_height = designer.height_of(subtitle, sub_rect.width)
    room = sub_rect.height - sub_height - designer.gap
    if room > 0:
        width = sub_rect.width
        # The title as tall as it needs at `wanted`, the subtitle's text under it.
        at_wanted = [(t, replace(s, size=s.size * wanted)) for t, s in title]
        height = min(designer.height_of(at_wanted, width), room)
        moved_title = Rect(sub_rect.left, sub_rect.top, width, height)
        below = Rect(
            sub_rect.left,
            moved_title.bottom + designer.gap,
            sub_rect.width,
            sub_rect.bottom - moved_title.bottom - designer.gap,
        )
        choices.append((designer.measure_fit(moved_title, title)[0], moved_title, below))
        if choices[-1][0] >= wanted - 1e-9:
            return moved_title, below
    best = max(choices, key=lambda choice: choice[0])
    return best[1], best[2]


def _no_larger_than_title(
    designer: Designer, title: Paragraphs, title_rect: Rect, subtitle: Paragraphs
) -> Paragraphs:
    """The subtitle and details set no larger than the title where no room let the title
    reach their size (Piano's title strip): a cover reads from its largest line."""
    title_size = title[0][1].size * designer.measure_fit(title_rect, title)[0]
    largest = max(style.size for _, style in subtitle)
    if title_size >= largest:
        return subtitle
    share = title_size / largest
    return [(text, replace(style, size=style.size * share)) for text, style in subtitle]


def _grown_down(
    designer: Designer, title_rect: Rect, sub_rect: Rect, subtitle: Paragraphs
) -> Rect | None:
    """The title's room grown down into the free room under it: as far as the first artwork the
    placeholder is clear of, or the subtitle's text (anchored at its room's top), whichever
    comes first; None when there is nothing to gain."""
    limit = sub_rect.top + (0 if sub_rect.top > title_rect.bottom else sub_rect.height)
    if sub_rect.top <= title_rect.bottom:
        return None
    for art in designer.view_of_slide.artwork:
        beside = art.right > title_rect.left and art.left < title_rect.right
        if beside and art.top >= title_rect.bottom and not art.overlaps(title_rect):
            limit = min(limit, art.top)
    if any(panel.overlaps(title_rect) for panel in designer.panels):
        return None  # a panel of ours holds the title: below it is the master's artwork
    bottom = limit - designer.gap // 2
    if bottom - title_rect.bottom < designer.emu(12):
        return None
    return Rect(title_rect.left, title_rect.top, title_rect.width, bottom - title_rect.top)


def lay_out_title(
    designer: Designer, source, frame: Frame, continued: bool, align: str = "l"
) -> TextBox:
    """A slide's action title in the title placeholder's room, marked when continued, at the
    deck's one title size; a title of several lines is set in lines of even length."""
    title = designer.text(source.title)
    if continued:
        title += word("continued", designer.lang)
    rect = frame.title or band_above(designer, frame)
    align = _content_align(designer, frame, align)
    style = designer.style("title", align=align)
    shared = designer.title_scale(lambda: shared_title_scale(designer))
    own = two_line_scale(designer, rect, [(title, style)])
    where = f"{source.kind} title"
    placeholder = "title" if frame.has_title_placeholder else None
    scaled = [(title, replace(style, size=style.size * shared))]
    if own is not None and own >= shared - 1e-9:
        return _even_title(designer, rect, scaled, where, placeholder, align, preset=shared)
    slide = f"slide {designer.slide_index + 1} ({source.kind})"
    size = f"the deck's title size ({style.size * shared:.0f} pt)"
    # A smaller title reads as less important, and below 18 pt it needs a darker colour than
    # the others: first a wider room in as many lines, then more lines at the deck's size.
    wide = _wider(designer, rect, frame)
    wide_scale = two_line_scale(designer, wide, [(title, style)])
    if wide_scale is not None and wide_scale >= shared - 1e-9:
        return _even_title(designer, wide, scaled, where, placeholder, align, preset=shared)
    if designer.measure_fit(rect, scaled)[0] >= 1:
        designer.warn(f"{slide}: the title runs past {TITLE_LINES} lines at {size}; shorten it")
        return _even_title(designer, rect, scaled, where, placeholder, align, preset=shared)
    # Set smaller: the fit check reports it with the title's line in the briefing.
    return _even_title(designer, rect, [(title, style)], where, placeholder, align)


def _wider(designer: Designer, rect: Rect, frame: Frame) -> Rect:
    """The title's room widened to the content's width, as tall as it stays clear of the
    master's artwork (Sunset's ornaments beside its title): a long title takes a wide line
    above them rather than a smaller size in a darker colour."""
    content = frame.content
    if content is None or content.width <= rect.width:
        return rect
    if any(panel.overlaps(rect) for panel in designer.panels):
        return rect  # a panel of ours holds the title: its edges are the room's
    wide = Rect(content.left, rect.top, content.width, rect.height)
    bottom = rect.bottom
    for art in designer.view_of_slide.artwork:
        if art.overlaps(wide) and not art.overlaps(rect):
            bottom = min(bottom, art.top)  # the box's own inset keeps the text off it
    if bottom - rect.top < designer.emu(24):
        return rect
    return Rect(wide.left, wide.top, wide.width, bottom - rect.top)


def shared_title_scale(designer: Designer) -> float:
    """The deck's content title scale: the largest at which every content slide's title fits
    its layout's title room in at most TITLE_LINES lines, but not below SHARED_FLOOR."""
    scales = [1.0]
    for source in designer.briefing.slides:
        if source.kind == "title":
            continue
        frame = designer.frame(designer.layout(source.kind))
        rect = frame.title or band_above(designer, frame)
        own = two_line_scale(
            designer, rect, [(designer.text(source.title), designer.style("title"))]
        )
        if own is not None and own >= SHARED_FLOOR - 1e-9:
            scales.append(own)
    return min(scales)


def two_line_scale(designer: Designer, rect: Rect, paragraphs: Paragraphs) -> float | None:
    """The largest scale (1 down in STEP steps, not below the floor) at which the title fits
    rect in at most TITLE_LINES lines; None when it fits at none."""
    setter = designer.setter
    width_pt = rect.width / EMU_PER_PT - 2 * INSETS_PT[0]
    height_pt = rect.height / EMU_PER_PT - 2 * INSETS_PT[1]
    smallest = min(style.size for _, style in paragraphs)
    scale = 1.0
    while scale * smallest >= designer.floor - 1e-9:
        lines = sum(
            len(setter.line_breaks(text, style, style.size * scale, width_pt)) + 1
            for text, style in paragraphs
        )
        if lines <= TITLE_LINES and setter.text_height(paragraphs, width_pt, scale) <= height_pt:
            return scale
        scale = round(scale - STEP, 2)
    return None


def _content_align(designer: Designer, frame: Frame, align: str) -> str:
    """A title the frame moved off the layout's title placeholder heads the content: it takes
    the content's left edge (Midnightblue's centred title, moved under its band, over points
    set from the left read as two designs); in its placeholder it keeps the layout's own."""
    if frame.title is None:
        return "l"
    for placeholder in designer.view_of_slide.placeholders:
        if placeholder.kind in TITLE_KINDS and placeholder.rect is not None:
            return align if placeholder.rect.contains(frame.title) else "l"
    return align


def _even_title(
    designer: Designer,
    rect: Rect,
    paragraphs: Paragraphs,
    where: str,
    placeholder: str | None,
    align: str,
    preset: float = 1.0,
) -> TextBox:
    """A title fitted to rect, its box then narrowed (on the side away from `align`) as far as
    it keeps its lines and size: the lines come out of even length."""
    box = designer.fit(rect, paragraphs, where, placeholder=placeholder, preset=preset)
    scaled = [(text, replace(style, size=style.size * box.scale)) for text, style in paragraphs]
    width = _balanced_width(designer, scaled, rect.width)
    if width == rect.width:
        return box
    shift = {"ctr": (rect.width - width) // 2, "r": rect.width - width}.get(align, 0)
    narrow = Rect(rect.left + shift, rect.top, width, rect.height)
    trial = designer.measure_fit(narrow, paragraphs)[0]
    if trial != box.scale:
        return box
    designer.trial.fits.pop()  # set again below in its narrower box
    return designer.fit(narrow, paragraphs, where, placeholder=placeholder, preset=preset)


def _balanced_width(designer: Designer, paragraphs: Paragraphs, width: int) -> int:
    """The narrowest width (down to half) that sets text in as many lines as `width` does:
    a last line of one word under a full one reads as an accident."""
    needed = designer.height_of(paragraphs, width)
    one_line = designer.height_of(paragraphs, width * 100)  # the same text on one line
    if needed <= one_line:
        return width
    low, high = width // 2, width  # high always keeps the line count
    while high - low > designer.emu(2):
        middle = (low + high) // 2
        if designer.height_of(paragraphs, middle) <= needed:
            high = middle
        else:
            low = middle
    # A little over the narrowest, so a viewer that sets the text a hair wider keeps the breaks.
    return min(width, high + designer.emu(BALANCE_SLACK_PT))


def title_alignment(layout) -> str:
    """How a layout aligns its title (l, ctr or r): its title's own list style or paragraph
    (LibreOffice writes it on the placeholder's empty paragraph, and applies it), else its
    master's title placeholder's, else the master's title style; l when none says."""
    master = layout.slide_master.element
    titles = "./p:cSld/p:spTree/p:sp[p:nvSpPr/p:nvPr/p:ph[@type='title' or @type='ctrTitle']]"
    levels = "p:txBody/a:lstStyle/a:lvl1pPr/@algn"
    paragraph = "p:txBody/a:p[1]/a:pPr/@algn"
    for found in (
        layout.element.xpath(f"{titles}/{levels}"),
        layout.element.xpath(f"{titles}/{paragraph}"),
        master.xpath(f"{titles}/{levels}"),
        master.xpath(f"{titles}/{paragraph}"),
        master.xpath("./p:txStyles/p:titleStyle/a:lvl1pPr/@algn"),
    ):
        if found:
            return str(found[0])
    return "l"


def band_above(designer: Designer, frame: Frame) -> Rect:
    """Where a title goes on a layout without a title placeholder: above the content."""
    content = frame.content or Rect(0, designer.emu(120), designer.view_of_slide.slide_size[0], 0)
    top = designer.emu(24)
    return Rect(
        content.left,
        top,
        content.width,
        max(content.top - top - designer.gap // 2, designer.emu(48)),
    )

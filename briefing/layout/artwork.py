"""What a master paints, read as a designer would: the slide's background, a panel its text is set
on, or artwork that text and charts keep clear of. The layout and the audit both decide by it."""

from __future__ import annotations

from collections.abc import Iterable

from briefing.layout.geometry import Rect

# A picture or shape covering this share of the slide is its background (a full-bleed photo, a
# wash of colour): text goes on it, judged by contrast.
BACKGROUND_SHARE = 0.85
# A shape holding this share of a title, body or subtitle placeholder is the panel the design
# sets that text on (Inspiration's white card, Grey_Elegant's mosaic, Sunset's tilted card).
PANEL_SHARE = 0.95
# A box this much inside one piece of artwork was set on it by the master (a footer on its band).
DESIGNED_SHARE = 0.9
# The placeholders whose text a panel carries: content, not footers (a footer band is artwork
# for content even though the design sets the footer on it).
TEXT_KINDS = frozenset({"title", "center_title", "body", "object", "subtitle"})


def is_background(extent: Rect, slide: Rect) -> bool:
    """Whether a painted shape, where it shows on the slide, is the slide's background."""
    shown = extent.intersection(slide)
    return shown is not None and shown.area >= BACKGROUND_SHARE * slide.area


def is_panel(extent: Rect, text_areas: Iterable[Rect]) -> bool:
    """Whether a painted shape holds (nearly) the whole of one of the layout's text placeholders,
    as a card or a band behind a title does: the design sets that text on it."""
    for area in text_areas:
        inside = extent.intersection(area)
        if area.area and inside is not None and inside.area >= PANEL_SHARE * area.area:
            return True
    return False


def is_artwork(extent: Rect, slide: Rect, text_areas: Iterable[Rect]) -> bool:
    """Whether a painted shape is artwork to keep clear of: neither background nor a panel."""
    return not is_background(extent, slide) and not is_panel(extent, text_areas)


def designed_on(rect: Rect, art: Rect) -> bool:
    """Whether a box lies almost wholly inside one piece of artwork (the master put it there)."""
    overlap = rect.intersection(art)
    return overlap is not None and overlap.area >= DESIGNED_SHARE * rect.area

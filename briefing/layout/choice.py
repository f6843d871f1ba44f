"""Which of a master's layouts each slide kind uses: by name, by shape, then by the room left."""

from __future__ import annotations

from briefing.errors import ThemeError

# Layout names PowerPoint, LibreOffice and pandoc use, per the shape a slide kind needs.
WANTED = {
    "cover": ("Title Slide", "Title", "Title, Subtitle"),
    "content": ("Title and Content", "Title, Content", "Title and Text", "Title, Text"),
    "two": (
        "Two Content",
        "Title and 2 Content",
        "Title, 2 Content",
        "Comparison",
        "Title, Content and 2 Content",
    ),
    "title_only": ("Title Only", "Title, Only", "Title only"),
}
KIND_SHAPE = {
    "title": "cover",
    "summary": "content",
    "bullets": "content",
    "sources": "content",
    "comparison": "two",
    "chart": "title_only",
    "kpi": "title_only",
    "timeline": "title_only",
    "quote": "title_only",
    "recommendations": "title_only",
}


ROOMIER = 1.25  # another layout must offer this much more room to beat the conventional name
# A shape whose boxes can also be set in the layout of another kind, when that one is clearly
# roomier: a comparison's two columns side by side in the bullets' body (Vintage's two-body
# layouts keep the title mid-slide and leave the columns a strip under it; its content layout
# has the whole slide).
ALSO_IN = {"two": "bullets"}


def layout_shape(layout) -> tuple[bool, bool, int]:
    """What a layout offers: a title, a subtitle, and how many body placeholders."""
    from pptx.enum.shapes import PP_PLACEHOLDER

    kinds = [ph.placeholder_format.type for ph in layout.placeholders]
    title = any(k in (PP_PLACEHOLDER.TITLE, PP_PLACEHOLDER.CENTER_TITLE) for k in kinds)
    subtitle = PP_PLACEHOLDER.SUBTITLE in kinds
    bodies = sum(k in (PP_PLACEHOLDER.BODY, PP_PLACEHOLDER.OBJECT) for k in kinds)
    return title, subtitle, bodies


def fits_shape(shape: str, offered: tuple[bool, bool, int]) -> bool:
    """Whether a layout offering (title, subtitle, bodies) has the shape a kind needs."""
    title, subtitle, bodies = offered
    return {
        "cover": title and (subtitle or bodies >= 1),
        "content": title and bodies == 1 and not subtitle,
        "two": title and bodies >= 2,
        "title_only": title and bodies == 0 and not subtitle,
    }[shape]


def content_layout_of(master):
    """A master's own content layout: by its conventional name, else by its shape; or None."""
    layouts = list(master.slide_layouts)
    named = [lo for name in WANTED["content"] for lo in layouts if lo.name == name]
    shaped = [lo for lo in layouts if fits_shape("content", layout_shape(lo))]
    return next(iter(named + shaped), None)


def choose_layout(designer, kind: str) -> tuple[object, str | None]:
    """The layout for a slide kind and a warning when it is a fallback.

    A theme that names a layout gets exactly that one. Otherwise, of the layouts of the right
    shape, the conventional name wins unless another leaves clearly more room for content clear
    of the master's artwork (a design whose content layout is crossed by a band)."""
    # Every master's layouts: LibreOffice exports a design's title page and its content page as
    # two masters (Piano's content master leaves twice the room of its title master).
    layouts = [layout for master in designer.prs.slide_masters for layout in master.slide_layouts]
    if not layouts:
        raise ThemeError(f"{designer.master_name}: the master deck has no slide layouts")
    mapped = designer.theme.layouts.get(kind)
    by_name: dict[str, object] = {}
    for layout in layouts:
        by_name.setdefault(layout.name, layout)  # a name the masters share: the first master's
    if mapped in by_name:
        return by_name[mapped], None
    note = f"the theme maps '{kind}' to '{mapped}', which the master lacks; " if mapped else ""
    shape = KIND_SHAPE[kind]
    named = [layout for n in WANTED[shape] for layout in layouts if layout.name == n]
    fitting = []
    for layout in named + layouts:  # named first, each once
        if fits_shape(shape, layout_shape(layout)) and not any(layout is f for f in fitting):
            fitting.append(layout)
    if shape not in ("cover", "content") and fitting:
        # One design for the deck's body: chart, KPI and other slides take the content slides'
        # master where it has a layout of their shape.
        home = designer.layout("bullets").slide_master.part
        fitting = [lo for lo in fitting if lo.slide_master.part is home] or fitting
    if fitting:
        best = fitting[0]
        if shape != "cover":
            best_room = designer.frame(best).content_area
            for layout in fitting[1:] + _also_fitting(designer, shape):
                room = designer.frame(layout).content_area
                if room > best_room * ROOMIER:
                    best, best_room = layout, room
        return best, (f"{note}using '{best.name}'" if note else None)
    # Nothing of the right shape: a content layout (its body holds any kind's boxes), else any
    # layout with a title, else the first one.
    fallback = next(
        (lo for lo in layouts if fits_shape("content", layout_shape(lo))),
        next((lo for lo in layouts if layout_shape(lo)[0]), layouts[0]),
    )
    wanted = mapped or WANTED[shape][0]
    return fallback, (
        f"no layout like '{wanted}' for slide kind '{kind}'; using '{fallback.name}' instead"
    )


def _also_fitting(designer, shape: str) -> list:
    """The layout of the kind whose room can stand in for this shape's, if there is one."""
    return [designer.layout(ALSO_IN[shape])] if shape in ALSO_IN else []

"""A master as a viewer paints it: placeholders, artwork to keep clear of, background, text colours.

Everything is read from the parts' XML with lxml: placeholders from the layout (falling back to the
master's), artwork from the non-placeholder shapes of master and layout, colours through the
master's colour map and its theme. The background under a box is measured on a small raster of
the slide (background, then every painted shape in document order), so pictures, gradients,
transparency and overlapping shapes count as they would on screen.
"""

from __future__ import annotations

import bisect
import io
import math
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace
from functools import cached_property, lru_cache

from lxml import etree

from briefing.errors import ThemeError
from briefing.layout.artwork import (
    SHOWN_DIFFERENCE,
    TEXT_KINDS,
    WHOLLY_SHOWN,
    busy_parts,
    calm_color,
    is_background,
    is_panel,
)
from briefing.layout.colors import blend, channels, hex_color, transformed
from briefing.layout.geometry import Rect

A = "{http://schemas.openxmlformats.org/drawingml/2006/main}"
P = "{http://schemas.openxmlformats.org/presentationml/2006/main}"
R = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
MC = "{http://schemas.openxmlformats.org/markup-compatibility/2006}"
THEME_RELATIONSHIP = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/theme"

# Placeholder kinds by their ph type. An absent type means "obj": ECMA-376 gives the attribute
# that default, and python-pptx reads it so (LibreOffice writes <p:ph/> for content boxes).
PLACEHOLDER_KINDS = {
    "title": "title",
    "ctrTitle": "center_title",
    "subTitle": "subtitle",
    "body": "body",
    "obj": "object",
    "dt": "date",
    "ftr": "footer",
    "sldNum": "slide_number",
    "hdr": "header",
    "pic": "picture",
    "chart": "chart",
    "tbl": "table",
    "clipArt": "clip_art",
    "dgm": "diagram",
    "media": "media",
    "sldImg": "slide_image",
}
# A layout placeholder takes its place from the master's one of the same family: the master has
# one title and one body, and content of any kind (object, chart, picture ...) inherits the body.
OWN_FAMILY = {"title": "title", "ctrTitle": "title"} | {
    t: t for t in ("dt", "ftr", "sldNum", "hdr")
}

DEFAULT_COLOR_MAP = {"bg1": "lt1", "tx1": "dk1", "bg2": "lt2", "tx2": "dk2"}
SYSTEM_COLORS = {"windowText": "000000", "window": "FFFFFF"}
PRESET_COLORS = {"black": "000000", "white": "FFFFFF", "red": "FF0000", "green": "008000"}
PRESET_COLORS |= {"blue": "0000FF", "gray": "808080", "yellow": "FFFF00"}
HEX_COLOR = re.compile(r"[0-9A-Fa-f]{6}")
TRANSFORMS = ("lumMod", "lumOff", "satMod", "tint", "shade")

# The slide is measured on a raster this many pixels wide: about 1/80 inch on a 10-inch slide,
# finer than any text box, and quick to paint.
RASTER_WIDTH = 800
# Whether and where each shape shows is seen on a coarser raster (1/20 inch on a 10-inch slide):
# it paints every shape of every layout read, so it must be quick.
SIGHT_WIDTH = 200
DEFAULT_LINE_EMU = 9525

Affine = tuple[float, float, float, float, float, float]
IDENTITY: Affine = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)
Point = tuple[float, float]


@dataclass(frozen=True)
class PlaceholderView:
    """A layout's placeholder where a viewer puts it."""

    kind: str  # the ph type: "title", "center_title", "body", "object", "date", ...
    idx: int | None  # None when the ph has no idx (LibreOffice leaves it off)
    rect: Rect | None  # the layout's own frame, else the master placeholder's it inherits
    order: int  # position among the layout's placeholders, in document order


@dataclass(frozen=True)
class Fill:
    """How an area is filled: a colour (with its opacity) or a picture's pixels."""

    color: str | None = None
    alpha: float = 1.0
    picture: bytes | None = None
    crop: tuple[float, float, float, float] = (0.0, 0.0, 0.0, 0.0)  # left, top, right, bottom
    stops: tuple[tuple[float, str, float], ...] = ()  # a linear gradient: (position, colour, alpha)
    angle: float = 0.0  # its direction in degrees, clockwise from left-to-right
    path: str = ""  # a path gradient's shape ("circle", "rect", "shape"); "" for a linear one
    focus: Point = (0.5, 0.5)  # where a path gradient starts, as a share of the frame

    @property
    def visible(self) -> bool:
        """Whether it paints anything."""
        return self.picture is not None or (self.color is not None and self.alpha > 0)


@dataclass(frozen=True)
class Path:
    """One subpath of a shape's outline in slide EMU."""

    points: tuple[Point, ...]
    closed: bool
    filled: bool = True
    stroked: bool = True


@dataclass(frozen=True)
class Paint:
    """One thing painted on the slide: its outline, fill and line, in painting order."""

    box: Rect
    paths: tuple[Path, ...]
    fill: Fill | None = None
    line: Fill | None = None
    line_width: int = 0
    frame: Point = (0.0, 0.0)  # the frame's own width and height, before it is turned
    turn: float = 0.0  # degrees clockwise
    flip: tuple[bool, bool] = (False, False)  # mirrored left-right, top-bottom


@dataclass(frozen=True)
class LayoutView:
    """A slide layout as a viewer shows it: placeholders, artwork, background, text colours."""

    name: str
    slide_size: tuple[int, int]
    placeholders: tuple[PlaceholderView, ...]
    artwork: tuple[Rect, ...]
    master_index: int = 0
    part_name: str = ""
    paints: tuple[Paint, ...] = field(default=(), repr=False, compare=False)
    text_candidates: tuple[str, ...] = ("000000", "FFFFFF")
    numbers_slides: bool = False  # the master or layout draws a slide-number field of its own
    # The busy parts of a background picture (trees, a sun), also in artwork: told apart for
    # the audit, which names them.
    backdrop_art: tuple[Rect, ...] = ()

    def room(self, area: Rect, min_width: int = 0, min_height: int = 0) -> Rect | None:
        """The largest rectangle inside area that no artwork overlaps, or None if none is big
        enough."""
        return largest_empty_rect(area, self.artwork, max(min_width, 1), max(min_height, 1))

    def background_under(self, rect: Rect) -> str:
        """The average colour a viewer paints under rect before any text ("RRGGBB")."""
        from PIL import ImageStat

        pixels = self._pixels(rect)
        if pixels is None:
            width, height = self.slide_size
            raise ValueError(f"{rect} lies outside the slide ({width} x {height} EMU)")
        return hex_color(*ImageStat.Stat(pixels).mean[:3])

    def spread_under(self, rect: Rect) -> float:
        """How much the grey level of what is painted under rect varies (standard deviation,
        0-255): near 0 on a flat fill, high on stripes, photos and busy artwork."""
        from PIL import ImageStat

        pixels = self._pixels(rect)
        return 0.0 if pixels is None else ImageStat.Stat(pixels.convert("L")).stddev[0]

    def _pixels(self, rect: Rect):
        """The raster's pixels under rect (at least one), or None when it is off the slide."""
        width, height = self.slide_size
        box = rect.intersection(Rect(0, 0, width, height))
        if box is None:
            return None
        scale = self._raster.width / width
        left, top = math.floor(box.left * scale), math.floor(box.top * scale)
        right = max(left + 1, math.ceil(box.right * scale))
        bottom = max(top + 1, math.ceil(box.bottom * scale))
        return self._raster.crop((left, top, right, bottom))

    def text_colors(self) -> list[str]:
        """Candidate text colours, preferred first: the master's own, then tx1, bg1, tx2, bg2."""
        return list(self.text_candidates)

    @cached_property
    def _raster(self):
        """The slide painted once, on first use."""
        return paint_slide(self.slide_size, self.paints)


class MasterView:
    """Reads a presentation's masters and layouts as a viewer shows them, once per part."""

    def __init__(self, prs):
        self.slide_size = (int(prs.slide_width), int(prs.slide_height))
        self._masters = list(prs.slide_masters)
        self._read: dict[str, _MasterRead] = {}
        self._views: dict[str, LayoutView] = {}
        first = self._master_read(self._masters[0])
        self.theme_colors: dict[str, str] = dict(first.palette.theme)
        self.color_map: dict[str, str] = dict(first.palette.color_map)

    def layout(self, layout) -> LayoutView:
        """The view of one python-pptx slide layout (cached per layout part)."""
        key = str(layout.part.partname)
        if key not in self._views:
            self._views[key] = self._layout_view(layout)
        return self._views[key]

    def layouts(self) -> list[LayoutView]:
        """Every layout of every master, master by master (LibreOffice exports one per page
        design); master_index tells them apart."""
        return [self.layout(layout) for master in self._masters for layout in master.slide_layouts]

    def _master_read(self, master) -> _MasterRead:
        """What one master gives all its layouts, read once."""
        key = str(master.part.partname)
        if key not in self._read:
            self._read[key] = _MasterRead(master, self.slide_size)
        return self._read[key]

    def _layout_view(self, layout) -> LayoutView:
        """Read one layout on top of its master."""
        master = layout.slide_master
        index = next(i for i, m in enumerate(self._masters) if m.part is master.part)
        read = self._master_read(master)
        root = layout.element
        palette = read.palette.overridden(root.find(f"{P}clrMapOvr/{A}overrideClrMapping"))
        background = _background(root, layout.part, palette, read.styles)
        if background is None:
            background = read.background
        show_master = root.get("showMasterSp", "1") not in ("0", "false")
        drawn = _Drawn(layout.part, palette, read.styles, self.slide_size)
        drawn.tree(root.find(f"{P}cSld/{P}spTree"))
        paints = [_full_slide(self.slide_size, background)]
        shapes, backdrop = [], {id(paints[0])}
        for shown in ([read.drawn] if show_master else []) + [drawn]:
            paints += shown.paints
            shapes += shown.artwork
            backdrop |= {id(paint) for paint in shown.backdrops}
        placeholders = tuple(_placeholders(root, read.placeholders))
        text_areas = panel_areas(layout, placeholders)
        sightings = dict(zip(map(id, paints), _sightings(self.slide_size, tuple(paints))))
        slide = Rect(0, 0, *self.slide_size)
        artwork = []
        for extent, leaves in shapes:
            if is_panel(extent, text_areas):
                # The panel the text is set on is part of the ground it is read against.
                backdrop |= {id(leaf.paint) for leaf in leaves if leaf.paint is not None}
                continue
            for leaf in leaves:
                seen = sightings.get(id(leaf.paint))
                artwork += [c for p in _where_shown(leaf, seen) if (c := p.intersection(slide))]
        ground = tuple(paint for paint in paints if id(paint) in backdrop)
        busy = ()
        if any(paint.fill is not None and paint.fill.picture is not None for paint in ground):
            busy = _busy_ground(self.slide_size, ground, tuple(text_areas))
        return LayoutView(
            name=layout.name,
            slide_size=self.slide_size,
            placeholders=placeholders,
            artwork=tuple(artwork) + busy,
            master_index=index,
            part_name=str(layout.part.partname),
            paints=tuple(paints),
            text_candidates=tuple(_text_colors(root, read)),
            numbers_slides=drawn.numbers_slides or (show_master and read.drawn.numbers_slides),
            backdrop_art=busy,
        )


class _MasterRead:
    """What every layout of one master shares: palette, styles, background, artwork."""

    def __init__(self, master, slide_size: tuple[int, int]):
        root = master.element
        theme_part = _theme_part(master)
        theme = etree.fromstring(theme_part.blob)
        self.root = root
        self.palette = Palette(
            _theme_colors(theme, master),
            _color_map(root.find(f"{P}clrMap")),
        )
        self.styles = _Styles(theme, theme_part)
        self.background = _background(root, master.part, self.palette, self.styles) or Fill(
            "FFFFFF"
        )
        self.drawn = _Drawn(master.part, self.palette, self.styles, slide_size)
        self.drawn.tree(root.find(f"{P}cSld/{P}spTree"))
        self.placeholders = _master_placeholders(root)


# ---------------------------------------------------------------------------------------------
# Colours


class Palette:
    """Theme colours and the colour map that turn DrawingML colour elements into "RRGGBB"."""

    def __init__(self, theme: dict[str, str], color_map: dict[str, str]):
        self.theme = theme
        self.color_map = color_map

    def overridden(self, override) -> Palette:
        """This palette with a layout's own colour map, if it has one."""
        if override is None:
            return self
        return Palette(self.theme, _color_map(override))

    def color(self, parent, placeholder: Fill | None = None) -> Fill | None:
        """The colour (with its opacity) of the first colour element in parent, else None."""
        if parent is None:
            return None
        for element in parent:
            base = self._base(element, placeholder)
            if base is not None:
                return _transformed(base, element)
        return None

    def _base(self, element, placeholder: Fill | None) -> str | None:
        """The colour a colour element names, before its transforms."""
        tag = etree.QName(element).localname
        if tag == "srgbClr":
            return _hex(element.get("val"))
        if tag == "schemeClr":
            name = element.get("val", "")
            if name == "phClr":
                return placeholder.color if placeholder and placeholder.color else "000000"
            return self.theme.get(self.color_map.get(name, name), "000000")
        if tag == "sysClr":
            return _hex(element.get("lastClr")) or SYSTEM_COLORS.get(element.get("val"), "000000")
        if tag == "prstClr":
            return PRESET_COLORS.get(element.get("val"), "000000")
        if tag == "scrgbClr":
            linear = [_percentage(element.get(c), 0.0) for c in "rgb"]
            return hex_color(*(255 * _srgb(v) for v in linear))
        return None


def _hex(value: str | None) -> str | None:
    """An "RRGGBB" value as written in the master, or None when it is not one (a damaged file
    is drawn without that colour rather than stopping the build)."""
    return value.upper() if value and HEX_COLOR.fullmatch(value) else None


def _percentage(value: str | None, default: float) -> float:
    """A DrawingML percentage (100000 = 1.0), or the default when it is missing or malformed."""
    try:
        return int(value) / 100000 if value is not None else default
    except ValueError:
        return default


def _srgb(linear: float) -> float:
    """Linear light (0..1) to an sRGB value (0..1)."""
    return 12.92 * linear if linear <= 0.0031308 else 1.055 * linear ** (1 / 2.4) - 0.055


def _transformed(base: str, element) -> Fill:
    """A base colour with the transforms and alpha of its colour element applied."""
    steps, alpha = [], 1.0
    for child in element:
        name = etree.QName(child).localname
        value = _percentage(child.get("val"), 1.0)
        if name in TRANSFORMS:
            steps.append((name, value))
        elif name == "alpha":
            alpha = value
    return Fill(transformed(base, steps), alpha)


def _theme_part(master):
    """The theme part of a slide master."""
    for rel in master.part.rels.values():
        if rel.reltype == THEME_RELATIONSHIP and not rel.is_external:
            return rel.target_part
    raise ThemeError(f"slide master {master.part.partname} has no theme, so no colours to read")


def _theme_colors(theme, master) -> dict[str, str]:
    """The theme's colour scheme as slot -> "RRGGBB" (dk1, lt1, ..., folHlink)."""
    scheme = theme.find(f"{A}themeElements/{A}clrScheme")
    if scheme is None:
        raise ThemeError(f"the theme of slide master {master.part.partname} has no colour scheme")
    palette = Palette({}, {})
    colors = {}
    for slot in scheme:
        found = palette.color(slot)
        if found is not None:
            colors[etree.QName(slot).localname] = found.color
    return colors


def _color_map(element) -> dict[str, str]:
    """A clrMap (or overrideClrMapping) as bg1 -> lt1, tx1 -> dk1, ..."""
    mapping = dict(DEFAULT_COLOR_MAP)
    if element is not None:
        mapping.update(element.attrib)
    return mapping


# ---------------------------------------------------------------------------------------------
# Fills and theme styles


class _Styles:
    """The theme's fill, background-fill and line styles that style references point to."""

    def __init__(self, theme, part):
        self.part = part
        scheme = theme.find(f"{A}themeElements/{A}fmtScheme")

        def listed(name: str) -> list:
            found = scheme.find(f"{A}{name}") if scheme is not None else None
            return list(found) if found is not None else []

        self.fills = listed("fillStyleLst")
        self.background_fills = listed("bgFillStyleLst")
        self.lines = listed("lnStyleLst")

    def fill(self, index: int) -> object | None:
        """The fill style a fillRef/bgRef index names (1.. fills, 1001.. background fills)."""
        table, at = (
            (self.background_fills, index - 1001) if index >= 1001 else (self.fills, index - 1)
        )
        return table[at] if 0 <= at < len(table) else None

    def line(self, index: int) -> object | None:
        """The line style an lnRef index names."""
        return self.lines[index - 1] if 0 < index <= len(self.lines) else None


FILL_TAGS = {f"{A}{name}" for name in ("noFill", "solidFill", "gradFill", "blipFill", "pattFill")}
FILL_TAGS.add(f"{A}grpFill")


def _fill_element(parent):
    """The first fill element among parent's children, or None."""
    if parent is None:
        return None
    return next((child for child in parent if child.tag in FILL_TAGS), None)


def _fill(element, part, palette: Palette, placeholder: Fill | None = None, group=None) -> Fill:
    """What a fill element paints; a gradient is the average of its stops over its length."""
    tag = etree.QName(element).localname
    if tag == "solidFill":
        return palette.color(element, placeholder) or Fill()
    if tag == "gradFill":
        return _gradient(element, palette, placeholder)
    if tag == "pattFill":
        # Patterns are read as half foreground, half background: close for the grids and
        # hatches that designs use as texture.
        fore = palette.color(element.find(f"{A}fgClr"), placeholder) or Fill("000000")
        back = palette.color(element.find(f"{A}bgClr"), placeholder) or Fill("FFFFFF")
        return Fill(blend([(fore.color, 1), (back.color, 1)]), (fore.alpha + back.alpha) / 2)
    if tag == "blipFill":
        return _picture_fill(element, part)
    if tag == "grpFill":
        return group or Fill()
    return Fill()


def _gradient(element, palette: Palette, placeholder: Fill | None) -> Fill:
    """A gradient: its average colour over its length (for lines and patterns) and its stops,
    direction and focus for painting."""
    stops = []
    for stop in element.iterfind(f"{A}gsLst/{A}gs"):
        color = palette.color(stop, placeholder)
        if color is not None:
            stops.append((int(stop.get("pos", "0")) / 100000, color.color, color.alpha))
    if not stops:
        return Fill()
    stops.sort(key=lambda s: s[0])
    # Colours hold flat before the first stop and after the last, and change linearly between.
    weights = [(stops[0], stops[0][0]), (stops[-1], 1 - stops[-1][0])]
    for first, second in zip(stops, stops[1:]):
        weights += [(first, (second[0] - first[0]) / 2), (second, (second[0] - first[0]) / 2)]
    if sum(w for _, w in weights) <= 0:
        weights = [(stop, 1.0) for stop in stops]
    total = sum(w for _, w in weights)
    color = blend((stop[1], weight) for stop, weight in weights)
    alpha = sum(stop[2] * weight for stop, weight in weights) / total
    linear, path = element.find(f"{A}lin"), element.find(f"{A}path")
    if path is not None:
        edges = path.find(f"{A}fillToRect")
        left, top, right, bottom = (
            (int(edges.get(side, "0")) / 100000 for side in "ltrb")
            if edges is not None
            else (0.5, 0.5, 0.5, 0.5)
        )
        focus = ((left + 1 - right) / 2, (top + 1 - bottom) / 2)
        return Fill(color, alpha, stops=tuple(stops), path=path.get("path", "circle"), focus=focus)
    angle = int(linear.get("ang", "0")) / 60000 if linear is not None else 90.0
    return Fill(color, alpha, stops=tuple(stops), angle=angle)


def _picture_fill(element, part) -> Fill:
    """A picture fill: the embedded picture's bytes, crop and opacity."""
    blip = element.find(f"{A}blip")
    rid = blip.get(f"{R}embed") if blip is not None else None
    if not rid or rid not in part.rels:
        return Fill()  # a linked picture: no viewer we care about loads it
    crop_element = element.find(f"{A}srcRect")
    crop = (0.0, 0.0, 0.0, 0.0)
    if crop_element is not None:
        crop = tuple(int(crop_element.get(side, "0")) / 100000 for side in "ltrb")
    alpha = blip.find(f"{A}alphaModFix")
    opacity = int(alpha.get("amt", "100000")) / 100000 if alpha is not None else 1.0
    return Fill(alpha=opacity, picture=part.related_part(rid).blob, crop=crop)


def _background(root, part, palette: Palette, styles: _Styles) -> Fill | None:
    """The background a master or layout sets itself, or None when it inherits one."""
    background = root.find(f"{P}cSld/{P}bg")
    if background is None:
        return None
    properties = background.find(f"{P}bgPr")
    if properties is not None:
        element = _fill_element(properties)
        return _fill(element, part, palette) if element is not None else Fill("FFFFFF")
    reference = background.find(f"{P}bgRef")
    if reference is not None:
        color = palette.color(reference)
        style = styles.fill(int(reference.get("idx", "0")))
        if style is None:
            return color
        return _fill(style, styles.part, palette, placeholder=color)
    return None


def _full_slide(size: tuple[int, int], fill: Fill) -> Paint:
    """The background as a paint covering the whole slide."""
    width, height = size
    box = Rect(0, 0, width, height)
    corners = ((0, 0), (width, 0), (width, height), (0, height))
    return Paint(box, (Path(corners, True),), fill)


# ---------------------------------------------------------------------------------------------
# Shapes: where they are and what they paint


def _multiply(outer: Affine, inner: Affine) -> Affine:
    """The affine map applying inner first, then outer."""
    a1, b1, c1, d1, e1, f1 = outer
    a2, b2, c2, d2, e2, f2 = inner
    return (
        a1 * a2 + c1 * b2,
        b1 * a2 + d1 * b2,
        a1 * c2 + c1 * d2,
        b1 * c2 + d1 * d2,
        a1 * e2 + c1 * f2 + e1,
        b1 * e2 + d1 * f2 + f1,
    )


def _apply(matrix: Affine, point: Point) -> Point:
    """A point mapped by an affine map."""
    a, b, c, d, e, f = matrix
    x, y = point
    return a * x + c * y + e, b * x + d * y + f


def _placement(xfrm, inner_scale: Point = (1.0, 1.0), inner_origin: Point = (0.0, 0.0)) -> Affine:
    """Map coordinates inside a frame (unit square, or a group's child space) to its parent's."""
    off, ext = xfrm.find(f"{A}off"), xfrm.find(f"{A}ext")
    x, y = (int(off.get("x", "0")), int(off.get("y", "0"))) if off is not None else (0, 0)
    cx, cy = (int(ext.get("cx", "0")), int(ext.get("cy", "0"))) if ext is not None else (0, 0)
    angle = math.radians(int(xfrm.get("rot", "0")) / 60000)
    flip_x = -1.0 if xfrm.get("flipH") in ("1", "true") else 1.0
    flip_y = -1.0 if xfrm.get("flipV") in ("1", "true") else 1.0
    cos, sin = math.cos(angle), math.sin(angle)
    centre: Affine = (1.0, 0.0, 0.0, 1.0, x + cx / 2, y + cy / 2)
    rotate: Affine = (cos, sin, -sin, cos, 0.0, 0.0)
    flip: Affine = (flip_x, 0.0, 0.0, flip_y, 0.0, 0.0)
    sx, sy = inner_scale
    ox, oy = inner_origin
    # Into the frame: shift the inner origin away, scale to the frame, centre it, flip, rotate.
    into: Affine = (sx, 0.0, 0.0, sy, -ox * sx - cx / 2, -oy * sy - cy / 2)
    return _multiply(centre, _multiply(rotate, _multiply(flip, into)))


def _frame_xfrm(element):
    """The xfrm that places a shape (graphic frames and groups keep it elsewhere)."""
    if element.tag == f"{P}graphicFrame":
        return element.find(f"{P}xfrm")
    if element.tag == f"{P}grpSp":
        return element.find(f"{P}grpSpPr/{A}xfrm")
    return element.find(f"{P}spPr/{A}xfrm")


def _frame_rect(element, matrix: Affine = IDENTITY) -> Rect | None:
    """The bounding box of a shape's frame in slide EMU, or None when it has no xfrm."""
    xfrm = _frame_xfrm(element)
    if xfrm is None or xfrm.find(f"{A}ext") is None:
        return None
    ext = xfrm.find(f"{A}ext")
    size = (int(ext.get("cx", "0")), int(ext.get("cy", "0")))
    unit = _multiply(matrix, _placement(xfrm, size))
    return _bounds([_apply(unit, corner) for corner in ((0, 0), (1, 0), (1, 1), (0, 1))])


def _bounds(points: list[Point]) -> Rect:
    """The smallest whole-EMU rectangle holding the points."""
    xs, ys = [p[0] for p in points], [p[1] for p in points]
    left, top = math.floor(min(xs)), math.floor(min(ys))
    return Rect(left, top, math.ceil(max(xs)) - left, math.ceil(max(ys)) - top)


def _nonvisual(element):
    """A shape's nv*Pr element (its name, id, placeholder)."""
    return next((child for child in element if etree.QName(child).localname.startswith("nv")), None)


def _hidden(element) -> bool:
    """Whether a shape is hidden (cNvPr hidden="1")."""
    nonvisual = _nonvisual(element)
    properties = nonvisual.find(f"{P}cNvPr") if nonvisual is not None else None
    return properties is not None and properties.get("hidden") in ("1", "true")


def _placeholder(element):
    """A shape's ph element, or None for a shape that is no placeholder."""
    nonvisual = _nonvisual(element)
    return nonvisual.find(f"{P}nvPr/{P}ph") if nonvisual is not None else None


def _children(tree) -> Iterator:
    """The shapes of a tree in document order, taking the fallback of alternate content."""
    for child in tree:
        if child.tag == f"{MC}AlternateContent":
            chosen = child.find(f"{MC}Fallback")
            if chosen is None:
                chosen = child.find(f"{MC}Choice")
            if chosen is not None:
                yield from _children(chosen)
        elif child.tag in SHAPE_TAGS:
            yield child


def _leaves(found: Shown) -> list[Shown]:
    """The shapes (not groups) in a shown group, at any depth."""
    if not found.members:
        return [found]
    return [leaf for member in found.members for leaf in _leaves(member)]


@dataclass(frozen=True)
class Shown:
    """Where a shape shows: its extent, the rectangles its ink covers, a group's members, what
    it paints and where it writes text of its own."""

    extent: Rect | None = None
    pieces: tuple[Rect, ...] = ()
    members: tuple[Shown, ...] = ()
    paint: Paint | None = None
    written: tuple[Rect, ...] = ()


def _child_space(xfrm) -> tuple[Point, Point]:
    """A group's scale from its child space to its frame, and its child origin."""
    ext, child_off, child_ext = (xfrm.find(f"{A}{n}") for n in ("ext", "chOff", "chExt"))
    scale = [1.0, 1.0]
    if ext is not None and child_ext is not None:
        for i, key in enumerate(("cx", "cy")):
            if int(child_ext.get(key, "0")):
                scale[i] = int(ext.get(key, "0")) / int(child_ext.get(key))
    origin = (0.0, 0.0)
    if child_off is not None:
        origin = (int(child_off.get("x", "0")), int(child_off.get("y", "0")))
    return (scale[0], scale[1]), origin


# A shape's ink is covered by up to this many horizontal slabs, so a diagonal triangle or a
# quarter circle in a corner does not claim its whole frame.
MAX_SLABS = 8


def _cover(paint: Paint, scale: float) -> tuple[Rect, ...]:
    """Rectangles covering what a shape paints: one for a plain box, a staircase of horizontal
    slabs for any other outline (measured on a mask of the shape at raster scale)."""
    from PIL import Image, ImageDraw

    if _is_box(paint):
        return (paint.box,)
    box = _painted_extent(paint)
    left, top = box.left * scale, box.top * scale
    size = (max(1, math.ceil(box.width * scale)) + 2, max(1, math.ceil(box.height * scale)) + 2)
    mask = Image.new("L", size, 0)
    draw = ImageDraw.Draw(mask)
    width = max(1, round(paint.line_width * scale))
    for path in paint.paths:
        points = [(x * scale - left + 1, y * scale - top + 1) for x, y in path.points]
        if paint.fill and paint.fill.visible and path.filled and len(points) > 2:
            draw.polygon(points, fill=255)
        if paint.line and paint.line.visible and path.stroked:
            draw.line(points + points[:1] if path.closed else points, fill=255, width=width)
    slabs = max(1, min(MAX_SLABS, size[1] // 8))
    pieces = []
    for i in range(slabs):
        band_top, band_bottom = size[1] * i // slabs, size[1] * (i + 1) // slabs
        inked = mask.crop((0, band_top, size[0], band_bottom)).getbbox()
        if inked is None:
            continue
        x0, y0, x1, y1 = inked
        pieces.append(
            Rect(
                math.floor((x0 - 1 + left) / scale),
                math.floor((band_top + y0 - 1 + top) / scale),
                math.ceil((x1 - x0) / scale),
                math.ceil((y1 - y0) / scale),
            )
        )
    return tuple(pieces) or (box,)


def _painted_extent(paint: Paint) -> Rect:
    """The frame together with any outline drawn beyond it (a callout's tail)."""
    points = [point for path in paint.paths for point in path.points]
    return paint.box.union(_bounds(points)) if points else paint.box


def _is_box(paint: Paint) -> bool:
    """Whether a shape paints exactly its (unrotated) frame."""
    if len(paint.paths) != 1 or not paint.paths[0].closed or len(paint.paths[0].points) != 4:
        return False
    box = paint.box
    corners = {(box.left, box.top), (box.right, box.top), (box.right, box.bottom)}
    corners.add((box.left, box.bottom))
    return {(round(x), round(y)) for x, y in paint.paths[0].points} <= _near(corners)


def _near(corners: set[tuple[int, int]]) -> set[tuple[int, int]]:
    """The corners and every point one EMU around them."""
    # _bounds rounds outward, so a corner may sit one EMU off the frame's.
    return {(x + dx, y + dy) for x, y in corners for dx in (-1, 0, 1) for dy in (-1, 0, 1)}


SHAPE_TAGS = {f"{P}{name}" for name in ("sp", "pic", "cxnSp", "graphicFrame", "grpSp")}
OPEN_PRESETS = {"line", "straightConnector1", "arc"}


class _Drawn:
    """The non-placeholder shapes of one spTree: what they paint and the artwork they make."""

    def __init__(self, part, palette: Palette, styles: _Styles, slide_size: tuple[int, int]):
        self.part, self.palette, self.styles = part, palette, styles
        self.slide = Rect(0, 0, *slide_size)
        self.scale = RASTER_WIDTH / slide_size[0]
        self.paints: list[Paint] = []
        self.artwork: list[tuple[Rect, tuple[Shown, ...]]] = []  # (extent, painted leaves)
        self.backdrops: list[Paint] = []  # what covers the slide: part of its background
        self.numbers_slides = False

    def tree(self, tree) -> None:
        """Read every top-level shape of a tree."""
        if tree is None:
            return
        for element in _children(tree):
            if _hidden(element) or _placeholder(element) is not None:
                continue
            # Midnightblue numbers its slides in a circle of its own, not in a placeholder.
            self.numbers_slides |= any(
                field.get("type") == "slidenum" for field in element.iter(f"{A}fld")
            )
            self.artwork += self._artwork(self._shape(element, IDENTITY, None))

    def _artwork(self, found: Shown) -> list[tuple[Rect, tuple[Shown, ...]]]:
        """The artwork of one shown shape as (extent, leaves), leaving out what covers the slide
        (its background); a group that spans the slide counts by its members (corner
        ornaments, frames)."""
        shown = found.extent.intersection(self.slide) if found.extent else None
        if shown is None:
            return []
        if is_background(shown, self.slide):
            if not found.members:
                self.backdrops += [found.paint] if found.paint is not None else []
                return []
            return [item for member in found.members for item in self._artwork(member)]
        leaves = tuple(leaf for leaf in _leaves(found) if leaf.pieces or leaf.written)
        return [(shown, leaves)] if leaves else []

    def _shape(self, element, matrix: Affine, group: Fill | None) -> Shown:
        """Paint one shape and say where it shows."""
        if element.tag == f"{P}grpSp":
            return self._group(element, matrix, group)
        box = _frame_rect(element, matrix)
        if box is None:
            return Shown()
        if element.tag == f"{P}graphicFrame":
            return Shown(box, (box,))  # a table, chart or diagram: shown, but not painted here
        if element.tag == f"{P}pic":
            fill = _picture_fill(element.find(f"{P}blipFill"), self.part)
            paint = Paint(box, self._paths(element, matrix), fill, **_orientation(element, matrix))
            self.paints.append(paint)
            return Shown(box, _cover(paint, self.scale), paint=paint)
        properties = element.find(f"{P}spPr")
        style = element.find(f"{P}style")
        fill = _mirrored(self._shape_fill(properties, style, group), _frame_xfrm(element))
        line, width = self._shape_line(properties, style)
        if not (fill.visible or line.visible):
            return Shown(box, (box,)) if _has_text(element) else Shown()
        paint = Paint(box, self._paths(element, matrix), fill, line, width)
        self.paints.append(paint)
        box, pieces = _painted_extent(paint), _cover(paint, self.scale)
        if line.visible:  # half the line lies outside the frame
            box, pieces = _grown(box, width // 2), tuple(_grown(p, width // 2) for p in pieces)
        written = (paint.box,) if _has_text(element) else ()
        return Shown(box, pieces, paint=paint, written=written)

    def _group(self, element, matrix: Affine, group: Fill | None) -> Shown:
        """A group's members, placed through its child space."""
        xfrm = element.find(f"{P}grpSpPr/{A}xfrm")
        inner = matrix
        if xfrm is not None:
            inner = _multiply(matrix, _placement(xfrm, *_child_space(xfrm)))
        fill_element = _fill_element(element.find(f"{P}grpSpPr"))
        own = group
        if fill_element is not None:
            own = _fill(fill_element, self.part, self.palette, group=group)
        members = tuple(
            found
            for child in _children(element)
            if not _hidden(child) and _placeholder(child) is None
            if (found := self._shape(child, inner, own)).extent is not None
        )
        if not members:
            return Shown()
        extent = members[0].extent
        for member in members[1:]:
            extent = extent.union(member.extent)
        return Shown(extent, (), members)

    def _shape_fill(self, properties, style, group: Fill | None) -> Fill:
        """A shape's own fill, else the theme fill its style refers to."""
        element = _fill_element(properties)
        if element is not None:
            return _fill(element, self.part, self.palette, group=group)
        reference = style.find(f"{A}fillRef") if style is not None else None
        if reference is None or int(reference.get("idx", "0")) == 0:
            return Fill()
        color = self.palette.color(reference)
        styled = self.styles.fill(int(reference.get("idx")))
        if styled is None:
            return color or Fill()
        return _fill(styled, self.styles.part, self.palette, placeholder=color)

    def _shape_line(self, properties, style) -> tuple[Fill, int]:
        """A shape's line and width, else the theme line its style refers to."""
        line = properties.find(f"{A}ln") if properties is not None else None
        reference = style.find(f"{A}lnRef") if style is not None else None
        styled = None
        if reference is not None and int(reference.get("idx", "0")) > 0:
            styled = self.styles.line(int(reference.get("idx")))
        width = int(
            (line.get("w") if line is not None and line.get("w") else None)
            or (styled.get("w") if styled is not None and styled.get("w") else None)
            or DEFAULT_LINE_EMU
        )
        element = _fill_element(line)
        if element is not None:
            return _fill(element, self.part, self.palette), width
        if styled is None:
            return Fill(), width
        color = self.palette.color(reference)
        element = _fill_element(styled)
        if element is None:
            return color or Fill(), width
        return _fill(element, self.styles.part, self.palette, placeholder=color), width

    def _paths(self, element, matrix: Affine) -> tuple[Path, ...]:
        """A shape's outline in slide EMU."""
        xfrm = _frame_xfrm(element)
        ext = xfrm.find(f"{A}ext")
        size = (int(ext.get("cx", "0")), int(ext.get("cy", "0")))
        unit = _multiply(matrix, _placement(xfrm, size))
        outline = _outline(element.find(f"{P}spPr"), size)
        return tuple(
            Path(tuple(_apply(unit, p) for p in points), closed, filled, stroked)
            for points, closed, filled, stroked in outline
        )


def _mirrored(fill: Fill, xfrm) -> Fill:
    """A gradient as a flipped shape shows it: viewers flip the fill with the shape."""
    flip_x, flip_y = (xfrm.get(k) in ("1", "true") for k in ("flipH", "flipV"))
    if not fill.stops or not (flip_x or flip_y):
        return fill
    angle, (x, y) = fill.angle, fill.focus
    if flip_x:
        angle, x = 180 - angle, 1 - x
    if flip_y:
        angle, y = -angle, 1 - y
    return replace(fill, angle=angle % 360, focus=(x, y))


def _orientation(element, matrix: Affine) -> dict:
    """A picture's frame size, turn and flips, for painting its pixels the way round it shows."""
    xfrm = _frame_xfrm(element)
    ext = xfrm.find(f"{A}ext")
    size = (int(ext.get("cx", "0")), int(ext.get("cy", "0")))
    a, b, c, d, _, _ = _multiply(matrix, _placement(xfrm, size))
    return {
        "frame": (math.hypot(a, b), math.hypot(c, d)),
        "turn": int(xfrm.get("rot", "0")) / 60000,
        "flip": (xfrm.get("flipH") in ("1", "true"), xfrm.get("flipV") in ("1", "true")),
    }


def _grown(rect: Rect, margin: int) -> Rect:
    """A rectangle grown by margin on every side."""
    return Rect(
        rect.left - margin, rect.top - margin, rect.width + 2 * margin, rect.height + 2 * margin
    )


def _has_text(element) -> bool:
    """Whether a shape holds visible text."""
    return any((t.text or "").strip() for t in element.iter(f"{A}t"))


# ---------------------------------------------------------------------------------------------
# Outlines in the unit square of a shape's frame


def _bezier(control: list[Point], steps: int = 8) -> list[Point]:
    """Points along a Bezier curve after its start point."""
    out = []
    for i in range(1, steps + 1):
        t, points = i / steps, list(control)
        while len(points) > 1:  # de Casteljau
            points = [
                (a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t)
                for a, b in zip(points, points[1:])
            ]
        out.append(points[0])
    return out


def _ellipse(steps: int = 48) -> list[Point]:
    """An ellipse in the unit square as a polygon."""
    return [
        (
            0.5 + 0.5 * math.cos(2 * math.pi * i / steps),
            0.5 + 0.5 * math.sin(2 * math.pi * i / steps),
        )
        for i in range(steps)
    ]


PRESET_OUTLINES: dict[str, list[Point]] = {
    "ellipse": _ellipse(),
    "triangle": [(0.5, 0), (1, 1), (0, 1)],
    "rtTriangle": [(0, 0), (0, 1), (1, 1)],
    "diamond": [(0.5, 0), (1, 0.5), (0.5, 1), (0, 0.5)],
    "parallelogram": [(0.25, 0), (1, 0), (0.75, 1), (0, 1)],
    "trapezoid": [(0.25, 0), (0.75, 0), (1, 1), (0, 1)],
}
# A box with a wavy bottom (Blue Curve's band), from the preset's 21600-unit path.
PRESET_OUTLINES["flowChartDocument"] = [(0, 0), (1, 0), (1, 17322 / 21600)] + _bezier(
    [(1, 17322 / 21600), (0.5, 17322 / 21600), (0.5, 23922 / 21600), (0, 20172 / 21600)]
)
SQUARE: list[Point] = [(0, 0), (1, 0), (1, 1), (0, 1)]


def _outline(properties, size: Point) -> list[tuple[list[Point], bool, bool, bool]]:
    """A shape's subpaths in its unit square: (points, closed, filled, stroked); presets other
    than the few listed are drawn as their frame."""
    if properties is None:
        return [(SQUARE, True, True, True)]
    custom = properties.find(f"{A}custGeom")
    if custom is not None:
        paths = _custom_paths(custom, size)
        if paths:
            return paths
        return [(SQUARE, True, True, True)]
    preset = properties.find(f"{A}prstGeom")
    name = preset.get("prst", "rect") if preset is not None else "rect"
    if name in OPEN_PRESETS or "Connector" in name:
        return [([(0, 0), (1, 1)], False, False, True)]
    body = PRESET_OUTLINES["ellipse"] if "Ellipse" in name or "cloud" in name else SQUARE
    if name.startswith("wedge") or name == "cloudCallout":
        return [(body, True, True, True), (_callout_tail(preset), True, True, True)]
    return [(PRESET_OUTLINES.get(name, SQUARE), True, True, True)]


def _callout_tail(preset) -> list[Point]:
    """A speech bubble's tail: a wedge from near its middle to the tip that adj1/adj2 set
    (offsets from the centre in 1/100000 of the frame), which may lie far outside the frame."""
    adjust = {"adj1": -20833, "adj2": 62500}
    for guide in preset.iterfind(f"{A}avLst/{A}gd"):
        formula = guide.get("fmla", "").split()
        if guide.get("name") in adjust and len(formula) == 2 and formula[0] == "val":
            adjust[guide.get("name")] = int(formula[1])
    tip = (0.5 + adjust["adj1"] / 100000, 0.5 + adjust["adj2"] / 100000)
    # The wedge leaves the body on the side of the tip, from 1/6 to 5/12 of that side (or the
    # mirror of it) as the preset draws it.
    if abs(tip[0] - 0.5) > abs(tip[1] - 0.5):
        edge = 1.0 if tip[0] > 0.5 else 0.0
        near = (1 / 6, 5 / 12) if tip[1] < 0.5 else (7 / 12, 5 / 6)
        return [(edge, near[0]), tip, (edge, near[1])]
    edge = 1.0 if tip[1] > 0.5 else 0.0
    near = (1 / 6, 5 / 12) if tip[0] < 0.5 else (7 / 12, 5 / 6)
    return [(near[0], edge), tip, (near[1], edge)]


def _custom_paths(custom, size: Point) -> list[tuple[list[Point], bool, bool, bool]] | None:
    """The subpaths of a custom geometry; None when a point uses a guide (then its frame is
    used: formulas are rare in the masters we read)."""
    paths = []
    for path in custom.iterfind(f"{A}pathLst/{A}path"):
        width = int(path.get("w", "0")) or size[0] or 1
        height = int(path.get("h", "0")) or size[1] or 1
        filled = path.get("fill", "norm") != "none"
        stroked = path.get("stroke", "1") not in ("0", "false")
        points: list[Point] = []
        for command in path:
            name = etree.QName(command).localname
            try:
                targets = [
                    (int(pt.get("x")) / width, int(pt.get("y")) / height)
                    for pt in command.iterfind(f"{A}pt")
                ]
            except (TypeError, ValueError):
                return None
            if name == "moveTo":
                if len(points) > 1:
                    paths.append((points, False, filled, stroked))
                points = targets[:1]
            elif name == "lnTo":
                points += targets[:1]
            elif name in ("cubicBezTo", "quadBezTo") and points:
                points += _bezier([points[-1], *targets])
            elif name == "arcTo" and points:
                points += _arc(points[-1], command, width, height)
            elif name == "close" and points:
                paths.append((points, True, filled, stroked))
                points = []
        if len(points) > 1:
            paths.append((points, False, filled, stroked))
    return paths


def _arc(start: Point, command, width: float, height: float, steps: int = 12) -> list[Point]:
    """Points along an arcTo from the current point (angles in 60000ths of a degree)."""
    try:
        rx, ry = int(command.get("wR")) / width, int(command.get("hR")) / height
        first = math.radians(int(command.get("stAng")) / 60000)
        sweep = math.radians(int(command.get("swAng")) / 60000)
    except (TypeError, ValueError):
        return []
    cx, cy = start[0] - rx * math.cos(first), start[1] - ry * math.sin(first)
    return [
        (
            cx + rx * math.cos(first + sweep * i / steps),
            cy + ry * math.sin(first + sweep * i / steps),
        )
        for i in range(1, steps + 1)
    ]


# ---------------------------------------------------------------------------------------------
# Placeholders and text colours


def placeholders_of(layout) -> tuple[PlaceholderView, ...]:
    """A python-pptx layout's placeholders where a viewer puts them, read without painting."""
    master = _master_placeholders(layout.slide_master.element)
    return tuple(_placeholders(layout.element, master))


def text_areas_of(placeholders: Iterable[PlaceholderView]) -> list[Rect]:
    """Where the title, body and subtitle placeholders are: what a panel may hold."""
    return [p.rect for p in placeholders if p.kind in TEXT_KINDS and p.rect]


def panel_areas(layout, placeholders: tuple[PlaceholderView, ...]) -> list[Rect]:
    """Where a layout's text goes, for telling its panels: its own title, body and subtitle;
    a layout with no body borrows its master's content body, where the deck puts content on it
    (Lights' white sheet under the body is a panel on its Title Only layout too)."""
    from briefing.layout.choice import content_layout_of

    areas = text_areas_of(placeholders)
    if any(p.kind in ("body", "object") for p in placeholders):
        return areas
    content = content_layout_of(layout.slide_master)
    if content is None or content is layout:
        return areas
    bodies = placeholders_of(content)
    return areas + [p.rect for p in bodies if p.kind in ("body", "object") and p.rect]


def _master_placeholders(root) -> list[tuple]:
    """A master's placeholder ph elements with their frames, for its layouts to inherit."""
    tree = root.find(f"{P}cSld/{P}spTree")
    return [(ph, _frame_rect(el)) for el, ph in _placeholder_elements(tree)]


def _placeholder_elements(tree) -> list[tuple]:
    """A tree's top-level placeholder shapes with their ph elements, in order."""
    if tree is None:
        return []
    return [(el, ph) for el in _children(tree) if (ph := _placeholder(el)) is not None]


def _family(ph_type: str) -> str:
    """Which master placeholder a layout placeholder of this type inherits from."""
    return OWN_FAMILY.get(ph_type, "body")


def _placeholders(root, master_placeholders: list[tuple]) -> Iterator[PlaceholderView]:
    """A layout's placeholders, each placed by its own frame or the master's."""
    for order, (element, ph) in enumerate(_placeholder_elements(root.find(f"{P}cSld/{P}spTree"))):
        ph_type = ph.get("type", "obj")
        idx = int(ph.get("idx")) if ph.get("idx", "").isdigit() else None
        rect = _frame_rect(element) or _inherited_rect(ph_type, idx, master_placeholders)
        yield PlaceholderView(PLACEHOLDER_KINDS.get(ph_type, ph_type), idx, rect, order)


def _inherited_rect(ph_type: str, idx: int | None, master: list[tuple]) -> Rect | None:
    """The rect of the master placeholder a layout one inherits: same idx when it is of the
    same family (a master's date may share idx 1 with a layout's body), else same type."""
    family = _family(ph_type)
    same_family = [(ph, rect) for ph, rect in master if _family(ph.get("type", "obj")) == family]
    for ph, rect in same_family:
        if idx is not None and ph.get("idx") == str(idx):
            return rect
    for ph, rect in same_family:
        if ph.get("type", "obj") == ph_type:
            return rect
    return same_family[0][1] if same_family else None


def _run_color(parent, palette: Palette) -> str | None:
    """The first text colour set in the run properties under parent."""
    if parent is None:
        return None
    for properties in parent.iter(f"{A}defRPr", f"{A}rPr", f"{A}endParaRPr"):
        found = palette.color(properties.find(f"{A}solidFill"))
        if found is not None:
            return found.color
    return None


def _text_colors(layout_root, read: _MasterRead) -> list[str]:
    """The layout's own body and title text colours, then the master's (its text styles, else
    its placeholders' runs, where LibreOffice keeps them), then tx1, bg1, tx2, bg2."""
    palette = read.palette.overridden(layout_root.find(f"{P}clrMapOvr/{A}overrideClrMapping"))
    found: list[str | None] = []
    own = _placeholder_elements(layout_root.find(f"{P}cSld/{P}spTree"))
    master = _placeholder_elements(read.root.find(f"{P}cSld/{P}spTree"))
    for family in ("body", "title"):
        for element, ph in own:
            if _family(ph.get("type", "obj")) == family:
                level = element.find(f"{P}txBody/{A}lstStyle/{A}lvl1pPr")
                found.append(_run_color(level, palette))
    styles = read.root.find(f"{P}txStyles")
    for family, style in (("body", "bodyStyle"), ("title", "titleStyle")):
        level = styles.find(f"{P}{style}/{A}lvl1pPr") if styles is not None else None
        color = _run_color(level, palette)
        if color is None:
            color = next(
                (
                    _run_color(element.find(f"{P}txBody"), palette)
                    for element, ph in master
                    if _family(ph.get("type", "obj")) == family
                ),
                None,
            )
        found.append(color)
    for name in ("tx1", "bg1", "tx2", "bg2"):
        found.append(palette.theme.get(palette.color_map.get(name, name)))
    ordered: list[str] = []
    for color in found:
        if color and color not in ordered:
            ordered.append(color)
    return ordered


# ---------------------------------------------------------------------------------------------
# Room and raster


def largest_empty_rect(
    area: Rect, obstacles: Iterable[Rect], min_width: int = 1, min_height: int = 1
) -> Rect | None:
    """The largest rectangle inside area overlapping no obstacle, at least min_width by
    min_height; None when there is none."""
    return _largest_empty_rect(area, tuple(obstacles), min_width, min_height)


@lru_cache(maxsize=1024)  # layouts ask again and again for the room of the same placeholders
def _largest_empty_rect(
    area: Rect, obstacles: tuple[Rect, ...], min_width: int, min_height: int
) -> Rect | None:
    """largest_empty_rect, remembered.

    The best rectangle has its left and right sides on the area's or an obstacle's edges, so each
    pair of such edges is tried with the tallest free run between the obstacles across it.
    """
    if area.width < min_width or area.height < min_height:
        return None
    clipped = {c for rect in obstacles if (c := rect.intersection(area)) is not None}
    inside = sorted(clipped, key=lambda r: r.args())
    edges = sorted({area.left, area.right} | {x for r in inside for x in (r.left, r.right)})
    best: Rect | None = None
    for i, left in enumerate(edges):
        crossing = [r for r in inside if r.right > left]  # sorted by their left edges
        blocked: list[tuple[int, int]] = []
        added = 0
        for right in edges[i + 1 :]:
            # Widening only adds obstacles: take in those that start left of the new edge.
            while added < len(crossing) and crossing[added].left < right:
                bisect.insort(blocked, (crossing[added].top, crossing[added].bottom))
                added += 1
            if right - left < min_width:
                continue
            if best is not None and (right - left) * area.height <= best.area:
                continue
            top, height = _tallest_gap(area.top, area.bottom, blocked)
            if height < min_height:
                if height == 0:
                    break  # fully blocked: every wider span is too
                continue
            candidate = Rect(left, top, right - left, height)
            if best is None or candidate.area > best.area:
                best = candidate
    return best


def _tallest_gap(top: int, bottom: int, blocked: list[tuple[int, int]]) -> tuple[int, int]:
    """The tallest free run (top, height) between top and bottom, given sorted blocked runs."""
    best_top, best_height, cursor = top, 0, top
    for start, end in blocked:
        if start - cursor > best_height:
            best_top, best_height = cursor, start - cursor
        cursor = max(cursor, end)
    if bottom - cursor > best_height:
        best_top, best_height = cursor, bottom - cursor
    return best_top, best_height


@lru_cache(maxsize=16)
def _decoded(blob: bytes):
    """A picture as RGBA pixels, decoded at about the raster's size; None if Pillow cannot."""
    from PIL import Image, UnidentifiedImageError

    try:
        image = Image.open(io.BytesIO(blob))
        image.draft("RGB", (RASTER_WIDTH, RASTER_WIDTH))  # JPEG decodes smaller, much faster
        return image.convert("RGBA")
    except (UnidentifiedImageError, OSError, ValueError):
        return None  # EMF/WMF and broken files: the colour under them is left as it was


@lru_cache(maxsize=16)  # the layouts of a master mostly paint the same: paint that once
def paint_slide(size: tuple[int, int], paints: tuple[Paint, ...]):
    """The slide's background and artwork painted in order on an RGB raster."""
    from PIL import Image

    width, height = size
    scale = RASTER_WIDTH / width
    pixels = (RASTER_WIDTH, max(1, round(height * scale)))
    canvas = Image.new("RGBA", pixels, (255, 255, 255, 255))
    for paint in paints:
        _paint(canvas, paint, scale)
    return canvas.convert("RGB")


def _paint(canvas, paint: Paint, scale: float):
    """One paint's fill, then its line, composited onto the canvas; returns where it painted
    (a mask the canvas's size, non-zero where any of it landed)."""
    from PIL import Image, ImageChops, ImageDraw

    def scaled(points):
        return [(x * scale, y * scale) for x, y in points]

    landed = Image.new("L", canvas.size, 0)
    fill = paint.fill
    if fill is not None and fill.visible:
        mask = Image.new("L", canvas.size, 0)
        for path in paint.paths:
            if path.filled and len(path.points) > 2:
                # Subpaths fill even-odd: a frame drawn as outer and inner box has a hole.
                ring = Image.new("L", canvas.size, 0)
                ImageDraw.Draw(ring).polygon(scaled(path.points), fill=255)
                mask = ImageChops.difference(mask, ring)
        if fill.picture is not None:
            layer = _picture_layer(canvas.size, paint, scale)
        elif fill.stops:
            layer = _gradient_layer(canvas.size, paint.box, fill, scale)
        else:
            layer = Image.new(
                "RGBA", canvas.size, "#" + fill.color + f"{round(255 * fill.alpha):02X}"
            )
        layer.putalpha(ImageChops.multiply(layer.getchannel("A"), mask))
        canvas.alpha_composite(layer)
        landed = layer.getchannel("A")
    line = paint.line
    if line is not None and line.visible and line.color is not None:
        layer = Image.new("RGBA", canvas.size, (0, 0, 0, 0))
        draw = ImageDraw.Draw(layer)
        width = max(1, round(paint.line_width * scale))
        color = "#" + line.color + f"{round(255 * line.alpha):02X}"
        for path in paint.paths:
            if path.stroked:
                points = scaled(path.points)
                draw.line(points + points[:1] if path.closed else points, fill=color, width=width)
        canvas.alpha_composite(layer)
        landed = ImageChops.lighter(landed, layer.getchannel("A"))
    return landed


@dataclass(frozen=True)
class Sighting:
    """Where one paint shows against what was painted before it, on the sight raster."""

    scale: float  # sight pixels per EMU
    origin: tuple[int, int]  # the mask's top-left corner on the sight raster
    mask: object = field(compare=False)  # a PIL "L" image: 255 where the paint shows
    share: float = 1.0  # the share of what it paints that shows

    def within(self, piece: Rect) -> Rect | None:
        """The part of a piece where the paint shows, None where it shows nowhere on it."""
        s, (ox, oy) = self.scale, self.origin
        left, top = math.floor(piece.left * s) - ox, math.floor(piece.top * s) - oy
        right, bottom = math.ceil(piece.right * s) - ox, math.ceil(piece.bottom * s) - oy
        found = self.mask.crop((left, top, right, bottom)).getbbox()
        if found is None:
            return None
        if found == (0, 0, right - left, bottom - top):
            return piece
        # One sight pixel more on each side: the coarse raster may cut an edge short.
        x0, y0 = (left + ox + found[0] - 1) / s, (top + oy + found[1] - 1) / s
        x1, y1 = (left + ox + found[2] + 1) / s, (top + oy + found[3] + 1) / s
        seen = Rect(math.floor(x0), math.floor(y0), math.ceil(x1 - x0), math.ceil(y1 - y0))
        return seen.intersection(piece)


def _where_shown(leaf: Shown, seen: Sighting | None) -> tuple[Rect, ...]:
    """The pieces of a painted leaf where it shows, and the text it writes: a shape that does
    not show against what is under it (white at 30 % on white) is no artwork."""
    if leaf.paint is None or seen is None or seen.share >= WHOLLY_SHOWN:
        return (*leaf.pieces, *leaf.written)
    return (*(part for piece in leaf.pieces if (part := seen.within(piece))), *leaf.written)


@lru_cache(maxsize=16)  # the layouts of a master mostly paint the same
def _sightings(size: tuple[int, int], paints: tuple[Paint, ...]) -> tuple[Sighting | None, ...]:
    """For each paint, where it shows against what was painted before it (None where that
    cannot be seen: a picture Pillow cannot read, a shape too small for the sight raster)."""
    from PIL import Image, ImageChops

    width, height = size
    scale = SIGHT_WIDTH / width
    canvas = Image.new("RGBA", (SIGHT_WIDTH, max(1, round(height * scale))), (255, 255, 255, 255))
    found: list[Sighting | None] = []
    for paint in paints:
        region = _sight_region(paint, scale, canvas.size)
        unreadable = paint.fill is not None and paint.fill.picture is not None
        if region is None or (unreadable and _decoded(paint.fill.picture) is None):
            _paint(canvas, paint, scale)
            found.append(None)
            continue
        before = canvas.crop(region).convert("RGB")
        landed = _paint(canvas, paint, scale).crop(region)
        red, green, blue = ImageChops.difference(before, canvas.crop(region).convert("RGB")).split()
        change = ImageChops.lighter(ImageChops.lighter(red, green), blue)
        shows = change.point(lambda v: 255 if v > SHOWN_DIFFERENCE else 0)
        painted = landed.point(lambda v: 255 if v else 0).histogram()[255]
        if not painted:
            found.append(None)
            continue
        found.append(Sighting(scale, region[:2], shows, shows.histogram()[255] / painted))
    return tuple(found)


def _sight_region(paint: Paint, scale: float, size: tuple[int, int]):
    """The box of the sight raster a paint may change (with its line), or None if off it."""
    reach = paint.line_width // 2 + 1
    box = _grown(_painted_extent(paint), reach)
    left, top = max(0, math.floor(box.left * scale)), max(0, math.floor(box.top * scale))
    right = min(size[0], math.ceil(box.right * scale))
    bottom = min(size[1], math.ceil(box.bottom * scale))
    return (left, top, right, bottom) if right > left and bottom > top else None


def _busy_ground(
    size: tuple[int, int], ground: tuple[Paint, ...], text_areas: tuple[Rect, ...]
) -> tuple[Rect, ...]:
    """The busy parts of a background with a picture in it, by layout/artwork.py: what departs
    from the calm grounds behind the layout's text placeholders."""
    calm = [c for area in text_areas if (c := _calm_ground(size, ground, area)) is not None]
    return _departing(size, ground, tuple(dict.fromkeys(calm))) if calm else ()


@lru_cache(maxsize=256)  # the layouts of a master mostly share their placeholders' places
def _calm_ground(size: tuple[int, int], ground: tuple[Paint, ...], area: Rect):
    """The calm colour of the ground behind one text placeholder, if it has one."""
    return calm_color(paint_slide(size, ground), RASTER_WIDTH / size[0], area)


@lru_cache(maxsize=16)
def _departing(
    size: tuple[int, int], ground: tuple[Paint, ...], calm: tuple[tuple[int, int, int], ...]
) -> tuple[Rect, ...]:
    """The parts of the ground departing from every calm colour, as rectangles."""
    return tuple(busy_parts(paint_slide(size, ground), RASTER_WIDTH / size[0], calm))


def _picture_layer(size: tuple[int, int], paint: Paint, scale: float):
    """A picture placed in its frame (flipped and turned) on a transparent layer the canvas's
    size."""
    from PIL import Image

    box, fill = paint.box, paint.fill
    layer = Image.new("RGBA", size, (0, 0, 0, 0))
    picture = _decoded(fill.picture)
    if picture is None:
        return layer
    left, top, right, bottom = fill.crop
    w, h = picture.size
    crop = (
        round(w * left),
        round(h * top),
        max(round(w * left) + 1, round(w * (1 - right))),
        max(round(h * top) + 1, round(h * (1 - bottom))),
    )
    picture = picture.crop(crop)
    if any(paint.flip) or paint.turn % 360:
        if paint.flip[0]:
            picture = picture.transpose(Image.Transpose.FLIP_LEFT_RIGHT)
        if paint.flip[1]:
            picture = picture.transpose(Image.Transpose.FLIP_TOP_BOTTOM)
        frame = (max(1, round(paint.frame[0] * scale)), max(1, round(paint.frame[1] * scale)))
        picture = picture.resize(frame).rotate(-paint.turn, expand=True)
    target = (max(1, round(box.width * scale)), max(1, round(box.height * scale)))
    picture = picture.resize(target)
    if fill.alpha < 1:
        picture.putalpha(picture.getchannel("A").point(lambda v: round(v * fill.alpha)))
    layer.paste(picture, (round(box.left * scale), round(box.top * scale)))
    return layer


def _gradient_layer(size: tuple[int, int], box: Rect, fill: Fill, scale: float):
    """A gradient painted over box: each pixel's position along it looked up in a 256-step
    table of its stops."""
    from PIL import Image

    width, height = max(1, round(box.width * scale)), max(1, round(box.height * scale))
    if fill.path:
        position = _path_position(width, height, fill)
    else:
        position = _linear_position(width, height, fill.angle)
    table = [_gradient_at(fill.stops, i / 255) for i in range(256)]
    colors = position.copy()
    colors.putpalette([c for color, _ in table for c in channels(color)])
    layer = colors.convert("RGB")
    layer.putalpha(position.point([round(255 * alpha) for _, alpha in table]))
    full = Image.new("RGBA", size, (0, 0, 0, 0))
    full.paste(layer, (round(box.left * scale), round(box.top * scale)))
    return full


def _ramps(width: int, height: int):
    """Two float images of the given size: x and y, each running 0..255 across it."""
    from PIL import Image

    ramp = Image.linear_gradient("L")  # 0 at the top to 255 at the bottom
    across = ramp.transpose(Image.Transpose.ROTATE_90).resize((width, height)).convert("F")
    return across, ramp.resize((width, height)).convert("F")


def _linear_position(width: int, height: int, degrees: float):
    """Each pixel's place (0..255) along a linear gradient at this angle."""
    from PIL import ImageMath

    across, down = _ramps(width, height)
    angle = math.radians(degrees)
    cos, sin = math.cos(angle), math.sin(angle)
    span = abs(cos) * width + abs(sin) * height or 1.0
    x_step, y_step = cos * width / span, sin * height / span  # per 1/255 of the box
    offset = 127.5 - 127.5 * (x_step + y_step)
    return ImageMath.lambda_eval(
        lambda a: a["x"] * x_step + a["y"] * y_step + offset, x=across, y=down
    ).convert("L")


def _path_position(width: int, height: int, fill: Fill):
    """Each pixel's place (0..255) on a path gradient: 0 at its focus; in circles for "circle",
    in nested boxes reaching the farthest corner for "rect" and "shape"."""
    from PIL import ImageChops, ImageMath

    cx, cy = fill.focus[0] * width, fill.focus[1] * height
    rx, ry = max(cx, width - cx, 1.0), max(cy, height - cy, 1.0)
    across, down = _ramps(width, height)
    sx, sy = width / 255, height / 255
    if fill.path == "circle":
        # LibreOffice draws round circles about the focus, the last stop half the box's
        # diagonal away, wherever the focus is: Sunset's sun at the bottom edge leaves the
        # top corners in the last stop's orange (an ellipse reaching the far corners, as read
        # before, painted them a lighter orange than rendered: 4.7:1 for the title, 3.7:1 seen).
        reach = 255 / max(math.hypot(width, height) / 2, 1.0)
        return ImageMath.lambda_eval(
            lambda a: ((a["x"] * sx - cx) ** 2 + (a["y"] * sy - cy) ** 2) ** 0.5 * reach,
            x=across,
            y=down,
        ).convert("L")
    horizontal = ImageMath.lambda_eval(lambda a: abs(a["x"] * sx - cx) * (255 / rx), x=across)
    vertical = ImageMath.lambda_eval(lambda a: abs(a["y"] * sy - cy) * (255 / ry), y=down)
    return ImageChops.lighter(horizontal.convert("L"), vertical.convert("L"))


def _gradient_at(stops: tuple[tuple[float, str, float], ...], t: float) -> tuple[str, float]:
    """The colour and alpha of a linear gradient at position t (0..1)."""
    if t <= stops[0][0]:
        return stops[0][1], stops[0][2]
    for (start, first, first_alpha), (end, second, second_alpha) in zip(stops, stops[1:]):
        if t <= end:
            share = (t - start) / (end - start) if end > start else 1.0
            color = blend([(first, 1 - share), (second, share)]) if share < 1 else second
            return color, first_alpha + (second_alpha - first_alpha) * share
    return stops[-1][1], stops[-1][2]

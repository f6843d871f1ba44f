"""A master as the slides HTML draws it: its paints (from layout/master_view.py) as one SVG,
and what the HTML cannot draw, named so the preview can say so."""

from __future__ import annotations

import base64
import io
import math
from functools import lru_cache

from briefing.layout.boxes import TextBox
from briefing.layout.master_view import PRESET_OUTLINES, Fill, LayoutView, Paint

A = "{http://schemas.openxmlformats.org/drawingml/2006/main}"
P = "{http://schemas.openxmlformats.org/presentationml/2006/main}"
R = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
# Pictures every browser and WeasyPrint show as they are; others are converted to PNG.
SHOWN_FORMATS = {"PNG": "image/png", "JPEG": "image/jpeg", "GIF": "image/gif"}
# Presets master_view draws with their own outline; any other is drawn as its frame.
DRAWN_PRESETS = set(PRESET_OUTLINES) | {"rect", "line", "straightConnector1", "arc"}


def master_svg(view: LayoutView) -> str:
    """The layout's background and artwork, in paint order, as a standalone SVG in px (ids are
    its own: it is shown as an image)."""
    width, height = view.slide_size
    parts = [_paint_svg(paint, f"p{number}") for number, paint in enumerate(view.paints)]
    return (
        f'<svg viewBox="0 0 {_px(width)} {_px(height)}" preserveAspectRatio="none" '
        f'xmlns="http://www.w3.org/2000/svg">{"".join(parts)}</svg>'
    )


def master_uri(view: LayoutView) -> str:
    """The layout's drawing as a data: URI, for a CSS background shared by its slides."""
    data = base64.b64encode(master_svg(view).encode("utf-8")).decode("ascii")
    return f"data:image/svg+xml;base64,{data}"


def _px(emu: float) -> str:
    """A length in slide EMU as CSS px (9525 EMU each). The drawing is in px, not EMU: a PDF
    writes its scale from EMU to the page with too few digits, and viewers then refuse its
    gradients as a singular matrix (measured: poppler, on WeasyPrint's deck PDF)."""
    return f"{emu / 9525:.2f}"


def _paint_svg(paint: Paint, key: str) -> str:
    """One paint: its fill (colour, gradient or picture), then its line."""
    out = []
    fill = paint.fill
    if fill is not None and fill.visible:
        filled = [p for p in paint.paths if p.filled and len(p.points) > 2]
        outline = _path_data(filled)
        if fill.picture is not None:
            out.append(_picture(paint, fill, key, outline))
        elif outline:
            defs, ink = _fill_ink(paint, fill, key)
            out.append(f'{defs}<path d="{outline}" fill-rule="evenodd" {ink}/>')
    line = paint.line
    if line is not None and line.visible and line.color is not None:
        stroked = [p for p in paint.paths if p.stroked]
        for path in stroked:
            shape = "polygon" if path.closed else "polyline"
            points = " ".join(f"{_px(x)},{_px(y)}" for x, y in path.points)
            width = _px(max(paint.line_width, 1))
            out.append(
                f'<{shape} points="{points}" fill="none" stroke="#{line.color}" '
                f'stroke-opacity="{line.alpha:.3f}" stroke-width="{width}"/>'
            )
    return "".join(out)


def _path_data(paths) -> str:
    return " ".join(
        "M" + " L".join(f"{_px(x)},{_px(y)}" for x, y in path.points) + " Z" for path in paths
    )


def _fill_ink(paint: Paint, fill: Fill, key: str) -> tuple[str, str]:
    """A fill's definitions and attributes: a solid colour, a linear or a path gradient drawn
    over the shape's frame as master_view paints it."""
    if not fill.stops:
        return "", f'fill="#{fill.color}" fill-opacity="{fill.alpha:.3f}"'
    stops = "".join(
        f'<stop offset="{position:.4f}" stop-color="#{color}" stop-opacity="{alpha:.3f}"/>'
        for position, color, alpha in fill.stops
    )
    box = paint.box
    if fill.path:
        cx = box.left + fill.focus[0] * box.width
        cy = box.top + fill.focus[1] * box.height
        rx = max(cx - box.left, box.right - cx, 1.0)
        ry = max(cy - box.top, box.bottom - cy, 1.0)
        gradient = (
            f'<radialGradient id="{key}" gradientUnits="userSpaceOnUse" cx="{_px(cx)}" '
            f'cy="{_px(cy)}" r="{_px(rx)}" gradientTransform="translate({_px(cx)} {_px(cy)}) '
            f'scale(1 {ry / rx:.5f}) translate({_px(-cx)} {_px(-cy)})">{stops}</radialGradient>'
        )
    else:
        # As master_view's raster: the position runs along the angle over the frame's span.
        angle = math.radians(fill.angle)
        cos, sin = math.cos(angle), math.sin(angle)
        half = (abs(cos) * box.width + abs(sin) * box.height) / 2 or 1.0
        cx, cy = box.left + box.width / 2, box.top + box.height / 2
        gradient = (
            f'<linearGradient id="{key}" gradientUnits="userSpaceOnUse" '
            f'x1="{_px(cx - cos * half)}" y1="{_px(cy - sin * half)}" '
            f'x2="{_px(cx + cos * half)}" y2="{_px(cy + sin * half)}">{stops}</linearGradient>'
        )
    return f"<defs>{gradient}</defs>", f'fill="url(#{key})"'


def _picture(paint: Paint, fill: Fill, key: str, outline: str) -> str:
    """A picture in its frame, cropped, flipped and turned, clipped to the shape's outline."""
    shown = picture_uri(fill.picture)
    if shown is None:
        return ""
    uri, (pixels_w, pixels_h) = shown
    left, top, right, bottom = fill.crop
    crop_w = max(pixels_w * (1 - left - right), 1)
    crop_h = max(pixels_h * (1 - top - bottom), 1)
    box = paint.box
    turned = paint.turn % 360 or any(paint.flip)
    width, height = paint.frame if turned and all(paint.frame) else (box.width, box.height)
    image = (
        f'<svg x="{_px(-width / 2)}" y="{_px(-height / 2)}" width="{_px(width)}" '
        f'height="{_px(height)}" viewBox="{pixels_w * left:.1f} {pixels_h * top:.1f} '
        f'{crop_w:.1f} {crop_h:.1f}" preserveAspectRatio="none">'
        f'<image width="{pixels_w}" height="{pixels_h}" href="{uri}" '
        f'opacity="{fill.alpha:.3f}"/></svg>'
    )
    flip = f"scale({-1 if paint.flip[0] else 1} {-1 if paint.flip[1] else 1})"
    centre = f"translate({_px(box.left + box.width / 2)} {_px(box.top + box.height / 2)})"
    placed = f'<g transform="{centre} rotate({paint.turn:.2f}) {flip}">{image}</g>'
    if not outline:
        return placed
    return (
        f'<defs><clipPath id="{key}"><path d="{outline}" fill-rule="evenodd"/></clipPath></defs>'
        f'<g clip-path="url(#{key})">{placed}</g>'
    )


@lru_cache(maxsize=32)
def picture_uri(blob: bytes) -> tuple[str, tuple[int, int]] | None:
    """A picture as a data: URI browsers show, with its size in pixels; None when Pillow cannot
    read it (EMF, WMF): the caller names it as not drawn."""
    from PIL import Image, UnidentifiedImageError

    try:
        image = Image.open(io.BytesIO(blob))
        size = image.size
        if image.format in SHOWN_FORMATS:
            mime, data = SHOWN_FORMATS[image.format], blob
        else:
            buffer = io.BytesIO()
            image.save(buffer, "PNG")
            mime, data = "image/png", buffer.getvalue()
    except (UnidentifiedImageError, OSError, ValueError):
        return None
    return f"data:{mime};base64,{base64.b64encode(data).decode('ascii')}", size


def not_drawn(layout) -> list[str]:
    """What the layout and its master (when shown) hold that the HTML does not draw as a viewer
    would, each as a warning says it ("text in shapes is not drawn ..."): text in artwork,
    tables and charts, effects, pictures no browser shows, presets drawn as their frame,
    pattern fills drawn flat."""
    trees = [layout.element.find(f"{P}cSld/{P}spTree")]
    if layout.element.get("showMasterSp", "1") not in ("0", "false"):
        trees.append(layout.slide_master.element.find(f"{P}cSld/{P}spTree"))
    found: dict[str, None] = {}
    for tree in trees:
        if tree is None:
            continue
        for element in tree.iter(f"{P}sp", f"{P}pic", f"{P}graphicFrame", f"{P}cxnSp"):
            if element.find(f".//{P}nvPr/{P}ph") is not None:
                continue
            for what in _undrawn_parts(element, layout):
                found[what] = None
    return list(found)


def _undrawn_parts(element, layout):
    if element.tag == f"{P}graphicFrame":
        yield "tables, charts or diagrams are not drawn in the HTML"
        return
    if any((t.text or "").strip() for t in element.iter(f"{A}t") if not _drawn_number(t)):
        yield "text in shapes is not drawn in the HTML"
    effects = element.find(f"{P}spPr/{A}effectLst")
    if effects is not None and len(effects):
        yield "shadow, glow or other effects are not drawn in the HTML"
    if element.find(f"{P}spPr/{A}pattFill") is not None:
        yield "pattern fills are not drawn in the HTML (a flat colour stands in)"
    preset = element.find(f"{P}spPr/{A}prstGeom")
    name = preset.get("prst", "rect") if preset is not None else "rect"
    # Connectors and callouts' tails master_view draws too, by their family.
    if name not in DRAWN_PRESETS and "Connector" not in name and not name.startswith("wedge"):
        yield f"'{name}' outlines are not drawn in the HTML (a rectangle stands in)"
    blip = element.find(f".//{A}blip")
    rid = blip.get(f"{R}embed") if blip is not None else None
    part = _part_of(element, layout)
    if rid and rid in part.rels and picture_uri(part.related_part(rid).blob) is None:
        yield "pictures in a format browsers do not show (EMF, WMF) are not drawn in the HTML"


def _drawn_number(text) -> bool:
    """Whether a text is a slide-number field in a box of its own, which master_numbers draws."""
    field = text.getparent()
    return field.get("type") == "slidenum" and field.getparent().getparent().getparent().tag == (
        f"{P}sp"
    )


def _part_of(element, layout):
    """The part (layout or master) an element lives in, for its relationships."""
    if element.getroottree().getroot() is layout.element:
        return layout.part
    return layout.slide_master.part


# A box's placeholder role, and the ph types (with the master's text style) it is found by.
ROLE_TYPES = {
    "title": (("title", "ctrTitle"), "titleStyle"),
    "subtitle": (("subTitle",), "bodyStyle"),
    "footer": (("ftr",), "otherStyle"),
    "slide_number": (("sldNum",), "otherStyle"),
}


def placeholder_format(layout, role: str | None) -> tuple[str | None, str | None]:
    """The paragraph alignment and vertical anchor a layout's placeholder (else its master's,
    else the master's text style) gives text written into it: the pptx leaves both to it."""
    if role is None:
        return None, None
    types, style = ROLE_TYPES.get(role, (("body", "obj", None), "bodyStyle"))
    align = anchor = None
    for tree in (layout.element, layout.slide_master.element):
        for ph in tree.iter(f"{P}ph"):
            if ph.get("type") not in types:
                continue
            shape = ph.getparent().getparent().getparent()
            body = shape.find(f"{P}txBody/{A}bodyPr")
            anchor = anchor or (body.get("anchor") if body is not None else None)
            level = shape.find(f"{P}txBody/{A}lstStyle/{A}lvl1pPr")
            align = align or (level.get("algn") if level is not None else None)
            break
    level = layout.slide_master.element.find(f"{P}txStyles/{P}{style}/{A}lvl1pPr")
    align = align or (level.get("algn") if level is not None else None)
    return align, anchor


def master_numbers(designer, layout, number: int) -> list[TextBox]:
    """The slide number as the master's own boxes print it on this slide (Lights, Midnightblue's
    circle): the deck's viewer fills their field, the HTML draws it in the master's style."""
    boxes = []
    for spot in designer.field_marks.numbers(layout):
        style = spot.style if spot.style.color else designer.style("small", size=spot.style.size)
        boxes.append(TextBox(spot.rect, [(str(number), style)], "slide number", anchor=spot.anchor))
    return boxes

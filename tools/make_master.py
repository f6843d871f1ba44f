"""Rebuild templates/default/master.pptx from python-pptx's default deck (run by hand, committed).

The default master is 4:3 and plain; this makes it 16:9 with the house geometry, fonts and
colours, and drops the layouts the default theme never maps to.
"""

from __future__ import annotations

import io
import sys
from datetime import datetime
from pathlib import Path

from lxml import etree
from pptx import Presentation
from pptx.dml.color import RGBColor
from pptx.enum.shapes import MSO_SHAPE, PP_PLACEHOLDER
from pptx.opc.constants import RELATIONSHIP_TYPE as RT
from pptx.util import Emu, Inches

from briefing.render.reproducible import reproducible_zip
from briefing.theme import load_theme

FIXED_DATE = datetime(2026, 1, 1)

A = "http://schemas.openxmlformats.org/drawingml/2006/main"
P = "http://schemas.openxmlformats.org/presentationml/2006/main"
NS = {"a": A, "p": P}
KEEP = {"Title Slide", "Title and Content", "Two Content", "Title Only", "Section Header", "Blank"}
WIDTH, HEIGHT = Emu(12192000), Emu(6858000)
MARGIN = Inches(0.6)
CONTENT_W = WIDTH - 2 * MARGIN


def main(theme_dir: Path) -> None:
    """Write master.pptx next to theme.yaml, using its colour and font tokens."""
    (theme_dir / "master.pptx").write_bytes(master_package(theme_dir))


def master_package(theme_dir: Path) -> bytes:
    """The master deck's bytes for a theme folder: the same bytes on every run."""
    # The merged tokens of the theme's chain (a theme that extends another has only its own).
    tokens = load_theme(theme_dir).model_dump(mode="json")
    prs = Presentation()
    prs.slide_width, prs.slide_height = WIDTH, HEIGHT
    for layout in list(prs.slide_layouts):
        if layout.name not in KEEP:
            prs.slide_layouts.remove(layout)
    master = prs.slide_master
    master.background.fill.solid()
    master.background.fill.fore_color.rgb = RGBColor.from_string(tokens["colors"]["background"])
    _style_theme(master, tokens)
    _place_master(master, tokens)
    for layout in prs.slide_layouts:
        _place_layout(layout, tokens)
    prs.core_properties.title = "briefing default theme"
    buffer = io.BytesIO()
    prs.save(buffer)
    # Fixed zip dates: regenerating an unchanged master gives the same bytes.
    return reproducible_zip(buffer.getvalue(), FIXED_DATE)


def _style_theme(master, tokens) -> None:
    theme_part = master.part.part_related_by(RT.THEME)
    root = etree.fromstring(theme_part.blob)
    colors = tokens["colors"]
    scheme = {
        "dk1": colors["text"],
        "lt1": colors["background"],
        "dk2": colors["primary"],
        "lt2": colors["surface"],
        "hlink": colors["primary"],
        "folHlink": colors["muted"],
    }
    for index, value in enumerate(colors["series"][:6]):
        scheme[f"accent{index + 1}"] = value
    clr = root.find(".//a:clrScheme", NS)
    clr.set("name", "briefing")
    for name, value in scheme.items():
        slot = clr.find(f"a:{name}", NS)
        for child in list(slot):
            slot.remove(child)
        etree.SubElement(slot, f"{{{A}}}srgbClr", val=value)
    fonts = tokens["fonts"]
    for which in ("majorFont", "minorFont"):
        font = root.find(f".//a:fontScheme/a:{which}", NS)
        font.find("a:latin", NS).set("typeface", fonts["latin"])
        font.find("a:ea", NS).set("typeface", fonts["east_asian"])
        for script in font.findall("a:font", NS):
            if script.get("script") == "Hans":
                script.set("typeface", fonts["east_asian"])
    theme_part._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _place(shape, left, top, width, height) -> None:
    shape.left, shape.top, shape.width, shape.height = (
        Emu(int(v)) for v in (left, top, width, height)
    )


def _place_master(master, tokens) -> None:
    sizes, colors = tokens["sizes"], tokens["colors"]
    footer_top = HEIGHT - Inches(0.5)
    for ph in master.placeholders:
        kind = ph.placeholder_format.type
        if kind == PP_PLACEHOLDER.TITLE:
            _place(ph, MARGIN, Inches(0.45), CONTENT_W, Inches(1.0))
        elif kind == PP_PLACEHOLDER.BODY:
            _place(ph, MARGIN, Inches(1.7), CONTENT_W, Inches(4.95))
        elif kind == PP_PLACEHOLDER.DATE:
            _place(ph, WIDTH - MARGIN - Inches(4.5), footer_top, Inches(3.0), Inches(0.3))
        elif kind == PP_PLACEHOLDER.FOOTER:
            _place(ph, MARGIN, footer_top, Inches(8.0), Inches(0.3))
        elif kind == PP_PLACEHOLDER.SLIDE_NUMBER:
            _place(ph, WIDTH - MARGIN - Inches(1.2), footer_top, Inches(1.2), Inches(0.3))
    # The accent rule over the title is the house mark on every content slide.
    holder = Presentation().slides.add_slide(Presentation().slide_layouts[6])
    rule = holder.shapes.add_shape(
        MSO_SHAPE.RECTANGLE, MARGIN, Inches(0.3), Inches(0.9), Inches(0.07)
    )
    rule.fill.solid()
    rule.fill.fore_color.rgb = RGBColor.from_string(colors["accent"])
    rule.line.fill.background()
    rule.name = "Accent Rule"
    master.shapes._spTree.insert(2, rule._element)

    styles = master.element.find("p:txStyles", NS)
    title = styles.find("p:titleStyle/a:lvl1pPr", NS)
    title.set("algn", "l")
    _set_run_style(title, sizes["title"], colors["primary"], bold=True, major=True)
    body = styles.find("p:bodyStyle", NS)
    for level, size in ((1, sizes["body"]), (2, sizes["body"] - 2), (3, sizes["body"] - 4)):
        ppr = body.find(f"a:lvl{level}pPr", NS)
        _set_run_style(ppr, size, colors["text"], bold=False, major=False)
        _set_spacing(ppr, before_pt=10)
    for level in range(4, 10):
        ppr = body.find(f"a:lvl{level}pPr", NS)
        _set_run_style(ppr, sizes["body"] - 4, colors["text"], bold=False, major=False)
    other = styles.find("p:otherStyle/a:lvl1pPr", NS)
    _set_run_style(other, sizes["small"], colors["muted"], bold=False, major=False)
    for ph in master.placeholders:
        if ph.placeholder_format.type == PP_PLACEHOLDER.FOOTER:
            for ppr in ph.element.iter(f"{{{A}}}lvl1pPr"):
                ppr.set("algn", "l")
        if ph.placeholder_format.type in (
            PP_PLACEHOLDER.FOOTER,
            PP_PLACEHOLDER.SLIDE_NUMBER,
            PP_PLACEHOLDER.DATE,
        ):
            for run_props in ph.element.iter(f"{{{A}}}defRPr"):
                run_props.set("sz", _centipoints(sizes["small"]))
                _fill(run_props, colors["muted"])
    title_ph = next(
        p for p in master.placeholders if p.placeholder_format.type == PP_PLACEHOLDER.TITLE
    )
    title_ph.text_frame._bodyPr.set("anchor", "b")


def _centipoints(size_pt: float) -> str:
    """A font size as DrawingML stores it: an integer in hundredths of a point."""
    # Theme sizes are floats; "1200.0" is not an ST_TextFontSize and PowerPoint repairs it.
    return str(round(size_pt * 100))


def _set_run_style(ppr, size_pt, color, bold, major) -> None:
    rpr = ppr.find("a:defRPr", NS)
    if rpr is None:
        rpr = etree.SubElement(ppr, f"{{{A}}}defRPr")
    rpr.set("sz", _centipoints(size_pt))
    rpr.set("b", "1" if bold else "0")
    _fill(rpr, color)
    for tag in ("latin", "ea", "cs"):
        node = rpr.find(f"a:{tag}", NS)
        if node is None:
            node = etree.SubElement(rpr, f"{{{A}}}{tag}")
        node.set("typeface", f"+{'mj' if major else 'mn'}-{'lt' if tag == 'latin' else tag}")


def _fill(rpr, color) -> None:
    for old in rpr.findall("a:solidFill", NS):
        rpr.remove(old)
    fill = etree.Element(f"{{{A}}}solidFill")
    etree.SubElement(fill, f"{{{A}}}srgbClr", val=color)
    rpr.insert(0, fill)


def _set_spacing(ppr, before_pt) -> None:
    for old in ppr.findall("a:spcBef", NS):
        ppr.remove(old)
    spacing = etree.Element(f"{{{A}}}spcBef")
    etree.SubElement(spacing, f"{{{A}}}spcPts", val=str(before_pt * 100))
    ppr.insert(0, spacing)


def _place_layout(layout, tokens) -> None:
    colors, sizes = tokens["colors"], tokens["sizes"]
    gap = Inches(0.4)
    for ph in layout.placeholders:
        kind = ph.placeholder_format.type
        idx = ph.placeholder_format.idx
        footer_top = HEIGHT - Inches(0.5)
        if kind in (PP_PLACEHOLDER.DATE, PP_PLACEHOLDER.FOOTER, PP_PLACEHOLDER.SLIDE_NUMBER):
            master_ph = next(
                p for p in layout.slide_master.placeholders if p.placeholder_format.type == kind
            )
            _place(ph, master_ph.left, footer_top, master_ph.width, master_ph.height)
        elif layout.name == "Title Slide":
            if kind == PP_PLACEHOLDER.CENTER_TITLE:
                _place(ph, MARGIN, Inches(1.9), CONTENT_W, Inches(2.0))
                title = colors.get("cover_title") or colors["background"]
                _layout_text(ph, sizes["cover_title"], title, bold=True, anchor="b")
            elif kind == PP_PLACEHOLDER.SUBTITLE:
                _place(ph, MARGIN, Inches(4.15), CONTENT_W, Inches(2.2))
                _layout_text(ph, sizes["body"], colors["cover_text"], bold=False, anchor="t")
        elif kind == PP_PLACEHOLDER.TITLE and layout.name != "Section Header":
            _place(ph, MARGIN, Inches(0.45), CONTENT_W, Inches(1.0))
        elif layout.name == "Two Content" and kind == PP_PLACEHOLDER.OBJECT:
            half = (CONTENT_W - gap) / 2
            left = MARGIN if idx == 1 else MARGIN + half + gap
            _place(ph, left, Inches(1.7), half, Inches(4.95))
        elif layout.name == "Title and Content" and kind == PP_PLACEHOLDER.OBJECT:
            _place(ph, MARGIN, Inches(1.7), CONTENT_W, Inches(4.95))
        elif layout.name == "Section Header":
            top = Inches(3.2) if kind == PP_PLACEHOLDER.TITLE else Inches(4.7)
            _place(ph, MARGIN, top, CONTENT_W, Inches(1.4))
    if layout.name == "Title Slide":
        layout.background.fill.solid()
        cover = colors.get("cover_background") or colors["primary"]
        layout.background.fill.fore_color.rgb = RGBColor.from_string(cover)
        # The cover keeps its own look: no accent rule from the master.
        layout.element.set("showMasterSp", "0")
        for ph in layout.placeholders:
            if ph.placeholder_format.type in (
                PP_PLACEHOLDER.FOOTER,
                PP_PLACEHOLDER.SLIDE_NUMBER,
                PP_PLACEHOLDER.DATE,
            ):
                _layout_text(ph, sizes["small"], colors["cover_text"], bold=False, anchor="t")


def _layout_text(ph, size_pt, color, bold, anchor) -> None:
    body = ph.text_frame._txBody
    body.bodyPr.set("anchor", anchor)
    lst = body.find("a:lstStyle", NS)
    for child in list(lst):
        lst.remove(child)
    ppr = etree.SubElement(lst, f"{{{A}}}lvl1pPr", marL="0", indent="0", algn="l")
    etree.SubElement(ppr, f"{{{A}}}buNone")
    rpr = etree.SubElement(ppr, f"{{{A}}}defRPr", sz=_centipoints(size_pt), b="1" if bold else "0")
    fill = etree.SubElement(rpr, f"{{{A}}}solidFill")
    etree.SubElement(fill, f"{{{A}}}srgbClr", val=color)


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else Path("templates/default"))

"""The PowerPoint deck: the laid-out slides written on the master's layouts with python-pptx."""

from __future__ import annotations

import copy
from dataclasses import dataclass
from datetime import datetime
from typing import BinaryIO

from pptx.dml.color import RGBColor
from pptx.enum.shapes import MSO_SHAPE, PP_PLACEHOLDER
from pptx.enum.text import MSO_ANCHOR
from pptx.oxml.ns import qn

from briefing.cache import Cache
from briefing.check.layout import layout_issues
from briefing.layout.boxes import (
    ChartBox,
    DeckPlan,
    Fit,
    FooterBox,
    ShapeBox,
    SlidePlan,
    TextBox,
)
from briefing.layout.deck import lay_out_deck
from briefing.layout.designer import BULLET_INDENT_PT, Designer
from briefing.master import open_master
from briefing.model import Briefing
from briefing.render.charts_pptx import add_chart
from briefing.render.pptx_text import EMU_PER_PT, INSETS_PT, Style, emu
from briefing.render.pptx_xpath import compile_xpaths_once
from briefing.richtext import plain
from briefing.speaking import format_duration, speaking_seconds
from briefing.theme import Theme

ANCHORS = {"top": MSO_ANCHOR.TOP, "middle": MSO_ANCHOR.MIDDLE, "bottom": MSO_ANCHOR.BOTTOM}
GEOMETRIES = {"rect": MSO_SHAPE.RECTANGLE, "oval": MSO_SHAPE.OVAL}
TITLE_TYPES = (PP_PLACEHOLDER.TITLE, PP_PLACEHOLDER.CENTER_TITLE)
BODY_TYPES = (PP_PLACEHOLDER.BODY, PP_PLACEHOLDER.OBJECT)
FOOTER_TYPES = {"footer": PP_PLACEHOLDER.FOOTER, "slide_number": PP_PLACEHOLDER.SLIDE_NUMBER}

__all__ = ["DeckReport", "Fit", "LaidOut", "lay_out", "render_pptx"]

compile_xpaths_once()  # before any deck is laid out or written


@dataclass(frozen=True)
class DeckReport:
    """What rendering a deck found: how each box fitted, and layout fallbacks to mention."""

    fits: list[Fit]
    warnings: list[str]
    issues: list  # the layout's own check: boxes off the slide, on artwork, low contrast


@dataclass
class LaidOut:
    """A deck laid out on its master, before any writer: shared by the pptx and the slides."""

    designer: Designer
    plan: DeckPlan

    def report(self) -> DeckReport:
        """The fits, warnings and the layout check's issues of this deck."""
        plan = self.plan
        return DeckReport(plan.fits, plan.warnings, list(layout_issues(plan, self.designer)))


def lay_out(briefing: Briefing, theme: Theme, lang: str, cache: Cache | None = None) -> LaidOut:
    """The deck of a briefing in one language laid out on the theme's master."""
    prs = open_master(theme.master_path)
    _drop_sample_slides(prs)
    _name_parts_by_count(prs)
    designer = Designer(briefing, theme, lang, prs, cache)
    return LaidOut(designer, lay_out_deck(designer))


def render_pptx(
    briefing: Briefing,
    theme: Theme,
    lang: str,
    stream: BinaryIO,
    cache: Cache | None = None,
    built_at: datetime | None = None,
    laid_out: LaidOut | None = None,
) -> DeckReport:
    """Write the deck of a briefing in one language to a stream; report fits and fallbacks.
    A deck already laid out (`lay_out`) is written as it is, once."""
    laid_out = laid_out or lay_out(briefing, theme, lang, cache)
    designer, plan = laid_out.designer, laid_out.plan
    writer = SlideWriter(designer)
    for slide_plan in plan.slides:
        writer.write(slide_plan)
    _set_properties(designer, built_at or datetime(1980, 1, 1))
    designer.fit_memo.save()  # after writing: the writer's line breaks are remembered too
    designer.master_memo.save()
    designer.prs.save(stream)
    return laid_out.report()


class SlideWriter:
    """Writes laid-out slides into the presentation: boxes, footers and notes."""

    def __init__(self, designer: Designer):
        self.designer = designer
        self.prs = designer.prs
        self.setter = designer.setter
        self._footer_elements: dict[str, dict] = {}

    def write(self, plan: SlidePlan) -> None:
        """Add one slide and write every box of its plan."""
        slide = self.prs.slides.add_slide(plan.layout)
        placeholders = _placeholders_by_role(slide)
        painted = []  # every element written, in the plan's paint order
        for box in plan.boxes:
            if isinstance(box, TextBox):
                painted.append(self._text(slide, box, placeholders)._element)
            elif isinstance(box, ShapeBox):
                painted.append(self._shape(slide, box)._element)
            elif isinstance(box, ChartBox):
                chart = self.designer.briefing.chart(box.chart_id)
                frame = add_chart(
                    slide,
                    self.designer.briefing,
                    chart,
                    self.designer.theme,
                    self.setter,
                    box.rect.args(),
                    box.inks,
                    box.series,
                )
                painted.append(frame._element)
        for shape in list(slide.placeholders):
            if not any(shape._element is element for element in painted):
                shape._element.getparent().remove(shape._element)
        # Placeholders were cloned first; the plan's order decides what is drawn over what.
        tree = slide.shapes._spTree
        for element in painted:
            tree.remove(element)
            tree.append(element)
        for footer in plan.footers:
            self._footer(slide, plan.layout, footer)
        notes = slide.notes_slide.notes_text_frame
        said = [p for p in plan.notes.split("\n") if p.strip()]
        if said:
            # The time the notes take to say, under them: Presenter View shows it beside its
            # clock, so the presenter can pace each slide (see README "Speaking time").
            said.append(f"≈ {format_duration(speaking_seconds(plain(plan.notes)))}")
        self.setter.write(notes, [(p, Style(size=12)) for p in said])

    def _text(self, slide, box: TextBox, placeholders: dict):
        shape = placeholders.get(box.placeholder) if box.placeholder else None
        if shape is None:
            shape = slide.shapes.add_textbox(*box.rect.args())
        else:
            # A title left where the layout puts it inherits its place (titles are matched by
            # type, so this is safe even where a master leaves out idx); anything else is pinned.
            if box.placeholder != "title" or box.rect != self._layout_title(slide.slide_layout):
                shape.left, shape.top, shape.width, shape.height = box.rect.args()
            _set_insets(shape)
        _write_fitted(self.setter, shape, box)
        if box.bullets:
            _bulletise(shape)
        return shape

    def _layout_title(self, layout):
        """Where the layout itself puts its title, as a viewer resolves it."""
        view = self.designer.view.layout(layout)
        kinds = ("title", "center_title")
        return next((ph.rect for ph in view.placeholders if ph.kind in kinds and ph.rect), None)

    def _shape(self, slide, box: ShapeBox):
        shape = slide.shapes.add_shape(GEOMETRIES[box.geometry], *box.rect.args())
        shape.fill.solid()
        shape.fill.fore_color.rgb = RGBColor.from_string(box.color)
        shape.line.fill.background()
        shape.shadow.inherit = False
        if box.text is not None:
            _write_fitted(self.setter, shape, box.text)
        return shape

    def _footer(self, slide, layout, footer: FooterBox) -> None:
        """A copy of the layout's footer placeholder filled in, or a text box of ours."""
        element = self._layout_footer(layout, footer.kind) if footer.from_layout else None
        if element is None and footer.kind == "slide_number":
            self._number_box(slide, footer)
            return
        if element is None:  # the date, where the master's own box printed '<date/time>'
            _write_fitted(self.setter, slide.shapes.add_textbox(*footer.rect.args()), footer.text)
            return
        element = copy.deepcopy(element)
        slide.shapes._spTree.append(element)
        element.nvSpPr.cNvPr.set("id", str(_next_shape_id(slide)))
        shape = slide.shapes[-1]
        if footer.moved:
            shape.left, shape.top, shape.width, shape.height = footer.rect.args()
        if footer.kind == "slide_number":
            for field in element.iter(qn("a:fld")):
                field.find(qn("a:t")).text = footer.text.paragraphs[0][0]
                rpr = _rpr(field)
                rpr.set("sz", str(int(round(_size(footer.text) * 100))))
                _set_color(rpr, footer.text.paragraphs[0][1].color)
                self.setter.mark_language(rpr)
            return
        _write_fitted(self.setter, shape, footer.text)

    def _layout_footer(self, layout, kind: str):
        key = str(layout.part.partname)
        if key not in self._footer_elements:
            self._footer_elements[key] = {
                role: ph.element
                for ph in layout.placeholders
                for role, wanted in FOOTER_TYPES.items()
                if ph.placeholder_format.type == wanted
            }
        return self._footer_elements[key].get(kind)

    def _number_box(self, slide, footer: FooterBox) -> None:
        """A slide-number field in a text box, for layouts that have no placeholder for it."""
        box = slide.shapes.add_textbox(*footer.rect.args())
        text = footer.text
        self.setter.write(box.text_frame, [("", text.paragraphs[0][1])], text.scale)
        paragraph = box.text_frame.paragraphs[0]._p
        for run in paragraph.findall(qn("a:r")):
            paragraph.remove(run)
        field = paragraph.makeelement(
            qn("a:fld"), {"id": "{B6F15528-21DE-4FAA-801E-634DDDAF4B2B}", "type": "slidenum"}
        )
        rpr = field.makeelement(qn("a:rPr"), {"sz": str(int(round(_size(text) * 100)))})
        _set_color(rpr, text.paragraphs[0][1].color)
        self.setter.mark_language(rpr)
        field.append(rpr)
        number = field.makeelement(qn("a:t"), {})
        number.text = text.paragraphs[0][0]
        field.append(number)
        paragraph.insert(1 if paragraph.find(qn("a:pPr")) is not None else 0, field)


def _placeholders_by_role(slide) -> dict:
    """The slide's placeholders by the role a box names: title, subtitle, body0, body1, ..."""
    roles: dict = {}
    bodies = []
    for shape in slide.placeholders:
        kind = shape.placeholder_format.type
        if kind in TITLE_TYPES and "title" not in roles:
            roles["title"] = shape
        elif kind == PP_PLACEHOLDER.SUBTITLE and "subtitle" not in roles:
            roles["subtitle"] = shape
        elif kind in BODY_TYPES:
            bodies.append(shape)
    for index, shape in enumerate(bodies):
        roles[f"body{index}"] = shape
    if "subtitle" not in roles and bodies:
        roles["subtitle"] = bodies[0]  # a cover whose second box is a body
    return roles


def _write_fitted(setter, shape, box: TextBox) -> None:
    """Write a box's paragraphs at its scale, with line breaks where the measure broke them."""
    width_pt = box.rect.width / EMU_PER_PT - 2 * INSETS_PT[0]
    indent = BULLET_INDENT_PT if box.bullets else 0
    setter.write(shape.text_frame, box.paragraphs, box.scale, width_pt, indent)
    if box.anchor is not None:  # None keeps the master's own (its footers)
        shape.text_frame.vertical_anchor = ANCHORS[box.anchor]


def _set_color(rpr, color: str | None) -> None:
    """A run's solid colour, replacing any fill it had (schema order: after a:ln, first else)."""
    if not color:
        return
    for tag in ("a:noFill", "a:solidFill", "a:gradFill", "a:blipFill", "a:pattFill", "a:grpFill"):
        for old in rpr.findall(qn(tag)):
            rpr.remove(old)
    fill = rpr.makeelement(qn("a:solidFill"), {})
    fill.append(fill.makeelement(qn("a:srgbClr"), {"val": color.upper()}))
    outline = rpr.find(qn("a:ln"))
    if outline is None:
        rpr.insert(0, fill)
    else:
        outline.addnext(fill)


def _size(box: TextBox) -> float:
    return box.paragraphs[0][1].size * box.scale


def _set_insets(shape) -> None:
    """The insets and text placing the measure assumed, whatever the placeholder declares."""
    body = shape.text_frame._txBody.bodyPr
    for attribute, points in (
        ("lIns", INSETS_PT[0]),
        ("rIns", INSETS_PT[0]),
        ("tIns", INSETS_PT[1]),
        ("bIns", INSETS_PT[1]),
    ):
        body.set(attribute, str(emu(points)))
    # Lines placed by their paragraphs' alignment, as measured and as the HTML slides draw them:
    # a layout's anchorCtr (Midnightblue's titles) centres a left-aligned block in LibreOffice.
    body.set("anchorCtr", "0")


def _bulletise(shape) -> None:
    """Bullets at the indent the measure assumed, in a text box or a master's placeholder."""
    for paragraph in shape.text_frame.paragraphs:
        ppr = paragraph._p.get_or_add_pPr()
        if ppr.find(qn("a:buNone")) is not None:
            continue  # a heading or note among the points
        ppr.set("marL", str(emu(BULLET_INDENT_PT)))
        ppr.set("indent", str(-emu(BULLET_INDENT_PT)))
        bullet = ppr.makeelement(qn("a:buChar"), {"char": "•"})
        ppr.append(bullet)


def _rpr(element):
    rpr = element.find(qn("a:rPr"))
    if rpr is None:
        rpr = element.makeelement(qn("a:rPr"), {})
        element.insert(0, rpr)
    return rpr


def _next_shape_id(slide) -> int:
    ids = [int(e.get("id")) for e in slide.shapes._spTree.iter(qn("p:cNvPr"))]
    return max(ids, default=1) + 1


def _drop_sample_slides(prs) -> None:
    """Remove any slides a template ships with; python-pptx has no API for it."""
    slide_list = prs.slides._sldIdLst
    for slide_id in list(slide_list):
        prs.part.drop_rel(slide_id.rId)
        slide_list.remove(slide_id)


def _name_parts_by_count(prs) -> None:
    """Give new parts the names python-pptx would, without its walk over every part of the
    package for each new slide, notes page and chart (that walk made big decks quadratic)."""
    from pptx.opc.packuri import PackURI

    package = prs.part.package
    taken: dict[str, set[str]] = {}

    def next_partname(template: str) -> PackURI:
        # python-pptx's own rule (OpcPackage.next_partname), over a set kept up to date.
        prefix = template[: (template % 42).find("42")]
        if prefix not in taken:
            taken[prefix] = {
                p.partname for p in package.iter_parts() if p.partname.startswith(prefix)
            }
        names = taken[prefix]
        number = next(n for n in range(len(names) + 1, 0, -1) if template % n not in names)
        names.add(template % number)
        return PackURI(template % number)

    package.next_partname = next_partname


def _set_properties(designer: Designer, built_at: datetime) -> None:
    meta = designer.briefing.meta
    props = designer.prs.core_properties
    # Office limits these properties to 255 characters; the slides show the full text.
    props.title = designer.text(meta.title)[:255]
    props.author = designer.text(meta.author)[:255]
    props.subject = designer.text(meta.subtitle)[:255]
    props.language = designer.setter.lang_tag
    props.keywords = "briefing"
    props.last_modified_by = "briefing"
    props.revision = 1
    props.created = props.modified = built_at
    props.last_printed = built_at

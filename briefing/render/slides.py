"""The deck as HTML slides, drawn from the same laid-out deck as the pptx: one self-contained
file to present from any browser, and the document WeasyPrint prints as the deck PDF."""

from __future__ import annotations

from dataclasses import dataclass, field

from markupsafe import Markup

from briefing.cache import Cache
from briefing.errors import BriefingError
from briefing.inputs import read_input
from briefing.layout.boxes import ChartBox, FooterBox, ShapeBox, SlidePlan, TextBox
from briefing.model import LANG_TAG
from briefing.render.slides_charts import chart_html
from briefing.render.slides_master import (
    master_numbers,
    master_uri,
    not_drawn,
    placeholder_format,
)
from briefing.render.slides_text import place, text_box_html
from briefing.render.templating import render_template
from briefing.render.webfonts import FontFace, embedded_css, font_faces, linked_css
from briefing.richtext import plain
from briefing.spacing import AUTOSPACE_EM
from briefing.speaking import format_duration, speaking_seconds
from briefing.theme import MAX_THEME_FILE
from briefing.typography import display_text

TEMPLATE = "slides.html.j2"
STYLESHEET = "slides.css"
SCRIPT = "slides.js"
FONT_SLOT = "/*@font-face*/"
HANDOUT_HEIGHT = 1.6  # a handout page: the slide, and under it its notes, in slide heights
NOT_DRAWN = (
    "slide {number}: the master's {what}; `briefing preview` shows the deck as PowerPoint would"
)


@dataclass
class SlideShow:
    """The slides of one laid-out deck as HTML: for the screen (presenting) or for print (the
    deck PDF, optionally with each slide's notes under it on a handout page)."""

    laid_out: object  # briefing.render.pptx.LaidOut
    cache: Cache
    warnings: list[str] = field(default_factory=list)
    _context: dict | None = None
    _faces: list[FontFace] | None = None
    _warned: set = field(default_factory=set)  # (master, what) already named

    @property
    def size_px(self) -> tuple[float, float]:
        """The slide's width and height in CSS px (96 an inch)."""
        prs = self.laid_out.designer.prs
        return prs.slide_width / 9525, prs.slide_height / 9525

    def html(self) -> str:
        """The slideshow as one file: fonts embedded, pictures as data: URIs, script inline."""
        page = self._render(handout=False)
        return page.replace(FONT_SLOT, embedded_css(self.faces(page)), 1)

    def print_html(self, handout: bool = False) -> tuple[str, dict[str, bytes]]:
        """The slides for WeasyPrint, fonts linked by URL with the bytes each serves; as a
        `handout`, each slide is printed with its notes under it on a taller page."""
        page = self._render(handout)
        faces = self.faces(page)
        rules, fonts = linked_css(faces)
        return page.replace(FONT_SLOT, rules, 1), fonts

    def faces(self, page: str) -> list[FontFace]:
        """The deck's fonts subset to the characters of its slides and notes."""
        if self._faces is None:
            # The speaker view's words reach the page as JSON escapes: add them as they show.
            shown = page + "".join(self.context()["labels"].values())
            self._faces = font_faces(self.laid_out.designer.theme, shown, self.cache)
        return self._faces

    def _render(self, handout: bool) -> str:

        designer = self.laid_out.designer
        context = {**self.context(), "handout": handout}
        if handout:
            # The slide at its own size, WeasyPrint drawing a scaled master's SVG cut it short.
            context["handout_height"] = f"{self.size_px[1] * HANDOUT_HEIGHT:.2f}"
        return render_template(designer.theme, TEMPLATE, context)

    def context(self) -> dict:
        """What the template shows, computed once for the screen and the print."""
        if self._context is None:
            self._context = self._build_context()
        return self._context

    def _build_context(self) -> dict:
        designer = self.laid_out.designer
        theme = designer.theme
        width, height = self.size_px
        layouts: dict[str, str] = {}  # layout part -> CSS class of its drawing
        backgrounds = []
        slides = []
        plans = self.laid_out.plan.slides
        for number, plan in enumerate(plans, start=1):
            view = designer.view.layout(plan.layout)
            if view.part_name not in layouts:
                layouts[view.part_name] = f"layout-{len(layouts) + 1}"
                backgrounds.append((layouts[view.part_name], master_uri(view)))
                self._warn_not_drawn(number, plan.layout)
            seconds = speaking_seconds(plan.notes)
            slides.append(
                {
                    "number": number,
                    "kind": plan.kind,
                    "layout": layouts[view.part_name],
                    "title": _title_of(plan),
                    "boxes": [self._box(box, number, plan) for box in plan.boxes],
                    "footers": [self._footer(plan, footer) for footer in plan.footers]
                    + [
                        text_box_html(designer.setter, box, "text footer master-number")
                        for box in master_numbers(designer, plan.layout, number)
                    ],
                    "notes": [
                        display_text(line) for line in plan.notes.split("\n") if line.strip()
                    ],
                    "seconds": round(seconds),
                    "speaking": format_duration(seconds),
                }
            )
        total = sum(slide["seconds"] for slide in slides)
        return {
            "lang": LANG_TAG.get(designer.lang, designer.lang),
            "title": display_text(designer.text(designer.briefing.meta.title)),
            "width": f"{width:.2f}",
            "height": f"{height:.2f}",
            "slides": slides,
            "total": format_duration(total),
            "backgrounds": backgrounds,
            "fonts": [theme.fonts.latin, theme.fonts.east_asian, "Source Sans Pro"],
            "east_asian": theme.fonts.east_asian,
            "autospace": AUTOSPACE_EM,
            "css": Markup(_asset(theme, STYLESHEET)),
            "script": Markup(_asset(theme, SCRIPT)),
            "labels": _labels(designer.lang),
        }

    def _box(self, box, number: int, plan: SlidePlan) -> Markup:
        designer = self.laid_out.designer
        if isinstance(box, TextBox):
            align, _ = placeholder_format(plan.layout, _role(box.placeholder))
            return text_box_html(designer.setter, box, align=align)
        if isinstance(box, ShapeBox):
            shape = "oval" if box.geometry == "oval" else "rect"
            inner = text_box_html(designer.setter, box.text, "text inner") if box.text else ""
            return Markup(
                f'<div class="shape {shape}" style="{place(box.rect)};background:#{box.color}">'
                f"</div>{inner}"
            )
        if isinstance(box, ChartBox):
            return chart_html(designer, box, number, self.cache)
        raise BriefingError(f"the slides cannot draw a {type(box).__name__}")

    def _footer(self, plan: SlidePlan, footer: FooterBox) -> Markup:
        role = footer.kind if footer.from_layout else None
        align, anchor = placeholder_format(plan.layout, role)
        return text_box_html(
            self.laid_out.designer.setter,
            footer.text,
            f"text footer {footer.kind.replace('_', '-')}",
            align=align,
            anchor={"t": "top", "ctr": "middle", "b": "bottom"}.get(anchor or "", "top"),
        )

    def _warn_not_drawn(self, number: int, layout) -> None:
        """Name once per master (and kind of thing) what its slides lack in the HTML."""
        for what in not_drawn(layout):
            key = (str(layout.slide_master.part.partname), what)
            if key in self._warned:
                continue
            self._warned.add(key)
            self.warnings.append(NOT_DRAWN.format(number=number, what=what))


def _role(placeholder: str | None) -> str | None:
    """The placeholder role a box is written into: title, subtitle or a body (body0, ...)."""
    if placeholder is None:
        return None
    return "body" if placeholder.startswith("body") else placeholder


def _title_of(plan: SlidePlan) -> str:
    """The slide's title text (for the speaker view and the slide's label)."""
    for box in plan.boxes:
        if isinstance(box, TextBox) and box.where == f"{plan.kind} title":
            return " ".join(display_text(plain(text)) for text, _ in box.paragraphs)
    return ""


def _labels(lang: str) -> dict[str, str]:
    """The speaker view's words in the deck's language."""
    if lang == "zh":
        return {
            "notes": "讲稿",
            "next": "下一张",
            "elapsed": "已用时间",
            "speaking": "预计讲述时间",
            "total": "合计",
            "slide": "幻灯片",
            "end": "结束",
            "help": "← → 翻页 · S 演讲者视图",
        }
    return {
        "notes": "Notes",
        "next": "Next",
        "elapsed": "Elapsed",
        "speaking": "Speaking time",
        "total": "total",
        "slide": "Slide",
        "end": "End",
        "help": "← → to move · S for the speaker view",
    }


def _asset(theme, name: str) -> str:
    """A stylesheet or script from the theme's chain (the default theme ships both)."""
    path = theme.find(name)
    if path is None:
        raise BriefingError(f"theme '{theme.name}' has no {name}, which the slides need")
    return read_input(path, MAX_THEME_FILE, f"the slides' {name}").decode("utf-8")

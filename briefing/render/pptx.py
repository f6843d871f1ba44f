"""The PowerPoint deck: one slide per source slide, built on the theme's master and layouts."""

from __future__ import annotations

import copy
from dataclasses import dataclass, replace
from datetime import datetime
from typing import BinaryIO

from pptx.dml.color import RGBColor
from pptx.enum.shapes import MSO_SHAPE, PP_PLACEHOLDER
from pptx.enum.text import MSO_ANCHOR
from pptx.oxml.ns import qn
from pptx.util import Emu

from briefing.cache import Cache
from briefing.citations import derivation_notes, figures_on, format_date, source_line
from briefing.master import choose_layout, open_master
from briefing.model import Briefing
from briefing.numbers import format_figure
from briefing.render.charts_pptx import add_chart
from briefing.render.fit_memo import FitMemo
from briefing.render.pptx_text import EMU_PER_PT, INSETS_PT, Style, TextSetter, emu
from briefing.richtext import fill
from briefing.theme import Theme
from briefing.words import word

BULLET_INDENT_PT = 27
# Which master placeholder a layout placeholder inherits from.
MASTER_TYPE = {
    PP_PLACEHOLDER.CENTER_TITLE: PP_PLACEHOLDER.TITLE,
    PP_PLACEHOLDER.SUBTITLE: PP_PLACEHOLDER.BODY,
    PP_PLACEHOLDER.OBJECT: PP_PLACEHOLDER.BODY,
}
DESIGN_HEIGHT = 6858000  # EMU: the 7.5 in height the type sizes are chosen for


@dataclass
class Box:
    """A rectangle on the slide in EMU."""

    left: int
    top: int
    width: int
    height: int

    def split_rows(self, heights: list[int], gap: int = 0) -> list[Box]:
        """Stack boxes of the given heights from the top."""
        boxes, top = [], self.top
        for height in heights:
            boxes.append(Box(self.left, top, self.width, height))
            top += height + gap
        return boxes

    def split_columns(self, count: int, gap: int) -> list[Box]:
        """Equal columns side by side."""
        width = (self.width - gap * (count - 1)) // count
        return [
            Box(self.left + i * (width + gap), self.top, width, self.height) for i in range(count)
        ]

    def args(self) -> tuple[int, int, int, int]:
        """As python-pptx's (left, top, width, height)."""
        return self.left, self.top, self.width, self.height


class Deck:
    """A deck under construction: the briefing, its theme, one language and the pptx."""

    def __init__(self, briefing: Briefing, theme: Theme, lang: str, cache: Cache | None = None):
        self.briefing = briefing
        self.theme = theme
        self.lang = lang
        self.prs = open_master(theme.master_path)
        _drop_sample_slides(self.prs)
        _name_parts_by_count(self.prs)
        # Type and spacing are designed for a 7.5 in tall slide; a smaller master scales them,
        # so a 4:3 or 10 in deck looks the same when shown full screen.
        self.scale = self.prs.slide_height / DESIGN_HEIGHT
        sizes = {k: round(v * self.scale, 1) for k, v in theme.sizes.model_dump().items()}
        theme = theme.model_copy(update={"sizes": theme.sizes.model_copy(update=sizes)})
        self.theme = theme
        self.gap = self.emu(18)
        self.warnings: list[str] = []
        self.setter = TextSetter(lang, theme.fonts.latin, theme.fonts.east_asian, cache)
        # Keyed by the briefing's title too: briefings built into one folder keep their own.
        owner = repr(briefing.meta.title)
        self.fit_memo = FitMemo(cache, owner, lang, self.setter.measure)
        self.fits: list[Fit] = []
        self.slide_index = 0
        self._facts: dict[tuple, object] = {}

    def text(self, value) -> str:
        """A source text in this deck's language with figures filled in."""
        return fill(value, self.lang, self.briefing)

    def layout(self, kind: str):
        """The layout for a slide kind: the theme's map, else the closest the master has."""
        return self.once(("layout", kind), lambda: self._choose_layout(kind))

    def _choose_layout(self, kind: str):
        layout, warning = choose_layout(self.prs, kind, self.theme.layouts.get(kind))
        if warning and warning not in self.warnings:
            self.warnings.append(warning)
        return layout

    def once(self, key: tuple, compute):
        """A fact about the master or a layout, computed once per deck: python-pptx finds
        placeholders by XPath on every call, which was a sixth of a big deck's time."""
        if key not in self._facts:
            self._facts[key] = compute()
        return self._facts[key]

    def content_box(self, slide) -> Box:
        """Where content goes: the layout's body placeholders, or the master's, else the area
        under the title."""
        layout = slide.slide_layout
        box = self.once(("content", layout.part.partname), lambda: self._content_box(layout))
        return replace(box)  # a copy: callers may reshape it

    def _content_box(self, layout) -> Box:
        # A title-only layout has no body of its own: the content layout's body shows where the
        # template puts content (a master's own body placeholder is often a token box).
        content_layout, _ = choose_layout(self.prs, "bullets", self.theme.layouts.get("bullets"))
        for source in (
            layout.placeholders,
            content_layout.placeholders,
            layout.slide_master.placeholders,
        ):
            boxes = [
                (ph.left, ph.top, ph.left + ph.width, ph.top + ph.height)
                for ph in source
                if ph.placeholder_format.type in (PP_PLACEHOLDER.BODY, PP_PLACEHOLDER.OBJECT)
                and None not in (ph.left, ph.top, ph.width, ph.height)
            ]
            if boxes:
                left, top = min(b[0] for b in boxes), min(b[1] for b in boxes)
                right, bottom = max(b[2] for b in boxes), max(b[3] for b in boxes)
                return Box(left, top, right - left, bottom - top)
        width, height = self.prs.slide_width, self.prs.slide_height
        return Box(width // 20, height // 4, width - width // 10, height * 2 // 3)

    def emu(self, points: float) -> int:
        """A design length in points, scaled to this master, in EMU."""
        return emu(points * self.scale)

    def title_shape(self, slide):
        """The slide's title placeholder, or a text box where a title goes when there is none."""
        if slide.shapes.title is not None:
            return slide.shapes.title
        content = self.content_box(slide)
        top = max(self.prs.slide_height // 30, content.top // 6)
        return slide.shapes.add_textbox(content.left, top, content.width, content.top - top)

    def style(self, role: str, **changes) -> Style:
        """A paragraph style from the theme's tokens."""
        sizes, colors = self.theme.sizes, self.theme.colors
        base = {
            "body": Style(size=sizes.body, color=colors.text),
            "bullet": Style(size=sizes.body, color=colors.text, bullet=True, space_before=8),
            "small": Style(size=sizes.small, color=colors.muted),
            "heading": Style(size=sizes.body + 2, bold=True, color=colors.primary),
        }[role]
        return Style(**{**base.__dict__, **changes})

    def set_fitted(
        self,
        frame_shape,
        paragraphs,
        where: str,
        bullets: bool = False,
        grow: float = 1.0,
        single_line: bool = False,
    ) -> None:
        """Write paragraphs into a shape at the largest scale that fits its box."""
        indent = BULLET_INDENT_PT if bullets else 0
        floor = self.theme.sizes.min_body
        width, height = frame_shape.width, frame_shape.height

        def measure() -> tuple[float, float]:
            scale = self.setter.fit_scale(
                paragraphs,
                width,
                height,
                floor,
                bullet_indent_pt=indent,
                grow=grow,
                single_line=single_line,
            )
            width_pt = width / EMU_PER_PT - 2 * INSETS_PT[0]
            return scale, self.setter.text_height(paragraphs, width_pt, scale, indent)

        parts = (paragraphs, width, height, floor, indent, grow, single_line)
        scale, needed = self.fit_memo.recall(parts, measure)
        available = height / EMU_PER_PT - 2 * INSETS_PT[1]
        self.fits.append(
            Fit(self.slide_index, where, scale, needed, available, self.theme.sizes.min_body)
        )
        width_pt = width / EMU_PER_PT - 2 * INSETS_PT[0]
        self.setter.write(frame_shape.text_frame, paragraphs, scale, width_pt, indent)

    def textbox(
        self,
        slide,
        box: Box,
        paragraphs,
        where: str,
        anchor=MSO_ANCHOR.TOP,
        single_line: bool = False,
    ):
        """A new text box holding paragraphs fitted to it."""
        shape = slide.shapes.add_textbox(*box.args())
        shape.text_frame.vertical_anchor = anchor
        self.set_fitted(shape, paragraphs, where, single_line=single_line)
        return shape

    def rectangle(self, slide, box: Box, color: str, shape=MSO_SHAPE.RECTANGLE):
        """A filled shape with no outline."""
        rect = slide.shapes.add_shape(shape, *box.args())
        rect.fill.solid()
        rect.fill.fore_color.rgb = RGBColor.from_string(color)
        rect.line.fill.background()
        rect.shadow.inherit = False
        return rect


@dataclass(frozen=True)
class Fit:
    """How one text box was fitted: the scale chosen, the height needed and the height there."""

    slide_index: int
    box: str
    scale: float
    needed: float
    available: float
    floor: float  # the smallest size allowed on this master, in points

    @property
    def fits(self) -> bool:
        """Whether the text fits at the scale written (the floor when it did not)."""
        return self.needed <= self.available + 0.01


@dataclass(frozen=True)
class DeckReport:
    """What rendering a deck found: how each box fitted, and layout fallbacks to mention."""

    fits: list[Fit]
    warnings: list[str]


def render_pptx(
    briefing: Briefing,
    theme: Theme,
    lang: str,
    stream: BinaryIO,
    cache: Cache | None = None,
    built_at: datetime | None = None,
) -> DeckReport:
    """Write the deck of a briefing in one language to a stream; report fits and fallbacks."""
    deck = Deck(briefing, theme, lang, cache)
    for number, source_slide in enumerate(briefing.slides, start=1):
        deck.slide_index = number - 1
        slide = deck.prs.slides.add_slide(deck.layout(source_slide.kind))
        _pin_placeholders(deck, slide)
        where = source_slide.kind
        title = deck.text(source_slide.title)
        if source_slide.kind != "title":
            deck.set_fitted(
                deck.title_shape(slide),
                # deck.theme: the tokens scaled to this master's height.
                [(title, deck.style("heading", size=deck.theme.sizes.title))],
                f"{where} title",
            )
        SLIDE_BUILDERS[source_slide.kind](deck, source_slide, slide, where)
        _drop_empty_placeholders(slide)
        _add_footer(deck, slide, number)
        notes = slide.notes_slide.notes_text_frame
        deck.setter.write(
            notes,
            [(p, Style(size=12)) for p in deck.text(source_slide.notes).split("\n") if p.strip()],
        )
    _set_properties(deck, built_at or datetime(1980, 1, 1))
    deck.prs.save(stream)
    deck.fit_memo.save()
    return DeckReport(deck.fits, deck.warnings)


def _build_title(deck: Deck, source, slide, where: str) -> None:
    meta = deck.briefing.meta
    title_ph = deck.title_shape(slide)
    sizes = deck.theme.sizes
    # The cover's colours come from its layout: masters style their own title slides.
    deck.set_fitted(
        title_ph,
        [(deck.text(source.title), Style(size=sizes.cover_title, bold=True))],
        f"{where} title",
    )
    subtitle = deck.text(source.subtitle or meta.subtitle)
    by = ", ".join(filter(None, [deck.text(meta.author), deck.text(meta.organisation)]))
    audience = word("for", deck.lang) + deck.text(meta.audience)
    details = " · ".join(filter(None, [format_date(meta.date, deck.lang), audience, by]))
    paragraphs = [(subtitle, Style(size=sizes.body + 2))]
    paragraphs.append((details, Style(size=sizes.small + 2, space_before=14)))
    body = _placeholder(slide, PP_PLACEHOLDER.SUBTITLE, PP_PLACEHOLDER.BODY)
    if body is None:
        box = Box(
            title_ph.left, title_ph.top + title_ph.height + deck.gap, title_ph.width, deck.emu(120)
        )
        body = slide.shapes.add_textbox(*box.args())
    deck.set_fitted(body, paragraphs, f"{where} subtitle")


def _build_points(deck: Deck, source, slide, where: str) -> None:
    body = _placeholder(slide, PP_PLACEHOLDER.BODY, PP_PLACEHOLDER.OBJECT)
    paragraphs = [(deck.text(p), deck.style("bullet", space_before=14)) for p in source.points]
    if body is None:
        box = deck.content_box(slide)
        body = slide.shapes.add_textbox(*box.args())
    _shrink_for_source_line(deck, slide, source, [body])
    # Few points on a big body: set them larger rather than leave the slide half empty.
    deck.set_fitted(body, paragraphs, f"{where} points", bullets=True, grow=1.2)


def _build_chart(deck: Deck, source, slide, where: str) -> None:
    chart = deck.briefing.chart(source.chart)
    box = _reserve_source_line(deck, slide, source)
    if source.points:
        chart_box, side = box.split_columns(2, deck.gap)
        chart_box.width = int(box.width * 0.62)
        side.left = chart_box.left + chart_box.width + deck.gap
        side.width = box.left + box.width - side.left
        paragraphs = [
            (deck.text(p), deck.style("bullet", size=deck.theme.sizes.body - 2))
            for p in source.points
        ]
        shape = slide.shapes.add_textbox(*side.args())
        shape.text_frame.vertical_anchor = MSO_ANCHOR.MIDDLE
        deck.set_fitted(shape, paragraphs, f"{where} points", bullets=True)
        _bulletise(shape)
    else:
        chart_box = box
    add_chart(slide, deck.briefing, chart, deck.theme, deck.setter, chart_box.args())


def _build_kpi(deck: Deck, source, slide, where: str) -> None:
    box = _reserve_source_line(deck, slide, source)
    sizes, colors = deck.theme.sizes, deck.theme.colors
    card_height = min(box.height, deck.emu(230))
    row = Box(box.left, box.top + (box.height - card_height) // 2, box.width, card_height)
    cards = row.split_columns(len(source.items), deck.gap)
    values = [format_figure(deck.briefing.figure(item.figure), deck.lang) for item in source.items]
    # One size for every big number, the largest at which each fits its card on one line.
    number_size = min(
        sizes.kpi
        * deck.fit_memo.recall(
            ("kpi", value, sizes.kpi, card.width, card.height // 2, sizes.min_body),
            lambda value=value, card=card: [
                deck.setter.fit_scale(
                    [(value, Style(size=sizes.kpi, bold=True))],
                    card.width,
                    card.height // 2,
                    sizes.min_body,
                    single_line=True,
                )
            ],
        )[0]
        for value, card in zip(values, cards)
    )
    for index, (item, card, value) in enumerate(zip(source.items, cards, values)):
        figure = deck.briefing.figure(item.figure)
        deck.rectangle(slide, card, colors.surface)
        deck.rectangle(slide, Box(card.left, card.top, card.width, deck.emu(6)), colors.accent)
        number_box = Box(
            card.left, card.top + deck.emu(24), card.width, card.height // 2 - deck.emu(24)
        )
        label_box = Box(
            card.left,
            number_box.top + number_box.height,
            card.width,
            card.top + card.height - number_box.top - number_box.height - deck.emu(12),
        )
        deck.textbox(
            slide,
            number_box,
            [(value, Style(size=number_size, bold=True, color=colors.primary, align="ctr"))],
            f"{where} item {index + 1} value",
            anchor=MSO_ANCHOR.BOTTOM,
            single_line=True,
        )
        label = deck.text(item.label or figure.label)
        deck.textbox(
            slide,
            label_box,
            [(label, Style(size=sizes.body - 2, color=colors.text, align="ctr"))],
            f"{where} item {index + 1} label",
        )


def _build_timeline(deck: Deck, source, slide, where: str) -> None:
    box = _reserve_source_line(deck, slide, source)
    sizes, colors = deck.theme.sizes, deck.theme.colors
    line_y = box.top + max(deck.emu(70), box.height // 4)
    deck.rectangle(slide, Box(box.left, line_y - deck.emu(2), box.width, deck.emu(4)), colors.muted)
    columns = box.split_columns(len(source.events), deck.gap)
    dot = deck.emu(16)
    for index, (event, column) in enumerate(zip(source.events, columns)):
        centre = column.left + column.width // 2
        deck.rectangle(
            slide,
            Box(centre - dot // 2, line_y - dot // 2, dot, dot),
            colors.accent,
            MSO_SHAPE.OVAL,
        )
        deck.textbox(
            slide,
            Box(column.left, line_y - deck.emu(70), column.width, deck.emu(56)),
            [
                (
                    deck.text(event.when),
                    Style(size=sizes.body - 2, bold=True, color=colors.primary, align="ctr"),
                )
            ],
            f"{where} event {index + 1} date",
            anchor=MSO_ANCHOR.BOTTOM,
        )
        below = Box(
            column.left,
            line_y + deck.emu(18),
            column.width,
            box.top + box.height - line_y - deck.emu(18),
        )
        deck.textbox(
            slide,
            below,
            [(deck.text(event.what), Style(size=sizes.body - 2, color=colors.text, align="ctr"))],
            f"{where} event {index + 1}",
        )


def _build_comparison(deck: Deck, source, slide, where: str) -> None:
    bodies = [
        ph
        for ph in slide.placeholders
        if ph.placeholder_format.type in (PP_PLACEHOLDER.BODY, PP_PLACEHOLDER.OBJECT)
    ]
    if len(bodies) < 2:
        bodies = [
            slide.shapes.add_textbox(*b.args())
            for b in deck.content_box(slide).split_columns(2, deck.gap * 2)
        ]
    bodies.sort(key=lambda shape: shape.left)
    _shrink_for_source_line(deck, slide, source, bodies)
    for side, (column, body) in enumerate(zip((source.left, source.right), bodies)):
        paragraphs = [(deck.text(column.heading), deck.style("heading"))]
        paragraphs += [
            (deck.text(p), deck.style("bullet", size=deck.theme.sizes.body - 2))
            for p in column.points
        ]
        deck.set_fitted(
            body, paragraphs, f"{where} {'left' if side == 0 else 'right'}", bullets=True, grow=1.2
        )


def _build_quote(deck: Deck, source, slide, where: str) -> None:
    box = _reserve_source_line(deck, slide, source)
    sizes, colors = deck.theme.sizes, deck.theme.colors
    cited = deck.briefing.source(source.source)
    deck.rectangle(
        slide,
        Box(
            box.left + deck.emu(30), box.top + deck.emu(30), deck.emu(6), box.height - deck.emu(60)
        ),
        colors.accent,
    )
    quote_box = Box(
        box.left + deck.emu(60),
        box.top + deck.emu(30),
        box.width - deck.emu(120),
        box.height - deck.emu(60),
    )
    attribution = f"— {deck.text(source.by)}, {deck.text(cited.outlet)}"
    deck.textbox(
        slide,
        quote_box,
        [
            (deck.text(source.quote), Style(size=sizes.title + 8, bold=True, color=colors.primary)),
            (attribution, Style(size=sizes.body - 2, color=colors.muted, space_before=18)),
        ],
        f"{where} quote",
        anchor=MSO_ANCHOR.MIDDLE,
    )


def _build_recommendations(deck: Deck, source, slide, where: str) -> None:
    box = _reserve_source_line(deck, slide, source)
    sizes, colors = deck.theme.sizes, deck.theme.colors
    count = len(source.items)
    row_height = (box.height - deck.gap * (count - 1)) // count
    badge = min(deck.emu(40), row_height)
    for index, (item, row) in enumerate(
        zip(source.items, box.split_rows([row_height] * count, deck.gap))
    ):
        circle = deck.rectangle(
            slide,
            Box(row.left, row.top + (row_height - badge) // 2, badge, badge),
            colors.accent,
            MSO_SHAPE.OVAL,
        )
        deck.setter.write(
            circle.text_frame,
            [
                (
                    str(index + 1),
                    Style(size=sizes.body - 2, bold=True, color=colors.background, align="ctr"),
                )
            ],
        )
        circle.text_frame.vertical_anchor = MSO_ANCHOR.MIDDLE
        paragraphs = [
            (deck.text(item.action), Style(size=sizes.body, bold=True, color=colors.text))
        ]
        if item.why:
            paragraphs.append((deck.text(item.why), Style(size=sizes.body - 4, color=colors.muted)))
        text_box = Box(
            row.left + badge + deck.gap, row.top, row.width - badge - deck.gap, row_height
        )
        deck.textbox(
            slide, text_box, paragraphs, f"{where} item {index + 1}", anchor=MSO_ANCHOR.MIDDLE
        )


def _build_sources(deck: Deck, source, slide, where: str) -> None:
    paragraphs = []
    for cited in deck.briefing.sources:
        when = format_date(cited.date, deck.lang)
        line = f"**{deck.text(cited.outlet)}** — {deck.text(cited.title)} ({when})"
        if cited.url:
            line += f" {cited.url}"
        paragraphs.append((line, deck.style("bullet", size=deck.theme.sizes.body - 2)))
    count = len(deck.briefing.figures)
    traced = word("traced", deck.lang).format(n=count)
    paragraphs.append((traced, deck.style("small", space_before=16)))
    body = _placeholder(slide, PP_PLACEHOLDER.BODY, PP_PLACEHOLDER.OBJECT)
    if body is None:
        body = slide.shapes.add_textbox(*deck.content_box(slide).args())
    deck.set_fitted(body, paragraphs, f"{where} list", bullets=True, grow=1.2)


SLIDE_BUILDERS = {
    "title": _build_title,
    "summary": _build_points,
    "bullets": _build_points,
    "chart": _build_chart,
    "kpi": _build_kpi,
    "timeline": _build_timeline,
    "comparison": _build_comparison,
    "quote": _build_quote,
    "recommendations": _build_recommendations,
    "sources": _build_sources,
}


def _source_paragraphs(deck: Deck, source) -> list[tuple[str, Style]]:
    figures = figures_on(deck.briefing, source)
    lines = []
    if source.kind == "chart":
        note = deck.text(deck.briefing.chart(source.chart).note)
        if note:
            lines.append(word("note", deck.lang) + note)
    else:
        lines += derivation_notes(figures, deck.lang)
    line = source_line(deck.briefing, figures, deck.lang)
    if line:
        lines.append(line)
    return [(text, deck.style("small")) for text in lines]


def _reserve_source_line(deck: Deck, slide, source) -> Box:
    """Add the source line at the bottom of the content area; return the area left above it."""
    box = deck.content_box(slide)
    paragraphs = _source_paragraphs(deck, source)
    if not paragraphs:
        return box
    width_pt = box.width / EMU_PER_PT - 2 * INSETS_PT[0]
    # The line takes what its text needs, at most a third of the area: past that it shrinks,
    # and below the minimum size the fit check reports it.
    height = min(emu(deck.setter.text_height(paragraphs, width_pt, 1.0) + 8), box.height // 3)
    line_box = Box(box.left, box.top + box.height - height, box.width, height)
    deck.textbox(slide, line_box, paragraphs, "source line", anchor=MSO_ANCHOR.BOTTOM)
    return Box(box.left, box.top, box.width, box.height - height - deck.gap // 2)


def _shrink_for_source_line(deck: Deck, slide, source, shapes) -> None:
    """Add the source line under placeholders and shorten them so nothing overlaps it."""
    area = _reserve_source_line(deck, slide, source)
    bottom = area.top + area.height
    for shape in shapes:
        # Reading the geometry first copies the layout's inherited position onto the slide.
        left, top, width, height = shape.left, shape.top, shape.width, shape.height
        shape.left, shape.top, shape.width = left, top, width
        shape.height = Emu(max(min(height, bottom - top), deck.emu(60)))


def _bulletise(shape) -> None:
    """Give a plain text box the bullet look of a body placeholder."""
    for paragraph in shape.text_frame.paragraphs:
        ppr = paragraph._p.get_or_add_pPr()
        ppr.set("marL", str(emu(BULLET_INDENT_PT)))
        ppr.set("indent", str(-emu(BULLET_INDENT_PT)))
        bullet = ppr.makeelement(qn("a:buChar"), {"char": "•"})
        ppr.append(bullet)


def _placeholder(slide, *kinds):
    for ph in slide.placeholders:
        if ph.placeholder_format.type in kinds:
            return ph
    return None


def _add_footer(deck: Deck, slide, number: int) -> None:
    """Copy the layout's slide number and footer placeholders onto the slide, filled in."""
    footer_text = deck.text(deck.briefing.meta.classification)
    layout = slide.slide_layout
    footers = deck.once(
        ("footers", layout.part.partname),
        lambda: [
            (ph.placeholder_format.type, ph.element)
            for ph in layout.placeholders
            if ph.placeholder_format.type in (PP_PLACEHOLDER.SLIDE_NUMBER, PP_PLACEHOLDER.FOOTER)
        ],
    )
    if PP_PLACEHOLDER.SLIDE_NUMBER not in {kind for kind, _ in footers}:
        _add_number_box(deck, slide, number)
    for kind, footer in footers:
        if kind == PP_PLACEHOLDER.FOOTER and not footer_text:
            continue
        element = copy.deepcopy(footer)
        slide.shapes._spTree.append(element)
        element.nvSpPr.cNvPr.set("id", str(_next_shape_id(slide)))
        if kind == PP_PLACEHOLDER.SLIDE_NUMBER:
            for field in element.iter(qn("a:fld")):
                field.find(qn("a:t")).text = str(number)
                deck.setter.mark_language(_rpr(field))
        else:
            shape = slide.shapes[-1]
            deck.setter.write(shape.text_frame, [(footer_text, Style(size=deck.theme.sizes.small))])


def _add_number_box(deck: Deck, slide, number: int) -> None:
    """A slide-number field in the bottom-right corner, for layouts that have no placeholder."""
    width, height = deck.prs.slide_width, deck.prs.slide_height
    box = slide.shapes.add_textbox(
        width - width // 8, height - height // 12, width // 10, height // 20
    )
    deck.setter.write(
        box.text_frame,
        [("", Style(size=deck.theme.sizes.small, align="r", color=deck.theme.colors.muted))],
    )
    paragraph = box.text_frame.paragraphs[0]._p
    for run in paragraph.findall(qn("a:r")):
        paragraph.remove(run)
    field = paragraph.makeelement(
        qn("a:fld"), {"id": "{B6F15528-21DE-4FAA-801E-634DDDAF4B2B}", "type": "slidenum"}
    )
    rpr = field.makeelement(qn("a:rPr"), {"sz": str(int(deck.theme.sizes.small * 100))})
    deck.setter.mark_language(rpr)
    field.append(rpr)
    text = field.makeelement(qn("a:t"), {})
    text.text = str(number)
    field.append(text)
    paragraph.insert(1 if paragraph.find(qn("a:pPr")) is not None else 0, field)


def _pin_placeholders(deck: Deck, slide) -> None:
    """Give each slide placeholder the geometry of the layout placeholder it was cloned from.

    python-pptx inherits geometry by idx, and LibreOffice-made templates leave idx out (every
    placeholder is idx 0, the title's): a body would take the title's box. Match by order and
    type instead, falling back to the master's placeholder of the same type.
    """
    layout = slide.slide_layout
    pins = deck.once(("pins", layout.part.partname), lambda: _layout_geometries(layout))
    for slide_ph, geometry in zip(slide.placeholders, pins):
        if geometry is not None:
            slide_ph.left, slide_ph.top, slide_ph.width, slide_ph.height = geometry


def _layout_geometries(layout) -> list[tuple[int, int, int, int] | None]:
    """The own geometry of each placeholder a slide clones from this layout, in order."""
    master = {ph.placeholder_format.type: ph for ph in layout.slide_master.placeholders}
    geometries = []
    for layout_ph in layout.iter_cloneable_placeholders():
        geometry = _own_geometry(layout_ph)
        if geometry is None:
            kind = layout_ph.placeholder_format.type
            base = master.get(MASTER_TYPE.get(kind, kind))
            geometry = _own_geometry(base) if base is not None else None
        geometries.append(geometry)
    return geometries


def _own_geometry(shape) -> tuple[int, int, int, int] | None:
    """A shape's own position and size, not an inherited one."""
    xfrm = shape._element.spPr.find(qn("a:xfrm"))
    if xfrm is None or xfrm.find(qn("a:off")) is None or xfrm.find(qn("a:ext")) is None:
        return None
    offset, extent = xfrm.find(qn("a:off")), xfrm.find(qn("a:ext"))
    return (
        int(offset.get("x")),
        int(offset.get("y")),
        int(extent.get("cx")),
        int(extent.get("cy")),
    )


def _drop_empty_placeholders(slide) -> None:
    """Remove placeholders the slide left empty: they would show "Click to add text"."""
    for ph in list(slide.placeholders):
        if ph.has_text_frame and not ph.text_frame.text.strip():
            ph._element.getparent().remove(ph._element)


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


def _set_properties(deck: Deck, built_at: datetime) -> None:
    meta = deck.briefing.meta
    props = deck.prs.core_properties
    # Office limits these properties to 255 characters; the slides show the full text.
    props.title = deck.text(meta.title)[:255]
    props.author = deck.text(meta.author)[:255]
    props.subject = deck.text(meta.subtitle)[:255]
    props.language = deck.setter.lang_tag
    props.keywords = "briefing"
    props.last_modified_by = "briefing"
    props.revision = 1
    props.created = props.modified = built_at
    props.last_printed = built_at

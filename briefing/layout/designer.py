"""The deck's designer: what every slide kind shares (room, fitting, colours, styles)."""

from __future__ import annotations

import math
from dataclasses import dataclass, replace

from briefing.cache import Cache
from briefing.layout.boxes import Fit, Paragraphs, ShapeBox, TextBox
from briefing.layout.choice import choose_layout
from briefing.layout.colors import blend, contrast, required_ratio
from briefing.layout.field_marks import FieldMarks
from briefing.layout.frames import Frame, frame_of
from briefing.layout.geometry import EMU_PER_PT, Rect
from briefing.layout.master_cache import MasterMemo
from briefing.layout.master_view import MasterView
from briefing.model import Briefing
from briefing.render.fit_memo import FitMemo
from briefing.render.pptx_text import INSETS_PT, Style, TextSetter
from briefing.richtext import fill
from briefing.theme import Theme

BULLET_INDENT_PT = 27
HEADROOM = 1.15  # rendering takes some contrast away: small type, a varied background
SMALL_PT = 14  # below this, strokes are thin enough for anti-aliasing to lighten them
SMALL_HEADROOM = 1.35  # measured: a 10 pt grey digit at 4.8:1 renders at 3.5:1 in LibreOffice
UNFITTABLE = 10**12  # EMU: taller than any slide
DESIGN_HEIGHT = 6858000  # EMU: the 7.5 in height the type sizes are chosen for


def _cells(rect: Rect, across: int = 3, down: int = 2) -> list[Rect]:
    """The rectangle cut into a grid of cells."""
    width, height = max(rect.width // across, 1), max(rect.height // down, 1)
    return [
        Rect(rect.left + i * width, rect.top + j * height, width, height)
        for j in range(down)
        for i in range(across)
    ]


def readable_on_all(backgrounds: list[str], candidates: list[str], size: float) -> str:
    """The first candidate that reaches WCAG contrast on every background (with some headroom
    where the background varies: a photo's grain takes contrast away), else the one whose worst
    contrast is best. Weight is not counted: WCAG lets bold text from 14 pt pass at 3:1, but a
    bold 16 pt title at 3.7:1 on Sunset's orange reads poorly, and the audit, which sees pixels,
    not weights, holds all text under 18 pt to 4.5:1."""
    needed = required_ratio(size, bold=False)
    worst = [(min(contrast(c, b) for b in backgrounds), c) for c in candidates]
    steps = (needed * HEADROOM, needed) if len(set(backgrounds)) > 1 else (needed,)
    for wanted in steps:
        for ratio, color in worst:
            if ratio >= wanted:
                return _firmer(color, worst, backgrounds, needed) if size < SMALL_PT else color
    return max(worst)[1]


def _firmer(color: str, worst, backgrounds: list[str], needed: float) -> str:
    """A small text's colour moved toward the most legible candidate until it has headroom:
    anti-aliasing lightens thin strokes, so a grey at exactly 4.5:1 renders below it. The
    hue stays (a muted source line stays a muted grey, only firmer)."""
    best = max(worst)[1]
    for share in (0.0, 0.15, 0.3, 0.45, 0.6):
        mixed = blend([(color, 1 - share), (best, share)]) if share else color
        if min(contrast(mixed, b) for b in backgrounds) >= needed * SMALL_HEADROOM:
            return mixed
    return best


@dataclass
class Trial:
    """Fits of one slide being laid out, kept apart until the slide is accepted."""

    fits: list[Fit]


class Designer:
    """Lays out one deck in one language on one master: shared facts and helpers."""

    def __init__(self, briefing: Briefing, theme: Theme, lang: str, prs, cache: Cache | None):
        self.briefing = briefing
        self.lang = lang
        self.prs = prs
        self.master_name = f"{theme.master_path.name} (theme '{theme.name}')"
        # Type and spacing are designed for a 7.5 in tall slide; a smaller master scales them,
        # so a 4:3 or 10 in deck looks the same when shown full screen.
        self.scale = prs.slide_height / DESIGN_HEIGHT
        sizes = {k: round(v * self.scale, 1) for k, v in theme.sizes.model_dump().items()}
        self.theme = theme.model_copy(update={"sizes": theme.sizes.model_copy(update=sizes)})
        # Before anything reads the master: LibreOffice's '<date/time>' left as text is not
        # ours to print (the deck's copy is changed, never the user's file).
        self.field_marks = FieldMarks(prs)
        self.view = MasterView(prs)
        self.gap = self.emu(18)
        self.warnings: list[str] = []
        self.setter = TextSetter(lang, theme.fonts.latin, theme.fonts.east_asian, cache)
        # Keyed by the briefing's title too: briefings built into one folder keep their own.
        self.fit_memo = FitMemo(cache, repr(briefing.meta.title), lang, self.setter.measure)
        self.setter.recall = self.fit_memo.recall
        self.slide_index = 0
        self.first_item = 1
        self.trial = Trial([])
        # Frames and the colours under boxes depend on the master alone: kept between builds.
        self.master_memo = MasterMemo(cache, self)
        self._frames: dict[tuple, Frame] = self.master_memo.frames
        self._layouts: dict[str, object] = {}
        self._backgrounds: dict[tuple, list[str]] = self.master_memo.backgrounds
        self._title_scale: float | None = None

    @property
    def floor(self) -> float:
        """The smallest type size allowed on this master, in points."""
        return self.theme.sizes.min_body

    def text(self, value) -> str:
        """A source text in this deck's language with figures filled in."""
        return fill(value, self.lang, self.briefing)

    def emu(self, points: float) -> int:
        """A design length in points, scaled to this master, in EMU."""
        return int(points * self.scale * EMU_PER_PT)

    def warn(self, message: str) -> None:
        """A warning printed once for the deck."""
        if message not in self.warnings:
            self.warnings.append(message)

    def layout(self, kind: str):
        """The layout for a slide kind: the theme's map, else the master's roomiest fit."""
        if kind not in self._layouts:
            layout, warning = choose_layout(self, kind)
            if warning:
                self.warn(warning)
            self._layouts[kind] = layout
        return self._layouts[kind]

    def title_scale(self, compute) -> float:
        """The deck's one scale for content titles, computed once (by `compute`) per deck."""
        if self._title_scale is None:
            self._title_scale = compute()
        return self._title_scale

    def frame(self, layout, cover: bool = False) -> Frame:
        """Where a slide of this layout has room: title, content, footers (the cover keeps the
        layout's own title design)."""
        key = (str(layout.part.partname), cover)
        if key not in self._frames:
            self._frames[key] = frame_of(self, layout, cover)
        return self._frames[key]

    def style(self, role: str, **changes) -> Style:
        """A paragraph style from the theme's tokens."""
        sizes, colors = self.theme.sizes, self.theme.colors
        base = {
            "title": Style(size=sizes.title, bold=True, color=colors.primary),
            "body": Style(size=sizes.body, color=colors.text),
            "bullet": Style(size=sizes.body, color=colors.text, bullet=True, space_before=14),
            "small": Style(size=sizes.small, color=colors.muted),
            "heading": Style(size=sizes.body * 1.1, bold=True, color=colors.primary),
        }[role]
        return replace(base, **changes)

    def fit(
        self,
        rect: Rect,
        paragraphs: Paragraphs,
        where: str,
        *,
        bullets: bool = False,
        grow: float = 1.0,
        single_line: bool = False,
        anchor: str | None = "top",
        placeholder: str | None = None,
        on: str | None = None,
        preset: float = 1.0,
    ) -> TextBox:
        """Paragraphs at the largest scale (up to grow) at which they fit rect, in colours that
        read on what is painted under it (`on`: a fill of ours under the text). `preset` is the
        scale the caller already applied to the sizes (one size for a row of boxes), so the fit
        is reported against the designed size."""
        scale, needed = self.measure_fit(rect, paragraphs, bullets, grow, single_line)
        # Coloured at the size they are set at: a 23 pt title fitted at 75 % is 17 pt text and
        # needs 4.5:1, not the 3:1 of large text (Sunset's titles on their orange).
        paragraphs = self.readable(paragraphs, rect, on, scale)
        available = rect.height / EMU_PER_PT - 2 * INSETS_PT[1]
        self.trial.fits.append(
            Fit(
                self.slide_index,
                where,
                scale * preset,
                needed,
                available,
                self.floor,
                self.view_of_slide.name,
            )
        )
        return TextBox(rect, paragraphs, where, scale, anchor, bullets, placeholder, on)

    def measure_fit(
        self,
        rect: Rect,
        paragraphs: Paragraphs,
        bullets: bool = False,
        grow: float = 1.0,
        single_line: bool = False,
    ) -> tuple[float, float]:
        """The scale at which paragraphs fit rect, and the height they then need, in points."""
        indent = BULLET_INDENT_PT if bullets else 0
        width, height = rect.width, rect.height

        def measure() -> tuple[float, float]:
            scale = self.setter.fit_scale(
                paragraphs,
                width,
                height,
                self.floor,
                bullet_indent_pt=indent,
                grow=grow,
                single_line=single_line,
            )
            width_pt = width / EMU_PER_PT - 2 * INSETS_PT[0]
            return scale, self.setter.text_height(paragraphs, width_pt, scale, indent)

        parts = (paragraphs, width, height, self.floor, indent, grow, single_line)
        scale, needed = self.fit_memo.recall(parts, measure)
        return scale, needed

    def height_of(self, paragraphs: Paragraphs, width: int, bullets: bool = False) -> int:
        """The height in EMU paragraphs need at their own sizes within a width, insets included."""
        indent = BULLET_INDENT_PT if bullets else 0
        width_pt = width / EMU_PER_PT - 2 * INSETS_PT[0]
        needed = self.fit_memo.recall(
            ("height", paragraphs, width, indent),
            lambda: [self.setter.text_height(paragraphs, width_pt, 1.0, indent)],
        )[0]
        if not math.isfinite(needed):
            return UNFITTABLE  # a word wider than the width: no height is enough
        return int((needed + 2 * INSETS_PT[1]) * EMU_PER_PT) + 1

    def readable(
        self, paragraphs: Paragraphs, rect: Rect, on: str | None = None, scale: float = 1.0
    ) -> Paragraphs:
        """Each paragraph's colour, or the master's nearest one that reaches WCAG contrast at
        its size times scale on what lies under rect (the layout check reports a text none
        reaches it for)."""
        backgrounds = [on] if on else self.backgrounds_of(rect, self.panels, self.view_of_slide)
        candidates = self.view_of_slide.text_colors() + [
            self.theme.colors.text,
            self.theme.colors.background,
        ]
        chosen = []
        for text, style in paragraphs:
            wanted = [style.color] if style.color else []
            color = readable_on_all(backgrounds, wanted + candidates, style.size * scale)
            chosen.append((text, replace(style, color=color)))
        return chosen

    def backgrounds_of(self, rect: Rect, panels, view) -> list[str]:
        """What is painted under each part of rect (a photo or gradient differs from one part
        to the next; text must read on all): a panel of ours, else the master as painted."""
        if any(panel.contains(rect) for panel in panels):
            return [self.theme.colors.background]
        key = (view.name, view.part_name, rect)
        if key not in self._backgrounds:  # trials and the layout check ask again for a box
            # A trial layout may run off the slide; it fails its fit, judge what is on it.
            slide = Rect(0, 0, *view.slide_size)
            under = rect.intersection(slide) or slide
            cells = (view.background_under(cell) for cell in _cells(under))
            self._backgrounds[key] = list(dict.fromkeys(cells))
        return self._backgrounds[key]

    def begin_slide(self, source_index: int, layout, frame: Frame, first_item: int = 1) -> None:
        """Start laying out a slide: its fits are kept apart until it is accepted.
        `first_item` is the number its first item carries (a continued list goes on counting)."""
        self.slide_index = source_index
        self.first_item = first_item
        self.view_of_slide = self.view.layout(layout)
        self.panels = frame.panels
        self.trial = Trial([])

    def panel_boxes(self) -> list[ShapeBox]:
        """The panels of the slide's frame, painted first, in the master's background colour."""
        return [ShapeBox(rect, self.theme.colors.background) for rect in self.panels]

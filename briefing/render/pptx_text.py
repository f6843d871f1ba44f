"""Set text into python-pptx frames: runs with lang and East-Asian typeface, sized to fit."""

from __future__ import annotations

import math
from dataclasses import dataclass, replace

from lxml import etree
from pptx.dml.color import RGBColor
from pptx.oxml.ns import qn
from pptx.util import Emu, Pt

from briefing.cache import Cache
from briefing.measure import TextMeasure
from briefing.model import LANG_TAG
from briefing.richtext import runs
from briefing.typography import display_text

EMU_PER_PT = 12700
INSETS_PT = (7.2, 3.6)  # a text box's default left/right and top/bottom insets (0.1, 0.05 in)


@dataclass(frozen=True)
class Style:
    """How a paragraph is set: size in points, weight, colour, bullet, alignment."""

    size: float
    bold: bool = False
    italic: bool = False
    color: str | None = None
    bullet: bool = False
    align: str | None = None  # "l", "ctr", "r"
    space_before: float = 0


def cut_at_breaks(pieces: list, breaks: list[int]):
    """Each run cut at the line starts in `breaks` (offsets in the displayed text), as
    (run, part, ends_line); the spaces a line ends with are dropped with its break."""
    offset = 0
    pending = list(breaks)
    for piece in pieces:
        start = offset
        offset += len(piece.text)
        cuts = [b - start for b in pending if start < b < offset]
        ends_line = bool(pending) and pending[0] == offset
        bounds = [0, *cuts, len(piece.text)]
        for index, (a, b) in enumerate(zip(bounds, bounds[1:])):
            breaks_here = index < len(bounds) - 2 or ends_line
            part = piece.text[a:b]
            yield piece, part.rstrip(" \n") if breaks_here else part, breaks_here
        pending = [b for b in pending if b > offset]


class TextSetter:
    """Writes paragraphs in one language and one theme's fonts, measuring them to fit."""

    def __init__(self, lang: str, latin: str, east_asian: str, cache: Cache | None = None):
        self.lang = lang
        self.lang_tag = LANG_TAG.get(lang, lang)
        self.latin = latin
        self.east_asian = east_asian
        self.measure = TextMeasure(latin, east_asian, cache)
        # Where line breaks found in an earlier build are recalled (a FitMemo's recall).
        self.recall = lambda parts, compute: compute()

    def write(
        self,
        frame,
        paragraphs: list[tuple[str, Style]],
        scale: float = 1.0,
        width_pt: float | None = None,
        bullet_indent_pt: float = 0,
    ) -> None:
        """Replace a text frame's content with the given (text, style) paragraphs.

        Given the width the text was fitted to, each line ends where the measure broke it,
        with an explicit line break: every viewer then breaks there, and nowhere else."""
        frame.clear()
        frame.word_wrap = True
        for index, (text, style) in enumerate(paragraphs):
            paragraph = frame.paragraphs[0] if index == 0 else frame.add_paragraph()
            breaks: list[int] = []
            if width_pt is not None:
                usable = width_pt - (bullet_indent_pt if style.bullet else 0)
                breaks = self.line_breaks(text, style, style.size * scale, usable)
            self._paragraph(paragraph, text, style, scale, breaks)

    def line_breaks(self, text: str, style: Style, size: float, width: float) -> list[int]:
        """Where the measure starts each line after the first, recalled when known."""
        plain, bold = self._measured(text, style)
        starts = self.recall(
            ("breaks", plain, width, size, bold),
            lambda: self.measure.layout(plain, width, size, bold).starts[1:],
        )
        return [int(start) for start in starts]

    def _measured(self, text: str, style: Style) -> tuple[str, bool]:
        """The text as displayed without its emphasis marks, and whether to measure it bold."""
        pieces = runs(display_text(text, viewer_spaces=True))
        # A paragraph with a bold run is measured bold throughout: bold is wider, so the
        # text may come out a little smaller than needed, never out of its box.
        return "".join(r.text for r in pieces), style.bold or any(r.bold for r in pieces)

    def _paragraph(
        self, paragraph, text: str, style: Style, scale: float, breaks: list[int]
    ) -> None:
        ppr = paragraph._p.get_or_add_pPr()
        if style.align:
            ppr.set("algn", style.align)
        if style.space_before:
            paragraph.space_before = Pt(style.space_before * scale)
        if not style.bullet:
            ppr.set("marL", "0")
            ppr.set("indent", "0")
            etree.SubElement(ppr, qn("a:buNone"))
        end = paragraph._p.find(qn("a:endParaRPr"))
        for element in self._elements(paragraph._p, text, style, scale, breaks):
            if end is None:
                paragraph._p.append(element)
            else:
                end.addprevious(element)

    def _elements(self, p, text: str, style: Style, scale: float, breaks: list[int]):
        """The paragraph's runs, cut at the line starts in `breaks` (offsets in the displayed
        text) by <a:br> elements; the spaces a line ends with are dropped with the break."""
        pieces = runs(display_text(text, viewer_spaces=True))
        if not pieces:
            yield self._run(p, None, style, scale)
            return
        for piece, part, ends_line in cut_at_breaks(pieces, breaks):
            if part:
                yield self._run(p, replace(piece, text=part), style, scale)
            if ends_line:
                yield self._line_break(p, piece, style, scale)

    def _line_break(self, p, piece, style: Style, scale: float):
        """An <a:br> carrying the run's properties (its size sets the line's height)."""
        run = self._run(p, piece, style, scale)
        line_break = p.makeelement(qn("a:br"), {})
        line_break.append(run.find(qn("a:rPr")))
        return line_break

    def _run(self, p, piece, style: Style, scale: float):
        """An <a:r> as python-pptx's run API would write it (same attributes, same order),
        built with lxml at once: the API's element-by-element path was a third of a deck."""
        bold = style.bold or (piece.bold if piece else False)
        italic = style.italic or (piece.italic if piece else False)
        rpr_attributes = {
            # Rounded down: a size rounded up sets the text wider than it was measured.
            "sz": str(Pt(math.floor(style.size * scale * 10 + 1e-6) / 10).centipoints),
            "b": "1" if bold else "0",
            "i": "1" if italic else "0",
        }
        run = p.makeelement(qn("a:r"), {})
        rpr = etree.SubElement(run, qn("a:rPr"), rpr_attributes)
        if style.color:
            fill = etree.SubElement(rpr, qn("a:solidFill"))
            etree.SubElement(fill, qn("a:srgbClr"), {"val": str(RGBColor.from_string(style.color))})
        self.mark_language(rpr)
        etree.SubElement(run, qn("a:t"))
        run.text = piece.text if piece else ""  # python-pptx's setter escapes control characters
        return run

    def mark_language(self, rpr) -> None:
        """Give run properties a lang and explicit Latin and East-Asian typefaces."""
        rpr.set("lang", self.lang_tag)
        rpr.set("altLang", "en-US" if self.lang != "en" else "zh-CN")
        for tag, face in (("a:latin", self.latin), ("a:ea", self.east_asian)):
            node = rpr.find(qn(tag))
            if node is None:
                node = etree.SubElement(rpr, qn(tag))
            node.set("typeface", face)
        # Schema order inside rPr: fills come before latin/ea.
        for tag in ("a:latin", "a:ea"):
            node = rpr.find(qn(tag))
            rpr.remove(node)
            rpr.append(node)

    def fit_scale(
        self,
        paragraphs: list[tuple[str, Style]],
        width_emu: int,
        height_emu: int,
        floor: float,
        bullet_indent_pt: float = 0,
        insets_pt: tuple[float, float] = INSETS_PT,
        grow: float = 1.0,
        single_line: bool = False,
    ) -> float:
        """The largest scale (from `grow` down in 5 % steps) at which the paragraphs fit the box.

        Raises nothing: below the floor it returns the floor's scale and the caller reports.
        """
        width = width_emu / EMU_PER_PT - 2 * insets_pt[0]
        height = height_emu / EMU_PER_PT - 2 * insets_pt[1]
        smallest = min(style.size for _, style in paragraphs)
        measured = [self._measured(text, style) for text, style in paragraphs]
        scale = grow
        while scale * smallest >= floor - 1e-9:
            fits = self.text_height(paragraphs, width, scale, bullet_indent_pt) <= height
            if fits and single_line:
                fits = all(
                    len(self.measure.lines(plain, width, style.size * scale, bold)) == 1
                    for (plain, bold), (_, style) in zip(measured, paragraphs)
                )
            if fits:
                return scale
            scale = round(scale - 0.05, 2)
        return floor / smallest

    def text_height(
        self,
        paragraphs: list[tuple[str, Style]],
        width: float,
        scale: float,
        bullet_indent_pt: float = 0,
    ) -> float:
        """Height in points that paragraphs take at a scale within a width."""
        total = 0.0
        for text, style in paragraphs:
            size = style.size * scale
            usable = width - (bullet_indent_pt if style.bullet else 0)
            plain, bold = self._measured(text, style)
            layout = self.measure.layout(plain, usable, size, bold)
            if layout.overflow is not None:
                # A word wider than the box overflows it at any height: it never fits.
                return math.inf
            total += self.measure.height(plain, len(layout.lines), size)
            total += style.space_before * scale
        return total

    def too_wide(
        self,
        paragraphs: list[tuple[str, Style]],
        width: float,
        scale: float,
        bullet_indent_pt: float = 0,
    ) -> str | None:
        """The first word (or URL part) wider than the box at a scale, else None."""
        for text, style in paragraphs:
            usable = width - (bullet_indent_pt if style.bullet else 0)
            plain, bold = self._measured(text, style)
            found = self.measure.overflow(plain, usable, style.size * scale, bold)
            if found is not None:
                return found
        return None


def emu(points: float) -> Emu:
    """Points to EMU."""
    return Emu(int(points * EMU_PER_PT))

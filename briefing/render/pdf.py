"""The page printed by WeasyPrint: exactly one page, shrinking in defined steps to a floor."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from briefing.errors import BriefingError
from briefing.render.page import PageBuilder, Paper
from briefing.render.printer import LocalPrinter, PageRequest, Printer, submit_together


@dataclass(frozen=True)
class FittedPage:
    """The page's HTML at the density that fits one sheet, and its PDF when asked for."""

    html: str
    pdf: bytes | None
    density: int  # the fitting step (PageBuilder.fits) the page was laid out at
    tries: tuple[tuple[int, str], ...] = ()  # each step tried, with the sha256 of its page
    fetched: tuple[str, ...] = ()  # what else the printer loaded (a theme's images)
    warnings: tuple[str, ...] = ()  # what the page left out, or took from elsewhere


# A process that builds one briefing again and again (briefing watch) starts each fitting at
# the step the page last fitted at: an edit seldom moves it, so a changed page takes two tries
# (that step, then the larger type of the step before it, which misses) where from step 0 the
# shipped page took three. The walk back after a fit makes the result the same as from step 0.
# None (one-shot builds): always step 0.
_last_fits: dict[tuple[str, str], int] | None = None


def remember_fits(on: bool) -> None:
    """Start (or stop) remembering the step each page last fitted at, for a warm process."""
    global _last_fits
    _last_fits = {} if on else None


class PageFitting:
    """Tries the page at each fitting step until it fits one sheet. The first try is sent to the
    printer at once, so that a printer process lays it out while the caller makes the deck."""

    def __init__(self, builder: PageBuilder, paper: Paper, printer, want_pdf: bool, measured=None):
        self.builder, self.paper, self.printer, self.want_pdf = builder, paper, printer, want_pdf
        self._step = 0
        self._tries: list[str] = []
        self._fetched: list[str] = []
        self._memory_key = (builder.lang, paper.name)
        first = min((_last_fits or {}).get(self._memory_key, 0), len(builder.fits) - 1)
        self._ahead: dict[int, object] = {}  # tries laid out while the printer had another
        self._missed = -1  # a step known not to fit before any try: the measuring page's
        heights = self._measured_miss(measured) if first == 0 else None
        if heights is not None:
            self._missed, self._lay_out_ahead = 0, False
            self._ticket = self._after_miss(0, heights)
            return
        self._ticket = self._send(first)
        # From a remembered step the step before it is tried next when it fits (most edits):
        # a second printer lays it out at once; else, beside a printer process, this process
        # does, once it has made the deck.
        second = getattr(printer, "second", None)
        if first > 0 and second is not None:
            self._ahead[first - 1] = second.submit(self._request(first - 1))
        self._lay_out_ahead = first > 0 and second is None and not isinstance(printer, LocalPrinter)

    def _measured_miss(self, measured) -> tuple[float, float, float] | None:
        """The heights of the measuring page (PageBuilder.measuring_html) when it did not fit
        one sheet and its empty drawings had the sizes the charts came out at: the first step
        then misses as well, laid out the same. Else None: the fitting begins at the first step."""
        if measured is None or not self.builder.measured_as_drawn():
            return None
        printed = measured.result()
        return printed.heights if printed.pages > 1 else None

    def _send(self, step: int):
        self._step = step
        if step in self._ahead:
            return self._ahead.pop(step)
        return self.printer.submit(self._request(step))

    def _request(self, step: int) -> PageRequest:
        printable, fonts = self.builder.print_html(self.paper, step)
        self._tries.append((step, page_digest(printable)))
        last = step == len(self.builder.fits) - 1
        return PageRequest(printable, fonts, self.paper.css, self.want_pdf, last)

    def result(self) -> FittedPage:
        """The page at the first step that fits one sheet with nothing past its right edge;
        past the last, an error saying what spills. After a miss the next try is the step the
        miss's heights say will fit, laid out beside the step before it; after a fit, the steps
        back to the last miss are tried, so that the page is never smaller than it needs to be."""
        missed, best = self._missed, None  # the highest step known not to fit; the lowest that does
        if self._lay_out_ahead:
            self._lay_out_ahead = False
            ahead = self._step - 1
            self._ahead[ahead] = _Done(LocalPrinter().submit(self._request(ahead)).result())
        while True:
            printed = self._ticket.result()
            self._fetched += printed.fetched
            step = self._step
            if printed.pages == 1 and printed.past_edge is None:
                best = (step, printed)
                if step - 1 > missed:
                    self._ticket = self._send(step - 1)
                    continue
                return self._fitted(*best)
            if printed.overflow is not None:
                raise BriefingError(printed.overflow)
            missed = step
            if best is not None:
                return self._fitted(*best)
            self._ticket = self._after_miss(step, printed.heights)

    def _after_miss(self, missed: int, heights):
        """The next try after a miss (with none fitting yet): the step laid out ahead above it,
        when there is one; else the step the miss's heights say will fit, sent together with
        the step before it, which decides whether the page may be larger. A printer process
        lays the two out side by side (on two cores the layout that decides comes a try
        sooner: the shipped page fits at its fourth step, the third missing)."""
        above = sorted(step for step in self._ahead if step > missed)
        if above:
            return self._send(above[0])
        if heights is None:  # a page past the right edge: the next step
            return self._send(missed + 1)
        sure = self.builder.likely_fit(self.paper, missed, heights)
        if sure - 1 <= missed:
            return self._send(sure)
        before, self._ahead[sure] = submit_together(
            self.printer, [self._request(sure - 1), self._request(sure)]
        )
        self._step = sure - 1
        return before

    def _fitted(self, step: int, printed) -> FittedPage:
        if _last_fits is not None:
            _last_fits[self._memory_key] = step
        html = self.builder.html(self.paper, step)
        warnings = (*self.builder.warnings, *self.builder.left_out(self.paper, step))
        tries, fetched = tuple(self._tries), tuple(self._fetched)
        return FittedPage(html, printed.pdf, step, tries, fetched, tuple(warnings))


class PrinterPair:
    """Two printer processes for a warm session: a fitting's first try goes to the first, the
    step before it to the second, so that both lay out while this process makes the deck."""

    def __init__(self, first: Printer, second: Printer):
        self.first, self.second = first, second

    def submit(self, request: PageRequest):
        """Send a page to the first printer (the fitting sends its guess to the second)."""
        return self.first.submit(request)

    def close(self) -> None:
        """Stop both printers."""
        self.first.close()
        self.second.close()


@dataclass(frozen=True)
class _Done:
    """A try laid out already: its ticket answers at once."""

    printed: object

    def result(self):
        return self.printed


PARTS = ("section", "header", "footer", "figure")


def past_right_edge(document) -> str | None:
    """Name the part and the text of the first line box that runs past the right edge of the
    sheet's printable area (WeasyPrint's layout boxes), else None."""
    for page in document.pages:
        box = page._page_box
        edge = box.content_box_x() + box.width + 0.5  # CSS px; half a pixel of rounding
        for text_box, part in _text_boxes(box, "page"):
            if text_box.position_x + text_box.width > edge:
                token = max(text_box.text.split() or [text_box.text], key=len)
                shown = token if len(token) <= 60 else token[:57] + "..."
                overrun = (text_box.position_x + text_box.width - edge) * 25.4 / 96
                return (
                    f"the summary's {part} runs {overrun:.0f} mm past the right edge of the "
                    f"sheet: '{shown}' cannot be broken; shorten it or add spaces"
                )
    return None


def _text_boxes(box, part: str):
    """Every text box under `box`, with the name of the page part it belongs to."""
    element = getattr(box, "element", None)
    tag = getattr(element, "tag", "")
    if tag in PARTS and element is not None:
        part = (element.get("class") or tag).split()[0]
    if getattr(box, "text", None) is not None:
        yield box, part
    for child in getattr(box, "children", []):
        yield from _text_boxes(child, part)


def page_digest(printable: str) -> str:
    """The sha256 of a page as sent to the printer."""
    return hashlib.sha256(printable.encode("utf-8")).hexdigest()


def fit_page(builder: PageBuilder, paper: Paper, printer=None, want_pdf: bool = True):
    """The page fitted to one sheet, printed here or by the given printer."""
    return PageFitting(builder, paper, printer or LocalPrinter(), want_pdf).result()

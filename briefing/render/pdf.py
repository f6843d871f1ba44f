"""The page printed by WeasyPrint: exactly one page, shrinking in defined steps to a floor."""

from __future__ import annotations

from dataclasses import dataclass

from briefing.errors import BriefingError
from briefing.render.page import DENSITIES, PageBuilder, Paper
from briefing.render.printer import LocalPrinter


@dataclass(frozen=True)
class FittedPage:
    """The page's HTML at the density that fits one sheet, and its PDF when asked for."""

    html: str
    pdf: bytes | None
    density: int


class PageFitting:
    """Tries the page at each density until it fits one sheet. The first try is sent to the
    printer at once, so that a printer process lays it out while the caller makes the deck."""

    def __init__(self, builder: PageBuilder, paper: Paper, printer, want_pdf: bool):
        self.builder, self.paper, self.printer, self.want_pdf = builder, paper, printer, want_pdf
        self._step = 0
        self._ticket = self._send(0)

    def _send(self, step: int):
        printable, fonts = self.builder.print_html(self.paper, DENSITIES[step])
        last = step == len(DENSITIES) - 1
        return self.printer.submit(printable, fonts, self.paper.css, self.want_pdf, last)

    def result(self) -> FittedPage:
        """The page at the first density that fits; past the floor, an error saying what spills."""
        while True:
            printed = self._ticket.result()
            density = DENSITIES[self._step]
            if printed.pages == 1:
                return FittedPage(self.builder.html(self.paper, density), printed.pdf, density)
            if printed.overflow is not None:
                raise BriefingError(printed.overflow)
            self._step += 1
            self._ticket = self._send(self._step)


def fit_page(builder: PageBuilder, paper: Paper, printer=None, want_pdf: bool = True):
    """The page fitted to one sheet, printed here or by the given printer."""
    return PageFitting(builder, paper, printer or LocalPrinter(), want_pdf).result()

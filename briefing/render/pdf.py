"""The page printed by WeasyPrint: exactly one page, shrinking in defined steps to a floor."""

from __future__ import annotations

import hashlib
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
    tries: tuple[str, ...] = ()  # sha256 of the page sent to the printer at each density tried
    fetched: tuple[str, ...] = ()  # what else the printer loaded (a theme's images)


class PageFitting:
    """Tries the page at each density until it fits one sheet. The first try is sent to the
    printer at once, so that a printer process lays it out while the caller makes the deck."""

    def __init__(self, builder: PageBuilder, paper: Paper, printer, want_pdf: bool):
        self.builder, self.paper, self.printer, self.want_pdf = builder, paper, printer, want_pdf
        self._step = 0
        self._tries: list[str] = []
        self._fetched: list[str] = []
        self._ticket = self._send(0)

    def _send(self, step: int):
        printable, fonts = self.builder.print_html(self.paper, DENSITIES[step])
        self._tries.append(page_digest(printable))
        last = step == len(DENSITIES) - 1
        return self.printer.submit(printable, fonts, self.paper.css, self.want_pdf, last)

    def result(self) -> FittedPage:
        """The page at the first density that fits; past the floor, an error saying what spills."""
        while True:
            printed = self._ticket.result()
            self._fetched += printed.fetched
            density = DENSITIES[self._step]
            if printed.pages == 1:
                html = self.builder.html(self.paper, density)
                tries, fetched = tuple(self._tries), tuple(self._fetched)
                return FittedPage(html, printed.pdf, density, tries, fetched)
            if printed.overflow is not None:
                raise BriefingError(printed.overflow)
            self._step += 1
            self._ticket = self._send(self._step)


def page_digest(printable: str) -> str:
    """The sha256 of a page as sent to the printer."""
    return hashlib.sha256(printable.encode("utf-8")).hexdigest()


def fit_page(builder: PageBuilder, paper: Paper, printer=None, want_pdf: bool = True):
    """The page fitted to one sheet, printed here or by the given printer."""
    return PageFitting(builder, paper, printer or LocalPrinter(), want_pdf).result()

"""The one-page summary of one build: taken from the cache, or fitted by the printer from the
moment it is begun (while the caller makes the deck), and its warnings given once."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from briefing.cache import Cache
from briefing.model import Briefing
from briefing.theme import Theme

if TYPE_CHECKING:
    from briefing.render.pdf import FittedPage, PageFitting
    from briefing.render.printer import Printer


class SummaryPage:
    """Not begun, then fitting (the printer has the first try), then done; html and pdf of
    one build share it."""

    def __init__(
        self,
        briefing: Briefing,
        theme: Theme,
        lang: str,
        paper: str,
        cache: Cache,
        printer: Printer | None,
        want_pdf: bool,
        warn: Callable[[str], None],
    ):
        self.briefing, self.theme, self.lang, self.paper = briefing, theme, lang, paper
        self.cache, self.printer, self.want_pdf, self.warn = cache, printer, want_pdf, warn
        self._fitting: PageFitting | None = None  # the page on the printer, while it fits
        self._key: tuple | None = None  # its cache key (None: not to be cached)
        self._page: FittedPage | None = None
        self._warned = False

    def begin(self) -> None:
        """Take the page from the cache, or send its first try to the printer; once."""
        if self._page is not None or self._fitting is not None:
            return
        from briefing.render import page_cache
        from briefing.render.page import PAPERS, PageBuilder
        from briefing.render.pdf import PageFitting
        from briefing.render.printer import LocalPrinter

        builder = PageBuilder(self.briefing, self.theme, self.lang, self.cache)
        paper = PAPERS[self.paper]
        measured = self._measure(builder, paper)
        self._key, self._page = page_cache.lookup(self.cache, builder, paper, self.want_pdf)
        if self._page is None:
            printer = self.printer or LocalPrinter()
            self._fitting = PageFitting(builder, paper, printer, self.want_pdf, measured)

    def _measure(self, builder, paper):
        """On a first build, the page measured before its charts are drawn: the printer process,
        idle while matplotlib is imported and draws (about 0.5 s), lays out the first step with
        empty drawings of the charts' size, and its heights say which steps to try as soon as
        the page is made. Not when the charts are cached (so may the page be), nor without a
        printer process to lay it out beside this one."""
        from briefing.render.printer import PageRequest, ProcessPrinter

        if not isinstance(self.printer, ProcessPrinter) or builder.charts_drawn():
            return None
        html, fonts = builder.measuring_html(paper)
        return self.printer.submit(PageRequest(html, fonts, paper.css, False, False))

    def result(self) -> FittedPage:
        """The page fitted to one sheet, kept in the cache; its warnings given the first time."""
        from briefing.render import page_cache

        self.begin()
        if self._page is None:
            fitting, self._fitting = self._fitting, None
            self._page = fitting.result()
            page_cache.store(self.cache, self._key, self._page)
        if not self._warned:
            self._warned = True
            for warning in self._page.warnings:
                self.warn(f"warning: {warning}")
        return self._page

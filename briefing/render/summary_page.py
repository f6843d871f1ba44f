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
        self._key, self._page = page_cache.lookup(self.cache, builder, paper, self.want_pdf)
        if self._page is None:
            printer = self.printer or LocalPrinter()
            self._fitting = PageFitting(builder, paper, printer, self.want_pdf)

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

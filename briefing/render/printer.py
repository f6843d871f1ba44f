"""WeasyPrint prints a candidate page: here, or in a helper process started early so that
its import (about 0.8 s) runs on another core while the briefing is loaded and the deck made."""

from __future__ import annotations

import os
import signal
from dataclasses import dataclass


class LocalPrinter:
    """Prints in this process, when asked for the result."""

    def submit(self, *request) -> _Deferred:
        """A ticket whose result prints the page."""
        return _Deferred(request)

    def close(self) -> None:
        """Nothing to stop."""


class _Deferred:
    def __init__(self, request: tuple):
        self.request = request

    def result(self) -> Printed:
        return print_page(*self.request)


class ProcessPrinter:
    """A forked process that imports WeasyPrint at once, then prints the pages sent to it in
    turn. If it dies, pages are printed here instead."""

    def __init__(self):
        import multiprocessing

        context = multiprocessing.get_context("fork")
        self._connection, child_end = context.Pipe()
        self._process = context.Process(
            target=_serve, args=(child_end, self._connection), daemon=True
        )
        self._process.start()
        child_end.close()
        _PARENT_ENDS.add(self._connection)
        self._sent = self._answered = 0  # pages sent, replies read

    def submit(self, *request) -> _Remote | _Deferred:
        """Send a page to the process; the ticket's result waits for its reply. Replies to
        pages nobody waited for (a build that stopped early) are read and dropped first: a reply
        then never answers the wrong page, and the pipe never fills in both directions."""
        try:
            while self._answered < self._sent:
                self._read()
            self._connection.send(request)
        except (EOFError, OSError):
            return _Deferred(request)
        self._sent += 1
        return _Remote(self, self._sent, request)

    def reply_to(self, number: int, request: tuple) -> Printed:
        """The reply to the `number`th page sent (the pipe keeps their order)."""
        if self._answered >= number:
            return print_page(*request)  # its reply was dropped: print here
        try:
            while self._answered < number:
                outcome, value = self._read()
        except (EOFError, OSError):
            return print_page(*request)  # the helper died: print here
        if outcome == "crash":
            raise RuntimeError(f"the printer process failed:\n{value}")
        return value

    def _read(self) -> tuple:
        try:
            reply = self._connection.recv()
        except BaseException:
            # Interrupted mid-message (Ctrl-C) the pipe is out of step: stop using it, so
            # that later pages are printed here.
            self._connection.close()
            raise
        self._answered += 1
        return reply

    def close(self) -> None:
        """Stop the process (a page still being printed is not needed any more)."""
        _PARENT_ENDS.discard(self._connection)
        self._connection.close()
        self._process.terminate()
        self._process.join()


class _Remote:
    def __init__(self, printer: ProcessPrinter, number: int, request: tuple):
        self.printer, self.number, self.request = printer, number, request

    def result(self) -> Printed:
        return self.printer.reply_to(self.number, self.request)


# The parent's ends of open printer pipes. Any process forked later (the font subsetters, the
# workers of several builds) closes its copies, so that only the parent holds the pipe open and
# the printer ends with it.
_PARENT_ENDS: set = set()


def _close_parent_ends() -> None:
    for connection in _PARENT_ENDS:
        connection.close()
    _PARENT_ENDS.clear()


os.register_at_fork(after_in_child=_close_parent_ends)


def start_printer() -> ProcessPrinter | LocalPrinter:
    """A printer process when there is a second core to run it on, else printing in-process."""
    if (os.cpu_count() or 1) < 2:
        return LocalPrinter()
    return ProcessPrinter()


def _serve(connection, parent_end) -> None:
    """The printer process: import WeasyPrint now, then print each page that arrives."""
    import traceback

    # The fork copied the parent's end too; closed here, the pipe ends when the parent does,
    # even when it is killed, and this process with it.
    parent_end.close()
    # Ctrl-C is the parent's to handle; this process ends when the parent's pipe closes.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    import weasyprint  # noqa: F401 - the point of this process: import while the parent works
    import weasyprint.urls  # noqa: F401

    while True:
        try:
            request = connection.recv()
        except (EOFError, OSError):
            return
        try:
            reply = ("ok", print_page(*request))
        except Exception:  # noqa: BLE001 - reported to the parent, which raises it
            reply = ("crash", traceback.format_exc())
        try:
            connection.send(reply)
        except OSError:
            return


@dataclass(frozen=True)
class Printed:
    """What printing one candidate page gave: its page count, the PDF when asked for and the
    page fits, and at the floor what spills."""

    pages: int
    pdf: bytes | None = None
    overflow: str | None = None
    fetched: tuple[str, ...] = ()  # URLs the page loaded besides its fonts (a theme's images)
    past_edge: str | None = None  # what runs past the sheet's right edge, when anything does
    heights: tuple[float, float, float] | None = None  # needed, of it the charts', sheet (px)


def print_page(html: str, fonts: dict[str, bytes], paper_css: str, want_pdf: bool, last: bool):
    """Lay one candidate page out with WeasyPrint; print it when it fits one sheet."""
    from weasyprint import HTML

    fetcher = _font_fetcher(fonts)
    document = HTML(string=html, url_fetcher=fetcher).render()
    if len(document.pages) == 1:
        from briefing.render.pdf import past_right_edge

        past = past_right_edge(document)
        if past is not None:
            return Printed(1, None, past if last else None, tuple(fetcher.others), past)
        pdf = document.write_pdf() if want_pdf else None
        return Printed(1, pdf, fetched=tuple(fetcher.others))
    overflow = _overflow_message(document, paper_css) if last else None
    others = tuple(fetcher.others)
    return Printed(len(document.pages), None, overflow, others, heights=_heights(document))


def _font_fetcher(fonts: dict[str, bytes]):
    """WeasyPrint's fetcher, serving the page's font URLs from memory."""
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class FontFetcher(URLFetcher):
        others: list[str] = []

        def fetch(self, url, headers=None):
            if url in fonts:
                return URLFetcherResponse(url, fonts[url], {"Content-Type": "font/woff2"})
            if not url.startswith("data:"):
                self.others.append(url)
            return super().fetch(url, headers)

    fetcher = FontFetcher()
    fetcher.others = []
    return fetcher


def _overflow_message(document, paper_css: str) -> str:
    """Name the parts that spill past the first sheet and by how much (in mm)."""
    spilled: dict[str, float] = {}
    for page in document.pages[1:]:
        for box in _descendants(page._page_box):
            element = getattr(box, "element", None)
            tag = getattr(element, "tag", "")
            if tag in ("section", "header", "footer", "figure") and element is not None:
                name = element.get("class", tag).split()[0]
                spilled[name] = spilled.get(name, 0) + box.margin_height()
    extra = sum(page.height for page in document.pages[1:]) * 25.4 / 96
    parts = ", ".join(f"{name} ({height * 25.4 / 96:.0f} mm)" for name, height in spilled.items())
    return (
        f"the summary does not fit one {paper_css} page even at the smallest type: "
        f"{len(document.pages) - 1} more page(s) (about {extra:.0f} mm) hold {parts or 'content'}; "
        "shorten the takeaways, actions or chart notes"
    )


def _heights(document) -> tuple[float, float, float]:
    """How tall the page's content is over all its sheets, how much of that the charts
    take, and how tall one sheet's content area is (CSS px): the fitting's next guess. Parts
    are added up, not measured from the top, so a part pushed to the next sheet counts once."""
    text = 0.0
    rows: dict[tuple[int, float], float] = {}  # the tallest chart of each row on each sheet
    for number, page in enumerate(document.pages):
        for main in _descendants(page._page_box):
            if getattr(main, "element_tag", "") != "main":
                continue
            for part in main.children:
                if getattr(part, "element_tag", "") != "section" or "charts" not in (
                    part.element.get("class") or ""
                ):
                    text += part.margin_height()
                    continue
                for chart in _descendants(part):
                    if getattr(chart, "element_tag", "") == "figure":
                        row = (number, round(chart.position_y))
                        rows[row] = max(rows.get(row, 0.0), chart.margin_height())
            break
    charts = sum(rows.values())
    return text + charts, charts, document.pages[0]._page_box.height


def _descendants(box):
    yield box
    for child in getattr(box, "children", []):
        yield from _descendants(child)

"""WeasyPrint prints a candidate page: here, or in a helper process started early so that
its import (about 0.8 s) runs on another core while the briefing is loaded and the deck made.

A printer is started once and closed once; between, it prints any number of pages for any
number of builds (`briefing watch` keeps one for its whole session):

    with start_printer() as printer:
        build(source, ("html", "pdf"), printer=printer)
        build(source, ("html", "pdf"), printer=printer)  # the same process, WeasyPrint loaded

`printer.submit(PageRequest(...))` sends a page at once and returns a ticket; the ticket's
`result()` waits for the `Printed` page. `submit_together(printer, requests)` sends pages that
a printer process lays out side by side (a forked copy of it takes each page after the first).
A printer process found dead before a page is sent is only a lost speed-up: the page is
printed here. One that dies with a page in hand raises PrinterError (the page may be what
killed it: printed here, it would take the build down)."""

from __future__ import annotations

import os
import signal
from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

from briefing.errors import PrinterError


@dataclass(frozen=True)
class PageRequest:
    """One candidate page to print: its HTML, the font bytes its URLs serve, the paper."""

    html: str
    # font URL -> WOFF2 bytes, served from memory; or what makes a font, to be called by the
    # printer (a measuring page's fonts are cut there, while this process draws the charts)
    fonts: dict[str, bytes | Callable[[], bytes]]
    paper_css: str  # the CSS page size ("A4", "letter"), named in the overflow message
    want_pdf: bool  # print the PDF when the page fits (an html-only build does not need it)
    last: bool  # the smallest step: say what spills instead of only counting pages


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


def print_page(request: PageRequest) -> Printed:
    """Lay one candidate page out with WeasyPrint; print it when it fits one sheet."""
    load_weasyprint()
    from weasyprint import HTML

    fetcher = _font_fetcher(request.fonts)
    document = HTML(string=request.html, url_fetcher=fetcher).render()
    if len(document.pages) == 1:
        from briefing.render.pdf import past_right_edge

        past = past_right_edge(document)
        if past is not None:
            overflow = past if request.last else None
            return Printed(1, None, overflow, tuple(fetcher.others), past)
        pdf = document.write_pdf() if request.want_pdf else None
        return Printed(1, pdf, fetched=tuple(fetcher.others))
    overflow = _overflow_message(document, request.paper_css) if request.last else None
    others = tuple(fetcher.others)
    return Printed(len(document.pages), None, overflow, others, heights=_heights(document))


class Ticket(Protocol):
    """A page sent to a printer; `result()` waits for it."""

    def result(self) -> Printed: ...


class Printer(Protocol):
    """What a build needs of a printer (LocalPrinter, ProcessPrinter, a test's stand-in)."""

    def submit(self, request: PageRequest) -> Ticket: ...


def submit_together(printer: Printer, requests: list[PageRequest]) -> list[Ticket]:
    """Send pages to be laid out side by side where the printer can (a printer process), else
    one after another; a ticket for each, in order."""
    together = getattr(printer, "submit_together", None)
    if together is None:
        return [printer.submit(request) for request in requests]
    return together(requests)


class LocalPrinter:
    """Prints in this process, when a ticket's result is asked for."""

    def __init__(self):
        self.closed = False

    def submit(self, request: PageRequest) -> Ticket:
        """A ticket whose result prints the page here."""
        _refuse_if_closed(self.closed)
        return _PrintHere(self, request)

    def submit_together(self, requests: list[PageRequest]) -> list[Ticket]:
        """Tickets that print here, each when its result is asked for (one core does one)."""
        return [self.submit(request) for request in requests]

    def close(self) -> None:
        """Refuse pages from now on (nothing runs to be stopped)."""
        self.closed = True

    def __enter__(self) -> LocalPrinter:
        return self

    def __exit__(self, *exc_info) -> None:
        self.close()


@dataclass(frozen=True)
class _PrintHere:
    printer: LocalPrinter | ProcessPrinter
    request: PageRequest

    def result(self) -> Printed:
        _refuse_if_closed(self.printer.closed)
        return print_page(self.request)


@dataclass(frozen=True)
class _Numbered:
    """A page on its way to the printer process, numbered in the order sent."""

    number: int
    request: PageRequest


@dataclass(frozen=True)
class _Answer:
    """The printer process's reply to page `number`: the page, or the traceback of a bug."""

    number: int
    printed: Printed | None
    failure: str | None = None


class ProcessPrinter:
    """A forked process that imports WeasyPrint at once, then prints the pages sent to it in
    turn, for as many builds as the parent runs until it closes the printer."""

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
        self._sent = self._answered = 0  # numbers of the last page sent, of the last reply read
        self._usable = True  # False once the pipe is out of step or the process has gone
        self.closed = False

    @property
    def pages_printed(self) -> int:
        """How many pages the process has printed and sent back."""
        return self._answered

    def submit(self, request: PageRequest) -> Ticket:
        """Send a page to the process; the ticket's result waits for its reply. Replies to
        pages nobody waited for (a build that stopped early) are read and dropped first: a reply
        then never answers the wrong page, and the pipe never fills in both directions."""
        return self.submit_together([request])[0]

    def submit_together(self, requests: list[PageRequest]) -> list[Ticket]:
        """Send pages in one message: the process lays the first out itself and each other one
        in a forked copy of itself (WeasyPrint loaded already), side by side on the cores."""
        _refuse_if_closed(self.closed)
        if not self._usable or not self._process.is_alive():
            return [_PrintHere(self, request) for request in requests]
        numbered = tuple(
            _Numbered(self._sent + index, request) for index, request in enumerate(requests, 1)
        )
        try:
            while self._answered < self._sent:
                self._read()
            self._connection.send(numbered)
        except (EOFError, OSError, PrinterError):
            self._usable = False  # it died between pages: nothing in hand is lost
            return [_PrintHere(self, request) for request in requests]
        self._sent += len(requests)
        return [_Remote(self, page.number, page.request) for page in numbered]

    def reply_to(self, number: int, request: PageRequest) -> Printed:
        """The process's reply to page `number` (the pipe keeps their order)."""
        _refuse_if_closed(self.closed)
        if self._answered >= number or not self._usable:
            return print_page(request)  # its reply was dropped, or the pipe is unusable
        while True:
            answer = self._read()
            if answer.number == number:
                break
        if answer.failure is not None:
            raise RuntimeError(f"the printer process failed:\n{answer.failure}")
        return answer.printed

    def _read(self) -> _Answer:
        """The next reply; waits on the process too, so that its death ends the wait."""
        from multiprocessing.connection import wait

        try:
            wait([self._connection, self._process.sentinel])
            if not self._connection.poll():
                raise EOFError  # the process ended without a reply
            answer = self._connection.recv()
        except (EOFError, OSError):
            self._usable = False
            raise PrinterError(self._death()) from None
        except BaseException:
            # Interrupted mid-message (Ctrl-C) the pipe is out of step: stop using it, so
            # that later pages are printed here.
            self._usable = False
            self._connection.close()
            raise
        self._answered = answer.number
        return answer

    def _death(self) -> str:
        """Say how the process ended, for the error of a page it had in hand."""
        self._process.join(timeout=5)
        code = self._process.exitcode
        if code is not None and code < 0:
            how = f"killed by {signal.Signals(-code).name}"
        else:
            how = "still running but cut off" if code is None else f"exit status {code}"
        return (
            f"the printer process (WeasyPrint, laying out the one-page summary) ended ({how}) "
            "with the page in hand; build again, and if it ends again, the page itself may be "
            "what stops WeasyPrint: build --format pptx, or shorten the page"
        )

    def close(self) -> None:
        """Stop the process (a page still being printed is not needed any more). Closing
        twice does nothing."""
        if self.closed:
            return
        self.closed = True
        _PARENT_ENDS.discard(self._connection)
        self._connection.close()
        self._process.terminate()
        self._process.join()

    def __enter__(self) -> ProcessPrinter:
        return self

    def __exit__(self, *exc_info) -> None:
        self.close()


@dataclass(frozen=True)
class _Remote:
    printer: ProcessPrinter
    number: int
    request: PageRequest

    def result(self) -> Printed:
        return self.printer.reply_to(self.number, self.request)


def _refuse_if_closed(closed: bool) -> None:
    if closed:
        raise RuntimeError("the printer is closed: start another with start_printer()")


# The parent's ends of open printer pipes. Any process forked later (the font subsetters, the
# workers of several builds) closes its copies, so that only the parent holds the pipe open and
# the printer ends with it.
_PARENT_ENDS: set = set()


def _close_parent_ends() -> None:
    for connection in _PARENT_ENDS:
        connection.close()
    _PARENT_ENDS.clear()


os.register_at_fork(after_in_child=_close_parent_ends)


def start_printer(process: bool = True) -> ProcessPrinter | LocalPrinter:
    """A printer process when asked for and there is a second core to run it on, else
    printing here. Start it before the heavy imports: WeasyPrint then loads beside them."""
    if not process or (os.cpu_count() or 1) < 2:
        return LocalPrinter()
    return ProcessPrinter()


def _serve(connection, parent_end) -> None:
    """The printer process: import WeasyPrint now, then print the pages of each message that
    arrives, side by side."""
    # The fork copied the parent's end too; closed here, the pipe ends when the parent does,
    # even when it is killed, and this process with it.
    parent_end.close()
    # Ctrl-C is the parent's to handle; this process ends when the parent's pipe closes.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    load_weasyprint()  # the point of this process: import while the parent works

    # Asked for by every page that fits (past_right_edge): loaded now, while the parent works,
    # not on the last page's path (it brings the model and pydantic, about 0.15 s).
    import briefing.render.pdf  # noqa: F401

    while True:
        try:
            pages: tuple[_Numbered, ...] = connection.recv()
        except (EOFError, OSError):
            return
        # Forked before this process starts its own page: each copy lays its page out on a
        # core of its own. Answers go back in order, each as soon as it and those before are in.
        first, *others = pages
        beside = [(page, _fork_printing(page)) for page in others]
        if not _reply(connection, _answer(first)):
            return
        for page, wait in beside:
            if not _reply(connection, wait() or _answer(page)):
                return


def _reply(connection, answer: _Answer) -> bool:
    """Send an answer to the parent; False when the parent has gone."""
    try:
        connection.send(answer)
    except OSError:
        return False
    return True


def _answer(page: _Numbered) -> _Answer:
    """Print one page; a bug's traceback is the answer then, for the parent to raise."""
    import traceback

    try:
        return _Answer(page.number, print_page(page.request))
    except Exception:  # noqa: BLE001 - reported to the parent, which raises it
        return _Answer(page.number, None, traceback.format_exc())


def _fork_printing(page: _Numbered):
    """Print a page in a forked copy of this process; returns what waits for its answer (None
    when the copy ended without one: this process prints the page itself then)."""
    import pickle

    reading, writing = os.pipe()
    child = os.fork()
    if child == 0:  # the copy: answer through the pipe and end, running no exit handlers
        os.close(reading)
        try:
            with os.fdopen(writing, "wb") as pipe:
                pickle.dump(_answer(page), pipe)
        finally:
            os._exit(0)
    os.close(writing)

    def wait() -> _Answer | None:
        with os.fdopen(reading, "rb") as pipe:
            data = pipe.read()
        os.waitpid(child, 0)
        try:
            return pickle.loads(data)
        except (EOFError, pickle.UnpicklingError):
            return None

    return wait


def load_weasyprint() -> None:
    """Import WeasyPrint (once), without cffi's look-ups of library names that do not exist
    on Linux: for each of WeasyPrint's names tried before the one that loads
    ('libgobject-2.0-0', 'gobject-2.0-0' before 'libgobject-2.0.so.0'), cffi asks
    ctypes.util.find_library, which runs ldconfig, gcc and ld (about 0.2 s of CPU on a start
    of 0.5 s, measured). The library names that load are sonames the dynamic loader finds
    itself; should none load without the look-ups, WeasyPrint is imported again with them."""
    import sys

    if "weasyprint.urls" in sys.modules:
        return
    if not sys.platform.startswith("linux"):
        import weasyprint.urls  # noqa: F401

        return
    import ctypes.util

    find_library = ctypes.util.find_library
    ctypes.util.find_library = lambda name: None
    try:
        import weasyprint.urls  # noqa: F401
    except OSError:
        ctypes.util.find_library = find_library
        for name in [name for name in sys.modules if name.split(".")[0] == "weasyprint"]:
            del sys.modules[name]  # half imported: imported again, with the look-ups
        import weasyprint.urls  # noqa: F401
    finally:
        ctypes.util.find_library = find_library


def _font_fetcher(fonts: dict[str, bytes]):
    """WeasyPrint's fetcher, serving the page's font URLs from memory."""
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class FontFetcher(URLFetcher):
        others: list[str] = []

        def fetch(self, url, headers=None):
            if url in fonts:
                font = fonts[url]
                if callable(font):  # made here, when first asked for (a measuring page's)
                    font = fonts[url] = font()
                return URLFetcherResponse(url, font, {"Content-Type": "font/woff2"})
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

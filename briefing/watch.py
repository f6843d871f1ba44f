"""`briefing watch`: build once, then again after each save of what the build reads, in one
process that keeps its imports, caches and printer warm between builds."""

from __future__ import annotations

import os
import re
import threading
import time
from collections.abc import Callable
from contextlib import suppress
from dataclasses import dataclass, field
from pathlib import Path

from briefing.api import FORMATS, build, resolve_source
from briefing.errors import BriefingError
from briefing.model import pick
from briefing.theme import Theme

# Editors save through files like these (vim's 4913 probe, swap files, emacs locks, backups):
# saving them is not saving the theme.
EDITOR_LITTER = re.compile(r"^(\..*|.*~|.*\.sw[a-p]|\.?#.*|4913|.*\.tmp)$")
SLIDE_OF = re.compile(r"\bslide (\d+)(?::| \(deck)|\bslides\[(\d+)\]")
STEP_MS = 50  # a burst of saves is over after this long without another (watchfiles' step)
RECHECK_MS = 500  # how often a quiet watch compares the files' stamps too
PAIRED_CORES = 3  # cores from which a second printer process pays


@dataclass
class Finding:
    """One line the build printed (a warning or an error) and the slide it names, if any."""

    severity: str
    text: str
    slide: int | None


@dataclass
class Rebuild:
    """What one build of the loop gave: the files that set it off, what it wrote or the error
    that stopped it, its warnings and how long it took."""

    number: int
    changed: tuple[str, ...]
    written: dict[str, Path]  # by format
    warnings: list[str]
    error: str | None
    milliseconds: float
    findings: list[Finding] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """True when the build wrote its outputs."""
        return self.error is None


@dataclass(frozen=True)
class SlideOutline:
    """A slide of the source as the preview lists it: its number, kind and title."""

    number: int
    kind: str
    title: str


def findings_of(warnings: list[str], error: str | None) -> list[Finding]:
    """The build's warnings and error lines, each with the slide it names (1-based)."""
    lines = [("warning", w) for w in warnings]
    lines += [("error", e) for e in (error or "").splitlines() if not e.endswith("build stopped")]
    found = []
    for severity, text in lines:
        match = SLIDE_OF.search(text)
        slide = None
        if match:
            slide = int(match[1]) if match[1] else int(match[2]) + 1
        found.append(Finding(severity, text, slide))
    return found


class Session:
    """One briefing built again and again with the same options; knows which files it reads."""

    def __init__(
        self,
        source: Path | None,
        formats: tuple[str, ...] = ("pptx",),
        lang: str | None = None,
        out_dir: Path = Path("outputs"),
        template: str | None = None,
        paper: str = "a4",
    ):
        self.path = resolve_source(source).resolve()
        self.formats = page_last(formats)
        self.lang = lang
        self.out_dir = out_dir
        self.template = template
        self.paper = paper
        self.printer = None
        if {"html", "pdf"} & set(formats):
            from briefing.render.pdf import remember_fits
            from briefing.render.printer import start_printer

            self.printer = start_printer()  # WeasyPrint stays imported in it between builds
            remember_fits(True)  # each page's fitting starts where the last one ended
        self.builds = 0
        self.texts: set[Path] = set()  # the sources' `text:` files, as of the last good load
        self.outline: list[SlideOutline] = []
        self.slide_digests: list[str] = []  # each source slide's content, to find the edited one
        self.edited_slide: int | None = None  # the first slide the last source edit changed
        self.theme: Theme | None = None  # kept while its files are unchanged
        self.theme_stamps: dict[Path, tuple[int, int]] = {}
        self.theme_folders: set[Path] = set()
        self.master: Path | None = None
        self._learn_inputs()
        with suppress(BriefingError):  # a theme that does not load is the build's to report
            self._current_theme()

    def build(self, changed: tuple[str, ...] = ()) -> Rebuild:
        """Build the outputs once; a bad source gives its errors and leaves the old outputs."""
        warnings: list[str] = []
        start = time.perf_counter()
        try:
            paths = build(
                self.path,
                self.formats,
                self.lang,
                self.out_dir,
                self._current_theme(),
                self.paper,
                warn=warnings.append,
                printer=self.printer,
            )
            written, error = dict(zip(self.formats, paths)), None
        except BriefingError as failure:
            written, error = {}, str(failure)
        elapsed = (time.perf_counter() - start) * 1000
        self.builds += 1
        rebuild = Rebuild(self.builds, changed, written, warnings, error, elapsed)
        rebuild.findings = findings_of(warnings, error)
        return rebuild

    def pair_printers(self) -> None:
        """A second printer process, for the rebuilds: it lays out the fitting's next try while
        the first lays out its guess. Started after the first build, which starts from no
        remembered fit and often takes its page from the cache: WeasyPrint's import in a
        second process would only have taken a core from it."""
        from briefing.render.printer import ProcessPrinter, start_printer

        # Only with a core for each of the three processes: on two, a takeaway edit took as
        # long (0.42 s against 0.43 s, medians of 12) for 60 MB more.
        if isinstance(self.printer, ProcessPrinter) and (os.cpu_count() or 1) >= PAIRED_CORES:
            from briefing.render.pdf import PrinterPair

            self.printer = PrinterPair(self.printer, start_printer())

    def after(self, changed_paths: set[Path]) -> None:
        """Take in a changed source's text files, slide titles and edited slide, after its
        build: it costs the user no wait."""
        self.edited_slide = None
        if self.path in changed_paths:
            self._learn_inputs()

    def _learn_inputs(self) -> None:
        from briefing.check.rules import inside
        from briefing.loader import load_source

        try:
            loaded = load_source(self.path)
        except BriefingError:
            return  # a bad edit: keep watching what the last good source read
        briefing = loaded.briefing
        lang = self.lang or briefing.meta.languages[0]
        texts = set()
        for source in briefing.sources:
            # A text outside the folder is the build's to report; there is nothing to watch.
            if source.text:
                with suppress(BriefingError):
                    texts.add(inside(self.path.parent, source.text, "text").resolve())
        self.texts = texts
        digests = [slide.model_dump_json() for slide in briefing.slides]
        if self.slide_digests:  # the first load has nothing to compare with
            self.edited_slide = _first_change(self.slide_digests, digests)
        self.slide_digests = digests
        self.outline = [
            SlideOutline(number, slide.kind, _title(slide.title, lang, briefing))
            for number, slide in enumerate(briefing.slides, start=1)
        ]

    def _current_theme(self) -> Theme:
        """The theme, loaded again only when one of its files changed: reading theme.yaml with
        its line positions is most of a warm build's theme cost (about 10 ms)."""
        from briefing.theme import load_theme

        before = self._theme_stamps()
        if self.theme is None or before != self.theme_stamps:
            folders = self.theme_folders
            self.theme = load_theme(self.template)
            self.theme_folders = {f.resolve() for f in self.theme.folders}
            self.master = self.theme.master_path.resolve()
            after = self._theme_stamps()
            # A save while it loaded (same files, other stamps): loaded again at the next build.
            same_files = self.theme_folders == folders
            self.theme_stamps = {} if same_files and after != before else after
        return self.theme

    def _theme_stamps(self) -> dict[Path, tuple[int, int]]:
        paths = {self.master} if self.master else set()
        for folder in self.theme_folders:
            with suppress(OSError):
                paths.update(p for p in folder.iterdir() if not EDITOR_LITTER.match(p.name))
        return _stamps(paths)

    def _in_theme(self, path: Path) -> bool:
        return path == self.master or (
            path.parent in self.theme_folders and not EDITOR_LITTER.match(path.name)
        )

    def reads(self, path: Path) -> bool:
        """True when the build reads this file: the source, a source text, a theme file."""
        return path == self.path or path in self.texts or self._in_theme(path)

    def folders(self) -> list[Path]:
        """The folders to watch: where each file the build reads lies (editors often save by
        writing a new file and renaming it over the old, which a watch on the file would miss)."""
        folders = {self.path.parent, *self.theme_folders, *(t.parent for t in self.texts)}
        if self.master is not None:
            folders.add(self.master.parent)
        return sorted(folders)

    def stamps(self) -> dict[Path, tuple[int, int]]:
        """Each file the build reads, with its change time and size (absent: not there)."""
        return {**_stamps({self.path, *self.texts}), **self._theme_stamps()}

    def close(self) -> None:
        """Stop the printer processes; fittings start from the first step again."""
        if self.printer is not None:
            from briefing.render.pdf import remember_fits

            remember_fits(False)
            self.printer.close()
            self.printer = None


def _first_change(before: list[str], after: list[str]) -> int | None:
    """The number of the first slide that differs (or is new), if any still exists."""
    for number, slide in enumerate(after, start=1):
        if number > len(before) or before[number - 1] != slide:
            return number
    return None


def _stamps(paths) -> dict[Path, tuple[int, int]]:
    """Each file's change time and size; a file not there is left out."""
    stamps = {}
    for path in paths:
        with suppress(OSError):
            stat = path.stat()
            stamps[path] = (stat.st_mtime_ns, stat.st_size)
    return stamps


def _title(text, lang: str, briefing) -> str:
    """A slide title as shown: figures written out, emphasis marks gone."""
    from briefing.richtext import fill, plain

    try:
        return plain(fill(text, lang, briefing))
    except (KeyError, StopIteration, ValueError, BriefingError):
        return pick(text, lang)  # a reference the build will report: shown as typed


def all_formats(chosen: tuple[str, ...]) -> tuple[str, ...]:
    """The formats asked for, with `all` standing for deck, page and PDF, in build's order."""
    wanted: list[str] = []
    for fmt in chosen:
        for one in FORMATS if fmt == "all" else (fmt,):
            if one not in wanted:
                wanted.append(one)
    return tuple(wanted) or ("pptx",)


# The formats that wait for the printer: made last, so that the deck and the slides are made
# while the printers lay the page out, not after.
PRINTED = ("html", "pdf")


def page_last(formats: tuple[str, ...]) -> tuple[str, ...]:
    """The formats in the order a build makes them: the page's last, else as given."""
    return tuple(sorted(formats, key=lambda fmt: fmt in PRINTED))


def status_line(rebuild: Rebuild) -> str:
    """One line per build: what changed, what was written (or that the old outputs stay), how
    long it took."""
    clock = time.strftime("%H:%M:%S")
    what = f"{', '.join(rebuild.changed)} changed" if rebuild.changed else "first build"
    if rebuild.ok:
        done = f"wrote {', '.join(p.name for p in rebuild.written.values())}"
    else:
        errors = sum(f.severity == "error" for f in rebuild.findings)
        done = f"{errors or 1} error(s), kept the last good outputs"
    warned = len(rebuild.warnings)
    warnings = f", {warned} warning(s)" if warned else ""
    return f"{clock} {what}: {done} in {rebuild.milliseconds:.0f} ms{warnings}"


def watch(
    session: Session,
    report: Callable[[Rebuild], None],
    stop: threading.Event | None = None,
) -> None:
    """Build once, then once per burst of saves of a file the build reads, until `stop` is set
    (Ctrl-C raises KeyboardInterrupt, for the caller to end on)."""
    from watchfiles import watch as changes_in

    stop = stop or threading.Event()
    before = session.stamps()
    report(session.build())
    session.pair_printers()  # after the first status line: a fork is not free
    while not stop.is_set():
        folders = session.folders()
        for batch in changes_in(
            *folders,
            watch_filter=lambda _change, name: session.reads(Path(name).resolve()),
            step=STEP_MS,
            stop_event=stop,
            raise_interrupt=True,
            yield_on_timeout=True,
            rust_timeout=RECHECK_MS,
        ):
            # A quiet spell compares stamps: a save made before the watcher started (during
            # the build before) is found so, at most RECHECK_MS late.
            changed = {Path(name).resolve() for _, name in batch}
            changed = changed or _changed_between(before, session.stamps())
            if not changed:
                continue
            before = session.stamps()
            rebuild = session.build(tuple(sorted({p.name for p in changed})))
            session.after(changed)  # before the report: the preview lists the new titles
            report(rebuild)
            if session.folders() != folders:
                break  # a new text file or theme folder elsewhere: watch anew


def _changed_between(before: dict, after: dict) -> set[Path]:
    """The files of `before` whose stamp differs now (a file the build reads only from now on
    is not a change: it was read)."""
    return {path for path, stamp in before.items() if after.get(path) != stamp}


def run(
    source: Path | None,
    formats: tuple[str, ...],
    echo: Callable[[str, bool], None],
    error_style: Callable[[str], str] = str,
    serve: bool = False,
    port: int = 0,
    stop: threading.Event | None = None,
    **options,
) -> None:
    """The `watch` command: build, rebuild on save, print one status line each time (and the
    errors, and warnings when they differ from the last build's); Ctrl-C ends it quietly."""
    from briefing.api import RENDERERS

    formats = all_formats(formats)
    if serve:  # the preview shows the page, and the slides once the build can write them
        formats += tuple(f for f in ("html", "slides") if f in RENDERERS and f not in formats)
    unknown = [f for f in formats if f not in RENDERERS]
    if unknown:
        allowed = ", ".join([*RENDERERS, "all"])
        raise BriefingError(f"--format {unknown[0]}: no such format; allowed: {allowed}")
    session = Session(source, formats, **options)
    preview = None
    shown_warnings: list[str] = []

    def report(rebuild: Rebuild) -> None:
        nonlocal shown_warnings
        # A failed build stops before most warnings: they are news again only when they change.
        if rebuild.ok and rebuild.warnings != shown_warnings:
            for line in rebuild.warnings:
                echo(line, True)
            shown_warnings = rebuild.warnings
        if rebuild.error:
            echo(error_style(rebuild.error), True)
        status = status_line(rebuild)
        echo(status, False)
        if preview is not None:
            preview.publish(rebuild, session.outline, status, session.edited_slide)

    try:
        if serve:
            from briefing.serve import Preview

            preview = Preview(port)
            echo(f"preview at {preview.url} (Ctrl-C stops)", False)
        watch(session, report, stop)
    except KeyboardInterrupt:
        pass  # Ctrl-C is how a watch ends: not a failure
    finally:
        if preview is not None:
            preview.close()
        session.close()

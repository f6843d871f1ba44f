"""The one way through: resolve the source, load it, render each format, write atomically."""

from __future__ import annotations

import io
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timezone
from importlib.resources import files
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO

from briefing.cache import Cache, user_cache_folder
from briefing.errors import BriefingError, SourceError
from briefing.loader import LoadedSource, load_with_problems
from briefing.model import ZIP_YEARS, Briefing
from briefing.outputs import update_manifest, write_all_atomically
from briefing.theme import Theme, load_theme

if TYPE_CHECKING:
    from briefing.render.pdf import FittedPage
    from briefing.render.printer import Printer
    from briefing.render.summary_page import SummaryPage

FORMATS = ("pptx", "html", "pdf")
PAPERS = ("a4", "letter")


def shipped_source() -> Path:
    """The briefing that ships with the tool (seeds/sora/briefing.yaml)."""
    return Path(str(files("briefing.seeds"))) / "sora" / "briefing.yaml"


def resolve_source(source: Path | None) -> Path:
    """A briefing YAML file from a file or folder argument, or the shipped one."""
    if source is None:
        return shipped_source()
    if source.is_dir():
        candidate = source / "briefing.yaml"
        if not candidate.is_file():
            raise BriefingError(f"{source}: folder has no briefing.yaml")
        return candidate
    if not source.exists():
        raise BriefingError(f"{source}: no such file or folder")
    return source


@dataclass
class Job:
    """One briefing in one language and paper, with results shared between formats."""

    loaded: LoadedSource
    theme: Theme
    lang: str
    paper: str
    cache: Cache
    built_at: datetime = datetime(1980, 1, 1)
    warn: Callable[[str], None] = lambda line: None
    check: bool = True
    formats: tuple[str, ...] = FORMATS
    printer: Printer | None = None  # None prints in this process
    page: SummaryPage | None = field(default=None, init=False, repr=False)  # once asked for
    memo: dict = field(default_factory=dict)
    notes: bool = False  # the deck PDF as a handout: each slide with its notes under it

    @property
    def briefing(self) -> Briefing:
        """The validated briefing (kept once, in `loaded`)."""
        return self.loaded.briefing

    def begin_page(self) -> None:
        """Start the one-page summary: taken from the cache, or its first try sent to the
        printer, which lays it out (in its own process, when there is one) from now on."""
        self._summary_page().begin()

    def fitted_page(self) -> FittedPage:
        """The one-page summary laid out to fit one sheet (made once for html and pdf)."""
        return self._summary_page().result()

    def _summary_page(self) -> SummaryPage:
        if self.page is None:
            from briefing.render.summary_page import SummaryPage

            want_pdf = "pdf" in self.formats
            self.page = SummaryPage(
                self.briefing,
                self.theme,
                self.lang,
                self.paper,
                self.cache,
                self.printer,
                want_pdf,
                self.warn,
            )
        return self.page


def _laid_out_deck(job: Job):
    """The deck laid out once for the pptx, the slides and the deck PDF, its fit and layout
    findings checked and warned about once."""
    if "deck" in job.memo:
        return job.memo["deck"]
    from briefing.check.findings import CheckFailed
    from briefing.check.fit import issues_of
    from briefing.check.run import locate, located_warning
    from briefing.render.pptx import lay_out

    laid_out = lay_out(job.briefing, job.theme, job.lang, job.cache)
    report = laid_out.report()
    issues = issues_of(report, job.theme, job.lang, job.briefing)
    findings = [locate(job.loaded, issue) for issue in issues]
    if job.check and any(f.severity == "error" for f in findings):
        raise CheckFailed(findings)  # raised before the rename: no half-fitted deck lands
    # With --no-check an overflow is reported, not fatal: the user chose to go on.
    lines = [str(f).replace(": error: ", ": warning: ", 1) for f in findings]
    for line in lines + [located_warning(job.loaded, w, job.lang) for w in report.warnings]:
        job.warn(line)
    job.memo["deck"] = laid_out
    return laid_out


def _render_pptx(job: Job, stream: BinaryIO) -> None:
    from briefing.render.pptx import render_pptx
    from briefing.render.reproducible import reproducible_zip

    deck = io.BytesIO()
    laid_out = _laid_out_deck(job)
    render_pptx(job.briefing, job.theme, job.lang, deck, job.cache, job.built_at, laid_out)
    stream.write(reproducible_zip(deck.getvalue(), job.built_at))


def _slide_show(job: Job):
    """The laid-out deck as HTML slides (made once for the slides and the deck PDF)."""
    if "slides" not in job.memo:
        from briefing.render.slides import SlideShow

        show = SlideShow(_laid_out_deck(job), job.cache)
        show.context()
        if "pptx" not in job.formats:  # else the pptx writer saves them, with its own breaks
            show.laid_out.designer.fit_memo.save()
        for warning in show.warnings:
            job.warn(f"warning: {warning}")
        job.memo["slides"] = show
    return job.memo["slides"]


def _render_slides(job: Job, stream: BinaryIO) -> None:
    stream.write(_slide_show(job).html().encode("utf-8"))


def _render_deck_pdf(job: Job, stream: BinaryIO) -> None:
    from briefing.render.slides_pdf import deck_pdf

    stream.write(deck_pdf(_slide_show(job), handout=job.notes))


def _render_html(job: Job, stream: BinaryIO) -> None:
    stream.write(job.fitted_page().html.encode("utf-8"))


def _render_pdf(job: Job, stream: BinaryIO) -> None:
    stream.write(job.fitted_page().pdf)


RENDERERS: dict[str, Callable[[Job, BinaryIO], None]] = {
    "pptx": _render_pptx,
    "html": _render_html,
    "pdf": _render_pdf,
    "slides": _render_slides,
    "deck-pdf": _render_deck_pdf,
}
# File name endings of the formats whose name is not one.
SUFFIXES = {"slides": "slides.html", "deck-pdf": "deck.pdf"}


def build(
    source: Path | None = None,
    formats: tuple[str, ...] = ("pptx",),
    lang: str | None = None,
    out_dir: Path = Path("outputs"),
    theme: str | Theme | None = None,
    paper: str = "a4",
    check: bool = True,
    warn: Callable[[str], None] | None = None,
    printer: Printer | None = None,
    notes: bool = False,
) -> list[Path]:
    """Build the given formats of a briefing (after its checks); return the paths written.
    A printer process (briefing.render.printer) lays the page out while the deck is made."""
    path = resolve_source(source)
    loaded = load_with_problems(path)
    if loaded.problems:
        _stop_on_load_problems(loaded, theme, check)
    briefing = loaded.briefing
    language = lang or briefing.meta.languages[0]
    if language not in briefing.meta.languages:
        raise BriefingError(
            f"{path}: language '{language}' is not in the briefing "
            f"(meta.languages: {', '.join(briefing.meta.languages)})"
        )
    unknown = [f for f in formats if f not in RENDERERS]
    if unknown:
        raise BriefingError(f"unknown format {unknown[0]!r}; allowed: {', '.join(RENDERERS)}")
    if paper not in PAPERS:
        raise BriefingError(f"unknown paper {paper!r}; allowed: {', '.join(PAPERS)}")
    # A Theme already loaded (briefing watch keeps one while its files are unchanged) is used as is.
    chosen_theme = theme if isinstance(theme, Theme) else load_theme(theme)
    for note in chosen_theme.warnings:  # what the theme's master had that we left out
        (warn or (lambda line: None))(f"warning: {note}")
    cache = Cache(user_cache_folder())
    if check:
        _stop_on_errors(_pre_build_checks(loaded, chosen_theme, cache), warn)
    job = Job(
        loaded,
        chosen_theme,
        language,
        paper,
        cache,
        build_time(briefing),
        warn or (lambda line: None),
        check,
        formats,
        printer,
        notes=notes,
    )
    if {"html", "pdf"} & set(formats):
        job.begin_page()  # first, so that the printer works while the deck is made
    stem = output_stem(path)
    written = [out_dir / f"{stem}-{language}.{SUFFIXES.get(fmt, fmt)}" for fmt in formats]
    # Every format is made before any is renamed: a failure leaves the old set whole.
    write_all_atomically(
        [
            (target, lambda stream, f=fmt: RENDERERS[f](job, stream))
            for fmt, target in zip(formats, written)
        ]
    )
    # The source as it was read, not as it is now: it may have been edited during the build.
    inputs: dict[str, Path | str] = {f"source:{path.name}": loaded.sha256 or path}
    inputs |= {f"theme:{p.parent.name}/{p.name}": p for p in chosen_theme.files()}
    update_manifest(out_dir, written, inputs)
    return written


@dataclass
class BuildResult:
    """What building one source gave: the files written, warnings, or the error that stopped it."""

    source: Path | None
    paths: list[Path]
    warnings: list[str]
    error: str | None = None


def build_one(source: Path | None, **options) -> BuildResult:
    """Build one source, catching its BriefingError so that others can go on."""
    warnings: list[str] = []
    try:
        return BuildResult(source, build(source, warn=warnings.append, **options), warnings)
    except BriefingError as error:
        return BuildResult(source, [], warnings, str(error))


def build_many(
    sources: list[Path | None], printer: Printer | None = None, **options
) -> list[BuildResult]:
    """Build several sources, in parallel processes when there is more than one and a core
    to spare; results come back in the order of the sources. A printer serves a lone source
    (several sources already fill the cores)."""
    names = [
        output_stem(s if s is None or s.suffix else s / "briefing.yaml")
        if s is not None
        else "sora"
        for s in sources
    ]
    twice = sorted({n for n in names if names.count(n) > 1})
    if twice:
        raise BriefingError(
            f"several sources would write outputs named '{twice[0]}-…' into one folder; "
            "rename a folder or build them one by one with different --out"
        )
    workers = min(len(sources), os.cpu_count() or 1)
    if workers < 2:
        return [build_one(source, printer=printer, **options) for source in sources]
    from functools import partial

    # Import the renderers once here: forked workers inherit them instead of each paying.
    import briefing.render.pptx  # noqa: F401
    from briefing.workers import worker_pool

    if {"html", "pdf", "deck-pdf"} & set(options.get("formats", ())):
        import weasyprint  # noqa: F401

    with worker_pool(workers) as pool:
        return list(pool.map(partial(build_one, **options), sources))


def _pre_build_checks(loaded: LoadedSource, theme: Theme, cache: Cache):
    """The checks a build runs first: provenance and budgets (text fit comes with the deck)."""
    from briefing.check.run import run_checks

    return run_checks(loaded, theme, fit=False, cache=cache)


def _stop_on_load_problems(loaded: LoadedSource, theme: str | Theme | None, check: bool):
    """Stop on a source that does not load, with every error at once: its load problems, and
    what the checks find in the part of it that loads."""
    from briefing.check.run import load_finding

    findings = [load_finding(problem) for problem in loaded.problems]
    if check and loaded.briefing is not None:
        try:
            chosen = theme if isinstance(theme, Theme) else load_theme(theme)
            findings = _pre_build_checks(loaded, chosen, Cache(user_cache_folder()))
        except BriefingError:
            pass  # a theme or text that does not load either: the source's problems come first
    raise SourceError([f for f in findings if f.severity == "error"])


def _stop_on_errors(findings, warn: Callable[[str], None] | None) -> None:
    from briefing.check.findings import CheckFailed

    if any(f.severity == "error" for f in findings):
        raise CheckFailed(findings)
    for finding in findings:
        if warn:
            warn(str(finding))


def check(
    source: Path | None = None,
    against: dict[str, Path] | None = None,
    theme: str | None = None,
    cache_dir: Path | None = None,
    languages: list[str] | None = None,
):
    """Every finding of every check on a briefing (text fit in `languages`, default all), and
    of a briefing that does not load, its problems and the findings on the part that does."""
    from briefing.check.run import run_checks

    loaded = load_with_problems(resolve_source(source))
    cache = Cache(cache_dir or user_cache_folder())
    findings = run_checks(loaded, load_theme(theme), against, cache=cache, languages=languages)
    return loaded.file, findings


def build_time(briefing: Briefing) -> datetime:
    """The date written into outputs: SOURCE_DATE_EPOCH when set, else the briefing's date."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        first, last = ZIP_YEARS
        try:
            moment = datetime.fromtimestamp(int(epoch), tz=timezone.utc).replace(tzinfo=None)
        except (OverflowError, ValueError, OSError):
            moment = datetime.max
        # Refused, not clamped: a clamped date would be written into the outputs as if asked.
        if not first <= moment.year <= last:
            raise BriefingError(
                f"SOURCE_DATE_EPOCH={epoch[:30]} is not a date from {first} to {last}, the "
                "dates a .pptx (a zip file) can hold; unset it or give seconds since 1970"
            )
        return moment
    parts = [int(p) for p in briefing.meta.date.split("-")] + [1, 1]
    return datetime(parts[0], parts[1], parts[2])


def output_stem(path: Path) -> str:
    """Name outputs after the briefing's folder (sora/briefing.yaml -> sora) or its file."""
    return path.resolve().parent.name if path.name == "briefing.yaml" else path.stem

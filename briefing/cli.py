"""The command line: parse arguments, call the api, turn BriefingError into exit status 1."""

from __future__ import annotations

import json
import os
import re
import signal
import sys
from pathlib import Path

import click

from briefing import __version__
from briefing.errors import BriefingError


def _fail(error: BriefingError) -> None:
    click.echo(compiler_style(str(error)), err=True)
    sys.exit(error.exit_code)


LOCATED = re.compile(r"^(?P<where>.+?:[0-9]+:[0-9]+): (?P<rest>.*)$")


def compiler_style(text: str) -> str:
    """Every problem as compilers print them, `file:line:col: error: ...`, located or not."""
    lines = []
    for line in text.splitlines() or [""]:
        located = LOCATED.match(line)
        if located and not re.match(r"(?:error|warning): ", located["rest"]):
            line = f"{located['where']}: error: {located['rest']}"
        elif not located and not re.match(r"[0-9]+ error\(s\)", line):
            line = f"error: {line}"
        lines.append(line)
    return "\n".join(lines)


INTERRUPTED = 130  # 128 + SIGINT, as shells report a command stopped by Ctrl-C


class _Commands(click.Group):
    """The command group; Ctrl-C anywhere in a command ends it quietly with status 130
    (click's own answer is "Aborted!" and status 1)."""

    def invoke(self, ctx: click.Context):
        before = signal.getsignal(signal.SIGINT)
        if before is signal.default_int_handler:  # an ignored Ctrl-C (nohup) stays ignored
            signal.signal(signal.SIGINT, _interrupt_handler(os.getpid()))
        try:
            return super().invoke(ctx)
        except KeyboardInterrupt:
            click.echo("interrupted", err=True)
            sys.exit(INTERRUPTED)
        finally:
            signal.signal(signal.SIGINT, before)


def _interrupt_handler(main_pid: int):
    """Ctrl-C raises KeyboardInterrupt in this process; a process forked from it that has not
    yet set its own handling (a worker or the printer, caught by the key mid-start) exits at
    once instead of unwinding this process's code as if it were the parent."""

    def interrupt(signum, frame) -> None:
        if os.getpid() != main_pid:
            os._exit(INTERRUPTED)
        raise KeyboardInterrupt

    return interrupt


@click.group(cls=_Commands, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="briefing")
def main() -> None:
    """Turn a briefing source into an executive deck and a one-page summary (HTML, PDF)."""


@main.command()
@click.argument("sources", nargs=-1, type=click.Path(path_type=Path))
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["pptx", "html", "pdf", "all"]),
    default="pptx",
    show_default=True,
    help="What to build; all = deck, page and PDF.",
)
@click.option(
    "--paper",
    type=click.Choice(["a4", "letter"]),
    default="a4",
    show_default=True,
    help="Paper size of the one-page summary.",
)
@click.option("--lang", help="Language code; default: the briefing's first language.")
@click.option(
    "--out",
    "out_dir",
    type=click.Path(path_type=Path),
    default=Path("outputs"),
    show_default=True,
    help="Folder to write into.",
)
@click.option("--no-check", is_flag=True, help="Skip the checks (says so in the output).")
@click.option(
    "--template",
    "template",
    metavar="NAME|FOLDER|MASTER.pptx",
    help="A shipped theme, a theme folder, or a .pptx/.potx master.",
)
def build(
    sources: tuple[Path, ...],
    fmt: str,
    paper: str,
    lang: str | None,
    out_dir: Path,
    no_check: bool,
    template: str | None,
) -> None:
    """Build SOURCES (briefing.yaml files or their folders; default: the shipped briefing).

    The checks of `briefing check` run first: errors stop the build, warnings are printed.
    Several sources are built in parallel, one process per core.
    """
    from briefing.render.printer import start_printer

    # Started before anything else is imported: WeasyPrint loads on the other core. Several
    # sources are built in worker processes, which print their own pages.
    with start_printer(process=fmt != "pptx" and len(sources) < 2) as printer:
        _build(sources, fmt, paper, lang, out_dir, no_check, template, printer)


def _build(sources, fmt, paper, lang, out_dir, no_check, template, printer) -> None:
    from briefing.api import FORMATS, build_many

    formats = FORMATS if fmt == "all" else (fmt,)
    if no_check:
        click.echo(
            "warning: checks skipped (--no-check): figures and budgets are unchecked", err=True
        )
    options = {
        "formats": formats,
        "lang": lang,
        "out_dir": out_dir,
        "theme": template,
        "paper": paper,
        "check": not no_check,
    }
    failed = False
    try:
        results = build_many(list(sources) or [None], printer=printer, **options)
    except BriefingError as error:
        _fail(error)
    for result in results:
        for line in result.warnings:
            click.echo(line, err=True)
        for path in result.paths:
            click.echo(str(path))
        if result.error:
            click.echo(compiler_style(result.error), err=True)
            failed = True
    if failed:
        sys.exit(1)


def _against(ctx, param, values: tuple[str, ...]) -> dict[str, Path]:
    pairs = {}
    for value in values:
        source_id, sep, path = value.partition("=")
        if not sep or not source_id or not path:
            raise click.BadParameter(f"{value!r}: write ID=PATH, e.g. sora=article.txt")
        pairs[source_id] = Path(path)
    return pairs


@main.command()
@click.argument("sources", nargs=-1, type=click.Path(path_type=Path))
@click.option(
    "--against",
    multiple=True,
    callback=_against,
    metavar="ID=PATH",
    help="Find each excerpt of source ID in the text at PATH (repeatable).",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="Findings as lines, or as a JSON report for CI.",
)
@click.option(
    "--template",
    "template",
    metavar="NAME|FOLDER|MASTER.pptx",
    help="Check text fit and budgets against this theme or master.",
)
def check(
    sources: tuple[Path, ...], against: dict[str, Path], fmt: str, template: str | None
) -> None:
    """Check SOURCES: every figure traced, no slide overloaded, no text out of its box.

    A source that does not load is reported as findings too (code invalid-source), so
    `--format json` always prints its report: one object, or a list of them for several sources.
    """
    reports = [_check_one(source, against, template) for source in sources or (None,)]
    if fmt == "json":
        from briefing.check.findings import as_json

        texts = [as_json(findings, file) for file, findings in reports]
        click.echo(texts[0] if len(texts) == 1 else "[\n" + ",\n".join(texts) + "\n]")
    else:
        for file, findings in reports:
            if not any(f.code in LOAD_CODES for f in findings):
                _speaking_table(file)
            for finding in findings:
                # A problem with no line (a missing file) is an error about the file, as gcc
                # says "error: x.c: no such file"; every located one is `file:line:col: error:`.
                line = str(finding) if finding.line else f"error: {file}: {finding.message}"
                # A source that does not load is an error of the run, as before: on stderr.
                click.echo(line, err=finding.code in LOAD_CODES)
            errors = sum(f.severity == "error" for f in findings)
            click.echo(f"{file}: {errors} error(s), {len(findings) - errors} warning(s)")
    failed = any(f.severity == "error" for _, findings in reports for f in findings)
    sys.exit(1 if failed else 0)


LOAD_CODES = ("invalid-source", "unreadable-source", "invalid-template")


def _speaking_table(file: str) -> None:
    """Each slide's speaking time and the total, read again from the file the check loaded."""
    from briefing.check.speaking import speaking_lines
    from briefing.loader import load_source

    click.echo("\n".join(speaking_lines(load_source(Path(file)).briefing)))


def _check_one(source: Path | None, against: dict[str, Path], template: str | None):
    """One source's file name and findings; a source that does not load gives its problems."""
    from briefing.api import check as run_check
    from briefing.check.findings import Finding
    from briefing.errors import SourceError, ThemeError

    try:
        return run_check(source, against, template)
    except SourceError as error:
        problems = error.problems
        file = problems[0].file if problems else str(source)
        return file, [
            Finding("error", "invalid-source", p.file, p.line, p.column, None, p.field, p.message)
            for p in problems
        ]
    except BriefingError as error:
        from briefing.api import shipped_source

        file = str(source or shipped_source())
        message = str(error).removeprefix(f"{file}: ")
        code = "invalid-template" if isinstance(error, ThemeError) else "unreadable-source"
        return file, [Finding("error", code, file, 0, 0, None, "", message)]


@main.command()
@click.argument("folder", type=click.Path(path_type=Path))
@click.option(
    "--from",
    "articles",
    multiple=True,
    type=click.Path(path_type=Path),
    metavar="ARTICLE.txt",
    help="An article to start from (repeatable); none: a small working example.",
)
@click.option("--lang", help="The briefing's languages, e.g. zh,en; default: the articles'.")
def new(folder: Path, articles: tuple[Path, ...], lang: str | None) -> None:
    """Start a briefing in FOLDER: the articles as sources, their figures, a slide of every kind.

    Every text to write says TODO; `briefing check FOLDER` lists those left, and a briefing
    with one left does not build.
    """
    from briefing.scaffold import new_briefing

    languages = [code.strip() for code in lang.split(",") if code.strip()] if lang else None
    try:
        for path in new_briefing(folder, list(articles), languages):
            click.echo(str(path))
    except BriefingError as error:
        _fail(error)


@main.command()
@click.argument("article", type=click.Path(path_type=Path))
@click.option(
    "--lang",
    type=click.Choice(["zh", "en"]),
    help="The article's language; default: guessed from its characters.",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["yaml", "json"]),
    default="yaml",
    show_default=True,
    help="Figure entries to paste, or JSON for tools.",
)
@click.option("--source", "source_id", default="article", show_default=True, help="Source id.")
def figures(article: Path, lang: str | None, fmt: str, source_id: str) -> None:
    """Print every number ARTICLE states as figure entries to paste (dates and years aside).

    Each entry has a suggested id, value, unit, scale, currency, qualifier and the excerpt that
    states it, under a comment naming its line; write its label and check the id.
    """
    from briefing.extract import as_json, as_yaml, extract_figures, guess_language, read_article

    try:
        text = read_article(article)
    except BriefingError as error:
        _fail(error)
    candidates = extract_figures(text, lang or guess_language(text))
    click.echo((as_json if fmt == "json" else as_yaml)(candidates, source_id), nl=fmt == "json")


@main.command()
@click.argument("deck", type=click.Path(path_type=Path))
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="Findings as lines, or as a JSON report for tools.",
)
@click.option(
    "--out",
    "out_dir",
    type=click.Path(path_type=Path),
    help="Keep the rendered PDF and PNGs here (default: thrown away).",
)
def audit(deck: Path, fmt: str, out_dir: Path | None) -> None:
    """Render DECK with LibreOffice and report faults per slide; exit 1 when there are any.

    Text over text, text or chart over the master's artwork, low contrast, words broken inside,
    numbers split from their units, text outside the slide.
    """
    from briefing.audit import audit as run_audit

    try:
        report = run_audit(deck, out_dir)
    except BriefingError as error:
        _fail(error)
    click.echo(report.as_json() if fmt == "json" else report.as_text())
    sys.exit(1 if report.findings else 0)


@main.command()
@click.argument("source", required=False, type=click.Path(path_type=Path))
@click.option(
    "-o",
    "--out",
    "out_dir",
    type=click.Path(path_type=Path),
    default=Path("outputs/preview"),
    show_default=True,
    help="Where the slide PNGs and the contact sheet go.",
)
@click.option("--lang", default=None, help="With a briefing: the language to build.")
@click.option("--template", default=None, help="With a briefing: the theme or master to build on.")
@click.option("--dpi", default=60, show_default=True, help="Resolution of the slide PNGs.")
def preview(source, out_dir: Path, lang, template, dpi: int) -> None:
    """Draw a deck as LibreOffice does: one PNG per slide and a contact sheet.

    SOURCE is a .pptx deck, or a briefing (file or folder; default: the shipped one), which is
    built first into the same folder. Example: briefing preview outputs/sora-zh.pptx -o look/
    """
    from briefing.api import build
    from briefing.preview import preview as draw

    try:
        deck = source
        if deck is None or deck.suffix.lower() != ".pptx":
            warn = lambda line: click.echo(line, err=True)  # noqa: E731
            [deck] = build(deck, ("pptx",), lang, out_dir, theme=template, warn=warn)
        pages, sheet = draw(deck, out_dir, dpi)
    except BriefingError as error:
        _fail(error)
    click.echo("\n".join(str(p) for p in [*pages, sheet]))


@main.command()
def schema() -> None:
    """Print the JSON Schema of the briefing source format (for editor autocomplete)."""
    from briefing.model import Briefing

    click.echo(json.dumps(Briefing.model_json_schema(), ensure_ascii=False, indent=2))


@main.group()
def templates() -> None:
    """List, inspect and export themes and masters."""


@templates.command("list")
def templates_list() -> None:
    """The themes that ship with briefing."""
    from briefing.theme import load_theme, shipped_themes

    for name in shipped_themes():
        theme = load_theme(name)
        # The chain as loaded: the theme's folder, then the one it extends, if any.
        parent = f" (extends {theme.folders[1].name})" if len(theme.folders) > 1 else ""
        click.echo(
            f"{name}{parent}: {theme.fonts.latin} / {theme.fonts.east_asian}, "
            f"primary #{theme.colors.primary}, accent #{theme.colors.accent}"
        )


@templates.command("inspect")
@click.argument("template")
def templates_inspect(template: str) -> None:
    """Layouts, placeholders, fonts, colours, kind-to-layout map and schema errors of TEMPLATE."""
    from briefing.inspect import describe

    try:
        click.echo(describe(template))
    except BriefingError as error:
        _fail(error)


@templates.command("export")
@click.argument("name")
@click.argument("folder", type=click.Path(path_type=Path))
def templates_export(name: str, folder: Path) -> None:
    """Copy shipped theme NAME into FOLDER, to customise (then: build --template FOLDER)."""
    from briefing.theme import export_theme

    try:
        for path in export_theme(name, folder):
            click.echo(str(path))
    except BriefingError as error:
        _fail(error)


@main.group()
def fonts() -> None:
    """Put the shipped fonts where PowerPoint, Keynote and LibreOffice look."""


@fonts.command("install")
@click.option("--dry-run", is_flag=True, help="Say where and what would be copied; copy nothing.")
def fonts_install(dry_run: bool) -> None:
    """Copy the shipped fonts into your own font folder (no administrator rights needed).

    Example: briefing fonts install --dry-run
    """
    from briefing.font_install import Machine, install_fonts

    try:
        click.echo("\n".join(install_fonts(Machine.this(), dry_run=dry_run)))
    except BriefingError as error:
        _fail(error)


@fonts.command("list")
def fonts_list() -> None:
    """The shipped font files and whether your font folder has them."""
    from briefing.font_install import Machine, font_listing

    click.echo("\n".join(font_listing(Machine.this())))

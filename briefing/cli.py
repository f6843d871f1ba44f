"""The command line: parse arguments, call the api, turn BriefingError into exit status 1."""

from __future__ import annotations

import gc
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
GC_YOUNG_THRESHOLD = 50_000  # new objects between young collections (Python's default: 700)


class _Commands(click.Group):
    """The command group; Ctrl-C anywhere in a command ends it quietly with status 130
    (click's own answer is "Aborted!" and status 1)."""

    def invoke(self, ctx: click.Context):
        before = signal.getsignal(signal.SIGINT)
        if before is signal.default_int_handler:  # an ignored Ctrl-C (nohup) stays ignored
            signal.signal(signal.SIGINT, _interrupt_handler(os.getpid()))
        thresholds = gc.get_threshold()
        # Importing pydantic and building the model's classes makes objects by the hundred
        # thousand, few of them garbage: at the default 700 the collector walked them all
        # again and again, about 5 % of a deck build's CPU. Same peak memory.
        gc.set_threshold(GC_YOUNG_THRESHOLD, *thresholds[1:])
        try:
            return super().invoke(ctx)
        except KeyboardInterrupt:
            click.echo("interrupted", err=True)
            sys.exit(INTERRUPTED)
        finally:
            gc.set_threshold(*thresholds)
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


# Options that build and watch share, so that both say the same.
PAPER_OPTION = click.option(
    "--paper",
    type=click.Choice(["a4", "letter"]),
    default="a4",
    show_default=True,
    help="Paper the one-page summary (HTML and PDF) is fitted to; the deck ignores it.",
)
LANG_OPTION = click.option("--lang", help="Language code; default: the briefing's first language.")
OUT_OPTION = click.option(
    "-o",
    "--out",
    "out_dir",
    type=click.Path(path_type=Path),
    default=Path("outputs"),
    show_default=True,
    help="Folder to write into.",
)
TEMPLATE_OPTION = click.option(
    "--template",
    metavar="NAME|FOLDER|MASTER.pptx",
    help="A shipped theme, a theme folder, or a .pptx/.potx master.",
)


@click.group(cls=_Commands, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="briefing")
def main() -> None:
    """Turn a briefing into an executive deck and a one-page summary.

    A briefing is a YAML source of talking points, figures with their sources, charts and
    speaker notes; briefing checks it and builds a PowerPoint deck, an HTML page and a PDF.

    \b
    Examples:
      briefing new mybrief --from article.txt  start from an article
      briefing check mybrief                   what is left to fix; speaking time
      briefing build mybrief -f all -o out/    deck, page and PDF into out/
      briefing COMMAND --help                  a command's options and examples
    """


@main.command()
@click.argument("sources", nargs=-1, type=click.Path(path_type=Path))
@click.option(
    "-f",
    "--format",
    "fmt",
    type=click.Choice(["pptx", "html", "pdf", "all", "slides", "deck-pdf"]),
    default="pptx",
    show_default=True,
    help="What to build; all = deck, page and PDF; slides = the deck as one HTML slideshow; "
    "deck-pdf = the deck as a PDF, a page per slide.",
)
@PAPER_OPTION
@LANG_OPTION
@OUT_OPTION
@click.option("--no-check", is_flag=True, help="Skip the checks (says so in the output).")
@TEMPLATE_OPTION
@click.option(
    "--notes",
    is_flag=True,
    help="deck-pdf as a handout: each slide with its speaker notes under it.",
)
def build(
    sources: tuple[Path, ...],
    fmt: str,
    paper: str,
    lang: str | None,
    out_dir: Path,
    no_check: bool,
    template: str | None,
    notes: bool,
) -> None:
    """Build decks, one-page summaries and PDFs from briefings.

    SOURCES are briefing.yaml files or their folders (default: the shipped briefing). The
    checks of `briefing check` run first: errors stop the build, warnings are printed.
    Several sources are built in parallel, one process per core. Each file written is printed.

    \b
    Examples:
      briefing build                           the shipped briefing's deck
      briefing build mybrief -f all --lang en  deck, page and PDF in English
      briefing build a/ b/ -o decks/           two briefings' decks into decks/
      briefing build -f pdf --paper letter     the one-page PDF on US letter
    """
    if fmt not in ("html", "pdf", "all"):  # no page to print: no printer to import
        _build(sources, fmt, paper, lang, out_dir, no_check, template, None, notes)
        return
    from briefing.render.printer import start_printer

    # Started before anything else is imported: WeasyPrint loads on the other core. Several
    # sources are built in worker processes, which print their own pages.
    with start_printer(process=len(sources) < 2) as printer:
        _build(sources, fmt, paper, lang, out_dir, no_check, template, printer, notes)


def _build(sources, fmt, paper, lang, out_dir, no_check, template, printer, notes=False) -> None:
    from briefing.api import FORMATS, build_many

    formats = FORMATS if fmt == "all" else (fmt,)
    if notes and "deck-pdf" not in formats:
        _fail(BriefingError(f"--notes is for the deck PDF (a handout), not {fmt}: -f deck-pdf"))
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
        "notes": notes,
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
    "-f",
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
@click.option(
    "--lang",
    help="Lay out and time this language only, as `build --lang` does; default: every one.",
)
def check(
    sources: tuple[Path, ...],
    against: dict[str, Path],
    fmt: str,
    template: str | None,
    lang: str | None,
) -> None:
    """Check figures, slide budgets, text fit and speaking time.

    SOURCES are briefing.yaml files or their folders (default: the shipped briefing). Prints
    each slide's speaking time from its notes (per language) and the total, then every finding
    as file:line:col: error|warning: ...; exits 1 when there is an error. A source that does
    not load is reported as findings too (code invalid-source), so `-f json` always prints its
    report: one object, or a list of them for several sources. Where items do not load, the
    rest is still checked: every error comes in one run.

    \b
    Examples:
      briefing check mybrief                      findings, speaking time
      briefing check mybrief --lang en            fit and speaking time in English
      briefing check a/ b/ -f json                a JSON report per source
      briefing check b.yaml --against sora=a.txt  sora's excerpts sought in a.txt
    """
    languages = [lang] if lang else None
    reports = [_check_one(source, against, template, languages) for source in sources or (None,)]
    if fmt == "json":
        from briefing.check.findings import as_json

        texts = [as_json(findings, file) for file, findings in reports]
        click.echo(texts[0] if len(texts) == 1 else "[\n" + ",\n".join(texts) + "\n]")
    else:
        for file, findings in reports:
            unloaded = any(f.code in LOAD_CODES for f in findings)
            if not unloaded and not any(f.code == "unknown-language" for f in findings):
                _speaking_table(file, lang)
            for finding in findings:
                # A problem with no line (a missing file) is an error about the file, as gcc
                # says "error: x.c: no such file"; every located one is `file:line:col: error:`.
                line = str(finding) if finding.line else f"error: {file}: {finding.message}"
                # A source that does not load is an error of the run, as before: on stderr,
                # with what the checks found in the rest of it, in the order of the file.
                click.echo(line, err=unloaded)
            errors = sum(f.severity == "error" for f in findings)
            # After the lines it counts, on their stream: read together, the summary ends them.
            summary = f"{file}: {errors} error(s), {len(findings) - errors} warning(s)"
            click.echo(summary, err=unloaded)
    failed = any(f.severity == "error" for _, findings in reports for f in findings)
    sys.exit(1 if failed else 0)


LOAD_CODES = ("invalid-source", "unreadable-source", "invalid-template")


def _speaking_table(file: str, lang: str | None = None) -> None:
    """Each slide's speaking time (in `lang`, else every language) and the total, read again
    from the file the check loaded."""
    from briefing.check.speaking import speaking_lines
    from briefing.loader import load_source

    briefing = load_source(Path(file)).briefing
    if lang:
        meta = briefing.meta.model_copy(update={"languages": [lang]})
        briefing = briefing.model_copy(update={"meta": meta})
    click.echo("\n".join(speaking_lines(briefing)))


def _check_one(
    source: Path | None,
    against: dict[str, Path],
    template: str | None,
    languages: list[str] | None = None,
):
    """One source's file name and findings; a source that does not load gives its problems."""
    from briefing.api import check as run_check
    from briefing.check.findings import Finding
    from briefing.errors import SourceError, ThemeError

    try:
        return run_check(source, against, template, languages=languages)
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
    """Start a briefing in FOLDER from articles, or a small example.

    The articles become sources, the numbers they state become figures, and a slide of every
    kind is written for you to fill. Every text to write says TODO; `briefing check FOLDER`
    lists those left, and a briefing with one left does not build.

    \b
    Examples:
      briefing new mybrief --from article.txt   English or Chinese, guessed
      briefing new mybrief --from a.txt --from b.txt --lang zh,en
      briefing new example                      no article: a working example
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
    "-f",
    "--format",
    "fmt",
    type=click.Choice(["yaml", "json"]),
    default="yaml",
    show_default=True,
    help="Figure entries to paste, or JSON for tools.",
)
@click.option("--source", "source_id", default="article", show_default=True, help="Source id.")
def figures(article: Path, lang: str | None, fmt: str, source_id: str) -> None:
    """Print an article's numbers as figure entries to paste.

    Dates and years are left out. Each entry of ARTICLE's numbers has a suggested id, value,
    unit, scale, currency, qualifier and the excerpt that states it, under a comment naming
    its line; write its label and check the id.

    \b
    Examples:
      briefing figures article.txt              YAML to paste under figures:
      briefing figures article.txt -f json --source sora
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
    "-f",
    "--format",
    "fmt",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="Findings as lines, or as a JSON report for tools.",
)
@click.option(
    "-o",
    "--out",
    "out_dir",
    type=click.Path(path_type=Path),
    help="Keep the rendered PDF and PNGs here (default: thrown away).",
)
def audit(deck: Path, fmt: str, out_dir: Path | None) -> None:
    """Render a deck with LibreOffice and report its faults per slide.

    Finds in DECK text over text, text or chart over the master's artwork, low contrast, words
    broken inside, numbers split from their units, text outside the slide; exits 1 when there
    are any.

    \b
    Examples:
      briefing audit outputs/sora-zh.pptx
      briefing audit deck.pptx -f json -o look/   keeps the rendered PNGs in look/
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
    """Draw a deck as LibreOffice does: PNGs and a contact sheet.

    One PNG per slide and a contact sheet of them all. SOURCE is a .pptx deck, or a briefing
    (file or folder; default: the shipped one), which is built first into the same folder.

    \b
    Examples:
      briefing preview outputs/sora-zh.pptx -o look/
      briefing preview mybrief --lang en --dpi 100
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
@click.argument("source", required=False, type=click.Path(path_type=Path))
@click.option(
    "-f",
    "--format",
    "formats",
    multiple=True,
    metavar="FORMAT",
    help="What to build, repeatable: pptx, html, pdf, slides, deck-pdf or all.  "
    "[default: pptx; --serve adds html and slides]",
)
@PAPER_OPTION
@LANG_OPTION
@OUT_OPTION
@TEMPLATE_OPTION
@click.option("--serve", is_flag=True, help="Show slides and page in a browser tab that follows.")
@click.option(
    "--port",
    type=click.IntRange(0, 65535),
    default=8765,
    show_default=True,
    help="Port of --serve, on 127.0.0.1 only (0: any free port).",
)
def watch(source, formats, paper, lang, out_dir, template, serve: bool, port: int) -> None:
    """Rebuild on every save, with an optional live preview.

    Builds SOURCE, then again on every save of it, its source texts or its theme, in one warm
    process; each build prints one line: what changed, what was written, how long it took. A
    bad edit prints its errors and keeps the last good outputs. With --serve, a page on
    127.0.0.1 shows the slides, the summary and the check's findings, and reloads after each
    build. Ctrl-C stops.

    \b
    Examples:
      briefing watch mybrief -f all --lang en
      briefing watch mybrief --serve       then open http://127.0.0.1:8765/
    """
    from briefing.watch import run

    try:
        run(
            source,
            formats,
            lambda line, err: click.echo(line, err=err),
            compiler_style,
            serve=serve,
            port=port,
            lang=lang,
            out_dir=out_dir,
            template=template,
            paper=paper,
        )
    except BriefingError as error:
        _fail(error)


@main.command()
def schema() -> None:
    """Print the JSON Schema of briefing sources, for editors.

    Editors that read JSON Schema (VS Code's YAML extension, JetBrains IDEs) then complete
    and check the source's keys as you type.

    \b
    Example:
      briefing schema > briefing.schema.json
    """
    from briefing.model import Briefing

    click.echo(json.dumps(Briefing.model_json_schema(), ensure_ascii=False, indent=2))


@main.group()
def templates() -> None:
    """List, inspect and export themes and masters.

    \b
    Examples:
      briefing templates list
      briefing templates inspect corporate.potx
      briefing templates export default mytheme/
    """


@templates.command("list")
def templates_list() -> None:
    """List the themes that ship with briefing.

    \b
    Example:
      briefing templates list
    """
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
    """Show how a theme or master is read, and its faults.

    TEMPLATE is a shipped theme's name, a theme folder or a .pptx/.potx master: its layouts,
    placeholders, fonts, colours, the layout each slide kind is built on, and schema errors.

    \b
    Example:
      briefing templates inspect corporate.potx
    """
    from briefing.inspect import describe

    try:
        click.echo(describe(template))
    except BriefingError as error:
        _fail(error)


@templates.command("export")
@click.argument("name")
@click.argument("folder", type=click.Path(path_type=Path))
def templates_export(name: str, folder: Path) -> None:
    """Copy a shipped theme into FOLDER, to customise.

    \b
    Example:
      briefing templates export default mytheme/
      briefing build --template mytheme/
    """
    from briefing.theme import export_theme

    try:
        for path in export_theme(name, folder):
            click.echo(str(path))
    except BriefingError as error:
        _fail(error)


@main.group()
def fonts() -> None:
    """Put the shipped fonts where deck viewers look for fonts.

    PowerPoint, Keynote and LibreOffice draw the deck in our fonts only when they are
    installed on the presenting machine.

    \b
    Examples:
      briefing fonts list
      briefing fonts install --dry-run
    """


@fonts.command("install")
@click.option("--dry-run", is_flag=True, help="Say where and what would be copied; copy nothing.")
def fonts_install(dry_run: bool) -> None:
    """Copy the shipped fonts into your own font folder.

    No administrator rights are needed; fonts already there are left alone.

    \b
    Examples:
      briefing fonts install --dry-run   says where, copies nothing
      briefing fonts install
    """
    from briefing.font_install import Machine, install_fonts

    try:
        click.echo("\n".join(install_fonts(Machine.this(), dry_run=dry_run)))
    except BriefingError as error:
        _fail(error)


@fonts.command("list")
def fonts_list() -> None:
    """List the shipped fonts and whether your font folder has them.

    \b
    Example:
      briefing fonts list
    """
    from briefing.font_install import Machine, font_listing

    click.echo("\n".join(font_listing(Machine.this())))


@main.group()
def cache() -> None:
    """Show or empty the cache of fonts, charts and fitted pages.

    One cache per user serves every build and check, whatever the output folder. It is safe
    to delete; the next build makes what it needs again.

    \b
    Examples:
      briefing cache info
      briefing cache clear
      BRIEFING_CACHE_DIR=~/cache/briefing briefing build   a cache elsewhere
    """


@cache.command("info")
def cache_info() -> None:
    """Say where the cache is, how big, how many entries and its size cap.

    \b
    Example:
      briefing cache info
    """
    from briefing.cache import Cache, user_cache_folder

    store = Cache(user_cache_folder())
    count, size = store.size()
    click.echo(f"folder:  {store.folder}  (BRIEFING_CACHE_DIR moves it)")
    click.echo(f"entries: {count}, {_megabytes(size)}")
    click.echo(
        f"cap:     {_megabytes(store.max_bytes)}  (BRIEFING_CACHE_MAX_MB); past it, the entries "
        "used longest ago are deleted"
    )


@cache.command("clear")
def cache_clear() -> None:
    """Delete every entry of the cache, and say how many.

    \b
    Example:
      briefing cache clear
    """
    from briefing.cache import Cache, user_cache_folder

    store = Cache(user_cache_folder())
    count, size = store.clear()
    click.echo(f"removed {count} entries ({_megabytes(size)}) from {store.folder}")


def _megabytes(size: int) -> str:
    """A size in MB, or in KB below one MB (a fresh cache holds a few KB)."""
    return f"{size / 2**20:.1f} MB" if size >= 2**20 else f"{size / 2**10:.0f} KB"

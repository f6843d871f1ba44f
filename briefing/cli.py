"""The command line: parse arguments, call the api, turn BriefingError into exit status 1."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from briefing import __version__
from briefing.errors import BriefingError


def _fail(error: BriefingError) -> None:
    click.echo(f"error: {error}", err=True)
    sys.exit(error.exit_code)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="briefing")
def main() -> None:
    """Turn a briefing source into an executive deck and a one-page summary (HTML, PDF)."""


@main.command()
@click.argument("source", required=False, type=click.Path(path_type=Path))
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
def build(source: Path | None, fmt: str, paper: str, lang: str | None, out_dir: Path) -> None:
    """Build SOURCE (a briefing.yaml or its folder; default: the shipped briefing)."""
    from briefing.api import FORMATS
    from briefing.api import build as run_build

    formats = FORMATS if fmt == "all" else (fmt,)
    try:
        for path in run_build(source, formats, lang, out_dir, paper=paper):
            click.echo(str(path))
    except BriefingError as error:
        _fail(error)


@main.command()
def schema() -> None:
    """Print the JSON Schema of the briefing source format (for editor autocomplete)."""
    from briefing.model import Briefing

    click.echo(json.dumps(Briefing.model_json_schema(), ensure_ascii=False, indent=2))

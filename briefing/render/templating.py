"""A theme's jinja2 templates: found along its chain, sandboxed, their errors located."""

from __future__ import annotations

import functools
import os
import sys
from pathlib import Path

from briefing.errors import BriefingError
from briefing.theme import Theme


def render_template(theme: Theme, name: str, context: dict) -> str:
    """The theme's template `name` rendered with `context`; a template's fault is a located
    BriefingError."""
    from jinja2 import TemplateError

    try:
        return template_environment(theme).get_template(name).render(context)
    except TemplateError as error:
        raise BriefingError(template_message(error)) from None


def template_environment(theme: Theme):
    """Templates looked up along the theme's chain (first found wins, as MkDocs' Theme.dirs);
    each folder is also reachable by name, so "default/summary.html.j2" can be extended.
    Sandboxed: a theme someone sent you can lay out the page but not reach Python."""
    # Kept while the folders' files are unchanged: compiling the templates is most of a warm
    # page render (about 20 ms a template), and `briefing watch` renders again on every save.
    return _environment(tuple(_listing(folder) for folder in theme.folders))


def _listing(folder: Path) -> tuple[str, tuple[tuple[str, int, int], ...]]:
    """A folder and its files' names, sizes and change times: what a template lookup sees."""
    with os.scandir(folder) as entries:
        files = [(e.name, e.stat().st_size, e.stat().st_mtime_ns) for e in entries if e.is_file()]
    return str(folder), tuple(sorted(files))


@functools.lru_cache(maxsize=8)
def _environment(listings: tuple):
    """The sandboxed environment over the folders listed (see template_environment)."""
    from jinja2 import ChoiceLoader, FileSystemLoader, PrefixLoader, StrictUndefined
    from jinja2.sandbox import SandboxedEnvironment

    folders = [Path(folder) for folder, _ in listings]
    chain = FileSystemLoader([str(folder) for folder in folders])
    by_name = PrefixLoader({folder.name: FileSystemLoader(str(folder)) for folder in folders})
    return SandboxedEnvironment(
        loader=ChoiceLoader([chain, by_name]),
        autoescape=True,
        undefined=StrictUndefined,
        keep_trailing_newline=True,
    )


def template_message(error) -> str:
    """Name the template file and line of a jinja2 error."""
    from jinja2 import TemplateSyntaxError

    if isinstance(error, TemplateSyntaxError):
        return f"{error.filename or error.name}:{error.lineno}: template error: {error.message}"
    frame = sys.exc_info()[2]
    where = ""
    while frame is not None:
        code = frame.tb_frame.f_code
        if code.co_filename.endswith((".j2", ".html")):
            where = f"{code.co_filename}:{frame.tb_lineno}: "
        frame = frame.tb_next
    return f"{where}template error: {error}"

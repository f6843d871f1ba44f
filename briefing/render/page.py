"""The one-page summary as HTML: jinja2 template, inline SVG charts, embedded subset fonts."""

from __future__ import annotations

import json
import sys
from dataclasses import dataclass

from markupsafe import Markup, escape

from briefing.cache import Cache
from briefing.charts import chart_values
from briefing.citations import figures_of_chart, format_date, inputs_of
from briefing.errors import BriefingError
from briefing.inputs import read_input
from briefing.linebreak import BREAKING_SPACES, break_offsets, glue_spans, is_wide
from briefing.model import LANG_TAG, Briefing, pick
from briefing.numbers import format_figure
from briefing.render.charts_mpl import cached_chart_svg
from briefing.render.webfonts import FontFace, embedded_css, font_faces
from briefing.richtext import figure_parts, fill, runs
from briefing.theme import MAX_THEME_FILE, Theme
from briefing.typography import display_text
from briefing.words import page_labels

TEMPLATE = "summary.html.j2"
STYLESHEET = "summary.css"
FONT_SLOT = "/*@font-face*/"  # where the template wants the @font-face rules
FONT_SCHEME = "briefing-font"  # URLs of fonts served to the printer from memory
DENSITIES = (0, 1, 2, 3)  # 0 is the designed size; each step is smaller, 3 is the floor


@dataclass(frozen=True)
class Paper:
    """A paper size for print CSS."""

    name: str
    css: str


PAPERS = {"a4": Paper("a4", "A4"), "letter": Paper("letter", "letter")}


class PageBuilder:
    """Renders the page of one briefing in one language; charts are drawn once and reused."""

    def __init__(self, briefing: Briefing, theme: Theme, lang: str, cache: Cache | None = None):
        self.briefing = briefing
        self.theme = theme
        self.lang = lang
        self.labels = page_labels(lang)
        self.source_numbers = {s.id: n for n, s in enumerate(briefing.sources, start=1)}
        self.cache = cache or Cache(None)
        self._context: dict | None = None
        self._faces: list[FontFace] | None = None
        self._pages: dict[tuple[str, int], str] = {}

    def html(self, paper: Paper, density: int) -> str:
        """The whole page for a paper size at a density step, fonts embedded: one file."""
        page = self._page(paper, density)
        return page.replace(FONT_SLOT, embedded_css(self.faces(page)), 1)

    def print_html(self, paper: Paper, density: int) -> tuple[str, dict[str, bytes]]:
        """The same page for the printer, fonts linked by URL, with the bytes each URL serves.

        WeasyPrint tokenises every character of its CSS; the base64 fonts cost it about 0.3 s
        a render, a link costs nothing."""
        page = self._page(paper, density)
        faces = self.faces(page)
        fonts = {f"{FONT_SCHEME}:{index}": face.data for index, face in enumerate(faces)}
        rules = "\n".join(face.rule(url) for url, face in zip(fonts, faces))
        return page.replace(FONT_SLOT, rules, 1), fonts

    def faces(self, page: str) -> list[FontFace]:
        """The subset fonts of the page (made from its first rendering, then reused)."""
        if self._faces is None:
            # Every character of the page (tag letters are Latin and cost nothing to keep).
            self._faces = font_faces(self.theme, page, self.cache)
        return self._faces

    def _page(self, paper: Paper, density: int) -> str:
        """The template rendered once per paper and density (the cache key, the printer and
        the written file each ask for the same page)."""
        from jinja2 import TemplateError

        key = (paper.name, density)
        if key not in self._pages:
            context = {**self.context(), "paper": paper.css, "density": density}
            try:
                template = _environment(self.theme).get_template(TEMPLATE)
                self._pages[key] = template.render(context)
            except TemplateError as error:
                raise BriefingError(_template_message(error)) from None
        return self._pages[key]

    def context(self) -> dict:
        """Everything the template shows, computed once."""
        if self._context is None:
            self._context = self._build_context()
        return self._context

    def _build_context(self) -> dict:
        briefing, lang = self.briefing, self.lang
        meta = briefing.meta
        summary = next((s for s in briefing.slides if s.kind == "summary"), None)
        actions = next((s for s in briefing.slides if s.kind == "recommendations"), None)
        chart_ids = briefing.page.charts or [c.id for c in briefing.charts][:3]
        number_ids = (
            briefing.page.numbers
            or [item.figure for s in briefing.slides if s.kind == "kpi" for item in s.items][:5]
        )
        return {
            "lang": LANG_TAG.get(lang, lang),
            "labels": self.labels,
            # Chinese takes full-width punctuation, which carries its own space.
            "punct": {"colon": "：", "open": "（", "close": "）"}
            if lang == "zh"
            else {"colon": ": ", "open": " (", "close": ")"},
            "title": self.rich(meta.title),
            "subtitle": self.rich(meta.subtitle),
            "date": format_date(meta.date, lang),
            "audience": self.rich(meta.audience),
            "author": typeset(
                ", ".join(filter(None, [self.plain(meta.author), self.plain(meta.organisation)]))
            ),
            "classification": self.rich(meta.classification),
            "numbers": [self._number(briefing.figure(i)) for i in number_ids],
            "takeaways_title": self.rich(summary.title) if summary else "",
            "takeaways": [self.rich(p) for p in summary.points] if summary else [],
            "actions_title": self.rich(actions.title) if actions else "",
            "actions": [
                {"action": self.rich(i.action), "why": self.rich(i.why)} for i in actions.items
            ]
            if actions
            else [],
            "charts": [self._chart(briefing.chart(i)) for i in chart_ids],
            "sources": [
                {
                    "number": self.source_numbers[s.id],
                    "id": s.id,
                    "outlet": self.rich(s.outlet),
                    "title": self.rich(s.title),
                    "date": format_date(s.date, lang),
                    "url": s.url,
                    "url_text": typeset(s.url) if s.url else "",
                }
                for s in briefing.sources
            ],
            "tokens": self.theme.colors.model_dump() | {"fonts": self.theme.fonts.model_dump()},
            "css": Markup(_stylesheet(self.theme)),
        }

    def plain(self, text) -> str:
        """A text in this language with figures written out, no markup, as displayed."""
        return display_text(fill(text, self.lang, self.briefing))

    def rich(self, text) -> Markup:
        """A text as safe HTML: escaped, emphasis as <strong>/<em>, figures with their source."""
        pieces = []
        # A reference holds no "*": emphasis is split first, then each run's references.
        for run in runs(display_text(pick(text, self.lang))):
            html = "".join(
                str(self._figure_html(part) if is_figure else typeset(part))
                for part, is_figure in figure_parts(run.text)
            )
            if run.bold:
                html = f"<strong>{html}</strong>"
            if run.italic:
                html = f"<em>{html}</em>"
            pieces.append(html)
        return Markup("".join(pieces))

    def _figure_html(self, figure_id: str) -> Markup:
        figure = self.briefing.figure(figure_id)
        value = escape(display_text(format_figure(figure, self.lang)))
        return Markup(
            f'<span class="figure" data-figure="{figure.id}">{value}'
            f"{self._source_marks(figure)}</span>"
        )

    def _sources_of(self, figures) -> list[int]:
        """The numbers of the sources a set of figures rests on."""
        return sorted(
            {
                self.source_numbers[f.source]
                for fig in figures
                for f in inputs_of(self.briefing, fig)
            }
        )

    def _source_marks(self, figure) -> Markup:
        numbers = self._sources_of([figure])
        if not numbers:
            return Markup("")  # a derived constant (an index base) rests on no source
        links = ",".join(f'<a href="#source-{n}">{n}</a>' for n in numbers)
        return Markup(f'<sup class="cite">{links}</sup>')

    def _number(self, figure) -> dict:
        cited = [pick(f.cited, self.lang) for f in inputs_of(self.briefing, figure) if f.cited]
        return {
            "id": figure.id,
            "value": typeset(display_text(format_figure(figure, self.lang))),
            "label": typeset(self.plain(figure.label)),
            "cited": "、".join(dict.fromkeys(cited))
            if self.lang == "zh"
            else ", ".join(dict.fromkeys(cited)),
            "marks": self._source_marks(figure),
            "derived": self.plain(figure.derived.explain) if figure.derived else "",
        }

    def _chart(self, chart) -> dict:
        numbers = self._sources_of(figures_of_chart(self.briefing, chart))
        return {
            "id": chart.id,
            "title": typeset(self.plain(chart.title)),
            "svg": Markup(
                cached_chart_svg(self.briefing, chart, self.theme, self.lang, self.cache)
            ),
            "note": self.rich(chart.note),
            "data": json.dumps(chart_values(self.briefing, chart)),
            "sources": Markup(",".join(f'<a href="#source-{n}">{n}</a>' for n in numbers)),
        }


def typeset(text: str) -> Markup:
    """Escaped HTML that breaks where the deck's measure may: each Chinese phrase an inline
    block (kept whole unless longer than the line), a number with its unit in a no-wrap span,
    <wbr> at the break opportunities inside Latin words (URLs). WeasyPrint ignores
    `word-break: keep-all` (measured with version 70), so the phrases carry it themselves."""
    offsets = set(break_offsets(text))
    # Only where a browser would break inside: at a space, or where digits meet Chinese.
    glued = {
        (a, b)
        for a, b in glue_spans(text)
        if not any(a < i < b for i in offsets) and any(c.isspace() or is_wide(c) for c in text[a:b])
    }
    bounds = sorted(offsets | {0, len(text)} | {edge for span in glued for edge in span})
    html = []
    for a, b in zip(bounds, bounds[1:]):
        piece = text[a:b]
        word = piece.rstrip()
        # Chinese needs none: an inline block, or a lone character, breaks on either side.
        latin = a in offsets and not (is_wide(text[a - 1]) or is_wide(text[a]))
        if latin and text[a - 1] not in BREAKING_SPACES:
            html.append("<wbr>")
        if (a, a + len(word)) in glued or (a, b) in glued:
            html.append(f'<span class="nowrap">{escape(word)}</span>')
        elif sum(is_wide(c) for c in word) >= 2:
            html.append(f'<span class="phrase">{escape(word)}</span>')
        else:
            html.append(str(escape(word)))
        html.append(str(escape(piece[len(word) :])))
    return Markup("".join(html))


def _environment(theme: Theme):
    """Templates looked up along the theme's chain (first found wins, as MkDocs' Theme.dirs);
    each folder is also reachable by name, so "default/summary.html.j2" can be extended.
    Sandboxed: a theme someone sent you can lay out the page but not reach Python."""
    from jinja2 import ChoiceLoader, FileSystemLoader, PrefixLoader, StrictUndefined
    from jinja2.sandbox import SandboxedEnvironment

    chain = FileSystemLoader([str(folder) for folder in theme.folders])
    by_name = PrefixLoader({folder.name: FileSystemLoader(str(folder)) for folder in theme.folders})
    return SandboxedEnvironment(
        loader=ChoiceLoader([chain, by_name]),
        autoescape=True,
        undefined=StrictUndefined,
        keep_trailing_newline=True,
    )


def _stylesheet(theme: Theme) -> str:
    """The theme's CSS with its tokens as custom properties in front."""
    path = theme.find(STYLESHEET)
    css = read_input(path, MAX_THEME_FILE, "a theme stylesheet").decode("utf-8") if path else ""
    colors = theme.colors.model_dump()
    variables = "".join(
        f"--color-{k.replace('_', '-')}:#{v};" for k, v in colors.items() if isinstance(v, str)
    )
    variables += "".join(f"--series-{i}:#{c};" for i, c in enumerate(colors["series"]))
    variables += f'--font-latin:"{theme.fonts.latin}";--font-east-asian:"{theme.fonts.east_asian}";'
    return f":root{{{variables}}}\n{css}"


def _template_message(error) -> str:
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

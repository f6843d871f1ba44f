"""The one-page summary as HTML: jinja2 template, inline SVG charts, embedded subset fonts."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass

from markupsafe import Markup, escape

from briefing.alt_text import chart_alt, labelled_svg
from briefing.cache import Cache
from briefing.charts import chart_values
from briefing.citations import figures_of_chart, format_date, inputs_of
from briefing.inputs import read_input
from briefing.linebreak import BREAKING_SPACES, break_offsets, glue_spans, is_wide
from briefing.model import LANG_TAG, Briefing, pick
from briefing.numbers import format_figure
from briefing.render.charts_mpl import (
    HEIGHT_IN,
    LABEL_PT,
    WIDTH_IN,
    cached_chart_svg,
    chart_cached,
)
from briefing.render.column_heading import column_heading
from briefing.render.templating import render_template
from briefing.render.webfonts import (
    FontFace,
    embedded_css,
    font_faces,
    linked_css,
    measuring_fonts,
)
from briefing.richtext import figure_parts, fill, runs, shown
from briefing.theme import MAX_THEME_FILE, Theme
from briefing.typography import display_text
from briefing.words import page_labels

TEMPLATE = "summary.html.j2"
STYLESHEET = "summary.css"
FONT_SLOT = "/*@font-face*/"  # where the template wants the @font-face rules
ENDING_MARKS = set(".!?。！？：:；;")
DENSITIES = (0, 1, 2, 3)  # 0 is the designed type size; each step is smaller, 3 is the floor
TYPE_PT = (10.5, 9.8, 9.0, 8.0)  # the type size of each density (summary.css sets them)
MARGIN_MM = (10, 11)  # the sheet's margins, top and bottom, left and right
CHART_GAP_MM = 4
MIN_CHART_PT = 7.0  # the smallest chart text the PDF may print
GROWN = 1.25  # a chart grown into free space: this many times its least width, at most
SURE_FIT = 0.96  # a step estimated at this share of the sheet or less fits (likely_fit)


@dataclass(frozen=True)
class Paper:
    """A paper size for print CSS."""

    name: str
    css: str
    width_mm: float

    @property
    def content_mm(self) -> float:
        """The width inside the margins."""
        return self.width_mm - 2 * MARGIN_MM[1]


PAPERS = {"a4": Paper("a4", "A4", 210), "letter": Paper("letter", "letter", 215.9)}


@dataclass(frozen=True)
class Fit:
    """One try at fitting the page on its sheet: the type's density step, whether the charts
    are grown into free space or at their least width, and how many charts are shown."""

    density: int
    grown: bool
    shown: int


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
        self._measuring: dict | None = None  # the context with empty drawings (measuring_html)
        self._faces: list[FontFace] | None = None
        self._pages: dict[tuple[str, int], str] = {}
        self.warnings: list[str] = []  # what the page left out or took from elsewhere

    @property
    def fits(self) -> list[Fit]:
        """The tries in order: charts grown into free space, then at their least width (text
        at 7 pt) while the type shrinks to its floor; then the last chart left out, the type
        back at its designed size and shrinking again, and so on."""
        return _fits(len(self.context()["charts"]))

    def likely_fit(self, paper: Paper, tried: int, heights: tuple[float, float, float]) -> int:
        """The first step after `tried` that will fit, judged from how tall `tried` came out:
        the text scaled with the type's size squared, the charts with their width and rows.
        The estimate runs a little short (a page breaks before its last line is full): steps
        estimated at 0.964 of the sheet missed and 0.956 fitted, measured on both briefings,
        so a step must be estimated at SURE_FIT of the sheet or less. The fitting tries the
        step before it too, so an estimate too low costs a try, not type."""
        needed, charts, sheet = heights
        fits, last = self.fits, len(self.fits) - 1
        before = fits[tried]
        drawn, drawn_rows = _chart_heights(self.context()["charts"], paper, before)
        # Running text grows with the square of its size (taller lines, and more of them).
        text = (needed - charts) / TYPE_PT[before.density] ** 2
        captions = max(0.0, charts - drawn) / TYPE_PT[before.density] / max(1, drawn_rows)
        for step in range(tried + 1, last):
            fit = fits[step]
            svg, rows = _chart_heights(self.context()["charts"], paper, fit)
            size = TYPE_PT[fit.density]
            guess = text * size**2 + captions * rows * size + svg
            if guess <= sheet * SURE_FIT:
                return step
        return last

    def left_out(self, paper: Paper, step: int) -> list[str]:
        """A warning for each chart the page leaves out at this step, saying why."""
        charts = self.context()["charts"]
        shown = self.fits[step].shown
        return [
            f"the page leaves out chart '{chart['id']}': {len(charts)} charts with their text at "
            f"{MIN_CHART_PT:g} pt or more do not fit one {paper.css} sheet beside the text, even "
            "at the smallest type; list fewer in page.charts or shorten the text"
            for chart in charts[shown:]
        ]

    def html(self, paper: Paper, step: int) -> str:
        """The whole page for a paper size at a fitting step, fonts embedded: one file."""
        page = self._page(paper, step)
        return page.replace(FONT_SLOT, embedded_css(self.faces(page)), 1)

    def print_html(self, paper: Paper, step: int) -> tuple[str, dict[str, bytes]]:
        """The same page for the printer, fonts linked by URL, with the bytes each URL serves.

        WeasyPrint tokenises every character of its CSS; the base64 fonts cost it about 0.3 s
        a render, a link costs nothing."""
        page = self._page(paper, step)
        faces = self.faces(page)
        rules, fonts = linked_css(faces)
        return page.replace(FONT_SLOT, rules, 1), fonts

    def faces(self, page: str) -> list[FontFace]:
        """The subset fonts of the page (made from its first rendering, then reused)."""
        if self._faces is None:
            # Every character of the page (tag letters are Latin and cost nothing to keep).
            self._faces = font_faces(self.theme, page, self.cache)
        return self._faces

    def _page(self, paper: Paper, step: int) -> str:
        """The template rendered once per paper and fitting step (the cache key, the printer
        and the written file each ask for the same page)."""

        key = (paper.name, step)
        if key not in self._pages:
            self._pages[key] = self._render(self.context(), paper, self.fits[step])
        return self._pages[key]

    def _render(self, context: dict, paper: Paper, fit: Fit) -> str:
        charts = context["charts"][: fit.shown]
        context = {
            **context,
            "paper": paper.css,
            "margin": f"{MARGIN_MM[0]}mm {MARGIN_MM[1]}mm",
            "density": fit.density,
            "charts": charts,
            "chart_css": Markup(_chart_css(charts, paper, fit.grown)),
        }
        return render_template(self.theme, TEMPLATE, context)

    def charts_drawn(self) -> bool:
        """Whether every chart of the page is in the cache (else drawing them imports
        matplotlib: a first build)."""
        ids = self.briefing.page.charts or [c.id for c in self.briefing.charts]
        return all(
            chart_cached(self.briefing, self.briefing.chart(i), self.theme, self.lang, self.cache)
            for i in ids
        )

    def measuring_html(self, paper: Paper) -> tuple[str, dict]:
        """The first step's page before any chart is drawn, with what makes the fonts it links
        (for the printer to call): each drawing an empty box of the size it will have
        (matplotlib draws every chart at one size, its smallest type LABEL_PT), the fonts those
        of the page, not compressed. WeasyPrint lays it out as the drawn page (the same text and
        boxes) while the charts are drawn; `measured_as_drawn` says afterwards whether the
        drawings kept those sizes."""
        if self._measuring is None:
            self._measuring = self._build_context(drawn=False)
        # The first step, counted from the charts to be drawn (`fits` would draw them).
        page = self._render(self._measuring, paper, _fits(len(self._measuring["charts"]))[0])
        rules, fonts = measuring_fonts(self.theme, page)
        return page.replace(FONT_SLOT, rules, 1), fonts

    def measured_as_drawn(self) -> bool:
        """Whether the charts drawn have the sizes the measuring page gave their boxes."""

        def sizes(context):
            return [(c["least_mm"], c["aspect"]) for c in context["charts"]]

        return self._measuring is not None and sizes(self._measuring) == sizes(self.context())

    def context(self) -> dict:
        """Everything the template shows, computed once."""
        if self._context is None and self._measuring is not None:
            # Measured before: only the charts are new (the rest, warnings too, is made once).
            drawn = [self._chart(self.briefing.chart(c["id"])) for c in self._measuring["charts"]]
            self._context = {**self._measuring, "charts": drawn}
        elif self._context is None:
            self._context = self._build_context()
        return self._context

    def _build_context(self, drawn: bool = True) -> dict:
        briefing, lang = self.briefing, self.lang
        meta = briefing.meta
        actions = next((s for s in briefing.slides if s.kind == "recommendations"), None)
        chart_ids = briefing.page.charts or [c.id for c in briefing.charts]
        takeaways_kicker, takeaways_title, takeaways = self._takeaways()
        # The section label says what a slide's kicker says there: the kicker leads it.
        actions_kicker, actions_title = column_heading(actions and actions.title, lang)
        return {
            "lang": LANG_TAG.get(lang, lang),
            "labels": self.labels,
            # Chinese takes full-width punctuation, which carries its own space.
            "punct": {"colon": "：", "open": "（", "close": "）", "stop": "。", "gap": ""}
            if lang == "zh"
            else {"colon": ": ", "open": " (", "close": ")", "stop": ".", "gap": " "},
            "title": self.rich(meta.title),
            "subtitle": self.rich(meta.subtitle),
            "date": format_date(meta.date, lang),
            "audience": self.rich(meta.audience),
            "author": typeset(
                ", ".join(filter(None, [self.plain(meta.author), self.plain(meta.organisation)]))
            ),
            "classification": self.rich(meta.classification),
            "numbers": self._numbers(),
            "takeaways_kicker": takeaways_kicker,
            "takeaways_title": takeaways_title,
            "takeaways": takeaways,
            "actions_kicker": actions_kicker,
            "actions_title": self.rich(actions_title) if actions else "",
            "actions": [
                {
                    "action": self.rich(i.action),
                    "why": self.rich(i.why),
                    # A reason follows a full stop unless the action ends on its own mark.
                    "ended": self.plain(i.action).rstrip()[-1:] in ENDING_MARKS,
                }
                for i in actions.items
            ]
            if actions
            else [],
            "charts": [self._chart(briefing.chart(i), drawn) for i in chart_ids],
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

    def _takeaways(self) -> tuple[str, Markup, list[Markup]]:
        """The summary slide's kicker, title and points; without one, the chart slides' titles
        (their conclusions), then the charts' own titles, with a warning."""
        slides = self.briefing.slides
        summary = next((s for s in slides if s.kind == "summary"), None)
        if summary is not None:
            kicker, title = column_heading(summary.title, self.lang)
            return kicker, self.rich(title), [self.rich(p) for p in summary.points]
        titles = [s.title for s in slides if s.kind == "chart" and s.title]
        taken = "the chart slides' titles"
        if not titles:
            titles, taken = [c.title for c in self.briefing.charts], "the charts' titles"
        if not titles:
            self.warnings.append(
                "the page has no takeaways: the briefing has no summary slide and no charts; "
                "add a slide of kind 'summary' with points"
            )
            return "", Markup(""), []
        self.warnings.append(
            f"the page's takeaways are {taken}: the briefing has no summary slide; add a slide "
            "of kind 'summary' with points"
        )
        return "", Markup(""), [self.rich(t) for t in titles]

    def _numbers(self) -> list[dict]:
        """The key-number strip: page.numbers, else the KPI slides' figures; a label given
        on a KPI slide is the one shown."""
        items = [item for s in self.briefing.slides if s.kind == "kpi" for item in s.items]
        labels = {item.figure: item.label for item in items if item.label}
        ids = self.briefing.page.numbers or [item.figure for item in items][:5]
        return [self._number(self.briefing.figure(i), labels.get(i)) for i in ids]

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

    def _figure_html(self, reference: str) -> Markup:
        figure = self.briefing.figure(reference.partition(":")[0])  # id, or id:abs
        value = escape(display_text(shown(reference, self.lang, self.briefing)))
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

    def _number(self, figure, label=None) -> dict:
        cited = [pick(f.cited, self.lang) for f in inputs_of(self.briefing, figure) if f.cited]
        return {
            "id": figure.id,
            "value": typeset(display_text(format_figure(figure, self.lang))),
            "label": typeset(self.plain(label or figure.label)),
            "cited": "、".join(dict.fromkeys(cited))
            if self.lang == "zh"
            else ", ".join(dict.fromkeys(cited)),
            "marks": self._source_marks(figure),
            "derived": self.plain(figure.derived.explain) if figure.derived else "",
        }

    def _chart(self, chart, drawn: bool = True) -> dict:
        numbers = self._sources_of(figures_of_chart(self.briefing, chart))
        if drawn:
            svg = cached_chart_svg(self.briefing, chart, self.theme, self.lang, self.cache)
        else:  # an empty drawing of the size matplotlib draws at, its text at LABEL_PT
            width, height = WIDTH_IN * 72, HEIGHT_IN * 72
            svg = (
                f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width:g} {height:g}">'
                f'<g style="font-size: {LABEL_PT:g}px"></g></svg>'
            )
        return {
            "id": chart.id,
            "title": typeset(self.plain(chart.title)),
            "svg": Markup(labelled_svg(svg, chart_alt(self.briefing, chart, self.lang))),
            "least_mm": least_width_mm(svg),
            "aspect": _aspect(svg),
            "note": self.rich(chart.note),
            "data": json.dumps(chart_values(self.briefing, chart)),
            "sources": Markup(",".join(f'<a href="#source-{n}">{n}</a>' for n in numbers)),
        }


def _fits(count: int) -> list[Fit]:
    """The fitting steps of a page with `count` charts (PageBuilder.fits)."""
    first = [Fit(0, True, count)] if count else []
    return first + [
        Fit(density, False, shown) for shown in range(count, -1, -1) for density in DENSITIES
    ]


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


def least_width_mm(svg: str) -> float:
    """The narrowest a chart may be printed with its smallest text at MIN_CHART_PT: the
    drawing's width (in points at its natural size) over its smallest font size."""
    width = float(re.search(r'viewBox="[\d.]+ [\d.]+ ([\d.]+)', svg).group(1))
    sizes = [float(size) for size in re.findall(r"font-size:\s*([\d.]+)px", svg)]
    smallest = min(sizes, default=MIN_CHART_PT)
    return width * MIN_CHART_PT / smallest * 25.4 / 72


def _aspect(svg: str) -> float:
    """A drawing's height over its width."""
    _, _, width, height = (float(v) for v in re.search(r'viewBox="([^"]+)"', svg).group(1).split())
    return height / width


def _chart_columns(charts: list[dict], paper: Paper, grown: bool) -> tuple[int, float, float]:
    """How many charts a row holds, the width of each one's cell and of its drawing (mm)."""
    least = max(chart["least_mm"] for chart in charts)
    fit = int((paper.content_mm + CHART_GAP_MM) // (least + CHART_GAP_MM))
    columns = max(1, min(len(charts), fit))
    # A hair under the exact share: rounding must not push the last column onto a new line.
    cell = (paper.content_mm - (columns - 1) * CHART_GAP_MM) / columns - 0.2
    width = max(least, min(cell, least * GROWN)) if grown else least
    return columns, cell, width


def _chart_heights(charts: list[dict], paper: Paper, fit: Fit) -> tuple[float, int]:
    """The height of the drawings a fit shows (CSS px) and the rows they take."""
    shown = charts[: fit.shown]
    if not shown:
        return 0.0, 0
    columns, _, width = _chart_columns(shown, paper, fit.grown)
    rows = -(-len(shown) // columns)
    tallest = max(chart["aspect"] for chart in shown)
    return rows * width * tallest * 96 / 25.4, rows


def _chart_css(charts: list[dict], paper: Paper, grown: bool) -> str:
    """Print rules sizing the charts: as many columns as hold the widest one at its least
    width, each chart at that width, or grown towards its column's. Inline blocks, not the
    screen's grid: WeasyPrint 70 fails on an assertion when a grid runs onto a second sheet."""
    if not charts:
        return ""
    columns, cell, width = _chart_columns(charts, paper, grown)
    return (
        "@media print {"
        " .charts { display: block; font-size: 0; }"
        f" .chart {{ display: inline-block; vertical-align: top; width: {cell:.1f}mm;"
        f" margin: 0 0 0.6rem {CHART_GAP_MM}mm; font-size: 1rem; }}"
        f" .chart:nth-child({columns}n+1) {{ margin-left: 0; }}"
        f" .chart svg {{ width: {width:.1f}mm; }}"
        # A chart alone on the last row takes the row, its note beside it, not below.
        f" .chart:nth-child({columns}n+1):last-child {{ width: 100%; }}"
        f" .chart:nth-child({columns}n+1):last-child svg"
        f" {{ float: left; margin-right: {CHART_GAP_MM}mm; }}"
        " }"
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

"""The deck's charts drawn with matplotlib as SVG for the page: same numbers, colours, formats."""

from __future__ import annotations

import io
import json
import logging
import re
import warnings
from functools import lru_cache

from briefing.cache import Cache, code_stamp
from briefing.charts import ChartRoom, chart_axes, chart_values, drawn_kind, shown_format
from briefing.measure import TextMeasure
from briefing.model import FIGURE_REFERENCE, Briefing, Chart, ChartKind
from briefing.numbers import excel_format
from briefing.references import texts
from briefing.richtext import fill
from briefing.theme import Theme

WIDTH_IN, HEIGHT_IN = 3.3, 2.5
LABEL_PT = 7.5


@lru_cache(maxsize=1)
def _pyplot():
    """Import matplotlib once, headless, with the shipped fonts registered."""
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import font_manager
    from matplotlib import pyplot as plt

    from briefing.fonts import SHIPPED

    for locate in SHIPPED.values():
        files = locate()
        font_manager.fontManager.addfont(str(files.regular))
        font_manager.fontManager.addfont(str(files.bold))
    # Deterministic SVG: fixed id salt, no date, text kept as text (selectable, small).
    matplotlib.rcParams.update({"svg.hashsalt": "briefing", "svg.fonttype": "none"})
    # A theme font we do not ship falls back to ours (listed after it) without a word per glyph.
    logging.getLogger("matplotlib.font_manager").setLevel(logging.ERROR)
    return plt


def cached_chart_svg(
    briefing: Briefing, chart: Chart, theme: Theme, lang: str, cache: Cache
) -> str:
    """A chart's SVG from the cache, drawn on a miss; the key holds only what the chart shows."""
    return cache.get_or_make(
        _chart_key(briefing, chart, theme, lang),
        lambda: chart_svg(briefing, chart, theme, lang, cache).encode("utf-8"),
        decode=lambda data: data.decode("utf-8"),
    )


def chart_cached(briefing: Briefing, chart: Chart, theme: Theme, lang: str, cache: Cache) -> bool:
    """Whether the chart's SVG is in the cache (a first build draws it, importing matplotlib)."""
    return cache.get(_chart_key(briefing, chart, theme, lang)) is not None


def _chart_key(briefing: Briefing, chart: Chart, theme: Theme, lang: str) -> tuple:
    figures = {
        f.id: f.model_dump(mode="json") for f in briefing.figures if f.id in _referenced(chart)
    }
    return (
        "chart-svg",
        code_stamp(__name__),
        chart.model_dump_json(),
        json.dumps(figures, sort_keys=True),
        theme.model_dump_json(exclude={"folders", "master_path"}),
        lang,
    )


def _referenced(chart: Chart) -> set[str]:
    ids = {figure_id for series in chart.series for figure_id in series.values}
    for _, text in texts(chart):
        for value in text.values():
            ids |= set(FIGURE_REFERENCE.findall(value))
    return ids


def chart_svg(
    briefing: Briefing,
    chart: Chart,
    theme: Theme,
    lang: str,
    cache: Cache | None = None,
    size: tuple[float, float] = (WIDTH_IN, HEIGHT_IN),
    label_pt: float = LABEL_PT,
) -> str:
    """One chart as an SVG element (no XML declaration), its fonts named by the theme; `size`
    in inches and `label_pt` let the slides draw it at the deck chart's size and type."""
    plt = _pyplot()
    families = [_file_family(theme.fonts.latin), _file_family(theme.fonts.east_asian)]
    colors = theme.colors
    with plt.rc_context(
        {
            # The shipped families follow, for glyphs (or whole fonts) the theme's lack here.
            "font.family": [
                *families,
                _file_family("Source Sans Pro"),
                _file_family("Noto Sans CJK"),
            ],
            "font.size": label_pt,
            "axes.edgecolor": f"#{colors.muted}",
            "axes.labelcolor": f"#{colors.muted}",
            "xtick.color": f"#{colors.text}",
            "ytick.color": f"#{colors.muted}",
            "text.color": f"#{colors.text}",
        }
    ):
        buffer = io.StringIO()
        with warnings.catch_warnings():
            # A glyph no font has is a box in any output, not news for the terminal: matplotlib
            # would print a warning per glyph and per draw, naming font files, not fields.
            warnings.filterwarnings("ignore", r"Glyph \d+ .*missing from", UserWarning)
            figure, axes = plt.subplots(figsize=size)
            _draw(axes, briefing, chart, theme, lang, cache, label_pt, size)
            figure.tight_layout(pad=0.4)
            # Transparent: the page's own background (light or dark theme) shows through.
            figure.savefig(
                buffer,
                format="svg",
                transparent=True,
                metadata={"Date": None, "Creator": "briefing"},
            )
            plt.close(figure)
    svg = buffer.getvalue()
    svg = svg[svg.index("<svg") :]
    # Name the theme's fonts (the page embeds them under those names), not the files' own.
    for family, token in zip(families, (theme.fonts.latin, theme.fonts.east_asian)):
        svg = svg.replace(family, token)
    # Three charts share one page: give each its own ids (clip paths) so none shadows another.
    svg = re.sub(r'id="([^"]+)"', rf'id="{chart.id}-\1"', svg)
    svg = re.sub(r'(url\(#|href="#)([^")]+)', rf"\1{chart.id}-\2", svg)
    return re.sub(r'\s(width|height)="[\d.]+pt"', "", svg, count=2)


def _draw(
    axes,
    briefing: Briefing,
    chart: Chart,
    theme: Theme,
    lang: str,
    cache,
    label_pt: float,
    size: tuple[float, float] = (WIDTH_IN, HEIGHT_IN),
) -> None:
    measure = TextMeasure(theme.fonts.latin, theme.fonts.east_asian, cache)
    labels = [fill(c, lang, briefing) for c in chart.categories]
    kind = drawn_kind(chart, labels, measure, label_pt)
    room = ChartRoom(size[0] * 72, size[1] * 72, label_pt)  # its axes fit the drawing's size
    said = f"{fill(chart.title, lang, briefing)} {fill(chart.value_axis.title, lang, briefing)}"
    axis, categories = chart_axes(briefing, chart, kind, labels, measure, room, said)
    number_format = shown_format(briefing, chart)
    values = chart_values(briefing, chart)
    count = len(chart.series)
    positions = range(len(chart.categories))
    width = 0.7 / count
    for index, (series, row) in enumerate(zip(chart.series, values)):
        color = f"#{theme.colors.series[index % len(theme.colors.series)]}"
        name = fill(series.name, lang, briefing)
        offsets = [p + (index - (count - 1) / 2) * width for p in positions]
        if kind is ChartKind.line:
            axes.plot(list(positions), row, marker="o", color=color, linewidth=2, label=name)
            for x, y in zip(positions, row):
                # Clear of the marker (about 6 pt across): the label's bottom 6 pt above its centre.
                axes.annotate(
                    excel_format(y, number_format),
                    (x, y),
                    ha="center",
                    va="bottom",
                    textcoords="offset points",
                    xytext=(0, 6),
                    fontweight="bold",
                )
            continue
        if kind is ChartKind.bar:
            artist = axes.barh(offsets, row, height=width, color=color, label=name)
        else:
            artist = axes.bar(offsets, row, width=width, color=color, label=name)
        # bar_label puts a negative bar's label past its end, below or left of it, as the deck.
        axes.bar_label(
            artist,
            labels=[excel_format(v, number_format) for v in row],
            padding=2,
            fontweight="bold",
        )
    _format_axes(axes, briefing, chart, kind, (axis, categories), number_format, theme, lang)
    if count > 1:
        # Below the axes, outside them, as the deck's legend: it never covers data.
        axes.legend(
            frameon=False,
            loc="upper center",
            bbox_to_anchor=(0.5, -0.12 if kind is ChartKind.bar else -0.22),
            ncol=count,
        )


def _format_axes(
    axes, briefing, chart: Chart, kind: ChartKind, drawn, number_format, theme, lang
) -> None:
    from matplotlib.ticker import FixedLocator, FuncFormatter, NullLocator

    axis, categories = drawn  # as the deck writes them: ticks, skipped and turned labels
    horizontal = kind is ChartKind.bar
    value_axis_ = axes.xaxis if horizontal else axes.yaxis
    category_ticks = axes.set_yticks if horizontal else axes.set_xticks
    shown = [t if i % categories.skip == 0 else "" for i, t in enumerate(categories.labels)]
    category_ticks(range(len(shown)), shown, rotation=45 if categories.turned else 0)
    if categories.turned:
        for label in axes.get_xticklabels():
            label.set_horizontalalignment("right")
    if horizontal:
        axes.invert_yaxis()  # the first category at the top, as in the source and the deck
    if axis.log:
        (axes.set_xscale if horizontal else axes.set_yscale)("log")
    # The deck's axis, tick for tick: same bounds, same step, every tick labelled (the lowest
    # power of ten too, so a short bar on a log axis does not read as 0).
    (axes.set_xlim if horizontal else axes.set_ylim)(axis.minimum, axis.maximum)
    value_axis_.set_major_locator(FixedLocator(axis.ticks()))
    value_axis_.set_minor_locator(NullLocator())
    value_axis_.set_major_formatter(FuncFormatter(lambda v, _: excel_format(v, number_format)))
    if axis.minimum < 0:
        # The deck's category axis line runs at zero between rising and falling bars.
        line = axes.axvline if horizontal else axes.axhline
        line(0, color=f"#{theme.colors.muted}", linewidth=0.8)
    title = fill(chart.value_axis.title, lang, briefing)
    if title:
        (axes.set_xlabel if horizontal else axes.set_ylabel)(title)
    axes.grid(axis="x" if horizontal else "y", color=f"#{theme.colors.surface}", linewidth=0.8)
    axes.set_axisbelow(True)
    for side in ("top", "right") + (("bottom",) if horizontal else ("left",)):
        axes.spines[side].set_visible(False)
    axes.tick_params(length=0)


def _file_family(name: str) -> str:
    """The family name inside the shipped file that serves a theme font name."""
    from briefing.fonts import font_files

    files = font_files(name)
    if files is None:
        return name
    from matplotlib import font_manager

    # The name matplotlib matches families by (FreeType's), from the face it keeps for drawing;
    # fontTools' name table would load its table code first (about 45 ms of a first build).
    return font_manager.get_font(str(files.regular)).family_name

"""A slide's chart as HTML: its title and the page's matplotlib drawing, at the deck's size."""

from __future__ import annotations

import re
import unicodedata
from itertools import groupby

from markupsafe import Markup, escape

from briefing.alt_text import chart_alt, labelled_svg
from briefing.cache import Cache, code_stamp
from briefing.layout.boxes import ChartBox
from briefing.layout.geometry import EMU_PER_PT
from briefing.linebreak import is_wide
from briefing.render.slides_text import ViewerSpacing, place
from briefing.richtext import fill
from briefing.theme import Theme
from briefing.typography import display_text

EMU_PER_INCH = 914400
TITLE_PAD_PT = 5  # beside and below the chart's title
TITLE_TOP_PT = 16  # above it: where LibreOffice sets a chart's title (measured)


def chart_html(designer, box: ChartBox, number: int, cache: Cache) -> Markup:
    """The chart of a ChartBox: title at the chart title's size and ink, the drawing under it
    with the deck's label size, axis and inks (colours chosen to read on the slide)."""
    from briefing.render.charts_mpl import chart_svg

    theme, lang = designer.theme, designer.lang
    briefing = designer.briefing
    chart = briefing.chart(box.chart_id)
    inks = {"text": theme.colors.text, "title": theme.colors.primary, "axis": theme.colors.muted}
    inks.update(box.inks)
    # As the pptx's title holds it: the viewer's gap between Chinese and Latin, not the
    # source's space as well.
    title = display_text(fill(chart.title, lang, briefing), viewer_spaces=True)
    title_pt = theme.sizes.small + 4
    width_pt = box.rect.width / EMU_PER_PT
    lines = designer.setter.measure.lines(title, width_pt - 2 * TITLE_PAD_PT, title_pt, True)
    title_height = designer.setter.measure.height(title, len(lines), title_pt)
    title_height += TITLE_TOP_PT + TITLE_PAD_PT
    drawing_pt = max(box.rect.height / EMU_PER_PT - title_height, 36.0)
    label_pt = theme.sizes.small + 2
    inked = _inked(theme, inks, box.series)
    size = (width_pt / 72, drawing_pt / 72)
    key = (
        "slide-chart-svg",
        code_stamp("briefing.render.charts_mpl"),  # an edit of the drawing code redraws
        chart.model_dump_json(),
        briefing.model_dump_json(include={"figures"}),
        inked.model_dump_json(exclude={"folders", "master_path"}),
        lang,
        [round(v, 3) for v in size],
        label_pt,
    )
    svg = cache.get_or_make(
        key,
        lambda: chart_svg(briefing, chart, inked, lang, cache, size, label_pt).encode("utf-8"),
        decode=lambda data: data.decode("utf-8"),
    )
    # One document holds every slide: a chart shown twice needs ids of its own each time.
    svg = re.sub(r'id="([^"]+)"', rf'id="s{number}-\1"', svg)
    svg = re.sub(r'(url\(#|href="#)([^")]+)', rf"\1s{number}-\2", svg)
    # Announced as one image with the deck's alt text: its labels alone do not read as a chart.
    svg = labelled_svg(svg, chart_alt(briefing, chart, lang))
    svg = _TEXT.sub(lambda m: m[1] + _east_asian_spans(m[2]) + m[3], svg)
    heading = "<br>".join(_without_punctuation_gaps(ViewerSpacing().html(line)) for line in lines)
    return Markup(
        f'<figure class="chart" data-chart="{escape(chart.id)}" style="{place(box.rect)}">'
        f'<figcaption style="font-size:{title_pt}pt;color:#{inks["title"]};'
        f'padding:{TITLE_TOP_PT}pt {TITLE_PAD_PT}pt {TITLE_PAD_PT}pt;height:{title_height:.2f}pt">'
        f"{heading}</figcaption>"
        f'<div class="drawing" style="height:{drawing_pt:.2f}pt">{svg}</div></figure>'
    )


_GAP = '<span class="gap"></span>'
_TAG = re.compile(r"<[^>]*>")


def _without_punctuation_gaps(html: str) -> str:
    """A line's HTML without the gap beside full-width punctuation ("Sora：", not "Sora ：")."""
    # The glyph holds its own space, and Chinese typesetting (W3C clreq) adds none beside it;
    # LibreOffice draws a quarter em there (measured on its PDF), which reads as a stray space.
    parts = html.split(_GAP)
    out = parts[0]
    for part in parts[1:]:
        before, after = _TAG.sub("", out)[-1:], _TAG.sub("", part)[:1]
        if not (_full_width_punctuation(before) or _full_width_punctuation(after)):
            out += _GAP
        out += part
    return out


def _full_width_punctuation(char: str) -> bool:
    """Whether a character is full-width punctuation (a colon, comma, bracket, stop)."""
    return bool(char) and is_wide(char) and unicodedata.category(char).startswith("P")


# A drawing's text element and its (escaped) characters.
_TEXT = re.compile(r"(<text\b[^>]*>)([^<]*)(</text>)")


def _east_asian_spans(text: str) -> str:
    """Chinese stretches of a drawing's label in the East-Asian face, as the slides' text is:
    Chromium, asked for a system Latin face first (a master's Arial), draws Chinese in a
    page whose language is Chinese as empty boxes instead of falling back to the next family."""
    runs = groupby(text, key=is_wide)
    return "".join(
        f'<tspan class="ea">{"".join(chars)}</tspan>' if wide else "".join(chars)
        for wide, chars in runs
    )


def _inked(theme: Theme, inks: dict[str, str], series: list[str]) -> Theme:
    """The theme with the chart's inks as its text, muted and surface colours (the drawing's
    label, axis and gridline colours) and its series colours, so the SVG reads on what lies
    under it on this slide, in the pptx chart's colours."""
    update = {"text": inks["text"], "muted": inks["axis"]}
    update.update({"surface": inks["grid"]} if "grid" in inks else {})
    update.update({"series": series} if series else {})
    colors = theme.colors.model_copy(update=update)
    return theme.model_copy(update={"colors": colors})

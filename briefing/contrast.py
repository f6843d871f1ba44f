"""Contrast as WCAG 2.x computes it, from colours or from rendered pixels: a line of text, a
chart's series against the ground it is drawn on."""

from __future__ import annotations

from collections.abc import Sequence

from briefing.layout.colors import GRAPHIC_RATIO, channels, contrast, hex_color, required_ratio

RGB = tuple[int, int, int]
NEAR_DRAWN = 24  # of 255 in every channel: a bar's anti-aliased pixels still count as the bar


def contrast_ratio(first: RGB, second: RGB) -> float:
    """The WCAG contrast ratio of two colours, 1 to 21 (the layout's own arithmetic)."""
    return contrast(hex_color(*first), hex_color(*second))


def minimum_ratio(size_pt: float) -> float:
    """The ratio text of this size needs; the pixels cannot tell bold, so it counts as regular."""
    return required_ratio(size_pt, bold=False)


def text_and_background(pixels, around=None) -> tuple[RGB, RGB] | None:
    """Estimate the text and background colours of a box of rendered text; None if too small.

    pixels: RGB triples (a list or an N x 3 array); around: more pixels, next to the text, that
    help find the background but are never taken for text. The background is the most common colour
    (text covers a minority of a line's box); the text is the most common colour among the
    pixels far from it, the cores of the strokes, since anti-aliased edges blend towards the
    background and would understate the contrast.
    """
    import numpy as np

    array = np.asarray(pixels, dtype=np.int64).reshape(-1, 3)
    if len(array) < 12:
        return None
    if around is not None and len(around):
        every = np.concatenate([array, np.asarray(around, dtype=np.int64).reshape(-1, 3)])
    else:
        every = array
    weights = np.array([256, 16, 1])  # colours to 16 levels a channel
    every_bins = (every >> 4) @ weights
    background = every[every_bins == np.bincount(every_bins).argmax()].mean(axis=0)
    bins = (array >> 4) @ weights
    distance = ((array - background) ** 2).sum(axis=1)
    inked = distance >= distance.max() / 4
    if inked.sum() < 3 or distance.max() == 0:
        return _rgb(background), _rgb(background)
    ink_bins = bins[inked]
    text = array[inked][ink_bins == np.bincount(ink_bins).argmax()].mean(axis=0)
    return _rgb(text), _rgb(background)


def _rgb(values) -> RGB:
    return tuple(int(round(float(v))) for v in values)  # type: ignore[return-value]


def hex_colour(colour: RGB) -> str:
    """The colour as #RRGGBB."""
    return "#" + hex_color(*colour)


def ground_of(pixels, drawn: Sequence[str] = ()) -> RGB:
    """The colour most of a box's pixels have (to 16 levels a channel), leaving out those near
    a drawn colour: what a chart is drawn on, though its bars may cover more of its box."""
    import numpy as np

    array = np.asarray(pixels, dtype=np.int64).reshape(-1, 3)
    for color in drawn:
        near = np.abs(array - np.array(channels(color))).max(axis=1) <= NEAR_DRAWN
        if near.sum() < len(array):  # a box all of one drawn colour has that as its ground
            array = array[~near]
    bins = (array >> 4) @ np.array([256, 16, 1])
    return _rgb(array[bins == np.bincount(bins).argmax()].mean(axis=0))


def faint_series(colors: list[str], ground: RGB, slack: float = 0.0) -> list[tuple[str, float]]:
    """The series colours under WCAG's 3:1 for graphics (SC 1.4.11) on the ground, with their
    ratio: the rule the layout chooses series colours by."""
    ratios = [(color, contrast(color, hex_color(*ground))) for color in colors]
    return [(color, ratio) for color, ratio in ratios if ratio < GRAPHIC_RATIO - slack]


def series_colors_of(chart) -> list[str]:
    """Each series' colour as a python-pptx chart writes it ("RRGGBB"): a line's stroke, a
    bar's fill; a series coloured by the theme or the viewer is left out (no colour to judge)."""
    found = []
    for series in (series for plot in chart.plots for series in plot.series):
        values = series._element.xpath(
            "./c:spPr/a:solidFill/a:srgbClr/@val | ./c:spPr/a:ln/a:solidFill/a:srgbClr/@val"
        )
        if values:
            found.append(str(values[0]).upper())
    return found

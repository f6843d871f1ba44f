"""Text contrast as WCAG 2.x computes it, from colours or from the rendered pixels of a line."""

from __future__ import annotations

RGB = tuple[int, int, int]

# WCAG 2.x success criterion 1.4.3: 4.5:1, or 3:1 for large text (18 pt and above).
NORMAL_MINIMUM = 4.5
LARGE_MINIMUM = 3.0
LARGE_TEXT_PT = 18.0


def relative_luminance(colour: RGB) -> float:
    """The relative luminance of an sRGB colour, 0 (black) to 1 (white)."""

    def linear(channel: int) -> float:
        c = channel / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    red, green, blue = (linear(c) for c in colour)
    return 0.2126 * red + 0.7152 * green + 0.0722 * blue


def contrast_ratio(first: RGB, second: RGB) -> float:
    """The WCAG contrast ratio of two colours, 1 to 21."""
    lighter, darker = sorted((relative_luminance(first), relative_luminance(second)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def minimum_ratio(size_pt: float) -> float:
    """The ratio text of this size needs."""
    return LARGE_MINIMUM if size_pt >= LARGE_TEXT_PT else NORMAL_MINIMUM


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
    return "#{:02X}{:02X}{:02X}".format(*colour)

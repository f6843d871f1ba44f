"""Text contrast as WCAG 2.x computes it, from colours or from the rendered pixels of a line."""

from __future__ import annotations

from collections import Counter

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


def text_and_background(pixels: list[RGB]) -> tuple[RGB, RGB] | None:
    """Estimate the text and background colours of a box of rendered text; None if too small.

    The background is the most common colour (text covers a minority of a line's box); the text
    is the most common colour among the pixels far from it, the cores of the strokes, since
    anti-aliased edges blend towards the background and would understate the contrast.
    """
    if len(pixels) < 12:
        return None
    bins = Counter((r >> 4, g >> 4, b >> 4) for r, g, b in pixels)
    mode = bins.most_common(1)[0][0]
    in_mode = [p for p in pixels if (p[0] >> 4, p[1] >> 4, p[2] >> 4) == mode]
    background = _mean(in_mode)
    farthest = max(_distance(p, background) for p in pixels)
    inked = [p for p in pixels if _distance(p, background) >= farthest / 4]
    if len(inked) < 3:
        return background, background
    # Stroke cores share one colour; anti-aliased edges spread over many blends.
    ink = Counter((r >> 4, g >> 4, b >> 4) for r, g, b in inked).most_common(1)[0][0]
    return _mean([p for p in inked if (p[0] >> 4, p[1] >> 4, p[2] >> 4) == ink]), background


def _distance(first: RGB, second: RGB) -> int:
    return sum((a - b) ** 2 for a, b in zip(first, second))


def _mean(pixels: list[RGB]) -> RGB:
    count = len(pixels)
    return tuple(round(sum(p[i] for p in pixels) / count) for i in range(3))  # type: ignore[return-value]


def hex_colour(colour: RGB) -> str:
    """The colour as #RRGGBB."""
    return "#{:02X}{:02X}{:02X}".format(*colour)

"""Colours as "RRGGBB" strings: WCAG 2.x luminance and contrast, blending, readable picks."""

from __future__ import annotations

import colorsys
from collections.abc import Iterable

# WCAG 2.x: normal text needs 4.5:1; large text (18 pt, or 14 pt bold) needs 3:1.
NORMAL_TEXT_RATIO = 4.5
LARGE_TEXT_RATIO = 3.0
LARGE_TEXT_PT = 18.0
LARGE_BOLD_TEXT_PT = 14.0


def channels(rgb: str) -> tuple[int, int, int]:
    """The red, green and blue values (0..255) of an "RRGGBB" colour."""
    text = rgb.lstrip("#")
    if len(text) != 6:
        raise ValueError(f"a colour is six hex digits RRGGBB, got {rgb!r}")
    return int(text[0:2], 16), int(text[2:4], 16), int(text[4:6], 16)


def hex_color(red: float, green: float, blue: float) -> str:
    """The "RRGGBB" of channel values, rounded and clamped to 0..255."""
    return "".join(f"{min(255, max(0, round(value))):02X}" for value in (red, green, blue))


def _linear(value: int) -> float:
    # sRGB's threshold 0.04045; WCAG's text says 0.03928, which gives the same for 8-bit values.
    c = value / 255
    return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4


def relative_luminance(rgb: str) -> float:
    """WCAG 2.x relative luminance of an "RRGGBB" colour: 0 for black, 1 for white."""
    red, green, blue = (_linear(v) for v in channels(rgb))
    return 0.2126 * red + 0.7152 * green + 0.0722 * blue


def contrast(a: str, b: str) -> float:
    """WCAG 2.x contrast ratio of two colours, from 1 (same) to 21 (black on white)."""
    first, second = relative_luminance(a), relative_luminance(b)
    lighter, darker = max(first, second), min(first, second)
    return (lighter + 0.05) / (darker + 0.05)


def blend(colors_and_weights: Iterable[tuple[str, float]]) -> str:
    """The weighted average of colours, as averaging a picture's pixels does (in sRGB values)."""
    total, sums = 0.0, [0.0, 0.0, 0.0]
    for rgb, weight in colors_and_weights:
        if weight <= 0:
            continue
        total += weight
        for i, value in enumerate(channels(rgb)):
            sums[i] += value * weight
    if total == 0:
        raise ValueError("blend needs at least one colour with a positive weight")
    return hex_color(*(s / total for s in sums))


def transformed(rgb: str, steps: Iterable[tuple[str, float]]) -> str:
    """A colour after DrawingML's colour transforms, applied in order (fractions, 1.0 = 100 %).

    lumMod/lumOff/satMod work on HSL lightness and saturation as PowerPoint does; tint and shade
    mix towards white and black in sRGB values, which is close to PowerPoint's linear-light mix
    for the mid tones that themes use. Other transforms are left out.
    """
    red, green, blue = (v / 255 for v in channels(rgb))
    for name, value in steps:
        if name in ("lumMod", "lumOff", "satMod"):
            hue, light, sat = colorsys.rgb_to_hls(red, green, blue)
            if name == "lumMod":
                light *= value
            elif name == "lumOff":
                light += value
            else:
                sat *= value
            red, green, blue = colorsys.hls_to_rgb(hue, min(1.0, max(0.0, light)), min(1.0, sat))
        elif name == "tint":
            red, green, blue = (c + (1 - c) * (1 - value) for c in (red, green, blue))
        elif name == "shade":
            red, green, blue = (c * value for c in (red, green, blue))
    return hex_color(red * 255, green * 255, blue * 255)


def required_ratio(size_pt: float, bold: bool) -> float:
    """The contrast WCAG 2.x asks of text of this size: 3:1 when large, else 4.5:1."""
    large = size_pt >= LARGE_TEXT_PT or (bold and size_pt >= LARGE_BOLD_TEXT_PT)
    return LARGE_TEXT_RATIO if large else NORMAL_TEXT_RATIO


def readable(
    background: str, candidates: list[str], size_pt: float, bold: bool
) -> tuple[str, float, bool]:
    """The first candidate readable on the background, else the best: (colour, ratio, reached)."""
    if not candidates:
        raise ValueError("readable needs at least one candidate colour")
    needed = required_ratio(size_pt, bold)
    ratios = [(color, contrast(color, background)) for color in candidates]
    for color, ratio in ratios:
        if ratio >= needed:
            return color, ratio, True
    color, ratio = max(ratios, key=lambda pair: pair[1])
    return color, ratio, False


# WCAG 2.1 SC 1.4.11: graphical objects that carry meaning (a chart's bars, lines, markers)
# need 3:1 against what is next to them; the layout and the audit hold series to it alike.
GRAPHIC_RATIO = 3.0
VARIED_HEADROOM = 1.15  # on a gradient or photo, as for text: the average hides lighter parts
# Gridlines are there to be read past: visible (over 1.1:1) yet at most 1.5:1, half the least
# a series has, so that no gridline is taken for data.
GRID_MIN_RATIO = 1.1
GRID_MAX_RATIO = 1.5
GRID_RATIO = 1.3  # what a gridline mixed for a ground is aimed at
DISTINCT = 48  # RGB distance under which two series colours read as one
LIGHTNESS_STEP = 0.04
# White and black contrast equally (4.6:1) with this luminance: below it, series are lightened.
MID_LUMINANCE = 0.18


def graphic_contrast(color: str, backgrounds: Iterable[str]) -> float:
    """The least contrast of a bar or line of this colour on any of the backgrounds."""
    return min(contrast(color, background) for background in backgrounds)


def graphic_ratio(backgrounds: list[str]) -> float:
    """The contrast a series needs on these backgrounds: 3:1, with headroom where they vary."""
    return GRAPHIC_RATIO * (VARIED_HEADROOM if len(set(backgrounds)) > 1 else 1.0)


def series_colors(backgrounds: list[str], accents: list[str], ink: str, count: int) -> list[str]:
    """Colours for count chart series that each reach 3:1 on every background: the accents
    that do, in order; then the others made lighter or darker until they do; then the ink."""
    needed = graphic_ratio(backgrounds)
    passing = [a for a in accents if graphic_contrast(a, backgrounds) >= needed]
    shifted = [_reaching(a, backgrounds, needed) for a in accents if a not in passing]
    chosen: list[str] = []
    for color in [*passing, *shifted, ink]:
        if color and all(_distance(color, c) >= DISTINCT for c in chosen):
            chosen.append(color)
        if len(chosen) == count:
            break
    if not chosen:  # no accent can be shifted far enough and the ink fails too: the best one
        chosen = [max([*accents, ink], key=lambda c: graphic_contrast(c, backgrounds))]
    return [chosen[i % len(chosen)] for i in range(count)]


def gridline_color(backgrounds: list[str], surface: str, ink: str) -> str:
    """The gridlines' colour: the theme's surface where it shows faintly on every background,
    else the backgrounds' average with as little of the ink as makes them show."""
    if all(GRID_MIN_RATIO <= contrast(surface, b) <= GRID_MAX_RATIO for b in backgrounds):
        return surface
    ground = blend((background, 1.0) for background in backgrounds)
    mixed = ground
    for share in range(2, 51, 2):
        mixed = blend([(ink, share / 100), (ground, 1 - share / 100)])
        if contrast(mixed, ground) >= GRID_RATIO:
            break
    return mixed


def _reaching(color: str, backgrounds: list[str], needed: float) -> str | None:
    """The colour with its hue and saturation kept, lightened on a dark ground or darkened on
    a light one until it reaches needed on every background; None if it never does."""
    ground = blend((background, 1.0) for background in backgrounds)
    hue, light, sat = colorsys.rgb_to_hls(*(v / 255 for v in channels(color)))
    step = LIGHTNESS_STEP if relative_luminance(ground) < MID_LUMINANCE else -LIGHTNESS_STEP
    while 0.0 <= light + step <= 1.0:
        light += step
        shifted = hex_color(*(c * 255 for c in colorsys.hls_to_rgb(hue, light, sat)))
        if graphic_contrast(shifted, backgrounds) >= needed:
            return shifted
    return None


def _distance(a: str, b: str) -> float:
    """How far apart two colours are in RGB (0 for the same, 441 for black and white)."""
    return sum((x - y) ** 2 for x, y in zip(channels(a), channels(b))) ** 0.5

"""What a master paints, read as a designer would: the slide's background, a panel its text is set
on, or artwork that text and charts keep clear of. The layout and the audit both decide by it."""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence

from briefing.layout.geometry import Rect

# A picture or shape covering this share of the slide is its background (a full-bleed photo, a
# wash of colour): text goes on it, judged by contrast.
BACKGROUND_SHARE = 0.85
# A shape holding this share of a title, body or subtitle placeholder is the panel the design
# sets that text on (Inspiration's white card, Grey_Elegant's mosaic, Sunset's tilted card).
PANEL_SHARE = 0.95
# A box this much inside one piece of artwork was set on it by the master (a footer on its band).
DESIGNED_SHARE = 0.9
# The placeholders whose text a panel carries: content, not footers (a footer band is artwork
# for content even though the design sets the footer on it).
TEXT_KINDS = frozenset({"title", "center_title", "body", "object", "subtitle"})
# A shape shows where it changes what is under it by more than this in some channel (0-255):
# less is a 30 %-white ellipse on a white sheet (Lights), which no reader sees.
SHOWN_DIFFERENCE = 10
# A shape showing on this share of what it paints is read by its outline; on less, by the
# parts that show (Lights' bulbs show on the band, not on the white sheet they reach into).
WHOLLY_SHOWN = 0.98
# A background picture is read in cells this many raster pixels wide (1/80 of the slide).
CELL_PIXELS = 10
# The calm ground behind a text placeholder is the colour holding this share of its place.
CALM_SHARE = 0.3
# A cell is calm ground where its mean lies within this of a calm colour (0-255, in every
# channel; clouds a shade lighter than the sky do) and its pixels vary little.
DEPARTURE = 40
# Pixels varying less than this about their cell's mean (standard deviation, 0-255) are a
# smooth cell: a fill, a gradient, paper grain; a drawing's edge varies more.
SMOOTH_SPREAD = 12
# Calm ground goes on into a smooth neighbour this close to it (a vignette darkening across
# the paper, Vintage), never across a drawing's edge (a hill, a tree, a ribbon).
STEP = 12
# A rough cell beside the calm ground whose mean stays this close to it is ground too: a
# speck of dust, the very rim of a drawing.
RIM = 20
# A rough cell between two grounds that differ (a band's edge) is ground when its mean lies
# within this of the range between theirs.
SEAM = 8


def is_background(extent: Rect, slide: Rect) -> bool:
    """Whether a painted shape, where it shows on the slide, is the slide's background."""
    shown = extent.intersection(slide)
    return shown is not None and shown.area >= BACKGROUND_SHARE * slide.area


def is_panel(extent: Rect, text_areas: Iterable[Rect]) -> bool:
    """Whether a painted shape holds (nearly) the whole of one of the layout's text placeholders,
    as a card or a band behind a title does: the design sets that text on it."""
    for area in text_areas:
        inside = extent.intersection(area)
        if area.area and inside is not None and inside.area >= PANEL_SHARE * area.area:
            return True
    return False


def is_artwork(extent: Rect, slide: Rect, text_areas: Iterable[Rect]) -> bool:
    """Whether a painted shape is artwork to keep clear of: neither background nor a panel."""
    return not is_background(extent, slide) and not is_panel(extent, text_areas)


def designed_on(rect: Rect, art: Rect) -> bool:
    """Whether a box lies almost wholly inside one piece of artwork (the master put it there)."""
    overlap = rect.intersection(art)
    return overlap is not None and overlap.area >= DESIGNED_SHARE * rect.area


def busy_parts(picture, scale: float, calm: Sequence[tuple[int, int, int]]) -> list[Rect]:
    """The parts of a background picture (painted at scale pixels per EMU) that are artwork:
    the cells not reached from its calm grounds (calm_color) by smooth, gradual steps, merged
    into rectangles: trees, a sun, hills, a ribbon; never a vignette or paper grain."""
    means, spreads, columns = _cell_statistics(picture)
    count = len(spreads)
    smooth = [spread <= SMOOTH_SPREAD for spread in spreads]
    reached = [
        smooth[i] and any(_apart(means[i], color) <= DEPARTURE for color in calm)
        for i in range(count)
    ]
    todo = [i for i in range(count) if reached[i]]
    while todo:
        i = todo.pop()
        for n in _neighbours(i, columns, count):
            if not reached[n] and smooth[n] and _apart(means[n], means[i]) <= STEP:
                reached[n] = True
                todo.append(n)
    ground = [
        reached[i]
        or any(
            reached[n] and _apart(means[i], means[n]) <= RIM for n in _neighbours(i, columns, count)
        )
        or _seam(i, means, reached, columns)
        for i in range(count)
    ]
    if not any(ground):
        return []
    busy = [[not ground[i] for i in range(row, row + columns)] for row in range(0, count, columns)]
    far = _far_from(picture, _ground_picture(means, ground, columns, picture.size))
    found = []
    for left, top, right, bottom in merged_cells(busy):
        box = (left * CELL_PIXELS, top * CELL_PIXELS, right * CELL_PIXELS, bottom * CELL_PIXELS)
        box = (*box[:2], min(box[2], picture.width), min(box[3], picture.height))
        # Cut to the pixels far from the calm ground in it: a thin line drawn along the edge
        # (Metropolis's border) blocks only its own width, not its cells'.
        inked = far.crop(box).getbbox()
        if inked is not None:
            box = (box[0] + inked[0], box[1] + inked[1], box[0] + inked[2], box[1] + inked[3])
        x0, y0 = math.floor(box[0] / scale), math.floor(box[1] / scale)
        found.append(Rect(x0, y0, math.ceil(box[2] / scale) - x0, math.ceil(box[3] / scale) - y0))
    return found


def _ground_picture(means, ground: list[bool], columns: int, size: tuple[int, int]):
    """The ground the picture's drawings stand on, as a picture: each ground cell's mean colour,
    and under a drawing the colour of the nearest ground cell."""
    from collections import deque

    from PIL import Image

    colors = [means[i] if ground[i] else None for i in range(len(ground))]
    todo = deque(i for i, color in enumerate(colors) if color is not None)
    while todo:
        i = todo.popleft()
        for n in _neighbours(i, columns, len(colors)):
            if colors[n] is None:
                colors[n] = colors[i]
                todo.append(n)
    rows = len(colors) // columns
    data = bytes(min(255, max(0, round(v))) for color in colors for v in color)
    cells = Image.frombytes("RGB", (columns, rows), data)
    spread = cells.resize((columns * CELL_PIXELS, rows * CELL_PIXELS), Image.Resampling.NEAREST)
    return spread.crop((0, 0, *size))


def _far_from(picture, ground):
    """A mask of the picture's pixels departing from the ground under them by more than
    DEPARTURE in some channel."""
    from PIL import ImageChops

    red, green, blue = ImageChops.difference(picture, ground).split()
    apart = ImageChops.lighter(ImageChops.lighter(red, green), blue)
    return apart.point(lambda v: 255 if v > DEPARTURE else 0)


def _cell_statistics(picture) -> tuple[list[tuple[float, ...]], list[float], int]:
    """Per cell of the picture (row by row): its mean colour, the largest standard deviation
    of a channel about it, and the number of cells in a row."""
    from array import array

    from PIL import ImageMath

    means, variances = [], []
    for band in picture.split():
        values = band.convert("F")
        mean = values.reduce(CELL_PIXELS)
        square = ImageMath.lambda_eval(lambda a: a["x"] * a["x"], x=values).reduce(CELL_PIXELS)
        spread = ImageMath.lambda_eval(lambda a: a["s"] - a["m"] * a["m"], s=square, m=mean)
        means.append(array("f", mean.tobytes()))
        variances.append(array("f", spread.tobytes()))
    columns = picture.reduce(CELL_PIXELS).width
    spreads = [max(v, 0.0) ** 0.5 for v in map(max, *variances)]
    return list(zip(*means)), spreads, columns


def _seam(i: int, means, reached: list[bool], columns: int) -> bool:
    """Whether cell i is the seam between two grounds: ground on opposite sides, its mean
    between theirs (the edge of Metropolis's ribbon, its title's ground, on the blue); a tree
    trunk between sky and sky is no seam."""
    count = len(reached)
    pairs = [(i - columns, i + columns)]
    if i % columns and (i + 1) % columns:
        pairs.append((i - 1, i + 1))
    for a, b in pairs:
        if 0 <= a < count and 0 <= b < count and reached[a] and reached[b]:
            low = [min(x, y) - SEAM for x, y in zip(means[a], means[b])]
            high = [max(x, y) + SEAM for x, y in zip(means[a], means[b])]
            between = all(lo <= v <= hi for lo, v, hi in zip(low, means[i], high))
            if between and _apart(means[a], means[b]) > RIM:
                return True
    return False


def _neighbours(i: int, columns: int, count: int) -> list[int]:
    """The cells left, right, above and below cell i of a grid stored row by row."""
    found = [n for n in (i - columns, i + columns) if 0 <= n < count]
    if i % columns:
        found.append(i - 1)
    if (i + 1) % columns:
        found.append(i + 1)
    return found


def _apart(first: Sequence[float], second: Sequence[float]) -> float:
    """How far apart two colours are: the largest difference of a channel (0-255)."""
    return max(abs(a - b) for a, b in zip(first, second))


def merged_cells(busy: list[list[bool]]) -> list[tuple[int, int, int, int]]:
    """Busy cells of a grid as few rectangles (left, top, right, bottom in cells): runs along
    each row, a run continuing the same run of the row above growing it downwards."""
    done: list[tuple[int, int, int, int]] = []
    open_runs: dict[tuple[int, int], int] = {}  # (left, right) -> top row
    for y, row in enumerate([*busy, []]):
        runs, x = set(), 0
        while x < len(row):
            if row[x]:
                start = x
                while x < len(row) and row[x]:
                    x += 1
                runs.add((start, x))
            x += 1
        for run, top in list(open_runs.items()):
            if run not in runs:
                done.append((run[0], top, run[1], y))
                del open_runs[run]
        for run in runs:
            open_runs.setdefault(run, y)
    return sorted(done, key=lambda r: (r[1], r[0]))


def calm_color(picture, scale: float, area: Rect) -> tuple[int, int, int] | None:
    """The calm ground of a background picture behind a text placeholder: the colour (to 1/16
    of each channel, then its pixels' mean) holding CALM_SHARE of the place; None when no
    colour does (a photograph: its busyness is judged as before, by the spread of grey under
    each box) or the place is off the picture."""
    from PIL import Image, ImageChops, ImageOps, ImageStat

    left, top = max(round(area.left * scale), 0), max(round(area.top * scale), 0)
    right = min(round(area.right * scale), picture.width)
    bottom = min(round(area.bottom * scale), picture.height)
    if right <= left or bottom <= top:
        return None
    crop = picture.crop((left, top, right, bottom))
    coarse = ImageOps.posterize(crop, 4)
    count, color = max(coarse.getcolors(crop.width * crop.height))
    if count < CALM_SHARE * crop.width * crop.height:
        return None
    same = ImageChops.difference(coarse, Image.new("RGB", crop.size, color)).convert("L")
    mask = same.point(lambda v: 255 if v == 0 else 0)
    return tuple(round(v) for v in ImageStat.Stat(crop, mask).mean[:3])

"""Rectangles on a slide in EMU: the one unit of the layout model."""

from __future__ import annotations

from dataclasses import dataclass

EMU_PER_PT = 12700


@dataclass(frozen=True)
class Rect:
    """An axis-aligned rectangle on the slide, in EMU."""

    left: int
    top: int
    width: int
    height: int

    @property
    def right(self) -> int:
        """The x of the right edge."""
        return self.left + self.width

    @property
    def bottom(self) -> int:
        """The y of the bottom edge."""
        return self.top + self.height

    @property
    def area(self) -> int:
        """Width times height; 0 for an empty rectangle."""
        return max(self.width, 0) * max(self.height, 0)

    def intersection(self, other: Rect) -> Rect | None:
        """The overlap of two rectangles, or None when they do not overlap."""
        left, top = max(self.left, other.left), max(self.top, other.top)
        right, bottom = min(self.right, other.right), min(self.bottom, other.bottom)
        if right <= left or bottom <= top:
            return None
        return Rect(left, top, right - left, bottom - top)

    def overlaps(self, other: Rect) -> bool:
        """Whether the two rectangles share any area."""
        return self.intersection(other) is not None

    def contains(self, other: Rect) -> bool:
        """Whether other lies wholly inside this rectangle."""
        return (
            self.left <= other.left
            and self.top <= other.top
            and other.right <= self.right
            and other.bottom <= self.bottom
        )

    def union(self, other: Rect) -> Rect:
        """The smallest rectangle holding both."""
        left, top = min(self.left, other.left), min(self.top, other.top)
        right, bottom = max(self.right, other.right), max(self.bottom, other.bottom)
        return Rect(left, top, right - left, bottom - top)

    def inset(self, dx: int, dy: int | None = None) -> Rect:
        """The rectangle shrunk by dx on the left and right and dy on the top and bottom."""
        dy = dx if dy is None else dy
        return Rect(self.left + dx, self.top + dy, self.width - 2 * dx, self.height - 2 * dy)

    def rows(self, heights: list[int], gap: int = 0) -> list[Rect]:
        """Rectangles of the given heights stacked from the top, gap apart."""
        boxes, top = [], self.top
        for height in heights:
            boxes.append(Rect(self.left, top, self.width, height))
            top += height + gap
        return boxes

    def columns(self, count: int, gap: int) -> list[Rect]:
        """Equal columns side by side, gap apart."""
        width = (self.width - gap * (count - 1)) // count
        return [
            Rect(self.left + i * (width + gap), self.top, width, self.height) for i in range(count)
        ]

    def split_left(self, width: int, gap: int) -> tuple[Rect, Rect]:
        """A column of the given width on the left, and what is right of it after the gap."""
        left = Rect(self.left, self.top, width, self.height)
        right = Rect(self.left + width + gap, self.top, self.width - width - gap, self.height)
        return left, right

    def split_bottom(self, height: int, gap: int) -> tuple[Rect, Rect]:
        """What is above a band of the given height at the bottom, and that band."""
        above = Rect(self.left, self.top, self.width, self.height - height - gap)
        band = Rect(self.left, self.bottom - height, self.width, height)
        return above, band

    def args(self) -> tuple[int, int, int, int]:
        """As python-pptx's (left, top, width, height)."""
        return self.left, self.top, self.width, self.height

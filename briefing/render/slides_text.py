"""A laid-out text box as HTML: the deck's runs, sizes, colours, bullets and line breaks."""

from __future__ import annotations

from markupsafe import Markup, escape

from briefing.layout.boxes import TextBox
from briefing.layout.designer import BULLET_INDENT_PT
from briefing.layout.geometry import EMU_PER_PT, Rect
from briefing.render.pptx_text import INSETS_PT, Style, TextSetter, cut_at_breaks
from briefing.richtext import runs
from briefing.spacing import Spacing, first_strong
from briefing.typography import display_text

# Viewers' single line spacing in ems, Chinese and Latin alike: measured on LibreOffice's PDF of
# the deck (the fitting measure counts the fonts' own, taller metrics: text that fits there
# fits here).
VIEWER_LINE = 1.2
ALIGNS = {"l": "left", "ctr": "center", "r": "right", "just": "justify"}
ANCHORS = {"t": "top", "ctr": "middle", "b": "bottom"}


def place(rect: Rect) -> str:
    """CSS placing a box on the slide, in px at 96 per inch (9525 EMU each)."""
    return (
        f"left:{rect.left / 9525:.2f}px;top:{rect.top / 9525:.2f}px;"
        f"width:{rect.width / 9525:.2f}px;height:{rect.height / 9525:.2f}px"
    )


def text_box_html(
    setter: TextSetter,
    box: TextBox,
    css_class: str = "text",
    align: str | None = None,
    anchor: str | None = None,
) -> Markup:
    """One text box positioned on its slide; `align` and `anchor` stand in for what a master's
    placeholder gives its text (a footer's alignment) when the box leaves it to the master."""
    width_pt = box.rect.width / EMU_PER_PT - 2 * INSETS_PT[0]
    indent = BULLET_INDENT_PT if box.bullets else 0
    paragraphs = "".join(
        _paragraph(setter, text, style, box.scale, width_pt, indent, align, box.bullets)
        for text, style in box.paragraphs
    )
    where = escape(box.where)
    anchored = box.anchor or anchor or "top"
    return Markup(
        f'<div class="{css_class} anchor-{anchored}" data-where="{where}" '
        f'style="{place(box.rect)};padding:{INSETS_PT[1]}pt {INSETS_PT[0]}pt">'
        f"{paragraphs}</div>"
    )


def _paragraph(
    setter: TextSetter,
    text: str,
    style: Style,
    scale: float,
    width_pt: float,
    indent: float,
    align: str | None,
    bullets: bool,
) -> str:
    """A paragraph at its fitted size, broken into the lines the deck has (the measure's
    breaks, recalled from the same memo the pptx writer uses)."""
    size = round(style.size * scale, 1)
    usable = width_pt - (indent if style.bullet else 0)
    # The writer's own breaks: the same call with the same arguments, so the same lines.
    breaks = setter.line_breaks(text, style, style.size * scale, usable)
    line_height = VIEWER_LINE * size
    css = [
        f"font-size:{size}pt",
        f"line-height:{line_height:.2f}pt",
        f"color:#{style.color}" if style.color else "",
        "font-weight:700" if style.bold else "",
        "font-style:italic" if style.italic else "",
        f"text-align:{ALIGNS.get(style.align or align or 'l', 'left')}",
        f"margin-top:{style.space_before * scale:.2f}pt" if style.space_before else "",
    ]
    bullet = bullets and style.bullet
    if bullet:
        css.append(f"padding-left:{indent}pt")
    body = _lines(text, breaks)
    mark = f'<span class="bullet" style="width:{indent}pt">•</span>' if bullet else ""
    return f'<p style="{";".join(c for c in css if c)}">{mark}{body}</p>'


def _lines(text: str, breaks: list[int]) -> str:
    """The paragraph's runs as HTML, a <br> where each measured line ends; spaces ending a
    line are dropped with the break, as the pptx writer drops them."""
    pieces = runs(display_text(text, viewer_spaces=True))
    html = []
    spacing = ViewerSpacing(Spacing(ahead=first_strong("".join(piece.text for piece in pieces))))
    for piece, part, ends_line in cut_at_breaks(pieces, breaks):
        if part:
            html.append(_emphasis(spacing.html(part), piece.bold, piece.italic))
        if ends_line:
            html.append("<br>")
            spacing = ViewerSpacing(spacing.spacing.wrapped())
    return "".join(html)


class ViewerSpacing:
    """Text set as LibreOffice and Keynote set it, which the measure models (briefing.spacing):
    Chinese in the East-Asian font whatever the Latin font holds (the pptx names both), a
    quarter em where Chinese meets Latin, and quotes and dashes in the font of their
    neighbours. Browsers do none of it by themselves, so each is written out. One object per
    line, from the state the line starts in (a paragraph's start when not given)."""

    def __init__(self, spacing: Spacing | None = None):
        self.spacing = spacing

    def html(self, text: str) -> str:
        """The text escaped, Chinese stretches in spans of their own, gaps between."""
        if self.spacing is None:
            self.spacing = Spacing(ahead=first_strong(text))
        out: list[str] = []
        stretch: list[str] = []
        stretch_wide = False

        def close() -> None:
            if stretch:
                joined = "".join(stretch)
                out.append(f'<span class="ea">{joined}</span>' if stretch_wide else joined)
                stretch.clear()

        for index, char in enumerate(text):
            if char == "\n":
                close()
                out.append("<br>")
                self.spacing = Spacing(ahead=first_strong(text[index + 1 :]))
                continue
            wide, gap = self.spacing.next(char)
            if wide != stretch_wide or gap:
                close()
                stretch_wide = wide
            if gap:
                out.append('<span class="gap"></span>')
            stretch.append(str(escape(char)))
        close()
        return "".join(out)


def _emphasis(html: str, bold: bool, italic: bool) -> str:
    if bold:
        html = f"<strong>{html}</strong>"
    if italic:
        html = f"<em>{html}</em>"
    return html

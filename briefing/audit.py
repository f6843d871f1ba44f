"""Audit a deck as LibreOffice renders it: text over text or artwork, contrast, breaks, bounds.

The deck is rendered to PDF once; `pdftotext -bbox-layout` gives every rendered word and line
with its box, `pdftoppm` the pixels under them. What the master and the layout paint, and which
shapes are ours, is read from the pptx itself.
"""

from __future__ import annotations

import difflib
import json
import re
import shutil
import subprocess
import tempfile
import unicodedata
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path

from briefing.contrast import (
    contrast_ratio,
    faint_series,
    ground_of,
    hex_colour,
    minimum_ratio,
    series_colors_of,
    text_and_background,
)
from briefing.errors import BriefingError
from briefing.layout.artwork import DESIGNED_SHARE, designed_on, is_background, is_panel
from briefing.layout.geometry import EMU_PER_PT, Rect

CODES = (
    "text-over-text",
    "text-over-artwork",
    "chart-over-artwork",
    "low-contrast",
    "faint-series",
    "broken-word",
    "split-number",
    "outside-slide",
)
RENDER_DPI = 150
# Measured colours are a pixel estimate: a ratio this close to the minimum is not a fault.
RATIO_SLACK = 0.05
# A rendered line's box from pdftotext is the font's ascent plus descent: about 1.3 em for the
# Latin and CJK fonts LibreOffice uses, so the text size is the height over 1.3.
LINE_HEIGHT_PER_PT = 1.3
# Share of the smaller word's box two words must share to count as drawn on one another; lines
# of one box set tighter than 1.0 touch by less than this.
WORD_OVERLAP = 0.25
# Share of a word's box where artwork is painted: a line through the text is one, the antialiased
# edge of a band that the box only grazes is not.
ARTWORK_OVERLAP = 0.05
CHART_OVERLAP = 0.01  # share of a chart's box
MASK_DPI = 50
MASK_THRESHOLD = 24  # of 255 in any channel: more than the rendering noise of two renders
ARTWORK_KINDS = {"sp": "shape", "pic": "picture", "graphicFrame": "frame", "cxnSp": "line"}
# A row of a line's box this much of one colour, not its background, is a bar or rule crossing
# it (glyphs leave gaps): left out when the line's contrast is measured again.
BAND_SHARE = 0.9
# On a plain fill (the strips around a line vary less than this, 0-255) a failing line's ink is
# measured again as its farthest pixels: those at this share of the largest distance and more.
FLAT_SPREAD = 6
RIM_SHARE = 0.6  # a colour filling this share of the strip above or below a line is a ground
CORE_SHARE = 0.9
BOUNDS_TOLERANCE = EMU_PER_PT  # a shape flush with the edge, rounded, is not outside

_NS = {
    "p": "http://schemas.openxmlformats.org/presentationml/2006/main",
    "a": "http://schemas.openxmlformats.org/drawingml/2006/main",
}
_XHTML = "{http://www.w3.org/1999/xhtml}"


@dataclass(frozen=True)
class Finding:
    """One fault on one slide: its code, the text concerned, where (in % of the slide), why."""

    slide: int
    code: str
    text: str
    where: dict[str, float]
    detail: str

    def __str__(self) -> str:
        w = self.where
        box = f"at {w['x']:.0f}%,{w['y']:.0f}% ({w['width']:.0f}% x {w['height']:.0f}%)"
        return f"slide {self.slide}: {self.code}: {_quoted(self.text)} {box}: {self.detail}"


@dataclass
class Report:
    """The findings of one deck, in slide order."""

    deck: str
    slides: int
    findings: list[Finding] = field(default_factory=list)

    def as_json(self) -> str:
        """The report as stable JSON: deck, slides, findings (slide, code, text, where, detail)."""
        data = {
            "deck": self.deck,
            "slides": self.slides,
            "findings": [asdict(f) for f in self.findings],
        }
        return json.dumps(data, ensure_ascii=False, indent=2)

    def as_text(self) -> str:
        """The report as lines, one per finding, then a count."""
        lines = [f"{self.deck}: {finding}" for finding in self.findings]
        lines.append(f"{self.deck}: {len(self.findings)} finding(s) on {self.slides} slide(s)")
        return "\n".join(lines)


@dataclass
class Shape:
    """A shape of ours on a slide: 'text', 'chart' or 'other', its box and its text."""

    name: str
    kind: str
    rect: Rect
    text: str = ""
    # A placeholder left where the master put it: its artwork is the design's, not our doing.
    designed: bool = False
    # Where the layout puts the placeholder it fills: artwork the master set that place on (a
    # footer band) is where its text belongs, even when we widened the box along the band.
    home: Rect | None = None
    series: tuple[str, ...] = ()  # a chart's series colours, as written

    @property
    def packed(self) -> str:
        """The text with no white space, in one Unicode form, as rendered words are compared."""
        return _pack(self.text)


@dataclass(frozen=True)
class Artwork:
    """What a master or layout paints itself: its name, kind, where it comes from, its box."""

    name: str
    kind: str
    origin: str
    rect: Rect
    # Where it is painted, when that is known without rendering: the busy parts of a background
    # picture (a tree, a sun), read by layout/artwork.py. Empty for a shape (see its mask).
    parts: tuple[Rect, ...] = ()

    def describe(self, size: tuple[int, int]) -> str:
        """The artwork as a reader can find it: by name, or by where it is when unnamed."""
        if self.parts:
            return f"a busy part of the {self.origin}'s background picture"
        if self.name:
            return f"the {self.origin}'s {self.kind} {_quoted(self.name)}"
        w = _where(self.rect, size)
        return f"the {self.origin}'s {self.kind} at {w['x']:.0f}%,{w['y']:.0f}%"


@dataclass
class Word:
    """A rendered word: its text, its box in EMU, its line, and the shape of ours it belongs to."""

    text: str
    rect: Rect
    line: int
    owner: Shape | None = None


@dataclass
class Slide:
    """One shown slide as read from the pptx, and its rendered words once the PDF is read."""

    number: int
    ours: list[Shape]
    artwork: list[Artwork]
    words: list[Word] = field(default_factory=list)
    # Where the master and layout write text of their own (a slide number in a circle).
    master_texts: list[Rect] = field(default_factory=list)


def audit(
    deck: Path,
    out_dir: Path | None = None,
    pdf: Path | None = None,
    design_pdfs: tuple[Path, Path] | None = None,
) -> Report:
    """Render deck with LibreOffice (unless its PDFs are given) and report what is wrong on it.

    design_pdfs are the renders of design_decks(deck): what the master paints, then the same
    without its artwork; where they differ is the artwork as painted. They are made only when
    some text or chart of ours meets an artwork's box.
    """
    from briefing.viewers import office_convert_many

    size, slides = read_deck(deck)
    with tempfile.TemporaryDirectory() as scratch:
        work = out_dir or Path(scratch)
        work.mkdir(parents=True, exist_ok=True)
        if pdf is None:
            [pdf] = office_convert_many([deck], work, "pdf")
        pages = read_rendered_words(pdf, size)
        images = render_pages(pdf, work / deck.stem)
        _same_count(deck, slides, pages, images)
        for slide, words in zip(slides, pages):
            slide.words = words
            _assign_owners(slide)
        masks = [None] * len(slides)
        if any(_meets_artwork(slide) for slide in slides):
            if design_pdfs is None:
                designs = design_decks(deck, Path(scratch))
                design_pdfs = office_convert_many(designs, Path(scratch) / "designs", "pdf")
            masks = artwork_masks(*design_pdfs, Path(scratch) / "masks")
            _same_count(deck, slides, masks)
        report = Report(str(deck), len(slides))
        for slide, image, mask in zip(slides, images, masks):
            report.findings.extend(audit_slide(slide, size, image, mask))
    return report


def _same_count(deck: Path, slides: list, *renders: list) -> None:
    """Refuse renders that do not have one page per shown slide."""
    for pages in renders:
        if len(pages) != len(slides):
            raise BriefingError(
                f"{deck}: LibreOffice rendered {len(pages)} page(s) "
                f"for {len(slides)} shown slide(s)"
            )


def _meets_artwork(slide: Slide) -> bool:
    """Whether any rendered text or chart of ours meets the box of an artwork shape (where the
    busy parts of a background picture are painted is known without rendering)."""
    ours = [w.rect for w in slide.words if w.owner and w.owner.kind == "text"]
    ours += [s.rect for s in slide.ours if s.kind == "chart"]
    shapes = [art for art in slide.artwork if not art.parts]
    return any(art.rect.overlaps(rect) for art in shapes for rect in ours)


def audit_slide(slide: Slide, size: tuple[int, int], image: Path, mask) -> list[Finding]:
    """Every finding on one slide, in the order of CODES; mask: where its artwork is painted."""
    findings = [
        *text_over_text(slide, size),
        *over_artwork(slide, size, mask),
        *low_contrast(slide, size, image),
        *faint_chart_series(slide, size, image),
        *broken_lines(slide, size),
        *outside_slide(slide, size),
        *text_past_the_edge(slide, size),
    ]
    return sorted(findings, key=lambda f: CODES.index(f.code))


# --- the deck as read -------------------------------------------------------------------------


def read_deck(deck: Path) -> tuple[tuple[int, int], list[Slide]]:
    """The slide size in EMU and each shown slide's shapes of ours and the artwork under them."""
    from pptx import Presentation

    if not deck.is_file():
        raise BriefingError(f"{deck}: no such file; give a .pptx deck")
    try:
        prs = Presentation(str(deck))
    except Exception as error:  # python-pptx raises many kinds on what is not a deck
        raise BriefingError(f"{deck}: not a PowerPoint deck ({error}); give a .pptx") from None
    from briefing.layout.master_view import MasterView

    size = (prs.slide_width, prs.slide_height)
    view = MasterView(prs)
    slides = []
    for number, slide in enumerate(prs.slides, start=1):
        if slide._element.get("show") == "0":
            continue  # hidden: LibreOffice leaves it out of the PDF
        homes = _homes(slide.slide_layout)
        ours = list(_our_shapes(slide.shapes, homes))
        artwork = _artwork(slide, size, view.layout(slide.slide_layout))
        slides.append(Slide(number, ours, artwork, master_texts=_own_texts(slide)))
    return size, slides


def _our_shapes(shapes, homes: dict, place=None) -> Iterator[Shape]:
    """The slide's shapes with text, charts and the rest, groups opened, in slide EMU."""
    for shape in shapes:
        rect = Rect(shape.left or 0, shape.top or 0, shape.width or 0, shape.height or 0)
        rect = place(rect) if place else rect
        if shape.shape_type is not None and shape.shape_type == 6:  # MSO_SHAPE_TYPE.GROUP
            yield from _our_shapes(shape.shapes, homes, _group_placer(shape._element, place))
        elif getattr(shape, "has_chart", False) and shape.has_chart:
            yield Shape(shape.name, "chart", rect, series=tuple(series_colors_of(shape.chart)))
        elif getattr(shape, "has_table", False) and shape.has_table:
            cells = [c.text for row in shape.table.rows for c in row.cells]
            yield Shape(shape.name, "text", rect, "\n".join(cells))
        elif shape.has_text_frame and shape.text_frame.text.strip():
            designed = shape.is_placeholder and shape._element.spPr.find("a:xfrm", _NS) is None
            home = _home(shape._element, homes) if shape.is_placeholder else None
            yield Shape(shape.name, "text", rect, shape.text_frame.text, designed, home)
        else:
            yield Shape(shape.name, "other", rect)


def _own_texts(slide) -> list[Rect]:
    """The boxes of the text shapes the layout and (unless hidden) the master draw themselves."""
    if slide._element.get("showMasterSp") == "0":
        return []
    layout = slide.slide_layout
    parts = [layout._element]
    if layout._element.get("showMasterSp") != "0":
        parts.insert(0, layout.slide_master._element)
    found = []
    for part in parts:
        tree = part.find("p:cSld/p:spTree", _NS)
        for element in tree if tree is not None else ():
            if _tag(element) != "sp" or element.find(".//p:nvPr/p:ph", _NS) is not None:
                continue
            if any((t.text or "").strip() for t in element.iter(f"{{{_NS['a']}}}t")):
                rect = _element_rect(element)
                if rect is not None:
                    found.append(rect)
    return found


def _homes(layout) -> dict:
    """A layout's placeholder places by idx and by kind (the first of each kind)."""
    from briefing.layout.master_view import placeholders_of

    homes: dict = {}
    for placeholder in placeholders_of(layout):
        if placeholder.rect is not None:
            homes.setdefault(("idx", placeholder.idx), placeholder.rect)
            homes.setdefault(("kind", placeholder.kind), placeholder.rect)
    return homes


def _home(element, homes: dict) -> Rect | None:
    """Where the layout puts the placeholder a slide's shape fills: same idx, else same kind."""
    from briefing.layout.master_view import PLACEHOLDER_KINDS

    ph = element.find(".//p:nvPr/p:ph", _NS)
    idx = ph.get("idx", "")
    kind = PLACEHOLDER_KINDS.get(ph.get("type", "obj"), ph.get("type"))
    if idx.isdigit() and ("idx", int(idx)) in homes:
        return homes[("idx", int(idx))]
    return homes.get(("kind", kind))


def _artwork(slide, size: tuple[int, int], view) -> list[Artwork]:
    """What the layout and (unless hidden) the master paint, backgrounds and panels left out,
    as the layout reads it (view: the slide layout's LayoutView): a shape that shows nowhere
    (white at 30 % on a white sheet) is none, the busy parts of a background picture are."""
    busy = set(view.backdrop_art)
    shown = [piece for piece in view.artwork if piece not in busy]
    found = [
        Artwork(_shape_name(element), ARTWORK_KINDS[_tag(element)], origin, rect)
        for element, rect, origin in _artwork_elements(slide, size)
        if any(rect.overlaps(piece) for piece in shown)
    ]
    if view.backdrop_art:
        origin = (
            "layout"
            if slide.slide_layout._element.find("p:cSld/p:bg", _NS) is not None
            else "master"
        )
        found.append(Artwork("", "background picture", origin, _union(busy), view.backdrop_art))
    return found


def _artwork_elements(slide, size: tuple[int, int]) -> Iterator[tuple[object, Rect, str]]:
    """The artwork shape elements under a slide, with their boxes and the part they come from.

    Which painted shape is artwork is decided as the layout decides it (layout/artwork.py): a
    shape covering the slide is its background, one holding a text placeholder of the slide's
    layout is the panel the design sets that text on.
    """
    from briefing.layout.master_view import panel_areas, placeholders_of

    if slide._element.get("showMasterSp") == "0":
        return  # "hide background graphics" hides the layout's and the master's
    layout = slide.slide_layout
    areas = panel_areas(layout, placeholders_of(layout))
    parts = [(layout._element, "layout")]
    if layout._element.get("showMasterSp") != "0":
        parts.insert(0, (layout.slide_master._element, "master"))
    page = Rect(0, 0, *size)
    for part, origin in parts:
        tree = part.find("p:cSld/p:spTree", _NS)
        for element in tree if tree is not None else ():
            for leaf, rect in _classified(element, None, page, areas):
                yield leaf, rect, origin


def _classified(element, place, page: Rect, areas: list[Rect]) -> Iterator[tuple[object, Rect]]:
    """The painted leaves of one shape or group that are artwork; a group covering the slide
    counts by its members (corner ornaments, frames), as the layout reads it."""
    leaves = list(_walk([element], place))
    if not leaves:
        return
    extent = _union(rect for _, rect in leaves)
    if is_background(extent, page):
        if _tag(element) == "grpSp":
            inner = _group_placer(element, place)
            for child in element:
                yield from _classified(child, inner, page, areas)
        return
    if not is_panel(extent, areas):
        yield from leaves


def _tag(element) -> str:
    return element.tag.rsplit("}", 1)[-1]


def _shape_name(element) -> str:
    name = element.find(".//p:cNvPr", _NS)
    return name.get("name", "") if name is not None else ""


def design_decks(deck: Path, folder: Path) -> list[Path]:
    """Two copies of deck with our text and charts taken off: the design, then without artwork.

    Rendered, they differ exactly where the master's and layouts' artwork is painted, whatever
    its geometry (a wave, a picture with transparent parts), which a box cannot tell.
    """
    from pptx import Presentation

    folder.mkdir(parents=True, exist_ok=True)
    prs = Presentation(str(deck))
    for slide in prs.slides:
        _strip_ours(slide.shapes._spTree)
    design = folder / f"{deck.stem}.design.pptx"
    prs.save(str(design))
    size = (prs.slide_width, prs.slide_height)
    # A master's shape may be a panel under one layout and artwork under another: it is taken
    # off when it is artwork under any shown slide (lists keep the lxml proxies alive).
    artwork = [element for slide in prs.slides for element, _, _ in _artwork_elements(slide, size)]
    for element in artwork:
        if element.getparent() is not None:
            element.getparent().remove(element)
    ground = folder / f"{deck.stem}.ground.pptx"
    prs.save(str(ground))
    return [design, ground]


def _strip_ours(tree) -> None:
    """Take our text and charts off a shape tree, keeping our filled shapes and pictures.

    A panel or card of ours covers the artwork under it: text on the panel is not on artwork.
    """
    for element in list(tree):
        tag = element.tag.rsplit("}", 1)[-1]
        if tag in ("graphicFrame", "contentPart"):
            tree.remove(element)
        elif tag == "grpSp":
            _strip_ours(element)
        elif tag == "sp":
            for paragraph in element.findall("p:txBody/a:p", _NS):
                for run in list(paragraph):
                    if run.tag.rsplit("}", 1)[-1] in ("r", "br", "fld"):
                        paragraph.remove(run)


def artwork_masks(design_pdf: Path, ground_pdf: Path, work: Path) -> list:
    """Per page, a greyscale image white where the design's artwork is painted."""
    from PIL import Image, ImageChops

    from briefing.viewers import pdf_to_pixels

    masks = []
    designs = pdf_to_pixels(design_pdf, work / "design", dpi=MASK_DPI)
    grounds = pdf_to_pixels(ground_pdf, work / "ground", dpi=MASK_DPI)
    for design, ground in zip(designs, grounds):
        with Image.open(design) as a, Image.open(ground) as b:
            channels = ImageChops.difference(a.convert("RGB"), b.convert("RGB")).split()
        strongest = ImageChops.lighter(ImageChops.lighter(channels[0], channels[1]), channels[2])
        masks.append(strongest.point(lambda v: 255 if v > MASK_THRESHOLD else 0))
    return masks


def _painted_share(mask, rect: Rect, size: tuple[int, int]) -> float:
    """The share of rect's pixels where the design's artwork is painted."""
    scale = mask.width / size[0]
    left, top = max(0, int(rect.left * scale)), max(0, int(rect.top * scale))
    right = min(mask.width, max(left + 1, round(rect.right * scale)))
    bottom = min(mask.height, max(top + 1, round(rect.bottom * scale)))
    if right <= left or bottom <= top:
        return 0.0
    histogram = mask.crop((left, top, right, bottom)).histogram()
    return histogram[255] / ((right - left) * (bottom - top))


def _walk(tree, place) -> Iterator[tuple[object, Rect]]:
    """Painted leaf shapes under a shape tree, with boxes in slide EMU."""
    for element in tree:
        tag = element.tag.rsplit("}", 1)[-1]
        if tag == "grpSp":
            yield from _walk(element, _group_placer(element, place))
            continue
        if tag not in ("sp", "pic", "graphicFrame", "cxnSp"):
            continue
        if element.find(".//p:nvPr/p:ph", _NS) is not None:
            continue  # a placeholder is where our content goes, not artwork
        if tag == "sp" and not _is_painted(element):
            continue
        rect = _element_rect(element)
        if rect is None:
            continue
        yield element, (place(rect) if place else rect)


def _is_painted(sp) -> bool:
    """Whether an autoshape shows a fill or an outline (a bare text box paints nothing)."""
    props = sp.find("p:spPr", _NS)
    if props is None:
        return False
    fills = ("a:solidFill", "a:gradFill", "a:blipFill", "a:pattFill")
    if any(props.find(tag, _NS) is not None for tag in fills):
        return True
    line = props.find("a:ln", _NS)
    if line is not None and line.find("a:noFill", _NS) is None and len(line):
        return True
    if props.find("a:noFill", _NS) is not None:
        return False
    # No fill of its own: the theme style fills it when the style names a fill.
    style = sp.find("p:style/a:fillRef", _NS)
    return style is not None and style.get("idx", "0") != "0"


def _element_rect(element) -> Rect | None:
    """The box of a shape element from its xfrm, thin lines widened to a point."""
    xfrm = element.find("p:spPr/a:xfrm", _NS)
    if xfrm is None:
        xfrm = element.find("p:xfrm", _NS)
    if xfrm is None:
        return None
    off, ext = xfrm.find("a:off", _NS), xfrm.find("a:ext", _NS)
    if off is None or ext is None:
        return None
    left, top = int(off.get("x")), int(off.get("y"))
    width, height = int(ext.get("cx")), int(ext.get("cy"))
    if int(xfrm.get("rot", "0")) // 60000 % 180 in range(45, 135):
        # Turned a quarter: the painted box is the frame turned about its centre.
        cx, cy = left + width // 2, top + height // 2
        left, top, width, height = cx - height // 2, cy - width // 2, height, width
    if width < EMU_PER_PT:
        left, width = left - EMU_PER_PT // 2, EMU_PER_PT
    if height < EMU_PER_PT:
        top, height = top - EMU_PER_PT // 2, EMU_PER_PT
    return Rect(left, top, width, height)


def _group_placer(group, outer):
    """A function placing a rectangle of a group's child space onto the slide."""
    xfrm = group.find("p:grpSpPr/a:xfrm", _NS)
    if xfrm is None:
        return outer
    points = [xfrm.find(f"a:{tag}", _NS) for tag in ("off", "ext", "chOff", "chExt")]
    if any(point is None for point in points):
        return outer
    (ox, oy), (ex, ey), (cox, coy), (cex, cey) = (
        (int(p.get("x", p.get("cx", 0))), int(p.get("y", p.get("cy", 0)))) for p in points
    )
    sx, sy = (ex / cex if cex else 1), (ey / cey if cey else 1)

    def place(rect: Rect) -> Rect:
        inner = Rect(
            round(ox + (rect.left - cox) * sx),
            round(oy + (rect.top - coy) * sy),
            round(rect.width * sx),
            round(rect.height * sy),
        )
        return outer(inner) if outer else inner

    return place


# --- the deck as rendered ---------------------------------------------------------------------


def read_rendered_words(pdf: Path, size: tuple[int, int]) -> list[list[Word]]:
    """Each page's words as pdftotext places them, in slide EMU, numbered by rendered line."""
    from lxml import etree

    if shutil.which("pdftotext") is None:
        raise BriefingError("pdftotext is not installed; on Debian: apt-get install poppler-utils")
    done = subprocess.run(
        ["pdftotext", "-bbox-layout", str(pdf), "-"], capture_output=True, check=False
    )
    if done.returncode != 0:
        raise BriefingError(f"{pdf}: pdftotext could not read it: {done.stderr.decode()[:200]}")
    root = etree.fromstring(done.stdout, etree.XMLParser(recover=True, huge_tree=True))
    pages = []
    line_number = 0
    for page in root.iter(f"{_XHTML}page"):
        sx = size[0] / float(page.get("width"))
        sy = size[1] / float(page.get("height"))
        words = []
        for line in page.iter(f"{_XHTML}line"):
            line_number += 1
            for word in line.iter(f"{_XHTML}word"):
                x0, y0 = float(word.get("xMin")) * sx, float(word.get("yMin")) * sy
                x1, y1 = float(word.get("xMax")) * sx, float(word.get("yMax")) * sy
                rect = Rect(round(x0), round(y0), round(x1 - x0), round(y1 - y0))
                words.append(Word(word.text or "", rect, line_number))
        pages.append(words)
    return pages


def render_pages(pdf: Path, prefix: Path) -> list[Path]:
    """Each page as a picture at RENDER_DPI, in page order."""
    from briefing.viewers import pdf_to_pixels

    return pdf_to_pixels(pdf, prefix, dpi=RENDER_DPI)


def _assign_owners(slide: Slide) -> None:
    """Give each rendered word the shape of ours it came from: by line text, else by word."""
    texts = [s for s in slide.ours if s.kind == "text"]
    lines: dict[int, list[Word]] = {}
    for word in slide.words:
        lines.setdefault(word.line, []).append(word)
    for words in lines.values():
        box = words[0].rect
        for word in words[1:]:
            box = box.union(word.rect)
        if _masters_own(slide, texts, box):
            continue  # drawn by the master: no shape of ours to blame
        owner = _owner(texts, _pack("".join(w.text for w in words)), box)
        for word in words:
            word.owner = owner or _owner(texts, _pack(word.text), word.rect)
    charts = [s for s in slide.ours if s.kind == "chart"]
    for word in slide.words:
        if word.owner is None:
            word.owner = next((c for c in charts if _centre_in(word.rect, c.rect)), None)
        if word.owner is None and not any(ch.isalnum() for ch in word.text):
            # A bullet or a list number is drawn by the box, not written in its text.
            near = [s for s in texts if _centre_in(word.rect, _grown(s.rect))]
            word.owner = min(
                near, key=lambda s: (_distance(word.rect, s.rect), s.rect.area), default=None
            )


def _masters_own(slide: Slide, texts: list[Shape], box: Rect) -> bool:
    """Whether a rendered line lies in a text box the master draws and in no text box of ours."""
    return any(_centre_in(box, rect) for rect in slide.master_texts) and not any(
        _centre_in(box, shape.rect) for shape in texts
    )


def _owner(shapes: list[Shape], packed: str, box: Rect) -> Shape | None:
    """The shape whose text holds packed and whose box (text may overflow it) holds box's centre."""
    if not packed:
        return None
    near = [s for s in shapes if packed in s.packed and _centre_in(box, _grown(s.rect))]
    inside = [s for s in near if _centre_in(box, s.rect)]
    return min(inside or near, key=lambda s: s.rect.area, default=None)


def _grown(rect: Rect) -> Rect:
    """A shape's box with room for text running a little past it (overflow is another check)."""
    return Rect(
        rect.left - rect.width // 10,
        rect.top - rect.height // 2,
        rect.width + rect.width // 5,
        rect.height * 2,
    )


def _distance(box: Rect, rect: Rect) -> int:
    """How far box's centre lies outside rect (0 inside), in EMU along the worse axis."""
    cx, cy = box.left + box.width // 2, box.top + box.height // 2
    return max(rect.left - cx, cx - rect.right, rect.top - cy, cy - rect.bottom, 0)


def _centre_in(box: Rect, rect: Rect) -> bool:
    cx, cy = box.left + box.width // 2, box.top + box.height // 2
    return rect.left <= cx <= rect.right and rect.top <= cy <= rect.bottom


# --- the checks -------------------------------------------------------------------------------


def text_over_text(slide: Slide, size: tuple[int, int]) -> list[Finding]:
    """Words of different boxes drawn on one another (the master's own text counts as a box)."""
    clashes: dict[tuple[str, str], dict[str, list[Word]]] = {}
    words = slide.words
    for i, first in enumerate(words):
        for second in words[i + 1 :]:
            if first.owner is second.owner:
                continue
            shared = first.rect.intersection(second.rect)
            smaller = min(first.rect.area, second.rect.area)
            if shared is None or not smaller or shared.area < WORD_OVERLAP * smaller:
                continue
            pair = sorted((first, second), key=lambda w: _name(w.owner))
            clash = clashes.setdefault((_name(pair[0].owner), _name(pair[1].owner)), {})
            for word in pair:
                owned = clash.setdefault(_name(word.owner), [])
                if word not in owned:
                    owned.append(word)
    findings = []
    for key, clash in clashes.items():
        every = [w for name in key for w in clash[name]]
        findings.append(
            Finding(
                slide.number,
                "text-over-text",
                " / ".join(_reading(clash[name]) for name in key),
                _where(_union(w.rect for w in every), size),
                f"{key[0]} and {key[1]} are drawn on one another",
            )
        )
    return findings


def _reading(words: list[Word]) -> str:
    """Words in reading order: by rendered line, then from the left."""
    return " ".join(w.text for w in sorted(words, key=lambda w: (w.line, w.rect.left)))


def over_artwork(slide: Slide, size: tuple[int, int], mask) -> list[Finding]:
    """Our rendered text, and our charts, on what the master or layout paints (in mask)."""
    findings = []
    for art in slide.artwork:
        if mask is None and not art.parts:
            continue  # nothing of ours meets an artwork shape's box
        hits: dict[str, list[tuple[str, Rect]]] = {}
        for word in slide.words:
            if word.owner is None or word.owner.kind != "text" or word.owner.designed:
                continue
            if word.owner.home is not None and _set_on(word.owner.home, art, size):
                continue
            if word.rect.intersection(art.rect) is None:
                continue
            painted = [
                (ch, cell)
                for ch, cell in _cells(word)
                if cell.intersection(art.rect)
                and _share_on(art, mask, cell, size, slide) >= ARTWORK_OVERLAP
            ]
            if painted:
                text = "".join(ch for ch, _ in painted)
                hits.setdefault(word.owner.name, []).append(
                    (text, _union(cell for _, cell in painted))
                )
        for name, pieces in hits.items():
            findings.append(
                Finding(
                    slide.number,
                    "text-over-artwork",
                    " ".join(text for text, _ in pieces),
                    _where(_union(rect for _, rect in pieces), size),
                    f"{name} is drawn over {art.describe(size)}",
                )
            )
        for chart in (s for s in slide.ours if s.kind == "chart"):
            shared = chart.rect.intersection(art.rect)
            painted = _share_on(art, mask, shared, size, slide) * shared.area if shared else 0
            if painted >= CHART_OVERLAP * chart.rect.area:
                findings.append(
                    Finding(
                        slide.number,
                        "chart-over-artwork",
                        chart.name,
                        _where(shared, size),
                        f"the chart is drawn over {art.describe(size)}",
                    )
                )
    return findings


def _set_on(home: Rect, art: Artwork, size: tuple[int, int]) -> bool:
    """Whether the master set a placeholder's place on the artwork (a footer on its band, on
    the hill of a background picture), where it shows on the slide."""
    if not art.parts:
        return designed_on(home, art.rect)
    shown = home.intersection(Rect(0, 0, *size))
    if shown is None:
        return False
    on = sum(part.area for piece in art.parts if (part := piece.intersection(shown)) is not None)
    return on >= DESIGNED_SHARE * shown.area


def _share_on(art: Artwork, mask, rect: Rect, size: tuple[int, int], slide: Slide) -> float:
    """The share of rect where the artwork is painted: by the renders' mask for a shape; for a
    background picture's busy parts, by those parts, unless a shape of ours (a panel, a card)
    covers rect, as the render with our shapes covers a shape's artwork."""
    if not art.parts:
        return _painted_share(mask, rect, size)
    if any(s.kind == "other" and s.rect.contains(rect) for s in slide.ours):
        return 0.0
    on = sum(part.area for piece in art.parts if (part := piece.intersection(rect)) is not None)
    return on / rect.area if rect.area else 0.0


def _cells(word: Word) -> list[tuple[str, Rect]]:
    """Each character of a word with the middle of its share of the box (a Chinese run is one
    pdftotext word, however long: only the characters on the artwork are named)."""
    count = max(len(word.text), 1)
    rect = word.rect.inset(0, word.rect.height // 5)  # grazing the ascent or descent is no touch
    width = rect.width / count
    return [
        (ch, Rect(round(rect.left + i * width), rect.top, max(1, round(width)), rect.height))
        for i, ch in enumerate(word.text or " ")
    ]


def low_contrast(slide: Slide, size: tuple[int, int], image: Path) -> list[Finding]:
    """Rendered lines of ours whose measured text/background contrast is below WCAG 2.x."""
    import numpy as np
    from PIL import Image

    findings = []
    with Image.open(image) as opened:
        picture = opened.convert("RGB")
    scale = picture.width / size[0]
    for words in _lines(slide):
        box = _union(w.rect for w in words)
        size_pt = _line_height(words, box) / EMU_PER_PT / LINE_HEIGHT_PER_PT
        # Half a point of slack: the size is estimated from the line's height.
        needed = minimum_ratio(size_pt + 0.5)
        # The words' pixels pooled: a lone dot or comma holds too few stroke cores to measure.
        inside = np.concatenate([_pixels(picture, word.rect, scale) for word in words])
        around = np.concatenate([_pixels(picture, rect, scale) for w in words for rect in _rims(w)])
        colours = text_and_background(inside, around)
        if colours is not None and contrast_ratio(*colours) < needed - RATIO_SLACK:
            # The "text" may be a bar the label touches: measure again without it.
            kept = np.concatenate(
                [_without_bands(picture, word.rect, scale, colours[1]) for word in words]
            )
            rims = [_pixels(picture, rect, scale) for w in words for rect in _rims(w)]
            kept = _without_rim_colours(kept, rims, colours[1])
            colours = text_and_background(kept, around)
            if colours is not None and _flat(around):
                colours = (_core_ink(kept, colours[1]), colours[1])
        if colours is None or (ratio := contrast_ratio(*colours)) >= needed - RATIO_SLACK:
            continue
        text, background = colours
        findings.append(
            Finding(
                slide.number,
                "low-contrast",
                " ".join(w.text for w in words),
                _where(box, size),
                f"contrast {ratio:.1f}:1 ({hex_colour(text)} on {hex_colour(background)}); "
                f"{size_pt:.0f} pt text needs {needed:g}:1",
            )
        )
    return findings


def faint_chart_series(slide: Slide, size: tuple[int, int], image: Path) -> list[Finding]:
    """Charts of ours with a series under 3:1 on the ground they are rendered on."""
    from PIL import Image

    findings = []
    with Image.open(image) as opened:
        picture = opened.convert("RGB")
    for chart in (s for s in slide.ours if s.kind == "chart" and s.series):
        pixels = _pixels(picture, chart.rect, picture.width / size[0])
        if not len(pixels):
            continue
        ground = ground_of(pixels, list(chart.series))
        for color, ratio in faint_series(list(chart.series), ground, RATIO_SLACK):
            findings.append(
                Finding(
                    slide.number,
                    "faint-series",
                    chart.name,
                    _where(chart.rect, size),
                    f"series #{color} at {ratio:.1f}:1 on {hex_colour(ground)}; "
                    "a chart's bars and lines need 3:1",
                )
            )
    return findings


def _line_height(words: list[Word], box: Rect) -> int:
    """The height of a line across its writing direction (an axis title may run upwards)."""
    upright = box.height > 2 * box.width and sum(len(w.text) for w in words) > 1
    return box.width if upright else box.height


def _rims(word: Word) -> list[Rect]:
    """Strips just above and below a word's box: background only, for bold large glyphs can
    outnumber it inside the box (never read as text: a rule or band there is not the text)."""
    margin = max(1, word.rect.height // 5)
    rect = word.rect
    return [
        Rect(rect.left, rect.top - margin, rect.width, margin),
        Rect(rect.left, rect.bottom, rect.width, margin),
    ]


def _flat(pixels) -> bool:
    """Whether pixels (the strips above and below a line) are one plain fill."""
    import numpy as np

    return (
        len(pixels) > 0 and float(np.asarray(pixels, dtype=float).std(axis=0).max()) < FLAT_SPREAD
    )


def _core_ink(pixels, background):
    """The ink of a line's thinnest strokes on a plain fill: the mean of its pixels farthest
    from the fill. A 10 pt digit's strokes are a pixel or two wide at 150 dpi, so even their
    most common inked colour is blended with the fill (#5B616D measured #747983); blending
    only moves towards the fill, so the farthest pixels are the truest."""
    import numpy as np

    array = np.asarray(pixels, dtype=np.int64).reshape(-1, 3)
    distance = ((array - np.asarray(background)) ** 2).sum(axis=1)
    core = array[distance >= CORE_SHARE * distance.max()]
    return tuple(int(round(v)) for v in core.mean(axis=0))


def _without_rim_colours(pixels, rims, background):
    """The pixels without the colours that fill a strip just above or below the line, other
    than its background: a second background (a line on the edge of Nature_Illustration's
    hill, sky above and grass below), never its text."""
    import numpy as np

    def bins(values):
        return (np.asarray(values, dtype=np.int64).reshape(-1, 3) >> 4) @ np.array([256, 16, 1])

    ground = int(bins([background])[0])
    filling = set()
    for rim in rims:
        if len(rim):
            counts = np.bincount(bins(rim))
            if counts.max() >= RIM_SHARE * len(rim) and counts.argmax() != ground:
                filling.add(int(counts.argmax()))
    kept = pixels[~np.isin(bins(pixels), sorted(filling))] if filling else pixels
    return kept if len(kept) >= 12 else pixels


def _without_bands(picture, rect: Rect, scale: float, background):
    """The pixels (N x 3) under a box without its rows filled by one colour other than the
    background: a bar or rule crossing the box (the next bar under a bar's label), never a
    line of text, whose glyphs leave gaps."""
    import numpy as np

    pixels = _pixels(picture, rect, scale)
    width = max(1, min(picture.width, round(rect.right * scale)) - max(0, round(rect.left * scale)))
    if len(pixels) % width:
        return pixels
    rows = pixels.reshape(-1, width, 3)
    bins = (rows.astype(np.int64) >> 4) @ np.array([256, 16, 1])
    ground = (np.array(background, dtype=np.int64) >> 4) @ np.array([256, 16, 1])
    crossed = [
        i
        for i, row in enumerate(bins)
        if (counts := np.bincount(row)).max() >= BAND_SHARE * width and counts.argmax() != ground
    ]
    kept = np.delete(rows, crossed, axis=0).reshape(-1, 3)
    return kept if len(kept) >= 12 else pixels


def _pixels(picture, rect: Rect, scale: float):
    """The rendered pixels (N x 3) under a box."""
    import numpy as np

    left, top = max(0, round(rect.left * scale)), max(0, round(rect.top * scale))
    right = min(picture.width, round(rect.right * scale))
    bottom = min(picture.height, round(rect.bottom * scale))
    if right <= left or bottom <= top:
        return np.zeros((0, 3), dtype=np.uint8)
    return np.asarray(picture.crop((left, top, right, bottom))).reshape(-1, 3)


def _lines(slide: Slide) -> Iterator[list[Word]]:
    """Rendered lines of ours, cut where the owner changes."""
    current: list[Word] = []
    for word in slide.words:
        if current and (word.line != current[-1].line or word.owner is not current[-1].owner):
            if current[0].owner is not None:
                yield current
            current = []
        current.append(word)
    if current and current[0].owner is not None:
        yield current


# Numbers with what belongs to them: a sign, a currency before, a scale or unit after.
_UNIT = (
    r"(?:\s?(?:%|pp|bn|tn|k|m|x|million|billion|trillion|thousand|percent|points?|days?|weeks?"
    r"|months?|years?|hours?|minutes?|seconds?|people|USD|EUR|GBP|RMB|CNY)(?![A-Za-z])"
    r"|[%％×倍天年月日周秒人名家个次]|万亿|亿|万|千|百|美元|欧元|英镑|日元|人民币|元|个月|小时|分钟)"
)
NUMBER = re.compile(
    r"(?<![A-Za-z\d])(?<!\d[.,])(?:[-−–+±~≈]\s?)?(?:(?:US|HK|A|C|S)?\$|RMB\s?|[€£¥￥])?\s?"
    r"\d(?:[\d,.]*\d)?" + _UNIT + "*"
)


def broken_lines(slide: Slide, size: tuple[int, int]) -> list[Finding]:
    """Latin words broken inside, and numbers split from their units, across rendered lines."""
    findings = []
    for shape in (s for s in slide.ours if s.kind == "text"):
        lines = _owned_lines(slide, shape)
        if len(lines) < 2:
            continue
        text = unicodedata.normalize("NFKC", shape.text)
        kept = [i for i, ch in enumerate(text) if not ch.isspace()]
        packed = "".join(text[i] for i in kept)
        rendered = "".join(_pack("".join(w.text for w in line)) for line in lines)
        to_packed = _alignment(rendered, packed)
        starts, at = [], 0
        for line in lines[:-1]:
            at += len(_pack("".join(w.text for w in line)))
            starts.append(at)
        breaks = []
        for start in starts:
            before, after = to_packed.get(start - 1), to_packed.get(start)
            if before is not None and after == before + 1:
                breaks.append((kept[before], kept[after]))
        findings += _word_breaks(slide, shape, text, breaks, lines, size)
        findings += _number_breaks(slide, shape, text, breaks, lines, size)
    return findings


def _word_breaks(slide, shape, text, breaks, lines, size) -> list[Finding]:
    found: dict[tuple[int, int], list[int]] = {}
    for before, after in breaks:
        if after == before + 1 and _latin(text[before]) and _latin(text[after]):
            start, end = before, after
            while start > 0 and _latin(text[start - 1]):
                start -= 1
            while end + 1 < len(text) and _latin(text[end + 1]):
                end += 1
            found.setdefault((start, end + 1), []).append(after)
    return [
        Finding(
            slide.number,
            "broken-word",
            text[start:end],
            _where(_shape_lines_box(lines), size),
            f"{shape.name} breaks it inside as {_cut(text, start, end, cuts)}",
        )
        for (start, end), cuts in found.items()
    ]


def _number_breaks(slide, shape, text, breaks, lines, size) -> list[Finding]:
    findings = []
    # A break the text makes itself (a KPI's unit set as a paragraph under its number) is meant.
    wrapped = [(b, a) for b, a in breaks if not any(ch in "\n\v" for ch in text[b:a])]
    for match in NUMBER.finditer(text):
        cuts = [after for before, after in wrapped if match.start() <= before < after < match.end()]
        if cuts and any(ch.isdigit() for ch in match.group()):
            start, end = match.span()
            findings.append(
                Finding(
                    slide.number,
                    "split-number",
                    match.group().strip(),
                    _where(_shape_lines_box(lines), size),
                    f"{shape.name} splits it across lines as {_cut(text, start, end, cuts)}",
                )
            )
    return findings


def _cut(text: str, start: int, end: int, cuts: list[int]) -> str:
    """The text from start to end with | where the lines break."""
    pieces, at = [], start
    for cut in sorted(cuts):
        pieces.append(text[at:cut].strip())
        at = cut
    pieces.append(text[at:end].strip())
    return " | ".join(pieces)


def _latin(ch: str) -> bool:
    return ch.isalpha() and unicodedata.name(ch, "").startswith("LATIN")


def _owned_lines(slide: Slide, shape: Shape) -> list[list[Word]]:
    lines: dict[int, list[Word]] = {}
    for word in slide.words:
        if word.owner is shape:
            lines.setdefault(word.line, []).append(word)
    return list(lines.values())


def _shape_lines_box(lines: list[list[Word]]) -> Rect:
    return _union(w.rect for line in lines for w in line)


def _alignment(rendered: str, packed: str) -> dict[int, int]:
    """Index of each rendered character in the deck's text, where the two agree."""
    matcher = difflib.SequenceMatcher(None, rendered, packed, autojunk=False)
    mapping = {}
    for block in matcher.get_matching_blocks():
        for k in range(block.size):
            mapping[block.a + k] = block.b + k
    return mapping


def outside_slide(slide: Slide, size: tuple[int, int]) -> list[Finding]:
    """Shapes of ours, and rendered words, reaching past the slide's edges."""
    findings = []
    for shape in slide.ours:
        if shape.rect.area and not _inside(shape.rect, size):
            findings.append(
                Finding(
                    slide.number,
                    "outside-slide",
                    shape.text.strip()[:80] or shape.name,
                    _where(shape.rect, size),
                    f"{shape.name} reaches past the slide's edge",
                )
            )
    return findings


def text_past_the_edge(slide: Slide, size: tuple[int, int]) -> list[Finding]:
    """Text whose box is on the slide but whose lines run on past its edge, so are not drawn.

    pdftotext gives no word beyond the page: the tail of a box's text missing from the render,
    with the last drawn line at the slide's bottom, is text that ran off.
    """
    findings = []
    for shape in (s for s in slide.ours if s.kind == "text"):
        lines = _owned_lines(slide, shape)
        if not lines or not _inside(shape.rect, size):
            continue  # no text drawn, or the box itself is reported as outside
        packed = shape.packed
        rendered = "".join(_pack("".join(w.text for w in line)) for line in lines)
        drawn = max(_alignment(rendered, packed).values(), default=-1)
        last = _union(w.rect for w in lines[-1])
        if drawn + 1 >= len(packed) or last.bottom + 1.5 * last.height < size[1]:
            continue
        findings.append(
            Finding(
                slide.number,
                "outside-slide",
                _tail(shape.text, len(packed) - drawn - 1),
                _where(Rect(shape.rect.left, last.bottom, shape.rect.width, 0), size),
                f"{shape.name}'s text runs on past the slide's bottom edge",
            )
        )
    return findings


def _tail(text: str, count: int) -> str:
    """The end of text holding its last count characters that are not white space."""
    at = len(text)
    while count > 0 and at > 0:
        at -= 1
        count -= not text[at].isspace()
    return " ".join(text[at:].split())


def _inside(rect: Rect, size: tuple[int, int]) -> bool:
    page = Rect(-BOUNDS_TOLERANCE, -BOUNDS_TOLERANCE, *(s + 2 * BOUNDS_TOLERANCE for s in size))
    return page.contains(rect)


def _where(rect: Rect, size: tuple[int, int]) -> dict[str, float]:
    """A box in % of the slide's width and height."""
    return {
        "x": round(100 * rect.left / size[0], 1),
        "y": round(100 * rect.top / size[1], 1),
        "width": round(100 * rect.width / size[0], 1),
        "height": round(100 * rect.height / size[1], 1),
    }


def _union(rects) -> Rect:
    rects = list(rects)
    box = rects[0]
    for rect in rects[1:]:
        box = box.union(rect)
    return box


def _name(shape: Shape | None) -> str:
    return shape.name if shape else "the master's text"


def _pack(text: str) -> str:
    return "".join(unicodedata.normalize("NFKC", text).split())


def _quoted(text: str) -> str:
    short = text if len(text) <= 60 else text[:57] + "..."
    return f'"{short}"'

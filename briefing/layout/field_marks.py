"""LibreOffice's field markers ('<date/time>', '<footer>') left as text in a master's own text
boxes: taken out of the deck we write, a date box remembered so the layout can date it."""

from __future__ import annotations

import re
from dataclasses import dataclass

from briefing.layout.geometry import Rect
from briefing.render.pptx_text import Style

A = "{http://schemas.openxmlformats.org/drawingml/2006/main}"
P = "{http://schemas.openxmlformats.org/presentationml/2006/main}"
# LibreOffice exports a field in a plain text box of its design as the field's marker, which
# every viewer then prints as it is (Lights: '<date/time>' on every content slide). Markers
# are short and bracketed, and LibreOffice translates them ('<Datum/Uhrzeit>'): any such whole
# text counts; the English ones say which field it was.
MARKER = re.compile(r"<[^<>\s]{1,30}>")
DATE_MARKERS = {"<date/time>", "<date>", "<time>"}
NUMBER_MARKERS = {"<number>", "<slide-number>", "<page-number>"}
ANCHORS = {"t": "top", "ctr": "middle", "b": "bottom"}
SLIDE_NUMBER = "{B6F15528-21DE-4FAA-801E-634DDDAF4B2B}"  # any GUID: viewers key on the type


@dataclass(frozen=True)
class DateBox:
    """Where a master's '<date/time>' box stood, and how it set its text."""

    rect: Rect
    align: str  # l | ctr | r
    anchor: str  # top | middle | bottom


@dataclass(frozen=True)
class NumberBox:
    """A master's own slide-number field in a text box: where, and how it sets the number (the
    HTML slides draw it as the deck's viewer does)."""

    rect: Rect
    style: Style
    anchor: str


class FieldMarks:
    """The markers of one master deck, cleared from it once, before anything reads it."""

    def __init__(self, prs):
        self._dates: dict[str, list[DateBox]] = {}
        self._numbers: dict[str, list[NumberBox]] = {}
        for master in prs.slide_masters:
            for part in [master, *master.slide_layouts]:
                name = str(part.part.partname)
                self._dates[name] = _clear(part.element)
                self._numbers[name] = _numbers(part.element)

    def dates(self, layout) -> list[DateBox]:
        """The date boxes a slide of this layout shows: its own, and its master's unless the
        layout hides the master's shapes."""
        return _shown(self._dates, layout)

    def numbers(self, layout) -> list[NumberBox]:
        """The slide-number fields of the master's and layout's own boxes a slide shows."""
        return _shown(self._numbers, layout)


def _shown(found: dict[str, list], layout) -> list:
    """What a layout holds itself, and its master's unless the layout hides the master's shapes."""
    shown = list(found.get(str(layout.part.partname), []))
    if layout.element.get("showMasterSp", "1") not in ("0", "false"):
        shown += found.get(str(layout.slide_master.part.partname), [])
    return shown


def _numbers(root) -> list[NumberBox]:
    """The top-level text boxes of a master or layout whose text is a slide-number field."""
    tree = root.find(f"{P}cSld/{P}spTree")
    found = []
    for shape in tree.findall(f"{P}sp") if tree is not None else ():
        body = shape.find(f"{P}txBody")
        if shape.find(f"{P}nvSpPr/{P}nvPr/{P}ph") is not None or body is None:
            continue
        fields = body.findall(f"{A}p/{A}fld")
        rect = _rect(shape)
        if rect is None or [f.get("type") for f in fields] != ["slidenum"]:
            continue
        if body.findall(f"{A}p/{A}r"):
            continue  # '<number> of <count>' and the like: drawn only by the deck's viewer
        rpr = fields[0].find(f"{A}rPr")
        size = int(rpr.get("sz", "1800")) / 100 if rpr is not None else 18.0
        color = rpr.find(f"{A}solidFill/{A}srgbClr") if rpr is not None else None
        style = Style(
            size=size,
            bold=rpr is not None and rpr.get("b") in ("1", "true"),
            color=color.get("val").upper() if color is not None else None,
            align=_align(body),
        )
        found.append(NumberBox(rect, style, _anchor(body)))
    return found


def _clear(root) -> list[DateBox]:
    """Blank every marker in the non-placeholder text boxes of one master or layout (a slide
    number's becomes the slide-number field it stood for); returns the date boxes cleared."""
    tree = root.find(f"{P}cSld/{P}spTree")
    dates = []
    for shape in tree.iter(f"{P}sp") if tree is not None else ():
        if shape.find(f"{P}nvSpPr/{P}nvPr/{P}ph") is not None:
            continue  # a placeholder's marker is only its prompt: slides never show it
        body = shape.find(f"{P}txBody")
        runs = body.findall(f"{A}p/{A}r") if body is not None else []
        text = "".join(run.findtext(f"{A}t", "") for run in runs)
        if not runs or not MARKER.fullmatch(text.strip()):
            continue
        marker = text.strip().lower()
        if marker in NUMBER_MARKERS:
            # One field for the marker, however many runs an editor cut it into.
            first, *rest = runs
            first.tag = f"{A}fld"
            first.set("id", SLIDE_NUMBER)
            first.set("type", "slidenum")
            first.find(f"{A}t").text = text.strip()
            for run in rest:
                run.getparent().remove(run)
            continue
        for run in runs:
            run.find(f"{A}t").text = ""
        rect = _rect(shape)
        if marker in DATE_MARKERS and rect is not None and shape.getparent() is tree:
            dates.append(DateBox(rect, _align(body), _anchor(body)))
    return dates


def _rect(shape) -> Rect | None:
    """A shape's own place on the slide (None when it inherits one)."""
    xfrm = shape.find(f"{P}spPr/{A}xfrm")
    off = xfrm.find(f"{A}off") if xfrm is not None else None
    ext = xfrm.find(f"{A}ext") if xfrm is not None else None
    if off is None or ext is None:
        return None
    return Rect(int(off.get("x")), int(off.get("y")), int(ext.get("cx")), int(ext.get("cy")))


def _align(body) -> str:
    ppr = body.find(f"{A}p/{A}pPr")
    return ppr.get("algn", "l") if ppr is not None else "l"


def _anchor(body) -> str:
    bodypr = body.find(f"{A}bodyPr")
    return ANCHORS.get(bodypr.get("anchor", "t") if bodypr is not None else "t", "top")

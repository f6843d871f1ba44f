"""The page printed by WeasyPrint: exactly one page, shrinking in defined steps to a floor."""

from __future__ import annotations

from dataclasses import dataclass

from briefing.errors import BriefingError
from briefing.render.page import DENSITIES, PageBuilder, Paper


@dataclass
class FittedPage:
    """The page's HTML at the density that fits one sheet, and its printed PDF."""

    html: str
    document: object  # WeasyPrint's laid-out document
    density: int

    @property
    def pdf(self) -> bytes:
        """The printed PDF, made only when a build asks for it."""
        return self.document.write_pdf()


def fit_page(builder: PageBuilder, paper: Paper) -> FittedPage:
    """Lay the page out at each density until it fits one sheet; past the floor, say what spills."""
    from weasyprint import HTML

    for density in DENSITIES:
        html = builder.html(paper, density)
        document = HTML(string=html).render()
        if len(document.pages) == 1:
            return FittedPage(html, document, density)
    raise BriefingError(_overflow_message(document, paper))


def _overflow_message(document, paper: Paper) -> str:
    """Name the parts that spill past the first sheet and by how much (in mm)."""
    spilled: dict[str, float] = {}
    for page in document.pages[1:]:
        for box in _descendants(page._page_box):
            element = getattr(box, "element", None)
            tag = getattr(element, "tag", "")
            if tag in ("section", "header", "footer", "figure") and element is not None:
                name = element.get("class", tag).split()[0]
                spilled[name] = spilled.get(name, 0) + box.margin_height()
    extra = sum(page.height for page in document.pages[1:]) * 25.4 / 96
    parts = ", ".join(f"{name} ({height * 25.4 / 96:.0f} mm)" for name, height in spilled.items())
    return (
        f"the summary does not fit one {paper.css} page even at the smallest type: "
        f"{len(document.pages) - 1} more page(s) (about {extra:.0f} mm) hold {parts or 'content'}; "
        "shorten the takeaways, actions or chart notes"
    )


def _descendants(box):
    yield box
    for child in getattr(box, "children", []):
        yield from _descendants(child)

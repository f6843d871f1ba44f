"""The deck PDF: the slides HTML printed by WeasyPrint, one slide a page at the slide's size, or
a handout (each slide with its notes under it, on a page 1.6 slides tall)."""

from __future__ import annotations

from briefing.render.slides import SlideShow


def deck_pdf(show: SlideShow, handout: bool = False) -> bytes:
    """The slides as a PDF: text as text (fonts embedded and subset by WeasyPrint), links kept."""
    from weasyprint import HTML

    printable, fonts = show.print_html(handout)
    return HTML(string=printable, url_fetcher=_fetcher(fonts)).write_pdf()


def _fetcher(fonts: dict[str, bytes]):
    """WeasyPrint's fetcher, serving the slides' font URLs from memory (pictures are data:
    URIs already; nothing else is fetched)."""
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class FontFetcher(URLFetcher):
        def fetch(self, url, headers=None):
            if url in fonts:
                return URLFetcherResponse(url, fonts[url], {"Content-Type": "font/woff2"})
            return super().fetch(url, headers)

    return FontFetcher()

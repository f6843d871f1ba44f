"""The fitted page (HTML and PDF) kept between builds, so that an edit the page does not show
skips WeasyPrint."""

from __future__ import annotations

import hashlib
import json
from importlib.metadata import version

from briefing.cache import Cache, code_stamp
from briefing.fonts import font_files
from briefing.render.page import PageBuilder, Paper
from briefing.render.pdf import FittedPage, page_digest


def lookup(
    cache: Cache, builder: PageBuilder, paper: Paper, want_pdf: bool
) -> tuple[tuple | None, FittedPage | None]:
    """This page's key (None when it cannot be cached) and the cached page, when one holds."""
    fonts = builder.theme.fonts
    # A font we do not ship is found on this machine by WeasyPrint; what it finds is not in
    # the key, so such a page is not cached.
    if not all(font_files(family) for family in (fonts.latin, fonts.east_asian)):
        return None, None
    printable, files = builder.print_html(paper, 0)
    key = (
        "page",
        code_stamp(),
        version("weasyprint"),
        paper.name,
        page_digest(printable),
        [hashlib.sha256(data).hexdigest() for data in files.values()],
    )
    page = cache.get(key, lambda data: _decode(data, want_pdf))
    if page is None or not _same_tries(page, builder, paper):
        return key, None
    return key, page


def store(cache: Cache, key: tuple | None, page: FittedPage) -> None:
    """Keep a page, unless it cannot be cached or loaded files its key does not cover."""
    if key is not None and not page.fetched:
        cache.put(key, _encode(page))


def _same_tries(page: FittedPage, builder: PageBuilder, paper: Paper) -> bool:
    """Whether the other tries that led to a cached page would be the same today (a
    template may change only what a smaller density shows); the first try is in the key."""
    return all(
        page_digest(builder.print_html(paper, step)[0]) == digest
        for step, digest in page.tries
        if step > 0
    )


def _encode(page: FittedPage) -> bytes:
    fields = {
        "html": page.html,
        "density": page.density,
        "tries": page.tries,
        "warnings": page.warnings,
    }
    return json.dumps(fields).encode("utf-8") + b"\0" + (page.pdf or b"")


def _decode(data: bytes, want_pdf: bool) -> FittedPage | None:
    """A cached page; without its PDF when one is wanted, a miss."""
    header, _, pdf = data.partition(b"\0")
    if want_pdf and not pdf.startswith(b"%PDF-"):
        return None
    fields = json.loads(header)
    warnings = tuple(fields.get("warnings", ()))
    return FittedPage(
        fields["html"], pdf or None, fields["density"], tuple(fields["tries"]), (), warnings
    )

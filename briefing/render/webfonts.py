"""The shipped fonts as @font-face rules, subset to the characters a page uses (fontTools)."""

from __future__ import annotations

import base64
import contextlib
import io
import os
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial

from briefing.cache import Cache, code_stamp, file_stamp
from briefing.fonts import font_files
from briefing.theme import Theme

FONT_SCHEME = "briefing-font"  # URLs of fonts served to the printer from memory


def subset_font(path, text: str, flavor: str | None = "woff2") -> bytes:
    """A copy of a font holding only the glyphs for `text` (plus layout features), its cmap at
    the Simplified Chinese forms: WOFF2, or plain OpenType (flavor None) for a measuring page."""
    from fontTools.ttLib import TTFont

    from briefing.render.font_forms import use_simplified_forms

    # recalcTimestamp off: else head.modified is the time of saving, and no two builds agree.
    # recalcBBoxes off: HarfBuzz's cut keeps the face's bounding boxes; recomputing them ran
    # every kept CFF charstring in Python (the Chinese page's four faces: 0.66 s of CPU, 0.25 s
    # without, measured).
    with TTFont(
        io.BytesIO(_subset_sfnt(path, text)), recalcTimestamp=False, recalcBBoxes=False
    ) as font:
        changed = use_simplified_forms(font)
        # Only the cmap changes: the tables read to find the forms (the GSUB, and the CFF for
        # the glyph names) are written as cut, not compiled again from what was read.
        for tag in [tag for tag in font.tables if tag != "cmap" or not changed]:
            del font.tables[tag]
        font.flavor = flavor
        buffer = io.BytesIO()
        with _quicker_brotli():
            font.save(buffer)
    return buffer.getvalue()


def _subset_sfnt(path, text: str) -> bytes:
    """The font cut to `text`'s glyphs by HarfBuzz's subsetter, every layout feature and name
    kept: fontTools' subsetter takes 0.85 s of CPU on a Pan-CJK face (running every kept
    charstring in Python), HarfBuzz 15 ms, for the same glyphs, outlines and advances."""
    import uharfbuzz as hb

    wanted = hb.SubsetInput()
    wanted.unicode_set.update(ord(c) for c in text)
    for every in (wanted.layout_feature_tag_set, wanted.name_id_set):
        every.clear()
        every.invert()
    wanted.flags = hb.SubsetFlags.NOTDEF_OUTLINE
    face = hb.Face(hb.Blob.from_file_path(str(path)))
    return hb.subset(face, wanted).blob.data  # only shipped fonts come here: a failure is a bug


BROTLI_QUALITY = 9  # a Chinese subset: 0.14 s and 231 KB, where 11 takes 3.2 s for 214 KB


@contextlib.contextmanager
def _quicker_brotli():
    """fontTools' WOFF2 writer compresses at brotli's slowest quality (11) and takes no
    setting: while it writes, it is given a brotli that compresses at BROTLI_QUALITY."""
    import brotli
    from fontTools.ttLib import woff2

    class Quicker:
        MODE_FONT = brotli.MODE_FONT
        decompress = staticmethod(brotli.decompress)

        @staticmethod
        def compress(data, mode=brotli.MODE_GENERIC, **_):
            return brotli.compress(data, mode=mode, quality=BROTLI_QUALITY)

    before = woff2.brotli
    woff2.brotli = Quicker
    try:
        yield
    finally:
        woff2.brotli = before


@dataclass(frozen=True)
class FontFace:
    """One embedded face: its family, CSS weight and subset WOFF2 bytes."""

    family: str
    weight: str
    data: bytes

    def rule(self, src: str, kind: str = "woff2") -> str:
        """The @font-face rule with the given `src` URL (of a font of that format)."""
        return (
            f'@font-face{{font-family:"{self.family}";font-weight:{self.weight};'
            f'font-style:normal;src:url({src}) format("{kind}");}}'
        )


def font_faces(theme: Theme, text: str, cache: Cache) -> list[FontFace]:
    """The theme's Latin and East-Asian fonts, regular and bold, subset to `text`."""
    wants = []
    for family, weight, path, text_of in _wanted(theme, text, cache):
        key = ("woff2", code_stamp(__name__), file_stamp(path), text_of)
        wants.append((family, weight, path, key, text_of))
    found = {key: cache.get(key) for *_, key, _ in wants}
    missing = [(path, text_of) for _, _, path, key, text_of in wants if found[key] is None]
    made = dict(zip(missing, _subset_all(missing)))
    faces = []
    for family, weight, path, key, text_of in wants:
        if found[key] is None:
            found[key] = made[(path, text_of)]
            cache.put(key, found[key])
        faces.append(FontFace(family, weight, found[key]))
    return faces


def measuring_fonts(theme: Theme, text: str) -> tuple[str, dict[str, Callable[[], bytes]]]:
    """The @font-face rules of `linked_css` for a page laid out only to be measured, and for
    each URL what makes its font (the same glyphs and forms, not compressed), for the printer
    to call: cutting them takes about 0.1 s, which the printer has while the charts are drawn."""
    faces = _wanted(theme, text, Cache(None))
    fonts = {
        f"{FONT_SCHEME}:{index}": partial(subset_font, path, text_of, None)
        for index, (_, _, path, text_of) in enumerate(faces)
    }
    rules = [
        FontFace(family, weight, b"").rule(url, "opentype")
        for url, (family, weight, _, _) in zip(fonts, faces)
    ]
    return "\n".join(rules), fonts


def _wanted(theme: Theme, text: str, cache: Cache) -> list[tuple[str, str, object, str]]:
    """Each face a page in `text` needs: its family, CSS weight, font file and characters."""
    characters = set(text) | set(" 0123456789")
    latin = font_files(theme.fonts.latin)
    covered = _covered(latin.regular, characters, cache) if latin else set()
    # The East-Asian font keeps every character: Pango (WeasyPrint) may set Latin letters
    # next to Chinese in it, and a glyph missing from the subset would print as a box.
    wanted = {theme.fonts.latin: covered, theme.fonts.east_asian: characters}
    faces = []
    for family, chars in wanted.items():
        files = font_files(family)
        if files is None or not chars:
            continue  # a font we do not ship: the page names it and the reader's system serves
        text_of = "".join(sorted(chars))
        faces += [(family, "400", files.regular, text_of), (family, "700", files.bold, text_of)]
    return faces


def _subset_all(wanted: list[tuple]) -> list[bytes]:
    """Subset several fonts, two at a time when there is a second core: a Chinese face takes
    over a second to subset and compress, and a cold page needs two of them."""
    if len(wanted) < 2 or (os.cpu_count() or 1) < 2:
        return [subset_font(path, text) for path, text in wanted]
    from briefing.workers import worker_pool

    with worker_pool(2, _end_with, (os.getpid(),)) as pool:
        return list(pool.map(subset_font, *zip(*wanted)))


def _end_with(parent: int) -> None:
    """In a worker: exit when the parent does (a killed build must not leave workers behind,
    blocked on a pipe nobody reads and holding the terminal's output open)."""
    import threading
    import time

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(0.2)
        os._exit(1)

    threading.Thread(target=watch, daemon=True).start()


def embedded_css(faces: list[FontFace]) -> str:
    """@font-face rules carrying the fonts as data: URLs, so the page needs no other file."""
    return "\n".join(
        face.rule("data:font/woff2;base64," + base64.b64encode(face.data).decode("ascii"))
        for face in faces
    )


def linked_css(faces: list[FontFace], kind: str = "woff2") -> tuple[str, dict[str, bytes]]:
    """@font-face rules linking each font by a URL of ours, and the bytes each URL serves:
    WeasyPrint tokenises every character of its CSS, so data: URLs would cost it time."""
    fonts = {f"{FONT_SCHEME}:{index}": face.data for index, face in enumerate(faces)}
    return "\n".join(face.rule(url, kind) for url, face in zip(fonts, faces)), fonts


def _covered(path, characters: set[str], cache: Cache) -> set[str]:
    from briefing.measure import font_metrics

    advances = font_metrics(path, cache).advances
    return {c for c in characters if ord(c) in advances}

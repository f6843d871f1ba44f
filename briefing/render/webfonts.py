"""The shipped fonts as @font-face rules, subset to the characters a page uses (fontTools)."""

from __future__ import annotations

import base64
import io

from briefing.cache import Cache, file_stamp
from briefing.fonts import font_files
from briefing.theme import Theme


def subset_font(path, text: str) -> bytes:
    """A WOFF2 copy of a font holding only the glyphs for `text` (plus layout features)."""
    from fontTools import subset

    options = subset.Options()
    options.flavor = "woff2"
    options.layout_features = ["*"]
    options.name_IDs = ["*"]
    options.notdef_outline = True
    font = subset.load_font(str(path), options, lazy=True)
    subsetter = subset.Subsetter(options)
    subsetter.populate(text=text)
    subsetter.subset(font)
    buffer = io.BytesIO()
    subset.save_font(font, buffer, options)
    return buffer.getvalue()


def font_face_css(theme: Theme, text: str, cache: Cache) -> str:
    """@font-face rules for the theme's Latin and East-Asian fonts, regular and bold, embedded."""
    characters = set(text) | set(" 0123456789")
    latin = font_files(theme.fonts.latin)
    covered = _covered(latin.regular, characters, cache) if latin else set()
    # The East-Asian font keeps every character: Pango (WeasyPrint) may set Latin letters
    # next to Chinese in it, and a glyph missing from the subset would print as a box.
    wanted = {theme.fonts.latin: covered, theme.fonts.east_asian: characters}
    rules = []
    for family, chars in wanted.items():
        files = font_files(family)
        if files is None or not chars:
            continue  # a font we do not ship: the page names it and the reader's system serves
        text_of = "".join(sorted(chars))
        for weight, path in (("400", files.regular), ("700", files.bold)):
            font = cache.get_or_make(
                ("woff2", file_stamp(path), text_of), lambda p=path, t=text_of: subset_font(p, t)
            )
            data = base64.b64encode(font).decode("ascii")
            rules.append(
                f'@font-face{{font-family:"{family}";font-weight:{weight};font-style:normal;'
                f'src:url(data:font/woff2;base64,{data}) format("woff2");}}'
            )
    return "\n".join(rules)


def _covered(path, characters: set[str], cache: Cache) -> set[str]:
    from briefing.measure import font_metrics

    advances = font_metrics(path, cache).advances
    return {c for c in characters if ord(c) in advances}

"""The web fonts draw Simplified Chinese forms whatever the renderer knows of the language."""

from __future__ import annotations

import io

from fontTools.ttLib import TTFont

from briefing.fonts import font_files
from briefing.render.font_forms import use_simplified_forms
from briefing.render.webfonts import _subset_sfnt, subset_font

PUNCTUATION = "：，。、！？；"


def _shaped(data: bytes, text: str, language: str) -> list[int]:
    """The glyphs HarfBuzz picks for text in a language (what a shaper told it does)."""
    import uharfbuzz as hb

    font = hb.Font(hb.Face(hb.Blob(data)))
    buffer = hb.Buffer()
    buffer.add_str(text)
    # Punctuation alone is of no script; in a page it is shaped with the Han beside it.
    buffer.script, buffer.direction, buffer.language = "Hani", "ltr", language
    hb.shape(font, buffer, {})
    return [info.codepoint for info in buffer.glyph_infos]


def test_the_cmap_gives_the_glyphs_a_shaper_picks_for_simplified_chinese():
    data = _subset_sfnt(font_files("Noto Sans CJK SC").regular, "汉字" + PUNCTUATION)
    simplified = _shaped(data, PUNCTUATION, "zh-Hans")
    # The face we ship is the Traditional one: by default its punctuation differs.
    assert _shaped(data, PUNCTUATION, "zh-Hant") != simplified
    with TTFont(io.BytesIO(data)) as font:
        assert use_simplified_forms(font) >= len(PUNCTUATION)
        cmap = font.getBestCmap()
        assert [font.getGlyphID(cmap[ord(c)]) for c in PUNCTUATION] == simplified


def test_the_page_fonts_carry_the_simplified_forms():
    woff2 = subset_font(font_files("Noto Sans CJK SC").regular, "要点：" + PUNCTUATION)
    with TTFont(io.BytesIO(woff2)) as font:
        font.flavor = None
        plain = io.BytesIO()
        font.save(plain)
    # Shaped with no language at all, as a renderer that is not told it: Simplified forms.
    assert _shaped(plain.getvalue(), PUNCTUATION, "en") == _shaped(
        plain.getvalue(), PUNCTUATION, "zh-Hans"
    )


def test_a_latin_face_is_left_as_it_is():
    data = _subset_sfnt(font_files("Source Sans Pro").regular, "Sora: AI, 1.")
    with TTFont(io.BytesIO(data)) as font:
        assert use_simplified_forms(font) == 0

"""The page's fonts subset by HarfBuzz: the glyphs, outlines and features fontTools would keep."""

from __future__ import annotations

import io

import pytest
from fontTools import subset
from fontTools.pens.recordingPen import RecordingPen
from fontTools.ttLib import TTFont

from briefing.fonts import font_files
from briefing.render import webfonts
from briefing.render.font_forms import use_simplified_forms

# Simplified and Traditional forms, CJK and ASCII punctuation, digits, Latin letters and a
# ligature: what a Chinese briefing's page holds.
TEXT = "国际空间站轨道高度约四百公里。「數據」：2024年，增长12.5%；Office fi"


def _fonttools_subset(path, text: str) -> TTFont:
    """The subset fontTools' own subsetter makes with the options the page used to ask for."""
    options = subset.Options()
    options.layout_features = ["*"]
    options.name_IDs = ["*"]
    options.notdef_outline = True
    font = subset.load_font(str(path), options)
    subsetter = subset.Subsetter(options)
    subsetter.populate(text=text)
    subsetter.subset(font)
    return font


def _drawn(font: TTFont) -> dict[int, tuple]:
    """Each mapped character's outline commands and advance."""
    glyphs = font.getGlyphSet()
    drawn = {}
    for code, name in font.getBestCmap().items():
        pen = RecordingPen()
        glyphs[name].draw(pen)
        drawn[code] = (tuple(pen.value), glyphs[name].width)
    return drawn


def _features(font: TTFont, table: str) -> set[str]:
    return {record.FeatureTag for record in font[table].table.FeatureList.FeatureRecord}


@pytest.mark.parametrize("family", ["Noto Sans CJK", "Source Sans Pro"])
def test_the_subset_holds_what_fonttools_subsetter_keeps(family: str):
    path = font_files(family).regular
    with (
        TTFont(io.BytesIO(webfonts.subset_font(path, TEXT))) as ours,
        _fonttools_subset(path, TEXT) as theirs,
    ):
        assert ours.flavor == "woff2"
        use_simplified_forms(theirs)  # ours points its cmap at the Simplified forms too
        assert _drawn(ours) == _drawn(theirs)  # same characters, outlines and advances
        # The layout closure too: the glyphs reached only through features (vertical forms,
        # ligatures, localised forms) and the features themselves.
        assert len(ours.getGlyphOrder()) == len(theirs.getGlyphOrder())
        for table in ("GSUB", "GPOS"):
            assert _features(ours, table) == _features(theirs, table)
        # Every name it keeps (HarfBuzz keeps the feature names fontTools finds unused too).
        assert {(n.nameID, n.langID) for n in ours["name"].names} >= {
            (n.nameID, n.langID) for n in theirs["name"].names
        }


def test_a_chinese_face_is_not_subset_by_fonttools(monkeypatch):
    # fontTools' subsetter runs every kept CFF charstring in Python: 0.85 s of CPU for each
    # Chinese face of a cold page, where HarfBuzz takes 15 ms.
    def refuse(*_, **__):
        raise AssertionError("fontTools' subsetter was asked")

    monkeypatch.setattr(subset.Subsetter, "subset", refuse)
    path = font_files("Noto Sans CJK").bold
    with TTFont(io.BytesIO(webfonts.subset_font(path, "国际空间站"))) as font:
        assert {ord(c) for c in "国际空间站"} <= set(font.getBestCmap())
        assert len(font.getGlyphOrder()) < 200  # a subset, not the 65,535 glyphs of the file


def test_the_subset_keeps_the_fonts_own_date_so_builds_agree():
    # fontTools stamps head.modified with the time of saving unless told not to: two builds of
    # one source would then embed different fonts in their HTML and PDF.
    path = font_files("Source Sans Pro").regular
    with (
        TTFont(io.BytesIO(webfonts.subset_font(path, "Same"))) as ours,
        TTFont(path, lazy=True) as source,
    ):
        assert ours["head"].modified == source["head"].modified

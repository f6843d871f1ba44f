"""Simplified Chinese forms made a font's own: its cmap pointed at the glyphs the font's `locl`
feature gives Simplified Chinese, so every renderer draws them, asked for the language or not."""

from __future__ import annotations

# The OpenType tags of Simplified Chinese: HarfBuzz gives zh-CN and zh-Hans this language
# system under the Han script.
SCRIPT, LANGUAGE = "hani", "ZHS"
SINGLE, EXTENSION = 1, 7  # GSUB lookup types


def use_simplified_forms(font) -> int:
    """Point a fontTools TTFont's cmap at its Simplified Chinese forms (the Pan-CJK face we ship
    is the Traditional one, whose colon and full stop stand centred: WeasyPrint does not pass
    the page's language to the shaper, so its PDF showed them so). Returns how many
    characters changed glyph."""
    forms = _locl_forms(font)
    if not forms:
        return 0
    changed = 0
    for table in font["cmap"].tables:
        if not table.isUnicode():
            continue
        for code, glyph in table.cmap.items():
            if glyph in forms:
                table.cmap[code] = forms[glyph]
                changed += 1
    return changed


def _locl_forms(font) -> dict[str, str]:
    """The single substitutions of the font's `locl` feature for Simplified Chinese."""
    if "GSUB" not in font:
        return {}
    table = font["GSUB"].table
    if not (table.ScriptList and table.FeatureList and table.LookupList):
        return {}
    indices: list[int] = []
    for record in table.ScriptList.ScriptRecord:
        if record.ScriptTag != SCRIPT:
            continue
        for system in record.Script.LangSysRecord:
            if system.LangSysTag.strip() == LANGUAGE:
                indices += system.LangSys.FeatureIndex
    forms: dict[str, str] = {}
    for index in indices:
        feature = table.FeatureList.FeatureRecord[index]
        if feature.FeatureTag != "locl":
            continue
        for lookup_index in feature.Feature.LookupListIndex:
            lookup = table.LookupList.Lookup[lookup_index]
            for subtable in lookup.SubTable:
                if lookup.LookupType == EXTENSION:
                    subtable = subtable.ExtSubTable
                if getattr(subtable, "LookupType", lookup.LookupType) == SINGLE:
                    forms.update(subtable.mapping)
    return forms

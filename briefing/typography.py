"""Text as it is displayed: full-width punctuation in Chinese, one gap between Chinese and Latin,
a real minus sign. The deck and the page show this; the checks read the source as written."""

from __future__ import annotations

import re

MINUS = "\u2212"
_HAN = r"\u2e80-\u2fff\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_FULL_PUNCT = "，。、；：！？（）《》「」『』【】〔〕"
_LATIN = r"A-Za-z0-9\u00c0-\u024f$€£¥%+\u2212"
_TO_FULL_WIDTH = {",": "，", ";": "；", ":": "：", "!": "！", "?": "？"}

# A hyphen-minus before a digit that no word or number precedes is a negative sign.
_NEGATIVE = re.compile(r"(?<![A-Za-z0-9.\-\u2212)\]])-(?=\d)")
# ASCII punctuation with Chinese on one side (digits after a comma are a thousands separator).
_CHINESE_PUNCT = re.compile(
    rf"(?<=[{_HAN}{_FULL_PUNCT}])\s*([,;:!?])(?!\d)\s*|\s*([,;:!?])\s*(?=[{_HAN}])"
)
_PARENTHESES = re.compile(r"\(([^()]*)\)")
_SPACE_AROUND_FULL = re.compile(rf" +(?=[{_FULL_PUNCT}])|(?<=[{_FULL_PUNCT}]) +")
# Emphasis markers (** and *) may stand between the two scripts and the space.
_HAN_SPACE_LATIN = re.compile(rf"(?<=[{_HAN}])(\**) +(\**)(?=[{_LATIN}])")
_LATIN_SPACE_HAN = re.compile(rf"(?<=[{_LATIN}])(\**) +(\**)(?=[{_HAN}])")
_SPACES = re.compile(r" {2,}")


def display_text(text: str, viewer_spaces: bool = False) -> str:
    """The text as shown; `viewer_spaces` when the viewer itself puts a gap between Chinese and
    Latin (LibreOffice and Keynote do in the deck), so the source's own space is dropped."""
    text = _NEGATIVE.sub(MINUS, text)
    text = _PARENTHESES.sub(_parentheses, text)
    text = _CHINESE_PUNCT.sub(lambda m: _TO_FULL_WIDTH[m.group(1) or m.group(2)], text)
    text = _SPACE_AROUND_FULL.sub("", text)
    if viewer_spaces:
        text = _HAN_SPACE_LATIN.sub(r"\1\2", text)
        text = _LATIN_SPACE_HAN.sub(r"\1\2", text)
    return _SPACES.sub(" ", text)


def _parentheses(match: re.Match) -> str:
    """Full-width parentheses around or beside Chinese, ASCII ones elsewhere."""
    inner = match.group(1)
    before = match.string[: match.start()].rstrip()[-1:]
    if re.search(f"[{_HAN}]", inner + before):
        return f"（{inner}）"
    return match.group()

"""Text as it is displayed: curly quotes and × in English, full-width punctuation in Chinese, one
gap between Chinese and Latin, a real minus sign. The deck, the slides, the page and the measure
show this; the checks read the source as written."""

from __future__ import annotations

import re
from functools import lru_cache

from briefing.linebreak import URL
from briefing.model import FIGURE_REFERENCE

MINUS = "\u2212"
_HAN = r"\u2e80-\u2fff\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_HAN_CHAR = re.compile(f"[{_HAN}]")
_FULL_PUNCT = "，。、；：！？（）《》「」『』【】〔〕"
_LATIN = r"A-Za-z0-9\u00c0-\u024f$€£¥%+\u2212"
_TO_FULL_WIDTH = {",": "，", ";": "；", ":": "：", "!": "！", "?": "？"}

TIMES = "\u00d7"
# A hyphen-minus before a number (or its currency: -US$85 m) that no word or number precedes is
# a negative sign; a range (2024-2025), a date or COVID-19 has one before it, a list dash a space.
_NEGATIVE = re.compile(r"(?<![A-Za-z0-9.\-\u2212)\]])-(?=(?:[A-Z]{1,3}\$|[$€£¥])?\d)")
# An x right after a whole number means times (2,000x, 1.5x); 0x1F, 4x4 and words are left.
_MULTIPLE = re.compile(r"(?<![A-Za-z0-9_.,])(\d+(?:[.,]\d+)*)x(?![A-Za-z0-9_])")
# Spans set exactly as typed: URLs, `code` and {figure} references (filled in later).
_VERBATIM = re.compile(rf"{URL.pattern}|`[^`]*`|{FIGURE_REFERENCE.pattern}")
# After these (or at the start) a quote opens; after anything else it closes.
_OPENS_AFTER = " \t\n\u00a0\u202f-\u2013\u2014([{\u201c\u2018"
_CURLY = {
    ('"', True): "\u201c",
    ('"', False): "\u201d",
    ("'", True): "\u2018",
    ("'", False): "\u2019",
}
_STRAIGHT_QUOTE = re.compile("[\"']")
_YEAR = re.compile(r"'\d\d(?!\d)")  # '26, the '80s: an apostrophe, not an opening quote
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


# The measure asks for the same few hundred texts at every size it tries.
@lru_cache(maxsize=4096)
def display_text(text: str, viewer_spaces: bool = False) -> str:
    """The text as shown; `viewer_spaces` when the viewer itself puts a gap between Chinese and
    Latin (LibreOffice and Keynote do in the deck), so the source's own space is dropped."""
    text = _english(text)
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


def _english(text: str) -> str:
    """Minus signs, × and curly quotes, outside URLs, code and figure references; one character
    for one, so the verbatim spans found first stay where they are."""
    verbatim = [match.span() for match in _VERBATIM.finditer(text)]

    def typed(position: int) -> bool:
        return any(start <= position < end for start, end in verbatim)

    chars = list(text)
    for match in _NEGATIVE.finditer(text):
        if not typed(match.start()):
            chars[match.start()] = MINUS
    for match in _MULTIPLE.finditer(text):
        if not typed(match.end() - 1):
            chars[match.end() - 1] = TIMES
    # Chinese sets its own quotes (“”, 「」); a straight one in Chinese text is the author's.
    if not _HAN_CHAR.search(text):
        _curl_quotes(text, chars, typed)
    return "".join(chars)


def _curl_quotes(text: str, chars: list[str], typed) -> None:
    """Set each straight quote outside the verbatim spans curly, in place."""
    for match in _STRAIGHT_QUOTE.finditer(text):
        position, char = match.start(), match.group()
        if typed(position):
            continue
        before = position
        while before > 0 and chars[before - 1] == "*":  # emphasis marks stand aside
            before -= 1
        opens = before == 0 or chars[before - 1] in _OPENS_AFTER
        if char == "'" and _YEAR.match(text, position):
            opens = False
        chars[position] = _CURLY[char, opens]

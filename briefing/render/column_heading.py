"""A slide's title as the heading of a page column: its kicker ("In short: ...", "要点：...")
split off as the column's label, its last two words kept on one line."""

from __future__ import annotations

import re

from briefing.linebreak import is_wide
from briefing.model import pick

NBSP = "\u00a0"
# A kicker is a short lead-in before the heading's first colon; past this many characters the
# part before the colon is the heading's own subject, kept whole.
KICKER_CHARS = 24
# ASCII colon followed by a space (not "3:2", not a URL), or the full-width colon; emphasis and
# figure references stay whole, so a kicker holds neither.
_KICKER = re.compile(
    rf"\s*(?P<kicker>[^:：*{{}}\n]{{1,{KICKER_CHARS}}}?)\s*(?::\s+|：\s*)(?P<rest>\S.*)", re.DOTALL
)
# The space before a short last word, the heading long enough to wrap: a word alone on a
# heading's last line reads as an afterthought, and WeasyPrint has no `text-wrap: balance`.
_LAST_SPACE = re.compile(r"(?<=\S) (?=[^\s{}*]{1,12}$)")
MIN_WORDS = 4


def column_heading(title: dict[str, str] | None, lang: str) -> tuple[str, dict[str, str]]:
    """The title's kicker in `lang` ("" when it has none) and the rest as the heading; an English
    heading starts with a capital, as the heading it now is."""
    whole = pick(title, lang)
    match = _KICKER.fullmatch(whole)
    kicker, rest = (match["kicker"], match["rest"]) if match else ("", whole)
    if match and lang == "en" and rest[:1].islower() and not rest[1:2].isupper():  # "iPhone"
        rest = rest[0].upper() + rest[1:]
    return kicker, {lang: without_widow(rest)}


def without_widow(text: str) -> str:
    """Latin text with a no-break space before its last word when that word is short."""
    if len(text.split()) < MIN_WORDS or any(is_wide(c) for c in text.split()[-1]):
        return text
    return _LAST_SPACE.sub(NBSP, text, count=1)

"""A heading's kicker ("In short: ...", "要点：...") split off, for a page whose section labels
already say what a slide's kicker says there."""

from __future__ import annotations

import re

from briefing.model import pick

# A kicker is a short lead-in before the heading's first colon; past this many characters the
# part before the colon is the heading's own subject, kept whole.
KICKER_CHARS = 24
# ASCII colon followed by a space (not "3:2", not a URL), or the full-width colon; emphasis and
# figure references stay whole, so a kicker holds neither.
_KICKER = re.compile(
    rf"\s*(?P<kicker>[^:：*{{}}\n]{{1,{KICKER_CHARS}}}?)\s*(?::\s+|：\s*)(?P<rest>\S.*)", re.DOTALL
)


def split_kicker(text: dict[str, str] | None, lang: str) -> tuple[str, dict[str, str]]:
    """The heading's kicker in `lang` and the heading without it; ("", the heading) when it has
    none. An English rest starts with a capital, as the heading it now is."""
    whole = pick(text, lang)
    match = _KICKER.fullmatch(whole)
    if match is None:
        return "", {lang: whole}
    rest = match["rest"]
    if lang == "en" and rest[:1].islower() and not rest[1:2].isupper():  # not "iPhone"
        rest = rest[0].upper() + rest[1:]
    return match["kicker"], {lang: rest}

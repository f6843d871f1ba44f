"""A falling word right before a negative figure says the fall twice: "fell {x}" reads
"fell −18%". The fix is {x:abs}, which shows the value without its sign."""

from __future__ import annotations

import re
from collections.abc import Iterator

from briefing.check.findings import Issue
from briefing.model import ANY_LANGUAGE, FIGURE_REFERENCE, Briefing
from briefing.numbers import format_figure
from briefing.references import texts

_FALLING_EN = (
    r"fell|fall|falls|falling|dropped|drop|drops|declined|decline|declines|decreased|decrease"
    r"|decreases|shrank|shrunk|slid|slipped|lost|down|cut|cuts|reduced|lowered"
)
# "fell {x}", "down {x}", "cut cost per order by {x}", "a fall of {x}"; a clause ends at , ; :
FALLING = re.compile(
    rf"(?i:\b(?:{_FALLING_EN})\b(?:[^,;:.!?]{{0,40}}\bby)?|\b(?:fall|drop|decline|decrease"
    rf"|cut|reduction)\s+of)\s*$"
    r"|(?:下降|减少|下跌|降低|缩减|减|降|跌)了?\s*$"
)


def sign_issues(briefing: Briefing) -> Iterator[Issue]:
    """A warning where a falling word stands right before a reference to a negative figure."""
    figures = {figure.id: figure for figure in briefing.figures}
    for path, text in texts(briefing):
        for lang, written in text.items():
            where = path if lang == ANY_LANGUAGE else path + (lang,)
            shown_in = briefing.meta.languages[0] if lang == ANY_LANGUAGE else lang
            for match in FIGURE_REFERENCE.finditer(written):
                figure = figures.get(match.group(1))
                if figure is None or figure.value >= 0 or match.group().endswith(":abs}"):
                    continue
                falling = FALLING.search(written, 0, match.start())
                if falling is None:
                    continue
                words = falling.group().strip()
                yield (
                    where,
                    "warning",
                    "double-negative",
                    f"'{words} {match.group()}' reads '{words} "
                    f"{format_figure(figure, shown_in)}': the words say the fall and the "
                    f"figure's sign says it again; write {{{figure.id}:abs}} to show "
                    f"{format_figure(figure, shown_in, magnitude=True)}",
                )

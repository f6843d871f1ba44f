"""Where a line may break, as a typesetter decides: between BudouX phrases in Chinese, at spaces
in Latin text, never inside a number with its unit, sign or currency, never against kinsoku."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

# Kinsoku: these never start a line (closing marks) or end one (opening marks).
NO_LINE_START = frozenset("，。、；：！？）》」』”’〉】〕…%,.;:!?)]}")
NO_LINE_END = frozenset("（《「『“‘〈【〔([{")
BREAKING_SPACES = frozenset(" \t")  # U+00A0 and U+202F are glue, not break opportunities
DASHES = frozenset("—―")

_NUMBER = r"\d+(?:[.,]\d+)*"
_SIGN = r"[-+−±~≈<>≤≥]"
_CURRENCY = r"(?:US\$|HK\$|NT\$|A\$|C\$|S\$|RMB|CNY|USD|EUR|GBP|JPY|[$€£¥￥])"
# Python's \b sees Chinese as word characters: "bn的" has none, so the ends are spelled out.
_END = r"(?![A-Za-z0-9])"
_START = r"(?<![A-Za-z0-9.])"
_LATIN_UNIT = (
    r"(?:%|×|x|pp|bn|mn|tn|m|k|billion|million|trillion|thousand|hundred|per ?cent|percent|"
    r"times|days?|hours?|h|minutes?|min|seconds?|weeks?|months?|years?|pt|px|mm|cm|km|kg|"
    rf"[KMGT]B|[kMG]Wh?|°[CF]){_END}"
)
_ZH_UNIT = (
    r"(?:个百分点|百分点|美元|欧元|英镑|日元|港元|韩元|人民币|元|倍|%|％|小时|分钟|秒|天|周|"
    r"个月|月|年|日|号|岁|名|人|家|个|次|位|项|条|款|台|部|份|行|点|成|季度|届|轮|期|"
    r"亿|万|千|百|十|兆|多)"
)
_MONTH = r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sept?|Oct|Nov|Dec)[a-z]*\.?"
# Spans no line may break inside: a number with its sign, currency and unit, dates, and short
# quoted terms.
GLUE = re.compile(
    "|".join(
        [
            r"\d{4} ?年(?: ?\d{1,2} ?月(?: ?\d{1,2} ?[日号])?)?",
            r"\d{1,2} ?月 ?\d{1,2} ?[日号]",
            rf"{_START}\d{{1,2}} {_MONTH}(?: \d{{4}})?",
            rf"{_START}{_MONTH} \d{{1,2}}(?:, \d{{4}})?{_END}",
            rf"{_START}{_MONTH} \d{{4}}{_END}",
            rf"{_START}[QH][1-4] \d{{4}}{_END}",
            r"[“「『‘][^”」』’\s]{1,6}[”」』’]",  # a short quoted term stays whole
            rf"{_START}{_SIGN}?{_CURRENCY}?{_NUMBER}{_ZH_UNIT}+",
            rf"{_START}(?:{_SIGN} ?)?(?:{_CURRENCY} ?)?{_SIGN}?{_NUMBER}"
            rf"(?: ?{_LATIN_UNIT})*(?: ?/ ?[A-Za-z]+{_END})?",
        ]
    )
)
URL = re.compile(r"(?:https?://|www\.)[^\s<>\"'，。、）》」]+")
URL_BREAK_AFTER = frozenset("/.-")
URL_TRAILING = ".,;:!?)]}'\""


def is_wide(char: str) -> bool:
    """Whether a character is set full width (Chinese, Japanese, full-width punctuation)."""
    return unicodedata.east_asian_width(char) in "WF"


@lru_cache(maxsize=1)
def _phrase_parser():
    """BudouX's Simplified Chinese parser, loaded on first use (about 12 ms)."""
    import budoux

    return budoux.load_default_simplified_chinese_parser()


def break_offsets(text: str) -> list[int]:
    """The offsets at which a new line may start, in order (never 0 or len(text))."""
    allowed = set(_default_breaks(text))
    allowed |= _phrase_breaks(text)
    for match in GLUE.finditer(text):
        allowed.difference_update(range(match.start() + 1, match.end()))
    allowed = {i for i in allowed if not _kinsoku_forbids(text, i)}
    for start, end in _url_spans(text):
        allowed.difference_update(range(start + 1, end))
        allowed.update(
            i
            for i in range(start + 1, end)
            if text[i - 1] in URL_BREAK_AFTER and text[i] not in URL_BREAK_AFTER
        )
    return sorted(allowed)


def pieces(text: str) -> list[str]:
    """The text cut at every break opportunity; a piece keeps the spaces that follow it."""
    return _cut(text, break_offsets(text))


def character_pieces(piece: str) -> list[str]:
    """A phrase too long for its line cut between its Chinese characters, as a last resort:
    kinsoku and a number's unit still hold; Latin words and URLs are not cut."""
    allowed = {
        i
        for i in range(1, len(piece))
        if (is_wide(piece[i - 1]) or is_wide(piece[i]))
        and piece[i - 1] not in BREAKING_SPACES
        and piece[i] not in BREAKING_SPACES
    }
    for match in GLUE.finditer(piece):
        allowed.difference_update(range(match.start() + 1, match.end()))
    for start, end in _url_spans(piece):
        allowed.difference_update(range(start + 1, end))
    return _cut(piece, sorted(i for i in allowed if not _kinsoku_forbids(piece, i)))


def glue_spans(text: str) -> list[tuple[int, int]]:
    """Where numbers with their units (and dates) stand: (start, end) pairs, in order."""
    return [match.span() for match in GLUE.finditer(text)]


def _cut(text: str, offsets: list[int]) -> list[str]:
    bounds = [0, *offsets, len(text)]
    return [text[a:b] for a, b in zip(bounds, bounds[1:]) if b > a]


def _default_breaks(text: str):
    """After spaces, where Chinese meets Latin, around dashes, after a hyphen inside a word."""
    for i in range(1, len(text)):
        before, after = text[i - 1], text[i]
        if after in BREAKING_SPACES:
            continue
        after_space = before in BREAKING_SPACES
        script_change = is_wide(before) != is_wide(after)
        dash = (before in DASHES) != (after in DASHES)
        compound = before == "-" and after.isalpha() and i > 1 and text[i - 2].isalpha()
        if after_space or script_change or dash or compound:
            yield i


def _phrase_breaks(text: str) -> set[int]:
    """Between BudouX's phrases, where both sides are Chinese: each unspaced stretch holding
    Chinese is parsed whole, so quotes and digits give the model their context."""
    breaks: set[int] = set()
    for run in re.finditer(r"\S{2,}", text):
        if not any(is_wide(c) for c in run.group()):
            continue
        offset = run.start()
        for phrase in _phrase_parser().parse(run.group())[:-1]:
            offset += len(phrase)
            if is_wide(text[offset - 1]) and is_wide(text[offset]):
                breaks.add(offset)
    return breaks


def _kinsoku_forbids(text: str, i: int) -> bool:
    """A closing mark may not start a line, an opening mark may not end one."""
    return text[i] in NO_LINE_START or text[i - 1] in NO_LINE_END


def _url_spans(text: str) -> list[tuple[int, int]]:
    spans = []
    for match in URL.finditer(text):
        end = match.end()
        while end > match.start() and text[end - 1] in URL_TRAILING:
            end -= 1
        spans.append((match.start(), end))
    return spans

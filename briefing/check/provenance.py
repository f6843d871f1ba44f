"""Trace every number to its source: excerpts state the values, formulas give the derived ones."""

from __future__ import annotations

import functools
import math
import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal

from briefing.model import (
    FIGURE_REFERENCE,
    SCALE_FACTOR,
    Briefing,
    Chart,
    Figure,
    Qualifier,
    Scale,
    Unit,
)
from briefing.references import evaluate


@dataclass(frozen=True)
class Quantity:
    """One number a text states, in units of one (a percentage keeps its number: 45% is 45)."""

    value: float
    percent: bool
    approximate: bool


CHINESE_DIGITS = {c: i for i, c in enumerate("零一二三四五六七八九")} | {"〇": 0, "两": 2}
CHINESE_UNITS = {"十": 10, "百": 100, "千": 1000}
CHINESE_SCALES = {"十": 10, "百": 100, "千": 1e3, "万": 1e4, "亿": 1e8}
ENGLISH_SCALES = {
    "k": 1e3,
    "thousand": 1e3,
    "m": 1e6,
    "mn": 1e6,
    "mln": 1e6,
    "million": 1e6,
    "bn": 1e9,
    "billion": 1e9,
    "tn": 1e12,
    "trillion": 1e12,
}
# A Chinese numeral directly before one of these counts something; elsewhere it is part of a word
# (一系列, 统一, 两者).
COUNTERS = ("个", "名", "位", "人", "次", "家", "款", "项", "条", "份", "只", "台", "张", "种")
MORE_COUNTERS = ("场", "轮", "批", "届", "岁", "件", "篇", "页", "座", "辆", "架", "艘", "户", "例")
TIME_WORDS = ("天", "日", "周", "星期", "小时", "分钟", "秒", "年", "月")
MEASURES = ("倍", "吨", "公里", "米", "元", "美元", "欧元", "英镑", "日元", "港元", "人民币")
MEASURE_WORDS = COUNTERS + MORE_COUNTERS + TIME_WORDS + MEASURES
# Words that may introduce a Chinese numeral standing at the end of a clause (共四, 为两).
LEAD_WORDS = ("达", "为", "是", "共", "仅", "至", "有")

_DIGIT_CHARS = "".join(CHINESE_DIGITS)
NUMBER = re.compile(
    r"(?P<percent>百分之)?(?:"
    r"(?P<arabic>[0-9]{1,3}(?:,[0-9]{3})+(?:\.[0-9]+)?|[0-9]+(?:\.[0-9]+)?)"
    rf"|(?P<chinese>[{_DIGIT_CHARS}十][{_DIGIT_CHARS}十百千万亿]*))"
)
APPROX_INSIDE = re.compile(r"[多余]")
CHINESE_SCALE = re.compile(r"[十百千万亿]+")
ENGLISH_SCALE = re.compile(
    r"\s*(?i:(trillion|billion|million|thousand|mln|mn|bn|tn|k|m))(?![A-Za-z])"
)
PERCENT_SIGN = re.compile(r"\s*(?:%|(?i:per\s?cent)(?![A-Za-z]))")
MEASURE = re.compile("|".join(sorted(MEASURE_WORDS, key=len, reverse=True)))
APPROX_BEFORE = re.compile(
    r"(?:约|超过?|逾|(?<![最附])近|不到|不足|少于|多于|至少|~"
    r"|(?<![A-Za-z])(?i:about|around|roughly|approximately|approx\.|nearly|almost|over"
    r"|more than|fewer than|less than|under|at least))"
    r"\s*(?:US\$|HK\$|[A-Z]{3}|[$€£¥])?\s*$"
)
APPROX_AFTER = re.compile(r"(?:以上|左右|以下|多|\+|\s+(?i:or (?:more|so))(?![A-Za-z]))")


def excerpt_quantities(excerpt: str) -> list[Quantity]:
    """Return every number an excerpt states, in units of one (8400亿 -> 8.4e11)."""
    return [quantity for quantity, _ in _stated(excerpt)]


def _stated(text: str) -> list[tuple[Quantity, str]]:
    """Every number in a text with the characters that state it (number, 多/余, scale, %)."""
    s = normalise_numbers(text)
    return [(quantity, s[start:end]) for quantity, start, end in stated_spans(s)]


def normalise_numbers(text: str) -> str:
    """Text as the number reader reads it: half-width forms, the full-width comma kept apart."""
    # A full-width comma separates clauses in Chinese, never thousands: keep it apart from digits.
    return unicodedata.normalize("NFKC", text.replace("，", "、"))


def stated_spans(s: str) -> list[tuple[Quantity, int, int]]:
    """Every number in a normalised text with where its stating characters start and end."""
    found: list[tuple[Quantity, int, int]] = []
    pos = 0
    while (match := NUMBER.search(s, pos)) is not None:
        arabic, chinese = match["arabic"], match["chinese"]
        end = match.end()
        # The markers are short: look only just before the number, however long the text.
        approximate = APPROX_BEFORE.search(s, max(0, match.start() - 24), match.start()) is not None
        # 50多亿 and 二十多个 mark a rough number; 统一多个 does not.
        if (arabic or chinese[-1] in CHINESE_SCALES) and (inside := APPROX_INSIDE.match(s, end)):
            approximate, end = True, inside.end()
        factor, scaled = 1.0, False
        if scale := CHINESE_SCALE.match(s, end):
            factor = math.prod(CHINESE_SCALES[c] for c in scale.group())
            scaled, end = True, scale.end()
        elif arabic and (scale := ENGLISH_SCALE.match(s, end)):
            factor = ENGLISH_SCALES[scale.group(1).lower()]
            scaled, end = True, scale.end()
        percent = match["percent"] is not None
        if not percent and (sign := PERCENT_SIGN.match(s, end)):
            percent, end = True, sign.end()
        if chinese and not (percent or scaled) and not _stands_alone(s, match.start(), end):
            pos = match.end()
            continue
        measure = MEASURE.match(s, end)
        if APPROX_AFTER.match(s, measure.end() if measure else end):
            approximate = True
        value = float(arabic.replace(",", "")) if arabic else _chinese_value(chinese)
        found.append((Quantity(value * factor, percent, approximate), match.start(), end))
        pos = end
    return found


def _stands_alone(s: str, start: int, end: int) -> bool:
    """Whether a Chinese numeral is a number here rather than a character of a word."""
    numeral = s[start:end]
    if MEASURE.match(s, end) or any(c in "万亿" for c in numeral):
        return True
    if end < len(s) and s[end].isalnum():
        return False
    before = s[:start]
    return (
        not before
        or not before[-1].isalnum()
        or any(c in CHINESE_UNITS for c in numeral)
        or before.endswith(LEAD_WORDS)
        or APPROX_BEFORE.search(before) is not None
    )


def _chinese_value(numeral: str) -> float:
    """Read a Chinese numeral: 四 -> 4, 二十五 -> 25, 三千五百万 -> 3.5e7, 二〇二五 -> 2025."""
    if all(c in CHINESE_DIGITS for c in numeral):
        return float("".join(str(CHINESE_DIGITS[c]) for c in numeral))
    total = section = digit = 0.0
    last_unit = 1.0
    for char in numeral:
        if char in CHINESE_DIGITS:
            digit = CHINESE_DIGITS[char]
        elif char in CHINESE_UNITS:
            last_unit = CHINESE_UNITS[char]
            section, digit = section + (digit or 1) * last_unit, 0
        elif char == "万":
            total, section, digit, last_unit = total + (section + digit) * 1e4, 0, 0, 1e4
        else:
            total, section, digit, last_unit = (total + section + digit) * 1e8, 0, 0, 1e8
    if digit and len(numeral) > 1 and numeral[-2] in "百千万亿":
        # 三千五 and 一万五 leave the unit unsaid: the last digit counts tenths of the one before.
        digit *= last_unit / 10
    return total + section + digit


def figure_matches_excerpt(figure: Figure) -> str | None:
    """Say how a figure's value disagrees with its excerpt, or None when the excerpt states it."""
    if figure.derived is not None or not figure.excerpt:
        return None
    percent = figure.unit is Unit.percent
    stated = _stated(figure.excerpt)
    if any(q.percent == percent and _agrees(figure, q.value) for q, _ in stated):
        return None
    where = f"the excerpt '{figure.excerpt}'"
    if not stated:
        return (
            f"value {_figure_words(figure)} does not match {where}, which states no number; "
            "quote the characters of the source that hold it"
        )
    said = ", ".join(_quantity_words(q, text) for q, text in stated)
    message = f"value {_figure_words(figure)} does not match {where}, which states {said}"
    if percent and not any(q.percent for q, _ in stated):
        message += "; a percent figure needs a percentage in its excerpt"
    elif not percent and all(q.percent for q, _ in stated):
        message += f"; that is a percentage, but the figure's unit is {figure.unit.value}"
    return message


def _agrees(figure: Figure, stated: float) -> bool:
    """Equal within 1e-6, or equal once rounded to the figure's decimals (signs ignored)."""
    percent = figure.unit is Unit.percent
    target = abs(figure.value if percent else figure.base_value)
    if math.isclose(target, abs(stated), rel_tol=1e-6):
        return True
    if figure.decimals is None:
        return False
    factor = 1 if percent else SCALE_FACTOR[figure.scale]
    return round(abs(stated) / factor, figure.decimals) == round(abs(figure.value), figure.decimals)


def normalise_for_matching(text: str) -> str:
    """Fold full-width forms to half-width (NFKC) and drop all whitespace, line breaks included."""
    return "".join(unicodedata.normalize("NFKC", text).split())


def excerpt_in_text(excerpt: str, text: str) -> bool:
    """Whether an excerpt occurs in a source text, across line breaks and width differences."""
    needle = normalise_for_matching(excerpt)
    return bool(needle) and needle in _normalised_source(text)


@functools.lru_cache(maxsize=4)
def _normalised_source(text: str) -> str:
    """A source text normalised once, however many figures quote it (it may have 20 MB)."""
    return normalise_for_matching(text)


def derived_mismatch(figure: Figure, values: dict[str, float]) -> str | None:
    """Say how a derived figure's value disagrees with its formula, or None when it agrees."""
    if figure.derived is None:
        return None
    formula = figure.derived.formula
    try:
        computed = evaluate(formula, values)
    except ZeroDivisionError:
        return f"formula '{formula}' divides by zero with the figures' values"
    except KeyError as error:
        return f"formula '{formula}' uses figure '{error.args[0]}', which has no value"
    factor = SCALE_FACTOR[figure.scale]
    decimals = figure.decimals if figure.decimals is not None else _decimals(figure.value)
    # Agreeing after rounding means lying within half a unit of the stated value's last
    # significant digit (an approximate 2000 is rounded to the thousand).
    if abs(computed / factor - figure.value) <= 0.5 * _place(figure) * (1 + 1e-9):
        return None
    message = (
        f"formula '{formula}' gives {_scaled_words(computed / factor, figure.scale, computed)}, "
        f"but the figure states {_figure_words(figure)}"
    )
    rounded = f"{computed / factor:.{decimals}f}"
    if rounded != _plain(computed / factor):
        places = "decimal" if decimals == 1 else "decimals"
        message += f" ({rounded} when rounded to {decimals} {places})"
    return message


def _place(figure: Figure) -> float:
    """The unit of a figure's last significant digit in its own scale (33.6 -> 0.1; about
    2000 -> 1000; an exact 2000 -> 1, as it claims every digit)."""
    if figure.decimals is not None:
        return 10.0**-figure.decimals
    decimals = _decimals(figure.value)
    if decimals or figure.qualifier is Qualifier.exact or figure.value == 0:
        return 10.0**-decimals
    digits = str(int(abs(figure.value)))
    return 10.0 ** (len(digits) - len(digits.rstrip("0")))


def significant_digits(figure: Figure) -> int | None:
    """How many significant digits a figure's value holds as written (None: an exact whole
    count of things, as precise as any number); an approximate 2000 holds one."""
    whole = figure.scale is Scale.one and figure.value == int(figure.value)
    if figure.qualifier is Qualifier.exact and figure.unit is Unit.count and whole:
        return None
    place = _place(figure)
    value = abs(figure.value)
    if value == 0:
        return 1
    return max(1, math.floor(math.log10(value)) - round(math.log10(place)) + 1)


DIRECTION = {Qualifier.over: 1, Qualifier.under: -1}
OPPOSITE = {Qualifier.over: Qualifier.under, Qualifier.under: Qualifier.over}


def implied_qualifier(formula: str, briefing: Briefing) -> Qualifier:
    """The qualifier a formula's inputs imply: over when every bounded input pushes the result
    up (an over divided by an about is over), under when down, about when they disagree."""
    values = {f.id: f.base_value for f in briefing.figures}
    computed = evaluate(formula, values)
    pushes, about = set(), False
    for figure_id in dict.fromkeys(_names(formula)):
        figure = briefing.figure(figure_id)
        if figure.qualifier is Qualifier.about:
            about = True
        elif figure.qualifier in DIRECTION:
            # Nudge the input the way its true value lies and see which way the result moves.
            nudged = dict(values)
            nudged[figure_id] += abs(values[figure_id] or 1) * 1e-6 * DIRECTION[figure.qualifier]
            moved = evaluate(formula, nudged) - computed
            if moved:
                pushes.add(1 if moved > 0 else -1)
    if pushes == {1}:
        return Qualifier.over
    if pushes == {-1}:
        return Qualifier.under
    return Qualifier.about if pushes or about else Qualifier.exact


def _names(formula: str) -> list[str]:
    return re.findall(r"[A-Za-z_][A-Za-z0-9_]*", formula)


def false_precision(figure: Figure, briefing: Briefing) -> str | None:
    """Say how a derived figure claims more precision than its inputs hold, or None."""
    if figure.derived is None or not _names(figure.derived.formula):
        return None
    formula = figure.derived.formula
    inputs = [briefing.figure(name) for name in dict.fromkeys(_names(formula))]
    factor = SCALE_FACTOR[figure.scale]
    try:
        computed = evaluate(formula, {f.id: f.base_value for f in briefing.figures}) / factor
    except (ZeroDivisionError, KeyError):
        return None  # derived-mismatch says so
    implied = implied_qualifier(formula, briefing)
    if set(formula) - set("+-() ") & set("*/"):
        # Products and ratios keep the significant digits of their least precise input.
        held = [(significant_digits(f), f) for f in inputs]
        held = [(n, f) for n, f in held if n is not None]
        if not held:
            return None
        allowed, weakest = min(held, key=lambda pair: pair[0])
        written = significant_digits(figure.model_copy(update={"unit": Unit.multiple}))
        too_precise = written > allowed
        place = 10.0 ** (math.floor(math.log10(abs(computed) or 1)) - allowed + 1)
        why = (
            f"its least precise input, {weakest.id} ({_figure_words(weakest)}), holds "
            f"{allowed} significant digit{'s' if allowed > 1 else ''}"
        )
    else:
        # Sums and differences keep the last decimal place of their least precise input.
        weakest = max(inputs, key=lambda f: _place(f) * SCALE_FACTOR[f.scale])
        place = _place(weakest) * SCALE_FACTOR[weakest.scale] / factor
        too_precise = _place(figure) < place * (1 - 1e-9)
        why = f"its least precise input, {weakest.id} ({_figure_words(weakest)}), is rounded there"
    if implied is Qualifier.exact and not math.isclose(computed, figure.value, rel_tol=1e-9):
        implied = Qualifier.about  # rounded: no longer exact
    wrong_qualifier = (figure.qualifier is Qualifier.exact and implied is not Qualifier.exact) or (
        OPPOSITE.get(figure.qualifier) is implied
    )
    if not too_precise and not wrong_qualifier:
        return None
    qualifier = implied
    rounding = {Qualifier.over: math.floor, Qualifier.under: math.ceil}.get(qualifier, round)
    suggested = rounding(computed / place) * place
    shown = _plain(round(suggested, 9))
    if too_precise:
        message = (
            f"value {_plain(figure.value)} is written more precisely than its inputs allow: {why}"
        )
    else:
        message = f"qualifier {figure.qualifier.value} claims more than its inputs say"
    return f"{message}; write value {shown} with qualifier {qualifier.value}"


def percent_format_problem(chart: Chart, briefing: Briefing) -> str | None:
    """Say how a chart's number format would multiply percent figures by 100, or None."""
    code = re.sub(r'"[^"]*"', "", chart.number_format)
    percent = [i for s in chart.series for i in s.values if briefing.figure(i).unit is Unit.percent]
    if "%" not in code or not percent:
        return None
    value = briefing.figure(percent[0]).value
    return (
        f"number format '{chart.number_format}' multiplies by 100, but a percent figure holds "
        f"percent points ({percent[0]} is {_plain(value)}, shown as {_plain(value * 100)}%); "
        'write 0"%" or 0.0"%" (a literal percent sign)'
    )


def _decimals(value: float) -> int:
    """How many decimals a value is written with (34 -> 0, 33.6 -> 1)."""
    exponent = Decimal(repr(value)).normalize().as_tuple().exponent
    return max(0, -int(exponent))


def _figure_words(figure: Figure) -> str:
    if figure.unit is Unit.percent:
        return f"{_plain(figure.value)}%"
    return _scaled_words(figure.value, figure.scale, figure.base_value)


def _scaled_words(value: float, scale: Scale, base: float) -> str:
    if scale is Scale.one:
        return _plain(value)
    return f"{_plain(value)} {scale.value} ({_short(base)})"


def _quantity_words(quantity: Quantity, text: str) -> str:
    number = _plain(quantity.value) + ("%" if quantity.percent else "")
    written = text.replace(",", "").replace(" ", "")
    return text if written == number else f"{text} ({_short(quantity.value)})"


def _plain(number: float) -> str:
    """Six significant digits at most, with no exponent or trailing zeros (2380.95, 25000)."""
    return format(Decimal(f"{number:.6g}").normalize(), "f")


def _short(number: float) -> str:
    """Six significant digits at most, large numbers with a compact exponent (8.4e11)."""
    return re.sub(r"e\+?(-?)0*(\d)", r"e\1\2", f"{number:.6g}")


MONTHS = (
    "Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec|January|February|March|April|June"
    "|July|August|September|October|November|December"
)
DIGIT_NUMBER = re.compile(r"[0-9]+(?:,[0-9]{3})*(?:\.[0-9]+)*")
YEAR = re.compile(r"(?:19[0-9]{2}|20[0-9]{2}|2100)$")
# Names that a digit may follow without standing for a quantity of money (RMB840 is money).
CURRENCY_CODES = {"US", "USD", "RMB", "CNY", "EUR", "GBP", "HKD", "JPY"}
# Lower-case words before a number that make it a quantity, not a version (over 2.5 hours).
PLAIN_WORDS = {"about", "over", "under", "nearly", "around", "roughly", "some", "than", "only"}


def bare_numbers(text: str) -> list[str]:
    """Return the numbers a text writes as digits instead of as {figure} references."""
    s = FIGURE_REFERENCE.sub(" ", unicodedata.normalize("NFKC", text))
    found = []
    pos = 0
    while (match := DIGIT_NUMBER.search(s, pos)) is not None:
        start, end = match.span()
        if (inside := APPROX_INSIDE.match(s, end)) and CHINESE_SCALE.match(s, inside.end()):
            end = inside.end()
        if scale := CHINESE_SCALE.match(s, end) or ENGLISH_SCALE.match(s, end):
            end = scale.end()
        if sign := PERCENT_SIGN.match(s, end):
            end = sign.end()
        if s[:start].endswith("百分之"):
            start -= 3
        if end == match.end() and _is_date_ordinal_or_name(s, match.start(), match.end()):
            pos = end
            continue
        found.append(s[start:end])
        pos = end
    return found


def _is_date_ordinal_or_name(s: str, start: int, end: int) -> bool:
    """Whether digits with nothing after them that scales them are a date, an ordinal or a name."""
    token, before, after = s[start:end], s[:start], s[end:]
    if YEAR.match(token) and not re.match(r"[.,][0-9]", after):
        return True
    if re.search(r"(?:19|20)[0-9]{2}-(?:[0-9]{1,2}-)?$", before):
        return True
    if re.match(r"[0-9]{1,2}月", token + after[:1]) or re.match(r"季度", after):
        return True
    if re.match(r"[日号]", after) and (before.endswith("月") or not re.match(r".[内后前]", after)):
        return True
    if re.match(rf"\s*(?:{MONTHS})(?![A-Za-z])", after) or re.search(
        rf"(?<![A-Za-z])(?:{MONTHS})\.?\s*$", before
    ):
        return True
    if before.endswith("第") or re.match(r"(?:st|nd|rd|th)(?![A-Za-z])", after):
        return True
    if re.search(
        r"(?i:(?<![A-Za-z])(?:slide|page|p\.|no\.|step|chapter|section|part|item)\s*|#)$", before
    ):
        return True
    glued = re.search(r"([A-Za-z]+)-?$", before)
    if glued and glued.group(1).upper() not in CURRENCY_CODES:
        return True
    if re.match(r"[A-Z]", after):
        return True
    named = re.search(r"(?<![A-Za-z-])([A-Za-z][A-Za-z-]*) ?$", before)
    return (
        "." in token
        and named is not None
        and named.group(1) != named.group(1).lower()
        and named.group(1).lower() not in PLAIN_WORDS
    )


# Words that state a number as a fall or a loss when they stand right before it (fell 6%,
# a loss of €142 million, 暴跌45%); "fell to 5%" states a level, not a change, and is no sign.
SIGN_WORDS = re.compile(
    r"(?:(?<![A-Za-z])(?i:fell|falls?|falling|dropped|drops?|declined|declines?|down|lost"
    r"|loss(?:es)?|negative|minus|shrank|decreased|decreases?|slumped|plunged|tumbled)"
    r"(?:\s+(?i:of|by))?|下降|下跌|暴跌|大跌|下滑|减少|亏损|缩水|跌|降|负)\s*(?:了|已)?\s*$"
)
MINUS_SIGN = re.compile(r"(?<![0-9A-Za-z])[-−]\s*$")
CURRENCY_BEFORE = re.compile(
    r"(?:(?P<symbol>US\$|HK\$|\$|€|£|¥)|(?<![A-Za-z])(?P<code>USD|EUR|GBP|RMB|CNY|HKD|JPY)\s?)$"
)
CURRENCY_AFTER = re.compile(
    r"\s*(?:多|余)?(?P<word>美元|欧元|英镑|日元|港元|港币|人民币|元"
    r"|(?<![A-Za-z])(?:USD|EUR|GBP|RMB|CNY|HKD|JPY)(?![A-Za-z])"
    r"|(?i:dollars?|euros?|pounds?|yuan)(?![A-Za-z]))"
)
CURRENCY_NAMES = {
    "US$": "USD",
    "$": "USD",
    "HK$": "HKD",
    "€": "EUR",
    "£": "GBP",
    "¥": "CNY",
    "美元": "USD",
    "欧元": "EUR",
    "英镑": "GBP",
    "日元": "JPY",
    "港元": "HKD",
    "港币": "HKD",
    "人民币": "CNY",
    "元": "CNY",
    "RMB": "CNY",
    "dollar": "USD",
    "dollars": "USD",
    "euro": "EUR",
    "euros": "EUR",
    "pound": "GBP",
    "pounds": "GBP",
    "yuan": "CNY",
}


@dataclass(frozen=True)
class Stated:
    """A number as a text states it: the quantity, its sign and currency, and where it stands."""

    quantity: Quantity
    start: int  # in the normalised text, sign words and currency symbols excluded
    end: int
    negative: bool
    currency: str | None
    currency_start: int  # where a currency symbol before the number starts (else `start`)


def stated_numbers(s: str) -> list[Stated]:
    """Every number of a normalised text with its sign (fell, 下降, -) and currency ($, 美元)."""
    found = []
    for quantity, start, end in stated_spans(s):
        before = s[max(0, start - 40) : start]
        currency, currency_start = None, start
        if symbol := CURRENCY_BEFORE.search(before):
            name = symbol["symbol"] or symbol["code"]
            currency, currency_start = CURRENCY_NAMES.get(name, name), start - len(symbol.group())
            before = before[: symbol.start()]
        elif word := CURRENCY_AFTER.match(s, end):
            found_word = word["word"]
            currency = CURRENCY_NAMES.get(found_word.lower(), found_word.upper())
        # A marker of roughness may stand between the sign and the number (fell nearly 6%).
        if approx := APPROX_BEFORE.search(before):
            before = before[: approx.start()]
        negative = bool(SIGN_WORDS.search(before) or MINUS_SIGN.search(before))
        found.append(Stated(quantity, start, end, negative, currency, currency_start))
    return found


FALL_LABEL = re.compile(r"(?i:fall|drop|declin|loss|lost|cut|shrink|decrease)|跌|降|亏|减|缩")


def sign_mismatch(figure: Figure) -> str | None:
    """Say when a figure is positive but its excerpt states the number as a fall or a loss."""
    if figure.derived is not None or not figure.excerpt or figure.value <= 0:
        return None
    # A label that names the fall (跌幅, "Fall in downloads") makes a positive size honest.
    if any(FALL_LABEL.search(text) for text in figure.label.values()):
        return None
    for stated in _agreeing(figure):
        if stated.negative:
            return (
                f"value {_figure_words(figure)} is positive, but the excerpt "
                f"'{figure.excerpt}' states a fall or a loss; write value "
                f"{_plain(-figure.value)}, or name the fall in the label (e.g. 'Fall in ...')"
            )
    return None


def currency_mismatch(figure: Figure) -> str | None:
    """Say when a currency figure's code differs from the currency its excerpt states."""
    if figure.derived is not None or not figure.excerpt or figure.unit is not Unit.currency:
        return None
    for stated in _agreeing(figure):
        if stated.currency and figure.currency and stated.currency != figure.currency:
            return (
                f"currency {figure.currency} does not match the excerpt '{figure.excerpt}', "
                f"which states {stated.currency}; write currency: {stated.currency}"
            )
    return None


def _agreeing(figure: Figure) -> list[Stated]:
    """The numbers of a figure's excerpt that state its value (signs ignored)."""
    percent = figure.unit is Unit.percent
    s = normalise_numbers(figure.excerpt or "")
    return [
        stated
        for stated in stated_numbers(s)
        if stated.quantity.percent == percent and _agrees(figure, stated.quantity.value)
    ]


def is_date_or_name(s: str, start: int, end: int) -> bool:
    """Whether the digits s[start:end] are a date, a year, an ordinal or part of a name."""
    return _is_date_ordinal_or_name(s, start, end)


def percent_formula_hint(figure: Figure, values: dict[str, float]) -> str | None:
    """A hint when a percent figure's formula gives the fraction it states: `* 100` is missing."""
    if figure.derived is None or figure.unit is not Unit.percent:
        return None
    try:
        computed = evaluate(figure.derived.formula, values) * 100
    except (ZeroDivisionError, KeyError):
        return None
    if not math.isclose(computed, figure.value, rel_tol=0.01, abs_tol=0.05):
        return None
    return (
        f"; the formula gives a fraction and the figure a percentage: write "
        f"'({figure.derived.formula}) * 100'"
    )

"""Write a figure's value as a reader expects it, per language (8400亿美元 / US$840 bn)."""

from __future__ import annotations

import re

from briefing.model import SCALE_FACTOR, Figure, Qualifier, Scale, Unit, pick

CURRENCY_SYMBOL = {"USD": "US$", "EUR": "€", "GBP": "£", "CNY": "¥", "JPY": "¥"}
CHINESE_CURRENCY = {"USD": "美元", "EUR": "欧元", "GBP": "英镑", "CNY": "元", "JPY": "日元"}
MINUS = "\u2212"  # typography.MINUS; imported from there it would pull in the linebreak rules
ENGLISH_SCALE = {Scale.one: "", Scale.thousand: "k", Scale.million: "m", Scale.billion: "bn"}
ENGLISH_COUNT_SCALE = {Scale.million: "million", Scale.billion: "billion"}
QUALIFIER_WORDS = {
    "en": {Qualifier.about: "about ", Qualifier.over: "over ", Qualifier.under: "under "},
    "zh": {Qualifier.about: "约", Qualifier.over: "超过", Qualifier.under: "不到"},
}


def format_figure(
    figure: Figure, lang: str, with_qualifier: bool = True, magnitude: bool = False
) -> str:
    """Return the figure as text in one language, with its qualifier, unit and noun;
    `magnitude`: without its sign, for a text whose verb says the direction ("fell 18%")."""
    if magnitude and figure.value < 0:
        figure = figure.model_copy(update={"value": -figure.value})
    chinese = lang == "zh"
    number = _chinese_number(figure) if chinese else _english_number(figure)
    qualifier = ""
    if with_qualifier:
        qualifier = QUALIFIER_WORDS["zh" if chinese else "en"].get(figure.qualifier, "")
    noun = pick(figure.noun, lang)
    per = pick(figure.per, lang)
    if chinese:
        return f"{per}{qualifier}{number}{noun}"
    text = f"{qualifier}{number}"
    if noun:
        text += f" {noun}"
    return f"{text} {per}" if per else text


def plain_number(value: float, decimals: int | None = None) -> str:
    """Write a number with thousands separators and no needless trailing zeros."""
    if decimals is not None:
        return f"{value:,.{decimals}f}"
    text = f"{value:,.6f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def with_minus(code: str) -> str:
    """A one-section number format with a section for negatives that writes a real minus
    (U+2212): Excel's own sign is a hyphen. Codes with sections or conditions are kept."""
    if ";" in code or code.startswith("["):
        return code
    return f'{code};"{MINUS}"{code}'


def excel_format(value: float, code: str) -> str:
    """Write a value with a simple Excel number format, as PowerPoint shows chart labels.

    Handles sections (`pos;neg`), conditions (`[<10]`), `#,##0`, `0.0`, a trailing `%` (which
    multiplies by 100) and quoted literals before and after the number (`0"%"` writes 12 as
    12%). A one-section code gets the deck's section for negatives (`with_minus`): −4, not -4.
    """
    sections = with_minus(code).split(";")
    chosen = sections[0]
    condition = re.match(r"\[([<>]=?)(-?[\d.]+)\](.*)", chosen)
    if condition:
        operator, limit, rest = condition.groups()
        holds = {
            "<": value < float(limit),
            "<=": value <= float(limit),
            ">": value > float(limit),
            ">=": value >= float(limit),
        }[operator]
        chosen = rest if holds else (sections[1] if len(sections) > 1 else rest)
    elif value < 0 and len(sections) > 1:
        chosen, value = sections[1], abs(value)
    literal = re.search(r'"([^"]*)"$', chosen)
    suffix = literal.group(1) if literal else ""
    chosen = chosen[: literal.start()] if literal else chosen
    literal = re.match(r'"([^"]*)"', chosen)
    prefix = literal.group(1) if literal else ""
    chosen = chosen[literal.end() :] if literal else chosen
    if chosen in ("", "General"):
        return prefix + plain_number(value) + suffix
    decimals = len(chosen.split(".")[1].rstrip("%")) if "." in chosen else 0
    percent = chosen.endswith("%")
    number = value * 100 if percent else value
    text = f"{number:,.{decimals}f}" if "," in chosen else f"{number:.{decimals}f}"
    if text.startswith("-") and float(text) == 0:
        text = text[1:]  # Excel writes -0.001 at 0 decimals as 0, not -0
    return prefix + text + ("%" if percent else "") + suffix


def _english_number(figure: Figure) -> str:
    value = plain_number(figure.value, figure.decimals)
    if figure.unit is Unit.currency:
        symbol = CURRENCY_SYMBOL.get(figure.currency or "", f"{figure.currency} ")
        scale = ENGLISH_SCALE[figure.scale]
        sign = "-" if figure.value < 0 else ""
        magnitude = plain_number(abs(figure.value), figure.decimals)
        return f"{sign}{symbol}{magnitude}" + (f" {scale}" if scale else "")
    if figure.unit is Unit.percent:
        return f"{value}%"
    if figure.unit is Unit.multiple:
        return f"{value}x"
    if figure.scale in ENGLISH_COUNT_SCALE:
        return f"{value} {ENGLISH_COUNT_SCALE[figure.scale]}"
    return plain_number(figure.base_value, figure.decimals)


def _chinese_number(figure: Figure) -> str:
    # Chinese text groups digits by 万 and 亿, not by thousands: no commas.
    value = plain_number(figure.value, figure.decimals).replace(",", "")
    if figure.unit is Unit.percent:
        return f"{value}%"
    if figure.unit is Unit.multiple:
        return f"{value}倍"
    if figure.unit is Unit.index and figure.scale is Scale.one:
        return value
    # Round as the figure says (decimals count in its own scale), then regroup by 万/亿.
    shown = figure.value if figure.decimals is None else round(figure.value, figure.decimals)
    amount = _chinese_magnitude(shown * SCALE_FACTOR[figure.scale])
    if figure.unit is Unit.currency:
        return amount + CHINESE_CURRENCY.get(figure.currency or "", f" {figure.currency}")
    return amount


def _chinese_magnitude(value: float) -> str:
    """Write a number in 亿 (10^8) or 万 (10^4) as Chinese text does: 8.4e11 -> 8400亿."""
    for step, word in ((1e12, "万亿"), (1e8, "亿"), (1e4, "万")):
        if abs(value) >= step:
            return plain_number(round(value / step, 4)).replace(",", "") + word
    return plain_number(value).replace(",", "")

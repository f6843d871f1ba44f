"""Find the figures an article states, as ready-to-paste figure entries, with the check's reader."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

from briefing.check.provenance import (
    APPROX_AFTER,
    APPROX_BEFORE,
    APPROX_INSIDE,
    COUNTERS,
    MEASURE,
    MINUS_SIGN,
    MORE_COUNTERS,
    SIGN_WORDS,
    Stated,
    is_date_or_name,
    normalise_numbers,
    stated_numbers,
)

SCALES = ((1e9, "billion"), (1e6, "million"))
# How a rough number is rough: these words make it "over" or "under"; any other marker "about".
OVER = re.compile(r"超|逾|多于|至少|以上|多|余|\+|(?i:over|more than|at least|or more)")
UNDER = re.compile(r"不到|不足|少于|以下|(?i:under|less than|fewer than)")
ENGLISH_WORD = re.compile(r"[A-Za-z][A-Za-z-]*")
# Words too common to name a figure by.
STOP_WORDS = {
    "a", "an", "the", "of", "to", "from", "by", "in", "on", "at", "and", "or", "its", "their",
    "about", "over", "under", "nearly", "almost", "some", "than", "more", "less", "was", "were",
    "is", "are", "will", "with", "for", "his", "her", "new", "fell", "rose", "dropped",
    "net", "worth", "per", "cent", "as", "last", "year", "that", "this", "which", "had", "has",
    "million", "billion", "thousand", "around", "roughly",
}  # fmt: skip
# Words that say what a number did, not what it measures: an id names the measure (margin, not
# improved). Regular past tenses (-ed) are told by their ending.
VERBS = {
    "stood", "rose", "grew", "hit", "came", "saw", "made", "took", "won", "went", "gave", "kept",
    "paid", "sold", "got", "cut", "up", "down", "reach", "reaches", "hits", "stands", "totals",
    "total", "amounts", "remains", "remain", "stays", "brought", "same", "still", "also", "now",
}  # fmt: skip
NOT_VERBS = {"need", "speed", "feed", "seed", "shed", "bed", "red"}
EXCERPT_CONTEXT = {"zh": 4, "en": 2}  # characters (zh) or words (en) kept before a number
# Where the words before a number stop belonging to it: punctuation, or another number.
CLAUSE_END = re.compile(r"[,.;:!?、。;:!?“”\"()（）《》%0-9]")


@dataclass(frozen=True)
class Candidate:
    """One number an article states, as a figure entry to paste and then to name and label."""

    id: str
    value: float
    unit: str
    scale: str
    currency: str | None
    qualifier: str
    excerpt: str
    line: int
    noun: str | None = None  # what a count counts, where the text names it after the number

    def entry(self, source: str) -> dict:
        """The figure entry as a briefing writes it (no line: that is where to look)."""
        fields = {"id": self.id, "value": self.value, "unit": self.unit}
        if self.currency:
            fields["currency"] = self.currency
        if self.scale != "one":
            fields["scale"] = self.scale
        if self.qualifier != "exact":
            fields["qualifier"] = self.qualifier
        if self.noun:
            fields["noun"] = self.noun
        fields["label"] = "TODO: what this number is"
        fields["source"] = source
        fields["excerpt"] = self.excerpt
        return fields


def extract_figures(text: str, lang: str = "zh") -> list[Candidate]:
    """Every number an article states, dates, years, ordinals and names aside, in text order."""
    found: list[Candidate] = []
    taken: set[str] = set()
    for number, line in enumerate(text.splitlines(), start=1):
        s = normalise_numbers(line)
        for stated in stated_numbers(s):
            if not _is_figure(s, stated):
                continue
            candidate = _candidate(s, stated, number, lang, taken)
            taken.add(candidate.id)
            found.append(candidate)
    return found


def _is_figure(s: str, stated: Stated) -> bool:
    """Whether a number is a quantity rather than a date, a year, an ordinal, a name or 'a'."""
    token = s[stated.start : stated.end]
    if token == "一":  # 一个, 一款: the article "a", not a count
        return False
    digits = re.fullmatch(r"[0-9][0-9,.]*", token)
    return not (digits and is_date_or_name(s, stated.start, stated.end))


def _candidate(s: str, stated: Stated, line: int, lang: str, taken: set[str]) -> Candidate:
    quantity = stated.quantity
    value = quantity.value
    unit, scale = "count", "one"
    measure = MEASURE.match(s, stated.end)
    if quantity.percent:
        unit = "percent"
    elif stated.currency:
        unit = "currency"
    elif measure and measure.group() == "倍" or re.match(r"\s*x(?![A-Za-z])", s[stated.end :]):
        unit = "multiple"
    if not quantity.percent and _scaled(s[stated.start : stated.end]):
        # 2.5万 is 25,000 in full; 100万 is 1 million, as an English reader writes them.
        scale, value = next(((name, value / f) for f, name in SCALES if value >= f), ("one", value))
    if stated.negative:
        value = -value
    excerpt = _excerpt(s, stated, lang)
    noun = _noun(s, stated, unit, lang)
    return Candidate(
        id=_unique(
            noun if noun and lang == "en" else _suggest_id(s, stated, unit, lang, line), taken
        ),
        value=_tidy(value),
        unit=unit,
        scale=scale,
        currency=stated.currency,
        qualifier=_qualifier(s, stated),
        excerpt=excerpt,
        line=line,
        noun=noun,
    )


def _noun(s: str, stated: Stated, unit: str, lang: str) -> str | None:
    """What a count counts where the text says it right after the number: '2.1 million
    orders', '6 ovens', '1488名'; none for '14,300 at the end'."""
    if unit != "count":
        return None
    if lang == "zh":
        measure = MEASURE.match(s, stated.end)
        counted = measure and measure.group() in COUNTERS + MORE_COUNTERS
        return measure.group() if counted else None
    word = re.match(r"\s+([A-Za-z][A-Za-z-]*)", s[stated.end :])
    if word and word.group(1).lower() not in STOP_WORDS | VERBS and len(word.group(1)) > 2:
        return word.group(1).lower()
    return None


def _scaled(token: str) -> bool:
    """Whether a number is written with a scale word (8400亿, 1.3 billion), not in full."""
    return bool(re.search(r"[万亿]|(?i:thousand|million|billion|trillion|bn|mn|mln|tn)", token))


def _tidy(value: float) -> float | int:
    """A value as a person writes it: 840, not 840.0000000001."""
    rounded = round(value, 6)
    return int(rounded) if rounded == int(rounded) else rounded


def _qualifier(s: str, stated: Stated) -> str:
    if not stated.quantity.approximate:
        return "exact"
    start = stated.currency_start
    before = APPROX_BEFORE.search(s, max(0, start - 24), start)
    after_end = stated.end
    if measure := MEASURE.match(s, after_end):
        after_end = measure.end()
    words = " ".join(
        m.group()
        for m in (before, APPROX_INSIDE.search(s[stated.start : stated.end]))
        if m is not None
    )
    if after := APPROX_AFTER.match(s, after_end):
        words += " " + after.group()
    if UNDER.search(words):
        return "under"
    if OVER.search(words):
        return "over"
    return "about"


def _excerpt(s: str, stated: Stated, lang: str) -> str:
    """The few characters that state a number: its sign word or marker, a little before, the
    number, its currency and what it counts; never past the clause it stands in."""
    start, end = stated.currency_start, stated.end
    if measure := MEASURE.match(s, end):
        end = measure.end()
    if after := APPROX_AFTER.match(s, end):
        end = after.end()
    before = s[:start]
    marked = False
    if approx := APPROX_BEFORE.search(before, max(0, len(before) - 24)):
        before, marked = before[: approx.start()], True
    if sign := SIGN_WORDS.search(before) or MINUS_SIGN.search(before):
        before = before[: sign.start()]
    clause = before[: max((m.end() for m in CLAUSE_END.finditer(before)), default=0)]
    room = before[len(clause) :]
    if lang == "en":
        # "nearly €610 million" says enough; a plain number keeps two words of what it is.
        keep = "" if marked or not room.strip() else " ".join(room.split(" ")[-3:])
        begin = len(before) - len(keep)
        tail = re.match(r"\s+[A-Za-z][A-Za-z-]*", s[end:])
        counted = unit_of(stated) == "count" and not _scaled(s[stated.start : stated.end])
        if tail and counted and not measure and tail.group().strip().lower() not in STOP_WORDS:
            end += tail.end()
    else:
        begin = max(len(clause), len(before) - EXCERPT_CONTEXT["zh"])
    return s[begin:end].strip()


def unit_of(stated: Stated) -> str:
    """Percent, currency, or a count (a multiple is told by the word after it)."""
    if stated.quantity.percent:
        return "percent"
    return "currency" if stated.currency else "count"


def _suggest_id(s: str, stated: Stated, unit: str, lang: str, line: int) -> str:
    """An id to start from: a word of the sentence in English, the unit and line in Chinese."""
    if lang == "en":
        clause = s[: stated.currency_start]
        clause = clause[max((m.end() for m in CLAUSE_END.finditer(clause)), default=0) :]
        before = [w.lower() for w in ENGLISH_WORD.findall(clause)][::-1]
        tail = s[stated.end : stated.end + 40]
        after = [w.lower() for w in ENGLISH_WORD.findall(tail)]
        if len(tail) == 40 and tail[-1].isalpha():
            after = after[:-1]  # a word the window cuts is no word
        if stop := CLAUSE_END.search(tail):
            after = [w.lower() for w in ENGLISH_WORD.findall(tail[: stop.start()])]
        # A count names what it counts (1,150 jobs); anything else its subject (revenue fell),
        # else what follows it (€310 million in cross-border ...).
        order = (
            after[:1] + before if unit == "count" else before + after[: 1 + 2 * (unit != "percent")]
        )
        for word in order:
            name = re.sub(r"[^a-z0-9]+", "_", word).strip("_")
            if word not in STOP_WORDS and not _verb(word) and len(name) > 2:
                return name
    return f"{'money' if unit == 'currency' else unit}_line_{line}"


def _verb(word: str) -> bool:
    """Whether a word says what a number did (improved, reached, stood), not what it is."""
    # A hyphened word ending in -ed is an adjective (temperature-controlled).
    regular = word.endswith("ed") and len(word) > 4 and "-" not in word
    return word in VERBS or (regular and word not in NOT_VERBS)


def _unique(name: str, taken: set[str]) -> str:
    if name not in taken:
        return name
    n = 2
    while f"{name}_{n}" in taken:
        n += 1
    return f"{name}_{n}"


def read_article(path: Path) -> str:
    """An article's text, read as a source text is (size limit, UTF-8 required)."""
    from briefing.errors import BriefingError
    from briefing.inputs import SOURCE_TEXT_LIMIT, read_input

    data = read_input(path, SOURCE_TEXT_LIMIT, "an article")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise BriefingError(f"{path}: not UTF-8 text ({error.reason}); save it as UTF-8") from None


def guess_language(text: str) -> str:
    """zh when Chinese characters outnumber Latin letters, else en."""
    chinese = sum("\u4e00" <= c <= "\u9fff" for c in text)
    latin = sum(c.isascii() and c.isalpha() for c in text)
    return "zh" if chinese > latin else "en"


def as_yaml(candidates: list[Candidate], source: str) -> str:
    """Figure entries to paste under `figures:`, each under a comment naming its line."""
    import yaml

    parts = []
    for candidate in candidates:
        entry = yaml.safe_dump(
            [candidate.entry(source)], allow_unicode=True, sort_keys=False, width=100
        )
        parts.append(f"# line {candidate.line}\n{entry}")
    return "".join(parts)


def as_json(candidates: list[Candidate], source: str) -> str:
    """The candidates for tools: every field of a figure entry, plus the line."""
    rows = [{**c.entry(source), "line": c.line} for c in candidates]
    return json.dumps(rows, ensure_ascii=False, indent=2)

"""The briefing source as typed domain nouns: the contract between loader, checks and renderers."""

from __future__ import annotations

import math
import re
from datetime import date
from enum import Enum
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    WithJsonSchema,
    model_validator,
)

ANY_LANGUAGE = "*"
LANG_TAG = {"zh": "zh-CN", "en": "en-US"}  # the BCP 47 tag documents and viewers expect
ID_PATTERN = r"^[a-z][a-z0-9_]*$"
# {figure_id}, or {figure_id:abs} for its magnitude ("fell {x:abs}" reads "fell 18%"); one group,
# the id, so that findall and split give ids.
FIGURE_REFERENCE = re.compile(r"\{([a-z][a-z0-9_]*)(?::abs)?\}")


def _looks_like_bare_reference(value: Any) -> bool:
    return isinstance(value, dict) and len(value) == 1 and next(iter(value.values())) is None


def _as_text(value: Any) -> Any:
    """Accept one string for every language, or a mapping of language code to string."""
    if isinstance(value, str):
        return {ANY_LANGUAGE: value}
    if (
        isinstance(value, dict)
        and value
        and all(isinstance(k, str) and isinstance(v, str) for k, v in value.items())
    ):
        return value
    if _looks_like_bare_reference(value) or (
        isinstance(value, dict) and any(_looks_like_bare_reference(v) for v in value.values())
    ):
        # YAML reads an unquoted "{figure}" as a mapping: say how to write it.
        raise ValueError("a text that starts with a figure reference such as {id} must be quoted")
    raise ValueError("expected a text: one string, or one string per language ({zh: ..., en: ...})")


Text = Annotated[
    dict[str, str],
    BeforeValidator(_as_text),
    WithJsonSchema(
        {
            "anyOf": [
                {"type": "string"},
                {"type": "object", "additionalProperties": {"type": "string"}, "minProperties": 1},
            ],
            "description": "One string, or one string per language code.",
        }
    ),
]
Id = Annotated[str, Field(pattern=ID_PATTERN, description="lower_snake_case identifier")]


def _real_date(value: str) -> str:
    """Refuse a month or day that does not exist (2026-13, 2026-02-30)."""
    parts = [int(p) for p in value.split("-")]
    try:
        date(parts[0], parts[1] if len(parts) > 1 else 1, parts[2] if len(parts) > 2 else 1)
    except ValueError as error:
        raise ValueError(
            f"{value!r} is not a date ({error}); write YYYY, YYYY-MM or YYYY-MM-DD"
        ) from None
    return value


PartialDate = Annotated[
    str,
    # YAML reads an unquoted 2026-03-24 as a date: take it back as text.
    BeforeValidator(lambda v: v.isoformat() if hasattr(v, "isoformat") else v),
    Field(pattern=r"^\d{4}(-\d{2}(-\d{2})?)?$", description="YYYY, YYYY-MM or YYYY-MM-DD"),
    AfterValidator(_real_date),
]
# Excel number formats the page's charts can reproduce: 0, 0.0, #,##0, 0%, 0"%", with an
# optional condition ([<10]) and a second section.
_FORMAT_SECTION = r'(?:\[[<>]=?-?\d+(?:\.\d+)?\])?(?:General|(?:#,##)?0(?:\.0+)?(?:%|"%")?)'
NUMBER_FORMAT = rf"^{_FORMAT_SECTION}(?:;{_FORMAT_SECTION})?$"


def pick(text: dict[str, str] | None, lang: str) -> str:
    """Return a text in one language (a single-string text serves every language)."""
    if text is None:
        return ""
    return text.get(lang, text.get(ANY_LANGUAGE, ""))


class Strict(BaseModel):
    """Base of every source noun: unknown keys are errors, models are immutable."""

    # NaN and infinity pass YAML (.nan, .inf, 1e999) but no chart, check or workbook takes them.
    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)


ZIP_YEARS = (1980, 2107)  # the years a zip entry (a .pptx part) can carry


def _zip_year(value: str) -> str:
    """Refuse a briefing date its deck cannot carry: the deck's parts are dated by it."""
    first, last = ZIP_YEARS
    if not first <= int(value[:4]) <= last:
        raise ValueError(
            f"{value!r} cannot date a deck: a .pptx (a zip file) holds dates from {first} "
            f"to {last}; write the date the briefing was written"
        )
    return value


MAX_DURATION = 600  # minutes: a slot longer than a working day is a typo, not a briefing
_MINUTES = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(?:min|mins|minute|minutes|分钟)?\s*$")


def _as_minutes(value: Any) -> float:
    """Read a slot in minutes: a number, or a number with `min` (15, 7.5, '15 min', '15分钟')."""
    number = None
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        number = float(value)
    elif isinstance(value, str) and (match := _MINUTES.match(value)):
        number = float(match[1])
    if number is None or not 0 < number <= MAX_DURATION:
        raise ValueError(
            f"{value!r} is not a slot in minutes; write the minutes the briefing has (more "
            f"than 0, at most {MAX_DURATION}), e.g. 15 or '15 min'"
        )
    return number


Minutes = Annotated[
    float,
    BeforeValidator(_as_minutes),
    WithJsonSchema(
        {
            "anyOf": [
                {"type": "number", "exclusiveMinimum": 0, "maximum": MAX_DURATION},
                {"type": "string", "pattern": _MINUTES.pattern},
            ],
            "description": "Minutes, e.g. 15 or '15 min'.",
        }
    ),
]


class Meta(Strict):
    """What the briefing is, for whom, and in which languages."""

    title: Text
    subtitle: Text | None = None
    date: Annotated[PartialDate, AfterValidator(_zip_year)]
    audience: Text
    author: Text
    organisation: Text | None = None
    languages: list[Annotated[str, Field(pattern=r"^[a-z]{2}$")]] = Field(min_length=1)
    classification: Text | None = None
    # The slot the briefing has: the check warns when the notes take longer to say.
    duration: Minutes | None = None


class Source(Strict):
    """A document that figures are taken from."""

    id: Id
    outlet: Text
    title: Text
    date: PartialDate
    language: Annotated[str, Field(pattern=r"^[a-z]{2}$", description="a two-letter code")]
    url: str | None = Field(None, pattern=r"^https?://\S+$", description="an http(s) address")
    text: str | None = Field(None, description="path of the source's full text, for checks")


class Unit(str, Enum):
    """What kind of quantity a figure is."""

    currency = "currency"
    percent = "percent"
    count = "count"
    multiple = "multiple"
    index = "index"


class Scale(str, Enum):
    """The power of ten a figure's value is written in."""

    one = "one"
    thousand = "thousand"
    million = "million"
    billion = "billion"


SCALE_FACTOR = {Scale.one: 1, Scale.thousand: 1e3, Scale.million: 1e6, Scale.billion: 1e9}


class Qualifier(str, Enum):
    """How exact the source is about a figure."""

    exact = "exact"
    about = "about"
    over = "over"
    under = "under"


MAX_FORMULA_TERMS = 100  # a real derivation has a handful; thousands overflow Python's stack
MAX_FORMULA_DEPTH = 20  # parentheses or signs nested in one another
_FORMULA_TERM = re.compile(r"[A-Za-z_][A-Za-z0-9_]*|[0-9.]+")


def _formula_size(formula: str) -> str:
    """Refuse a formula too long or too deeply nested to read safely (ast and our evaluator
    recurse once per term)."""
    terms = len(_FORMULA_TERM.findall(formula))
    depth = deepest = 0
    for char in formula:
        depth += {"(": 1, ")": -1}.get(char, 0)
        deepest = max(deepest, depth)
    # Signs in a row (- - - a) nest as parentheses do.
    signs = max((len(run.replace(" ", "")) for run in re.findall(r"[-+( ]+", formula)), default=0)
    deepest = max(deepest, signs)
    if terms > MAX_FORMULA_TERMS:
        raise ValueError(
            f"the formula has {terms:,} terms; a formula may have at most {MAX_FORMULA_TERMS} "
            "(figure ids and numbers): derive it in steps, through intermediate figures"
        )
    if deepest > MAX_FORMULA_DEPTH:
        raise ValueError(
            f"the formula nests {deepest:,} levels of parentheses or signs; "
            f"a formula may nest at most {MAX_FORMULA_DEPTH}"
        )
    return formula


class Derivation(Strict):
    """How a derived figure is computed from other figures."""

    formula: Annotated[str, AfterValidator(_formula_size)] = Field(
        description="arithmetic over figure ids, e.g. 'valuation / revenue'"
    )
    explain: Text


class Figure(Strict):
    """One number with its unit and where it comes from; every number shown is a figure."""

    id: Id
    value: float = Field(description="the number as the source states it; percent in points: 12 %")
    unit: Unit = Field(description="currency, percent (value in percent points), count, ...")
    currency: (
        Annotated[str, Field(pattern=r"^[A-Z]{3}$", description="an ISO 4217 code such as USD")]
        | None
    ) = None
    scale: Scale = Scale.one
    qualifier: Qualifier = Qualifier.exact
    decimals: int | None = Field(None, ge=0, le=6)
    noun: Text | None = Field(None, description="what is counted, e.g. {zh: 名, en: workers}")
    per: Text | None = Field(None, description="a rate's period, e.g. {zh: 每年, en: a year}")
    label: Text
    source: Id | None = None
    excerpt: str | None = Field(None, description="the few characters of the source that hold it")
    cited: Text | None = Field(None, description="who the source credits, e.g. Appfigures")
    derived: Derivation | None = None

    @property
    def base_value(self) -> float:
        """The value in units of one (840 billion -> 8.4e11)."""
        return self.value * SCALE_FACTOR[self.scale]

    @model_validator(mode="after")
    def _finite_in_units_of_one(self) -> Figure:
        """A value finite as written may overflow once scaled (1e300 billion)."""
        if not math.isfinite(self.base_value):
            raise ValueError(
                f"value {self.value:g} {self.scale.value} is too large for a number; "
                "write it with a smaller scale or check it"
            )
        return self


def _figure_id(value: Any) -> Any:
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        raise ValueError(
            f"{value} is a number; chart values are figure ids: make it a figure with its "
            "source and write its id here"
        )
    return value


class Series(Strict):
    """One named row of chart values, each a figure id."""

    name: Text
    values: list[Annotated[Id, BeforeValidator(_figure_id)]] = Field(min_length=1)


class ChartKind(str, Enum):
    """The native chart forms a chart can take."""

    column = "column"
    bar = "bar"
    line = "line"


class AxisScale(str, Enum):
    """Linear, or logarithmic for ratios of thousands to one."""

    linear = "linear"
    log = "log"


class Axis(Strict):
    """A value axis: its title and scale."""

    title: Text | None = None
    scale: AxisScale = AxisScale.linear


class Chart(Strict):
    """A chart whose every value is a figure, shown in one unit."""

    id: Id
    kind: ChartKind
    title: Text
    categories: list[Text] = Field(min_length=1)
    series: list[Series] = Field(min_length=1)
    scale: Scale = Field(Scale.one, description="figures are shown in this scale")
    value_axis: Axis = Axis()
    number_format: str = Field(
        "General",
        pattern=NUMBER_FORMAT,
        description="Excel number format of labels and axis: 0, 0.0, #,##0, 0%, "
        "optionally [<10]0.0;#,##0. A percent figure holds percent points (12 means 12 %): "
        'show it with 0"%" or 0.0"%" (a literal %), never 0%, which multiplies by 100',
    )
    note: Text | None = Field(None, description="what the reader must know, e.g. how derived")
    alt: Text | None = Field(None, description="alt text; generated from the values if absent")


class SlideBase(Strict):
    """What every slide has: an action title (the conclusion) and speaker notes."""

    title: Text
    notes: Text


class TitleSlide(SlideBase):
    """The opening slide, showing the meta block."""

    kind: Literal["title"]
    # Left out, the briefing's own (meta.title, meta.subtitle): Briefing fills the title in.
    title: Text | None = None  # type: ignore[assignment]
    subtitle: Text | None = None


class SummarySlide(SlideBase):
    """Executive summary: the key takeaways."""

    kind: Literal["summary"]
    points: list[Text] = Field(min_length=1)


class BulletsSlide(SlideBase):
    """Talking points."""

    kind: Literal["bullets"]
    points: list[Text] = Field(min_length=1)


class ChartSlide(SlideBase):
    """One chart, with up to a few takeaways beside it."""

    kind: Literal["chart"]
    chart: Id
    points: list[Text] = []


class KpiItem(Strict):
    """One big number with its label."""

    figure: Id
    label: Text | None = None


class KpiSlide(SlideBase):
    """Two to four big numbers."""

    kind: Literal["kpi"]
    items: list[KpiItem] = Field(min_length=2, max_length=4)


class Event(Strict):
    """One dated step of a timeline."""

    when: Text
    what: Text


class TimelineSlide(SlideBase):
    """What happened when, in order."""

    kind: Literal["timeline"]
    events: list[Event] = Field(min_length=2, max_length=7)


class Column(Strict):
    """One side of a comparison."""

    heading: Text
    points: list[Text] = Field(min_length=1)


class ComparisonSlide(SlideBase):
    """Two columns side by side."""

    kind: Literal["comparison"]
    left: Column
    right: Column


class QuoteSlide(SlideBase):
    """A short quoted phrase with its speaker and source."""

    kind: Literal["quote"]
    quote: Text
    by: Text
    source: Id


class Recommendation(Strict):
    """One concrete action and why."""

    action: Text
    why: Text | None = None


class RecommendationsSlide(SlideBase):
    """What the reader should do."""

    kind: Literal["recommendations"]
    items: list[Recommendation] = Field(min_length=1, max_length=6)


class SourcesSlide(SlideBase):
    """The list of every source."""

    kind: Literal["sources"]


Slide = Annotated[
    TitleSlide
    | SummarySlide
    | BulletsSlide
    | ChartSlide
    | KpiSlide
    | TimelineSlide
    | ComparisonSlide
    | QuoteSlide
    | RecommendationsSlide
    | SourcesSlide,
    Field(discriminator="kind"),
]


class Budget(Strict):
    """Readability limits for a slide kind; any left out come from the theme."""

    bullets: int | None = Field(None, ge=1, description="points on one slide")
    bullet_chars_zh: int | None = Field(None, ge=1, description="Chinese characters per point")
    bullet_words: int | None = Field(None, ge=1, description="words per point (other languages)")
    slide_chars_zh: int | None = Field(None, ge=1, description="Chinese characters on a slide")
    slide_words: int | None = Field(None, ge=1, description="words on a slide (other languages)")
    numbers: int | None = Field(None, ge=0, description="figures shown on one slide")
    title_min_chars_zh: int | None = Field(None, ge=1, description="an action title is a sentence")
    title_min_words: int | None = Field(None, ge=1, description="an action title is a sentence")


class Page(Strict):
    """What the one-page summary shows where the slides do not say it."""

    numbers: list[Id] = Field(
        [], max_length=5, description="3 to 5 figure ids for the key-number strip"
    )
    charts: list[Id] = Field(
        [],
        max_length=3,
        description="up to 3 chart ids, in order; default: every chart, in order. A chart the "
        "sheet cannot hold with its text at 7 pt is left out with a warning naming it",
    )


class Briefing(Strict):
    """A whole briefing source."""

    meta: Meta
    sources: list[Source] = Field(min_length=1)
    figures: list[Figure] = []
    charts: list[Chart] = []
    slides: list[Slide] = Field(min_length=1, max_length=500)
    page: Page = Page()
    budgets: dict[str, Budget] = Field(
        {}, description="readability limits by slide kind (or 'default'), over the theme's"
    )

    @model_validator(mode="before")
    @classmethod
    def _title_slides_take_the_meta_title(cls, data: Any) -> Any:
        """A title slide with no title shows meta.title: the briefing's title is written once."""
        meta, slides = (data.get("meta"), data.get("slides")) if isinstance(data, dict) else ({}, 0)
        title = meta.get("title") if isinstance(meta, dict) else None
        if title is None or not isinstance(slides, list):
            return data
        filled = [
            {**s, "title": title}
            if isinstance(s, dict) and s.get("kind") == "title" and s.get("title") is None
            else s
            for s in slides
        ]
        return {**data, "slides": filled}

    def figure(self, figure_id: str) -> Figure:
        """Return the figure with this id."""
        return next(f for f in self.figures if f.id == figure_id)

    def source(self, source_id: str) -> Source:
        """Return the source with this id."""
        return next(s for s in self.sources if s.id == source_id)

    def chart(self, chart_id: str) -> Chart:
        """Return the chart with this id."""
        return next(c for c in self.charts if c.id == chart_id)

"""Start a briefing folder: articles as sources, their figures, a slide of every kind to write."""

from __future__ import annotations

import json
import re
from collections import Counter
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from briefing.errors import BriefingError
from briefing.extract import Candidate, extract_figures, guess_language, read_article

PLACEHOLDER = "TODO"  # the check flags every text holding it (code `placeholder`)
LANGUAGES = ("zh", "en")
CHART_POINTS = 4  # a skeleton chart shows a few figures of one unit; more is the writer's choice
KPI_ITEMS = 3
ORDINALS = ("first", "second", "third", "fourth")  # words: a digit would be a bare number


@dataclass(frozen=True)
class Article:
    """One article copied into the folder: its source id, file name, language and figures."""

    id: str
    file: str
    language: str
    figures: list[Candidate]


def new_briefing(folder: Path, articles: list[Path], languages: list[str] | None) -> list[Path]:
    """Write FOLDER/briefing.yaml and a copy of each article; return the files written."""
    target = folder / "briefing.yaml"
    if target.exists():
        raise BriefingError(f"{target}: already exists; choose a new folder or delete it first")
    for lang in languages or []:
        if lang not in LANGUAGES:
            raise BriefingError(
                f"--lang {lang}: not a language briefing writes; allowed: {', '.join(LANGUAGES)}"
            )
    read = [(path, read_article(path)) for path in articles]
    folder.mkdir(parents=True, exist_ok=True)
    if not read:
        return _write_example(folder)
    taken: set[str] = set()
    chosen: list[Article] = []
    written = []
    for path, text in read:
        source_id = _unique(_as_id(path.stem) or "article", taken)
        taken.add(source_id)
        language = guess_language(text)
        figures = _unique_figures(extract_figures(text, language), source_id, taken)
        copy = folder / f"{source_id}.txt"
        copy.write_text(text, encoding="utf-8")
        written.append(copy)
        chosen.append(Article(source_id, copy.name, language, figures))
    languages = languages or list(dict.fromkeys(a.language for a in chosen))
    target.write_text(skeleton(chosen, languages, date.today()), encoding="utf-8")
    return [*written, target]


def _as_id(name: str) -> str:
    """A lower_snake_case id from a file name (Nordvale-Air 2026 -> nordvale_air_2026)."""
    text = re.sub(r"[^a-z0-9]+", "_", name.lower()).strip("_")
    return text if re.match(r"[a-z]", text) else f"a_{text}" if text else ""


def _unique(name: str, taken: set[str]) -> str:
    candidate, n = name, 2
    while candidate in taken:
        candidate, n = f"{name}_{n}", n + 1
    return candidate


def _unique_figures(figures: list[Candidate], source: str, taken: set[str]) -> list[Candidate]:
    """Figures whose ids are unique across every article and source id."""
    from dataclasses import replace

    unique = []
    for figure in figures:
        figure_id = _unique(figure.id, taken)
        taken.add(figure_id)
        unique.append(replace(figure, id=figure_id))
    return unique


# The instructions in Chinese: a Chinese title is judged by its Chinese characters.
CHINESE = {
    "a point": "一个要点",
    "a takeaway beside the chart": "图表旁的一条结论",
    "an action": "一项具体行动",
    "first point": "第一个要点",
    "first takeaway": "第一条要点",
    "how to open": "开场怎么说",
    "one side": "一方",
    "second point": "第二个要点",
    "second takeaway": "第二条要点",
    "the briefing in one line": "用一句话概括这份简报",
    "the exact words": "原文中的原话",
    "the one conclusion to remember": "需要记住的那一个结论",
    "the other side": "另一方",
    "the point of this slide": "这一页要说明的观点",
    "the title the article was published under": "文章发表时的标题",
    "what happened next": "随后发生了什么",
    "what happened": "发生了什么",
    "what it covers": "涵盖的内容",
    "what the chart proves": "这张图表证明了什么结论",
    "what the chart shows": "图表展示的内容",
    "what the comparison shows": "这组对比说明了什么",
    "what the sequence shows": "这一系列事件说明了什么",
    "what the values are, with their unit": "数值是什么及其单位",
    "what these numbers say together": "这几个数字合起来说明了什么",
    "what this number is": "这个数字是什么",
    "what to say": "讲解时要说的话",
    "what we should do": "我们接下来应当采取的行动",
    "what is counted": "计数的单位，例如 名",
    "when": "时间",
    "where the numbers come from": "这些数字分别来自哪里",
    "who published the article": "发表文章的媒体",
    "who reads it, e.g. the management team": "读者，例如管理层",
    "who said it, and their role": "说话人及其职务",
    "who wrote it": "作者",
    "why this quote matters": "这句话为什么值得重视",
    "why": "理由",
}


def _text(what: str, languages: list[str]) -> str:
    """A placeholder in every language, as a YAML flow mapping."""
    said = {lang: CHINESE.get(what, what) if lang == "zh" else what for lang in languages}
    pairs = (f"{lang}: {_quoted(f'{PLACEHOLDER}: {said[lang]}')}" for lang in languages)
    return "{" + ", ".join(pairs) + "}"


def _quoted(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)


def skeleton(articles: list[Article], languages: list[str], today: date) -> str:
    """The briefing.yaml text: sources, figures and a slide of every kind, with instructions."""
    t = lambda what: _text(what, languages)  # noqa: E731 - a short local spelling
    figures = [f for article in articles for f in article.figures]
    lines = [
        "# Started by `briefing new`. Write every TODO, then run `briefing check` on this folder:",
        "# it lists each TODO still to write, and every figure that does not trace to its source.",
        "# A number on a slide is always a figure below, written {figure_id} in a text.",
        "# A text is one string, or one per language: {zh: ..., en: ...}. Indent with spaces.",
        "meta:",
        f"  title: {t('the briefing in one line')}",
        f"  subtitle: {t('what it covers')}",
        f'  date: "{today:%Y-%m-%d}"  # the day the briefing is written',
        f"  audience: {t('who reads it, e.g. the management team')}",
        f"  author: {t('who wrote it')}",
        f"  languages: [{', '.join(languages)}]",
        "  # duration: 15  # the minutes you have to present; check warns if the notes run longer",
        "",
        "sources:",
        "  # One per article; `text:` lets the check find every excerpt and quote in it.",
    ]
    for article in articles:
        lines += [
            f"  - id: {article.id}",
            f"    outlet: {t('who published the article')}",
            f"    title: {t('the title the article was published under')}",
            f'    date: "{today:%Y-%m-%d}"  # the date the article was published (YYYY-MM-DD)',
            f"    language: {article.language}",
            f"    text: {article.file}",
        ]
    lines += ["", "figures:"]
    if figures:
        lines += [
            "  # Every number the articles state (from `briefing figures`). Keep those the slides",
            "  # need and delete the rest; give each a telling id and write its label. A fall is",
            "  # negative; qualifier says how exact the article is (exact, about, over, under).",
        ]
    for article in articles:
        for figure in article.figures:
            entry = figure.entry(article.id) | {"label": "TODO: what this number is"}
            lines.append(f"  # line {figure.line} of {article.file}")
            lines += _entry_lines(entry, languages, article.language)
    if not figures:
        lines[-1] = "figures: []  # the articles state no number; add figures by hand"
    chart = _chart_figures(figures)
    lines += ["", "charts:"]
    if chart:
        categories = [f"      - {t(f'the {nth} category')}" for nth in ORDINALS[: len(chart)]]
        lines += [
            "  # One unit per chart; one figure per category, in the categories' order.",
            "  - id: main_chart",
            "    kind: column  # column, bar or line",
            f"    title: {t('what the chart shows')}",
            "    categories:",
            *categories,
            "    series:",
            f"      - name: {t('what the values are, with their unit')}",
            f"        values: [{', '.join(f.id for f in chart)}]",
            f"    scale: {_chart_scale(chart)}",
        ]
    else:
        lines[-1] = "charts: []  # a chart needs two figures of one unit"
    lines += ["", "slides:", *_slides(articles, figures, chart, t)]
    return "\n".join(lines) + "\n"


def _entry_lines(entry: dict, languages: list[str], language: str) -> list[str]:
    lines = []
    for index, (key, value) in enumerate(entry.items()):
        lead = "  - " if index == 0 else "    "
        if key == "label":
            written = _text("what this number is", languages)
        elif key == "noun":
            written = _noun(value, language, languages)
        elif isinstance(value, str):
            written = _quoted(value) if key == "excerpt" else value
        else:
            written = str(value)
        lines.append(f"{lead}{key}: {written}")
    return lines


def _noun(noun: str, language: str, languages: list[str]) -> str:
    """What a count counts, as the article says it; the other languages' words still to write."""
    if languages == [language]:
        return noun
    todo = _text("what is counted", [lang for lang in languages if lang != language])
    if language not in languages:
        return todo
    return "{" + f"{language}: {noun}, " + todo[1:]


def _chart_figures(figures: list[Candidate]) -> list[Candidate]:
    """A few figures of the most common unit, currency and scale: what one axis shows without
    converting (1.2 bn beside 310 million at scale one reads as 1.2 beside 310,000,000)."""
    groups: dict[tuple, list[Candidate]] = {}
    for figure in figures:
        groups.setdefault((figure.unit, figure.currency, figure.scale), []).append(figure)

    def listed_together(group: list[Candidate]) -> tuple[int, int]:
        # Figures stated in one sentence or paragraph are likelier parts of one whole.
        return max(Counter(f.line for f in group).values()), len(group)

    best = max(groups.values(), key=listed_together, default=[])
    return best[:CHART_POINTS] if len(best) >= 2 else []


def _chart_scale(figures: list[Candidate]) -> str:
    scales = {f.scale for f in figures}
    return scales.pop() if len(scales) == 1 else "one"


def _slides(articles, figures, chart, t) -> list[str]:
    """One slide of every kind, each with what to write in a comment."""
    kpi = figures[:KPI_ITEMS]
    lines = [
        "  # Each slide's title is its conclusion, as a sentence; notes are what to say.",
        "  - kind: title  # shows meta.title and meta.subtitle (or a title, subtitle of its own)",
        f"    notes: {t('how to open')}",
        "  - kind: summary  # the key takeaways, one point each",
        f"    title: {t('the one conclusion to remember')}",
        f"    points: [{t('first takeaway')}, {t('second takeaway')}]",
        f"    notes: {t('what to say')}",
    ]
    if len(kpi) >= 2:
        items = "\n".join(f"      - figure: {f.id}" for f in kpi)
        lines += [
            "  - kind: kpi  # two to four big numbers, each a figure id",
            f"    title: {t('what these numbers say together')}",
            "    items:",
            items,
            f"    notes: {t('what to say')}",
        ]
    if chart:
        lines += [
            "  - kind: chart",
            f"    title: {t('what the chart proves')}",
            "    chart: main_chart",
            f"    points: [{t('a takeaway beside the chart')}]",
            f"    notes: {t('what to say')}",
        ]
    lines += [
        "  - kind: bullets  # talking points; a number is a figure: {figure_id}",
        f"    title: {t('the point of this slide')}",
        f"    points: [{t('first point')}, {t('second point')}]",
        f"    notes: {t('what to say')}",
        "  - kind: timeline  # two to seven events, in order",
        f"    title: {t('what the sequence shows')}",
        "    events:",
        f"      - {{when: {t('when')}, what: {t('what happened')}}}",
        f"      - {{when: {t('when')}, what: {t('what happened next')}}}",
        f"    notes: {t('what to say')}",
        "  - kind: comparison",
        f"    title: {t('what the comparison shows')}",
        f"    left: {{heading: {t('one side')}, points: [{t('a point')}]}}",
        f"    right: {{heading: {t('the other side')}, points: [{t('a point')}]}}",
        f"    notes: {t('what to say')}",
        "  - kind: quote  # the speaker's exact words, copied from the article (the check finds",
        "    # them in its text); other languages hold the translation",
        f"    title: {t('why this quote matters')}",
        f"    quote: {t('the exact words')}",
        f"    by: {t('who said it, and their role')}",
        f"    source: {articles[0].id}",
        f"    notes: {t('what to say')}",
        "  - kind: recommendations  # one to six concrete actions",
        f"    title: {t('what we should do')}",
        f"    items: [{{action: {t('an action')}, why: {t('why')}}}]",
        f"    notes: {t('what to say')}",
        "  - kind: sources  # lists every source; nothing to write but the title and notes",
        f"    title: {t('where the numbers come from')}",
        f"    notes: {t('what to say')}",
    ]
    return lines


EXAMPLE_ARTICLE = """\
Harbour bakery doubles its ovens (an invented article: briefing's example)

The Harbour Bakery cooperative said on Monday that it sold 1.2 million loaves last year, up 18%
on the year before, and will add 6 ovens to the 6 it runs today. Sales reached €4.5 million.
"We bake through the night and still sell out by noon," said manager Lena Ostrova.
"""

EXAMPLE_BRIEFING = """\
# An example briefing made by `briefing new` with no article: build it with
#   briefing build FOLDER --format all
# then start your own with `briefing new OTHER --from your-article.txt`.
meta:
  title: The Harbour Bakery sells out every day and is doubling its ovens
  date: "{today}"
  audience: Board of the cooperative
  author: Example author
  languages: [en]
  duration: 5  # minutes to present it in: `briefing check` times the notes against it

sources:
  - id: bakery
    outlet: Harbour Gazette (invented)
    title: Harbour bakery doubles its ovens
    date: "{today}"
    language: en
    text: bakery.txt

figures:
  - id: loaves
    value: 1.2
    unit: count
    scale: million
    noun: loaves
    label: Loaves sold last year
    source: bakery
    excerpt: sold 1.2 million loaves
  - id: loaves_growth
    value: 18
    unit: percent
    label: Growth in loaves sold
    source: bakery
    excerpt: up 18%
  - id: ovens_new
    value: 6
    unit: count
    noun: ovens
    label: Ovens to add
    source: bakery
    excerpt: add 6 ovens
  - id: ovens_now
    value: 6
    unit: count
    noun: ovens
    label: Ovens today
    source: bakery
    excerpt: the 6 it runs today
  - id: sales
    value: 4.5
    unit: currency
    currency: EUR
    scale: million
    label: Sales last year
    source: bakery
    excerpt: Sales reached €4.5 million

charts:
  - id: ovens
    kind: column
    title: Ovens today and after the expansion
    categories: [Today, Added]
    series:
      - name: Ovens
        values: [ovens_now, ovens_new]

slides:
  - kind: title
    title: The Harbour Bakery sells out every day and is doubling its ovens
    notes: An invented example of a briefing.
  - kind: summary
    title: Demand outgrew the ovens, so the bakery doubles them
    points:
      - "Loaves sold rose by {{loaves_growth}} last year"
      - "The cooperative adds {{ovens_new}} to the {{ovens_now}} it runs"
    notes: The two facts to remember.
  - kind: kpi
    title: Demand grew faster than the ovens can bake
    items:
      - figure: loaves
      - figure: loaves_growth
      - figure: sales
    notes: Loaves sold rose by {{loaves_growth}} to {{loaves}}.
  - kind: chart
    title: The expansion doubles the number of ovens
    chart: ovens
    points: ["The cooperative adds {{ovens_new}} to the {{ovens_now}} it runs"]
    notes: More ovens, same night shift.
  - kind: quote
    title: The bakery sells out before noon
    quote: We bake through the night and still sell out by noon
    by: Lena Ostrova, manager
    source: bakery
    notes: Demand is not the problem; capacity is.
  - kind: sources
    title: Where the numbers come from
    notes: One invented article.
"""


def _write_example(folder: Path) -> list[Path]:
    """A small briefing that checks and builds, beside the invented article it cites."""
    article = folder / "bakery.txt"
    article.write_text(EXAMPLE_ARTICLE, encoding="utf-8")
    target = folder / "briefing.yaml"
    target.write_text(EXAMPLE_BRIEFING.format(today=f"{date.today():%Y-%m-%d}"), "utf-8")
    return [article, target]

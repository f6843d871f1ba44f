"""Messages: every error of a briefing in one run, each located once, in words that read well."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from briefing.api import build, check
from briefing.cli import main
from briefing.errors import SourceError
from briefing.loader import parse_source, parse_with_problems
from tests.conftest import MINIMAL, line_of

# A figure more, so that a slide can show one figure whose unit is misspelt.
WITH_RATIO = MINIMAL.replace(
    "charts:\n",
    "  - id: ratio\n    value: 34\n    unit: multiple\n"
    "    label: {zh: 倍数, en: Multiple}\n"
    "    derived: {formula: valuation / revenue, explain: {zh: 估值除以收入, en: Over}}\n"
    "charts:\n",
    1,
)
KPI = (
    "  - kind: kpi\n"
    "    title: {zh: 两个数字说明一切, en: Two numbers tell the whole story}\n"
    "    items:\n"
    "      - figure: revenue\n"
    "      - figure: valuaton\n"
    "    notes: {zh: 说。, en: Say.}\n"
    "  - kind: chart\n"
    "    title: {zh: 倍数远超常理, en: The multiple is far above the norm}\n"
    "    chart: mony\n"
    "    notes: {zh: 说。, en: Say.}\n"
)
# Four mistakes, each in another place: a unit, a reference, a figure and a chart.
FOUR_MISTAKES = (
    WITH_RATIO.replace("unit: multiple", "unit: multple").replace(
        'en: "Valued at {valuation}."', 'en: "Valued at {revenue."'
    )
    + KPI
)


def column_of(text: str, needle: str) -> int:
    """The 1-based column where needle starts on its line."""
    line = text.splitlines()[line_of(text, needle) - 1]
    return line.index(needle) + 1


def test_one_check_reports_a_schema_error_with_the_references_and_checks_of_the_rest(
    write_briefing,
):
    source = write_briefing(FOUR_MISTAKES)
    _, findings = check(source)
    said = [(f.line, f.field, f.message.split(";")[0]) for f in findings if f.severity == "error"]
    assert said == [
        (line_of(FOUR_MISTAKES, "unit: multple"), "figures[2].unit", "unknown value 'multple'"),
        (
            line_of(FOUR_MISTAKES, "{revenue."),
            "slides[1].notes.en",
            "'{revenue' opens a reference that never closes",
        ),
        (
            line_of(FOUR_MISTAKES, "figure: valuaton"),
            "slides[2].items[1].figure",
            "unknown figure 'valuaton'",
        ),
        (line_of(FOUR_MISTAKES, "chart: mony"), "slides[3].chart", "unknown chart 'mony'"),
    ]
    assert "write {revenue}" in findings[1].message


def test_build_stops_with_every_error_at_once(write_briefing, tmp_path: Path):
    source = write_briefing(FOUR_MISTAKES)
    with pytest.raises(SourceError) as caught:
        build(source, ("pptx",), "en", tmp_path / "out")
    lines = str(caught.value).splitlines()
    assert len(lines) == 4
    assert lines[1].startswith(f"{source}:{line_of(FOUR_MISTAKES, '{revenue.')}:")
    assert ": error: slide 2: slides[1].notes.en: '{revenue' opens" in lines[1]
    assert "unknown chart 'mony'" in lines[3]
    assert not (tmp_path / "out").exists()


def test_the_cli_prints_every_error_of_a_source_that_does_not_load_with_the_summary(
    write_briefing,
):
    source = write_briefing(FOUR_MISTAKES)
    result = CliRunner().invoke(main, ["check", str(source)])
    assert result.exit_code == 1
    *lines, summary = result.stderr.strip().splitlines()
    errors = [line for line in lines if ": error: " in line]
    assert [e.split(": error: ")[0] for e in errors] == [
        f"{source}:{line_of(FOUR_MISTAKES, needle)}:{column}"
        for needle, column in [
            ("multple", 11),
            ("{revenue.", column_of(FOUR_MISTAKES, '"Valued')),
            ("valuaton", 17),
            ("mony", 12),
        ]
    ]
    # A load problem in a slide names the slide as the checks' findings do.
    assert ": error: slide 3: slides[2].items[1].figure: unknown figure 'valuaton'" in errors[2]
    # The rest was checked too: the chart slide's title is no sentence.
    assert summary == f"{source}: 4 error(s), 1 warning(s)"
    assert result.stdout == ""  # the lines and their summary on one stream


def test_a_figure_derived_from_a_broken_one_is_left_out_not_reported_unknown():
    valuation = "unit: currency\n    currency: USD\n    scale: billion\n    label: {zh: 估值"
    text = WITH_RATIO.replace(valuation, valuation.replace("currency\n", "money\n", 1))
    loaded = parse_with_problems(text, "b.yaml")
    assert [p.field for p in loaded.problems] == ["figures[1].unit"]
    # ratio (from valuation), the chart of valuation and its slide wait for valuation's fix.
    assert [f.id for f in loaded.briefing.figures] == ["revenue"]
    assert loaded.briefing.charts == [] and [s.kind for s in loaded.briefing.slides] == ["title"]


def test_a_chart_left_out_for_its_figure_takes_its_slide_with_it():
    # revenue does not load: the chart of it is left out, and so the slide showing the chart,
    # which is not reported as naming an unknown chart.
    loaded = parse_with_problems(MINIMAL.replace("unit: currency", "unit: curency", 1), "b.yaml")
    assert [p.field for p in loaded.problems] == ["figures[0].unit"]
    assert loaded.part.kept == {"sources": (0,), "figures": (1,), "charts": (), "slides": (0,)}


def test_an_unknown_figure_in_meta_stops_at_the_load_problems(write_briefing):
    # The cover shows meta: with a reference there unknown, the title slide cannot be laid out.
    text = MINIMAL.replace("author: Analyst", "author: '{nope}'").replace(
        "kind: chart", "kind: chrat"
    )
    _, findings = check(write_briefing(text))
    assert [(f.field, f.code) for f in findings] == [
        ("meta.author", "invalid-source"),
        ("slides[1].kind", "invalid-source"),
    ]


def test_a_source_that_loads_reads_as_before():
    loaded = parse_source(MINIMAL, "b.yaml")
    assert loaded.problems == () and loaded.part is None
    assert loaded.where(("slides", 1, "chart")) == (line_of(MINIMAL, "chart: money"), 12)


def test_paths_of_the_part_that_loads_point_into_the_file():
    text = MINIMAL.replace("kind: title", "kind: titel") + KPI.replace("valuaton", "valuation")
    loaded = parse_with_problems(text, "b.yaml")
    # Slide 1 is left out: the part's slides[1] (the kpi) is the file's slides[2].
    assert loaded.original(("slides", 1, "items", 0)) == ("slides", 2, "items", 0)
    assert loaded.where(("slides", 1, "items", 0)) == (line_of(text, "figure: revenue"), 9)


# --- one location, said once --------------------------------------------------------------


def test_a_layout_finding_says_its_deck_slide_only_where_it_is_not_the_source_slide():
    from briefing.check.run import locate

    loaded = parse_source(MINIMAL, "b.yaml")
    same = locate(loaded, (("slides", 0, "title"), "error", "off-slide", "deck slide 1: x runs"))
    assert str(same) == (
        f"b.yaml:{line_of(MINIMAL, '{zh: 测试, ')}:{column_of(MINIMAL, '{zh: 测试, ')}: error: "
        "slide 1: "
        "slides[0].title: x runs"
    )
    after = locate(loaded, (("slides", 1), "warning", "low-contrast", "deck slide 3: x is faint"))
    assert after.deck_slide == 3 and after.message == "x is faint"
    # The slide itself is its field: said once, as the slide.
    assert str(after).endswith(": warning: slide 2 (deck slide 3): x is faint")
    assert after.field == "slides[1]"


def test_a_continued_slide_is_warned_about_at_its_line(write_briefing, tmp_path: Path):
    point = (
        "a point that runs on for a while, as points written in a hurry do, and then some more "
        "words so that it takes several lines of a column at any size the theme allows, and then "
        "again it runs on for a while as points written in a hurry do and then some more words"
    )
    points = "".join(f"      - {{zh: 很长的一点, en: '{point}'}}\n" for _ in range(12))
    text = (
        MINIMAL
        + "  - kind: bullets\n    title: {zh: 很多很长的要点, en: Many long points are made here}\n"
        + "    points:\n"
        + points
        + "    notes: {zh: 说。, en: Say.}\n"
        + "budgets: {bullets: {bullets: 12, bullet_words: 90, slide_words: 2000}}\n"
    )
    warnings: list[str] = []
    source = write_briefing(text)
    build(source, ("pptx",), "en", tmp_path / "out", warn=warnings.append)
    [moved] = [w for w in warnings if "continue on the next slide" in w]
    assert moved == (
        f"{source}:{line_of(text, 'zh: 很长的一点')}:7: warning: slide 3: slides[2].points: "
        "6 of 12 items did not fit and continue on the next slide (en)"
    )
    # The check says so too, as a finding of its own.
    _, findings = check(source, languages=["en"])
    [continued] = [f for f in findings if f.code == "continued"]
    assert str(continued) == moved


@pytest.mark.parametrize(
    ("where", "name"),
    [("summary points", "the list of points"), ("chart points", "the list of points beside")],
)
def test_a_box_of_points_is_named_so_that_is_set_agrees(where, name):
    from briefing.check.box_words import box_words

    # Findings say "{name} is set at 65 %", "{name} overflows its box": the name is singular.
    assert box_words(where).name.startswith(name)


# --- check --lang -------------------------------------------------------------------------

LONG_TITLES = MINIMAL.replace(
    'zh: "估值是收入的许多倍"',
    'zh: "估值是收入的许多倍，远远超过了任何人的预期，这个标题很长很长，长到需要三行甚至更多行'
    '才能放下，比任何标题都长得多，还要再长一些才行"',
)


def test_check_lang_lays_out_and_times_one_language(write_briefing):
    source = write_briefing(LONG_TITLES)
    every = CliRunner().invoke(main, ["check", str(source)])
    assert "the title is set at" in every.stdout and "(zh)" in every.stdout
    assert "speaking time (zh / en)" in every.stdout
    english = CliRunner().invoke(main, ["check", str(source), "--lang", "en"])
    assert english.exit_code == 0
    assert "the title is set at" not in english.stdout
    assert "speaking time (en), from the notes:" in english.stdout
    chinese = CliRunner().invoke(main, ["check", str(source), "--lang", "zh", "-f", "json"])
    assert '"code": "text-shrunk"' in chinese.stdout


def test_check_lang_names_the_languages_of_the_briefing(write_briefing):
    source = write_briefing()
    result = CliRunner().invoke(main, ["check", str(source), "--lang", "fr"])
    assert result.exit_code == 1
    assert (
        f"{source}:{line_of(MINIMAL, 'languages:')}:14: error: meta.languages: --lang fr: the "
        "briefing is written in zh, en"
    ) in result.stdout
    assert "speaking time" not in result.stdout


# --- a master's links ---------------------------------------------------------------------


def test_a_master_part_with_two_links_is_warned_about_once(tmp_path: Path):
    from briefing.theme import load_theme
    from tests.test_hostile_masters import CREDIT, _master

    def two_links(name: str, data: bytes) -> bytes:
        if name != "ppt/slideMasters/_rels/slideMaster1.xml.rels":
            return data
        link = (
            b'<Relationship Id="rId9{n}" Type="http://schemas.openxmlformats.org/officeDocument/'
            b'2006/relationships/hyperlink" Target="{target}" TargetMode="External"/>'
        )
        extra = b"".join(
            link.replace(b"{n}", n).replace(b"{target}", t)
            for n, t in [(b"8", CREDIT.encode()), (b"9", b"https://credit.example/")]
        )
        return data.replace(b"</Relationships>", extra + b"</Relationships>")

    warnings = load_theme(str(_master(tmp_path, two_links))).warnings
    [credit] = [w for w in warnings if "credit.example" in w]
    assert (
        f"links to {CREDIT} and https://credit.example/; the links are removed (their text stays)"
    ) in credit


def test_watch_finds_the_source_slide_of_a_finding_that_names_its_deck_slide():
    from briefing.watch import findings_of

    said = "b.yaml:3:5: warning: slide 2 (deck slide 3): the title is faint"
    [finding] = findings_of([said], None)
    assert finding.slide == 2


def test_budgets_that_do_not_load_check_nothing_against_the_themes_instead():
    loaded = parse_with_problems(MINIMAL + "budgets: {chart: {bullets: many}}\n", "b.yaml")
    assert [p.field for p in loaded.problems] == ["budgets.chart.bullets"]
    assert loaded.briefing is None


def test_a_page_that_does_not_load_is_no_reason_to_skip_the_checks():
    # The checks never read the page: the rest is checked with the default page.
    text = MINIMAL + "page: {numbers: [a, b, c, d, e, f]}\n"
    loaded = parse_with_problems(text, "b.yaml")
    assert [p.field for p in loaded.problems] == ["page.numbers[5]"]
    assert len(loaded.briefing.slides) == 2 and loaded.briefing.page.numbers == []

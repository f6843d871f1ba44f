"""meta.duration: the slot read in minutes, a located error for any other form, and the check's
speaking time per slide with a warning when the notes run past the slot."""

from __future__ import annotations

import jsonschema
import pytest
import yaml

from briefing.check.run import run_checks
from briefing.check.speaking import speaking_lines, speaking_time
from briefing.errors import SourceError
from briefing.loader import parse, parse_source
from briefing.model import Briefing
from briefing.speaking import speaking_seconds
from briefing.theme import load_theme
from tests.conftest import MINIMAL, line_of


def with_duration(value: str, text: str = MINIMAL) -> str:
    return text.replace("  languages: [zh, en]", f"  languages: [zh, en]\n  duration: {value}")


@pytest.mark.parametrize(
    ("written", "minutes"),
    [("15", 15), ("7.5", 7.5), ("'15 min'", 15), ("15 minutes", 15), ("20分钟", 20)],
)
def test_duration_is_read_as_minutes(written, minutes):
    assert parse(with_duration(written)).meta.duration == minutes


def test_duration_is_optional():
    assert parse(MINIMAL).meta.duration is None


@pytest.mark.parametrize("written", ["0", "-5", "'15 s'", "1h", "true", "601", "[15]"])
def test_a_duration_not_in_minutes_is_a_located_error(written):
    text = with_duration(written)
    with pytest.raises(SourceError) as caught:
        parse(text, "b.yaml")
    [problem] = caught.value.problems
    message = str(problem)
    assert message.startswith(f"b.yaml:{line_of(text, 'duration:')}:")
    assert "meta.duration:" in message
    assert "minutes" in message and "e.g. 15 or '15 min'" in message


@pytest.mark.parametrize(("written", "valid"), [("15", True), ("'15 min'", True), ("0", False)])
def test_schema_takes_what_the_loader_takes(written, valid):
    data = yaml.safe_load(with_duration(written))
    schema = Briefing.model_json_schema()
    if valid:
        jsonschema.validate(data, schema)
    else:
        with pytest.raises(jsonschema.ValidationError):
            jsonschema.validate(data, schema)


NOTES = MINIMAL.replace(
    'notes: {zh: "估值{valuation}。", en: "Valued at {valuation}."}',
    "notes: {zh: " + "字" * 500 + ", en: " + " ".join(["word"] * 280) + "}",
)


def test_each_slide_speaking_time_comes_from_its_notes_in_each_language():
    briefing = parse(NOTES)
    zh, en = speaking_time(briefing, "zh"), speaking_time(briefing, "en")
    assert zh.slides == [speaking_seconds("开场。"), 120]
    assert en.slides == [speaking_seconds("Opening."), 120]
    assert en.total == speaking_seconds("Opening.") + 120


def test_figures_in_notes_are_timed_as_written_for_the_language():
    briefing = parse(MINIMAL)
    # "Valued at {valuation}." is said "Valued at US$840 bn.": five words (US, 840, bn), not three.
    assert speaking_time(briefing, "en").slides[1] == 5 * 60 / 140


def test_a_slide_with_no_notes_in_a_language_says_so():
    text = NOTES.replace("notes: {zh: 开场。, en: Opening.}", 'notes: {zh: 开场。, en: ""}')
    briefing = parse(text)
    assert speaking_time(briefing, "en").slides[0] is None
    lines = speaking_lines(briefing)
    assert lines[1].split()[:3] == ["slide", "1", "title"]
    assert lines[1].endswith("0:00 / no notes")
    assert lines[-1].split() == ["total", "2:00", "/", "2:00"]


def test_the_table_names_the_slot():
    lines = speaking_lines(parse(with_duration("15", NOTES)))
    assert lines[-1].endswith("(slot 15:00)")


def findings_of(text: str):
    loaded = parse_source(text, "b.yaml")
    return [f for f in run_checks(loaded, load_theme(None), fit=False) if f.code == "over-time"]


def test_notes_longer_than_the_slot_warn_at_meta_duration_per_language():
    text = with_duration("1.5", NOTES)  # each language takes about 2:00
    findings = findings_of(text)
    assert [f.severity for f in findings] == ["warning", "warning"]
    assert {f.line for f in findings} == {line_of(text, "duration:")}
    assert {f.field for f in findings} == {"meta.duration"}
    zh, en = sorted(findings, key=lambda f: "(en)" in f.message)
    assert "about 2:00 to say (zh), over the slot of 1:30" in zh.message
    assert "(en)" in en.message


def test_notes_within_the_slot_give_no_warning():
    assert findings_of(with_duration("3", NOTES)) == []
    # 2:00.5 is said as 2:00: an estimate to the second does not warn over a fraction of one.
    assert findings_of(with_duration("2", NOTES)) == []
    assert findings_of(NOTES) == []  # no slot: nothing to compare with


def test_check_prints_the_speaking_time_and_the_warning(write_briefing):
    from click.testing import CliRunner

    from briefing.cli import main

    text = with_duration("1.5", NOTES)
    result = CliRunner().invoke(main, ["check", str(write_briefing(text))])
    lines = result.stdout.splitlines()
    start = lines.index("speaking time (zh / en), from the notes:")
    assert lines[start + 2].split() == ["slide", "2", "chart", "2:00", "/", "2:00"]
    assert lines[start + 3].split() == ["total", "2:00", "/", "2:00", "(slot", "1:30)"]
    line = line_of(text, "duration:")
    warnings = [x for x in lines if f"briefing.yaml:{line}:13: warning: meta.duration:" in x]
    assert len(warnings) == 2, result.stdout


def test_the_deck_notes_end_with_the_time_they_take_to_say(write_briefing, tmp_path):
    from pptx import Presentation

    from briefing.api import build

    source = write_briefing(NOTES)
    [deck] = build(source, ("pptx",), "en", tmp_path / "out")
    notes = [s.notes_slide.notes_text_frame for s in Presentation(str(deck)).slides]
    assert [p.text for p in notes[0].paragraphs] == ["Opening.", "≈ 0:00"]
    assert [p.text for p in notes[1].paragraphs] == [" ".join(["word"] * 280), "≈ 2:00"]

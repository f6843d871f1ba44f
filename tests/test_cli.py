"""The command line through click's CliRunner and a real subprocess."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from click.testing import CliRunner

from briefing import __version__
from briefing.cli import main
from tests.conftest import MINIMAL, line_of


def test_build_prints_each_written_path(tmp_path: Path):
    result = CliRunner().invoke(main, ["build", "--format", "pptx", "--out", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == [str(tmp_path / "sora-zh.pptx")]


def test_build_a_folder_in_english(tmp_path: Path, write_briefing):
    source = write_briefing()
    result = CliRunner().invoke(
        main, ["build", str(source.parent), "--lang", "en", "--out", str(tmp_path / "out")]
    )
    assert result.exit_code == 0, result.output
    assert result.stdout.strip() == str(tmp_path / "out" / f"{source.parent.name}-en.pptx")


def test_bad_source_exits_1_with_location_and_writes_nothing(tmp_path: Path, write_briefing):
    text = MINIMAL.replace("value: 840", "value: lots")
    source = write_briefing(text)
    out = tmp_path / "out"
    out.mkdir()
    previous = out / f"{source.parent.name}-zh.pptx"
    previous.write_bytes(b"the deck from yesterday")
    result = CliRunner().invoke(main, ["build", str(source), "--out", str(out)])
    assert result.exit_code == 1
    assert f"{source}:{line_of(text, 'value: lots')}:12: error: figures[1].value:" in result.output
    assert "Traceback" not in result.output
    assert previous.read_bytes() == b"the deck from yesterday"
    assert sorted(p.name for p in out.iterdir()) == [previous.name]


def test_unknown_language_is_refused(write_briefing):
    result = CliRunner().invoke(main, ["build", str(write_briefing()), "--lang", "fr"])
    assert result.exit_code == 1
    assert "language 'fr' is not in the briefing (meta.languages: zh, en)" in result.output


def test_missing_source_is_refused(tmp_path: Path):
    result = CliRunner().invoke(main, ["build", str(tmp_path / "nope.yaml")])
    assert result.exit_code == 1 and "no such file or folder" in result.output


def test_version_and_help():
    runner = CliRunner()
    assert runner.invoke(main, ["--version"]).output.strip() == f"briefing, version {__version__}"
    assert "build" in runner.invoke(main, ["--help"]).output
    assert "--lang" in runner.invoke(main, ["build", "--help"]).output


def test_schema_describes_the_source_format():
    result = CliRunner().invoke(main, ["schema"])
    schema = json.loads(result.output)
    assert set(schema["required"]) == {"meta", "sources", "slides"}
    assert "Figure" in schema["$defs"] and "excerpt" in schema["$defs"]["Figure"]["properties"]


def test_python_dash_m_works(tmp_path: Path):
    done = subprocess.run(
        [sys.executable, "-m", "briefing", "build", "--out", str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == str(tmp_path / "sora-zh.pptx")


def test_pptx_build_imports_no_chart_or_pdf_library(tmp_path: Path):
    code = (
        "import sys; from pathlib import Path; from briefing.api import build; "
        f"build(None, ('pptx',), 'zh', Path({str(tmp_path)!r})); "
        "print(sorted(m for m in ('matplotlib', 'weasyprint', 'jinja2') if m in sys.modules))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"


def test_readme_example_is_a_valid_briefing(tmp_path: Path):
    readme = (Path(__file__).parent.parent / "README.md").read_text(encoding="utf-8")
    example = readme.split("```yaml\n", 1)[1].split("```", 1)[0]
    source = tmp_path / "example.yaml"
    source.write_text(example, encoding="utf-8")
    result = CliRunner().invoke(
        main, ["build", str(source), "--lang", "en", "--out", str(tmp_path)]
    )
    assert result.exit_code == 0, result.output
    assert result.stdout.strip() == str(tmp_path / "example-en.pptx")


def test_building_briefing_yaml_from_its_own_folder_names_outputs_after_the_folder(
    tmp_path: Path, write_briefing, monkeypatch
):
    source = write_briefing()
    monkeypatch.chdir(source.parent)
    result = CliRunner().invoke(main, ["build", "briefing.yaml", "--out", "out", "--no-check"])
    assert result.exit_code == 0, result.output
    assert result.stdout.strip() == f"out/{source.parent.name}-zh.pptx"


def test_several_sources_build_in_parallel_and_one_failure_does_not_stop_the_others(
    tmp_path: Path, write_briefing
):
    good = write_briefing()
    bad = tmp_path / "bad"
    bad.mkdir()
    (bad / "briefing.yaml").write_text(
        MINIMAL.replace("value: 840", "value: lots"), encoding="utf-8"
    )
    out = tmp_path / "out"
    done = subprocess.run(
        [sys.executable, "-m", "briefing", "build", str(bad), str(good), "--out", str(out)],
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert done.returncode == 1
    assert done.stdout.strip() == str(out / f"{good.parent.name}-zh.pptx")
    assert f"{bad / 'briefing.yaml'}:" in done.stderr and "figures[1].value" in done.stderr


# --- help texts ---------------------------------------------------------------------------

HELP_WIDTH = 80  # a plain terminal; click then wraps help at 78 columns


def _commands(group, path=()):
    """Every command under a group, as (its words after `briefing`, the command), groups too."""
    import click

    for name, command in sorted(group.commands.items()):
        yield path + (name,), command
        if isinstance(command, click.Group):
            yield from _commands(command, path + (name,))


def _help(*words: str) -> str:
    result = CliRunner().invoke(main, [*words, "--help"], terminal_width=HELP_WIDTH - 2)
    assert result.exit_code == 0, result.output
    return result.output


def test_every_command_listed_by_help_shows_its_whole_first_line():
    import click

    groups = [((), main)] + [(p, c) for p, c in _commands(main) if isinstance(c, click.Group)]
    for path, group in groups:
        listing = _help(*path)
        listed = listing[listing.index("Commands:") :]
        assert "..." not in listed, listing  # click marks a cut description with "..."
        for name, command in group.commands.items():
            first = command.help.split("\n\n")[0].split()
            assert first[-1].endswith("."), (name, "the first line is one sentence")
            row = next(line for line in listed.splitlines() if line.split()[:1] == [name])
            assert row.split()[1:] == first, (path, name, row)


def test_every_command_has_an_example_and_fits_the_terminal():
    for path, _ in [((), main), *_commands(main)]:
        text = _help(*path)
        assert any(line.strip().startswith("Example") for line in text.splitlines()), path
        examples = text[text.index("Example") :].split("Options:")[0]
        assert f"briefing {' '.join(path)}".strip() in examples, path
        too_wide = [line for line in text.splitlines() if len(line) > HELP_WIDTH]
        assert not too_wide, (path, too_wide)


def test_out_and_format_have_short_forms_wherever_they_exist():
    for path, command in [((), main), *_commands(main)]:
        for option in command.params:
            names = set(getattr(option, "opts", []))
            if "--out" in names:
                assert "-o" in names, path
            if "--format" in names:
                assert "-f" in names, path


def test_paper_says_what_it_is_for():
    for path, command in _commands(main):
        for option in command.params:
            if "--paper" in getattr(option, "opts", []):
                assert "summary" in option.help and "PDF" in option.help, path

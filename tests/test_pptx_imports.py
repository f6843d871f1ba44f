"""The pptx build's own cost: `briefing build -f pptx` imports nothing it does not use, and
the collector does not walk the imported objects over and over."""

from __future__ import annotations

import ast
import gc
import subprocess
import sys
from pathlib import Path

from click.testing import CliRunner

from briefing.cli import GC_YOUNG_THRESHOLD, main

# Modules a clean deck-only build has no use for: the page's printer; difflib (a mistake's "did
# you mean").
NOT_FOR_A_DECK = ("briefing.render.printer", "difflib")


def _imported_by_a_deck_build(out: Path, modules: tuple[str, ...]) -> list[str]:
    """Which of `modules` a `briefing build --format pptx` in a fresh process has imported
    (long options: click imports difflib for each short one, trying it as a long one first)."""
    code = (
        "import runpy, sys\n"
        f"sys.argv = ['briefing', 'build', '--format', 'pptx', '--out', {str(out)!r}]\n"
        "try:\n"
        "    runpy.run_module('briefing', run_name='__main__')\n"
        "except SystemExit as stop:\n"
        "    assert not stop.code, stop.code\n"
        f"print(sorted(m for m in {modules!r} if m in sys.modules))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert (out / "sora-zh.pptx").is_file()
    return ast.literal_eval(done.stdout.strip().splitlines()[-1])


def test_a_deck_build_imports_no_page_printer(tmp_path):
    assert _imported_by_a_deck_build(tmp_path, NOT_FOR_A_DECK) == []


def test_a_command_runs_with_rarer_collections_and_gives_them_back(monkeypatch):
    seen = []
    monkeypatch.setattr(
        "briefing.api.build_many", lambda *a, **k: seen.append(gc.get_threshold()) or []
    )
    before = gc.get_threshold()
    result = CliRunner().invoke(main, ["build", "--format", "pptx"])
    assert result.exit_code == 0, result.output
    assert seen == [(GC_YOUNG_THRESHOLD, *before[1:])]
    assert gc.get_threshold() == before  # the host of a CliRunner keeps its own

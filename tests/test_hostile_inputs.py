"""What a hostile or careless user tried (issue 12): odd files, odd numbers, a killed build,
a full disk, a damaged cache. Each test fails without its fix."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from briefing.check.run import run_checks
from briefing.errors import InputError, OutputError, SourceError
from briefing.inputs import SOURCE_TEXT_LIMIT, read_input
from briefing.loader import load_source, parse
from briefing.theme import load_theme
from tests.conftest import MINIMAL, line_of

ROOT = Path(__file__).resolve().parent.parent
WITH_TEXT = MINIMAL.replace("    language: zh\n", "    language: zh\n    text: article.txt\n", 1)


def run_cli(*args: str, cwd: Path, timeout: float = 60) -> subprocess.CompletedProcess:
    """The CLI in its own process: a hang becomes a failed test, not a stuck suite."""
    environment = os.environ | {"PYTHONPATH": str(ROOT)}
    return subprocess.run(
        [sys.executable, "-m", "briefing", *args],
        cwd=cwd,
        env=environment,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def refused(result: subprocess.CompletedProcess) -> str:
    """The error line of a run that must end with exit 1 and no traceback."""
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr, result.stderr
    return result.stderr


# --- files we read: regular files only, with a size limit -------------------------------------


@pytest.mark.parametrize("role", ["source", "text", "against"])
def test_a_fifo_is_refused_not_waited_on(tmp_path: Path, role: str):
    pipe = tmp_path / "pipe"
    os.mkfifo(pipe)
    (tmp_path / "article.txt").write_text("年化收入超过250亿美元，估值达8400亿美元", "utf-8")
    (tmp_path / "briefing.yaml").write_text(WITH_TEXT, encoding="utf-8")
    if role == "source":
        args = ["check", str(pipe)]
    elif role == "text":
        (tmp_path / "briefing.yaml").write_text(WITH_TEXT.replace("article.txt", "pipe"), "utf-8")
        args = ["check", str(tmp_path)]
    else:
        args = ["check", str(tmp_path), "--against", f"art={pipe}"]
    stderr = refused(run_cli(*args, cwd=tmp_path, timeout=30))
    assert f"{pipe}: a named pipe (FIFO), not a regular file;" in stderr
    assert "must be a regular file" in stderr


def test_a_fifo_as_a_theme_yaml_is_refused_not_waited_on(tmp_path: Path):
    theme = tmp_path / "theme"
    theme.mkdir()
    os.mkfifo(theme / "theme.yaml")
    stderr = refused(run_cli("templates", "inspect", str(theme), cwd=tmp_path, timeout=30))
    assert (
        f"{theme / 'theme.yaml'}: a named pipe (FIFO), not a regular file; a theme.yaml" in stderr
    )


def test_a_device_is_refused_before_memory_runs_out(tmp_path: Path):
    (tmp_path / "briefing.yaml").write_text(WITH_TEXT, encoding="utf-8")
    (tmp_path / "article.txt").write_text("年化收入超过250亿美元", "utf-8")
    result = run_cli("check", str(tmp_path), "--against", "art=/dev/zero", cwd=tmp_path)
    stderr = refused(result)
    assert "/dev/zero: a character device, not a regular file; the text of source 'art'" in stderr


def test_a_folder_given_as_a_text_is_named_as_a_folder(tmp_path: Path):
    with pytest.raises(InputError, match="a folder, not a regular file; a briefing must be"):
        read_input(tmp_path, 100, "a briefing")


def test_a_source_text_past_the_limit_is_refused_unread(tmp_path: Path):
    big = tmp_path / "big.txt"
    with big.open("wb") as stream:
        stream.truncate(SOURCE_TEXT_LIMIT + 1)  # sparse: no disk used, no time spent
    (tmp_path / "briefing.yaml").write_text(WITH_TEXT, encoding="utf-8")
    loaded = load_source(tmp_path / "briefing.yaml")
    with pytest.raises(InputError) as caught:
        run_checks(loaded, load_theme(None), {"art": big}, fit=False)
    assert str(caught.value) == (
        f"{big}: the file has {SOURCE_TEXT_LIMIT + 1:,} bytes; the text of source 'art' may "
        f"have at most {SOURCE_TEXT_LIMIT:,} bytes"
    )


def test_a_file_that_grows_past_the_limit_while_read_is_refused(tmp_path: Path, monkeypatch):
    path = tmp_path / "growing.txt"
    path.write_bytes(b"x" * 200)
    real_fstat = os.fstat

    def stale_fstat(handle: int) -> os.stat_result:
        fields = list(real_fstat(handle))
        fields[6] = 10  # st_size as it was before the file grew (as /proc files say 0)
        return os.stat_result(fields)

    monkeypatch.setattr(os, "fstat", stale_fstat)
    with pytest.raises(InputError, match="the file has more bytes; a text may have at most 100"):
        read_input(path, 100, "a text")
    assert read_input(path, 200, "a text") == b"x" * 200


def test_each_source_text_is_normalised_once_however_many_figures_quote_it(
    tmp_path: Path, monkeypatch
):
    from briefing.check import provenance

    figure = (
        "  - id: f{n}\n    value: 25\n    unit: percent\n    label: F\n    source: art\n"
        "    excerpt: 增长25%\n"
    )
    text = WITH_TEXT.replace(
        "figures:\n", "figures:\n" + "".join(figure.format(n=n) for n in range(30))
    )
    (tmp_path / "briefing.yaml").write_text(text, encoding="utf-8")
    article = "年化收入超过250亿美元，估值达8400亿美元。收入增长25%。" + "填充文字" * 5000
    (tmp_path / "article.txt").write_text(article, encoding="utf-8")
    calls = []
    real = provenance.unicodedata.normalize
    monkeypatch.setattr(
        provenance.unicodedata,
        "normalize",
        lambda form, value: calls.append(len(value)) or real(form, value),
    )
    findings = run_checks(load_source(tmp_path / "briefing.yaml"), load_theme(None), fit=False)
    assert not [f for f in findings if f.code == "excerpt-not-in-source"]
    assert sum(1 for length in calls if length >= len(article)) == 1


# --- numbers, formulas and dates that used to end in a traceback ----------------------------


def problems_of(text: str) -> list[str]:
    with pytest.raises(SourceError) as caught:
        parse(text, "b.yaml")
    return [str(p) for p in caught.value.problems]


@pytest.mark.parametrize("value", [".nan", ".inf", "-.inf", ".NaN"])
def test_a_non_finite_value_is_refused_at_its_line(value: str):
    text = MINIMAL.replace("value: 840", f"value: {value}")
    [problem] = problems_of(text)
    assert problem.startswith(f"b.yaml:{line_of(text, 'value: ' + value)}:12: figures[1].value:")
    assert "finite number" in problem


def test_a_value_that_overflows_once_scaled_is_refused():
    text = MINIMAL.replace("value: 840", "value: 1e300")
    [problem] = problems_of(text)
    assert problem.startswith(f"b.yaml:{line_of(text, 'id: valuation')}:")
    assert "value 1e+300 billion is too large" in problem


def test_a_5000_digit_integer_gets_its_line():
    text = MINIMAL.replace("value: 840", "value: " + "9" * 5000)
    [problem] = problems_of(text)
    assert problem.startswith(f"b.yaml:{line_of(text, 'value: 999')}:12: ")
    assert "a number of 5,000 digits; numbers may have at most 400" in problem


DERIVED = (
    "  - id: total\n    value: 1\n    unit: percent\n    label: T\n"
    "    derived: {formula: 'F', explain: x}\n"
)


@pytest.mark.parametrize(
    ("formula", "said"),
    [
        ("+".join(["revenue"] * 5000), "has 5,000 terms; a formula may have at most 100"),
        ("(" * 500 + "revenue" + ")" * 500, "nests 500 levels"),
        ("- " * 3000 + "revenue", "nests 3,000 levels"),
    ],
)
def test_a_huge_formula_is_refused_at_its_line_not_a_recursion_error(formula: str, said: str):
    text = MINIMAL.replace("figures:\n", "figures:\n" + DERIVED.replace("F", formula), 1)
    [problem] = problems_of(text)
    assert problem.startswith(f"b.yaml:{line_of(text, 'derived:')}:")
    assert "figures[0].derived.formula: the formula " + said in problem


def test_a_fair_formula_still_passes():
    text = MINIMAL.replace(
        "figures:\n", "figures:\n" + DERIVED.replace("F", "(valuation - revenue) / -revenue"), 1
    )
    assert parse(text).figures[0].derived.formula == "(valuation - revenue) / -revenue"


@pytest.mark.parametrize("date", ["2200", "2108-01", "1979-12-31"])
def test_a_briefing_date_no_deck_can_carry_is_refused_at_its_line(date: str):
    text = MINIMAL.replace("date: 2026-03\n  audience", f"date: '{date}'\n  audience")
    [problem] = problems_of(text)
    assert problem.startswith("b.yaml:3:9: meta.date: ")
    assert "a .pptx (a zip file) holds dates from 1980 to 2107" in problem


def test_a_source_date_epoch_past_2107_is_refused_with_its_name(tmp_path: Path):
    (tmp_path / "briefing.yaml").write_text(MINIMAL, encoding="utf-8")
    for epoch in ("4354819200", "9" * 40):  # 2108-01-01, and a number no clock reaches
        result = subprocess.run(
            [sys.executable, "-m", "briefing", "build", str(tmp_path), "--out", str(tmp_path)],
            env=os.environ | {"PYTHONPATH": str(ROOT), "SOURCE_DATE_EPOCH": epoch},
            capture_output=True,
            text=True,
            timeout=120,
        )
        stderr = refused(result)
        assert f"SOURCE_DATE_EPOCH={epoch[:30]} is not a date from 1980 to 2107" in stderr
    assert not list(tmp_path.glob("*.pptx"))


# --- messages that named the wrong thing ------------------------------------------------------


def test_a_full_disk_names_the_output_not_a_function(tmp_path: Path, monkeypatch):
    import errno

    from briefing import api

    def full(handle: int) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(api.os, "fsync", full)
    with pytest.raises(OutputError) as caught:
        api.build(None, ("pptx",), "en", tmp_path)
    assert (
        str(caught.value) == f"{tmp_path / 'sora-en.pptx'}: cannot write: No space left on device"
    )
    assert not list(tmp_path.glob("*sora-en.pptx*"))  # no temporary left behind either


def test_a_yaml_merge_with_an_override_is_no_duplicate_key():
    base = "base: &base\n  unit: currency\n  currency: USD\n  scale: billion\n  source: art\n"
    text = MINIMAL.replace(
        "  - id: valuation\n    value: 840\n    unit: currency\n    currency: USD\n"
        "    scale: billion\n",
        "  - <<: *base\n    id: valuation\n    value: 840\n    scale: million\n",
    )
    text = base + text.replace("figures:\n", "figures:\n", 1)
    # `base` is no key of a briefing: the only problem must be that, not a duplicate.
    problems = problems_of(text)
    assert not [p for p in problems if "duplicate" in p], problems
    assert [p.split(": ", 1)[0] for p in problems] == ["b.yaml:1:1"]


def test_a_key_written_twice_beside_a_merge_is_still_a_duplicate():
    text = MINIMAL.replace(
        "  - id: valuation\n", "  - <<: {unit: percent}\n    id: valuation\n    label: X\n"
    )
    problems = problems_of(text)
    assert [p for p in problems if "figures[1].label: duplicate key" in p]
    assert not [p for p in problems if "figures[1].unit: duplicate" in p]


# --- results that were wrong --------------------------------------------------------------


def test_a_private_use_character_stays_itself_on_the_page():
    from briefing.cache import Cache
    from briefing.render.page import PageBuilder

    briefing = parse(MINIMAL)
    builder = PageBuilder(briefing, load_theme(None), "en", Cache(None))
    html = str(builder.rich({"en": "\ue000 and **\ue001 {valuation}** then {revenue}"}))
    assert html.count("\ue000") == 1 and html.count("\ue001") == 1
    assert html.count('data-figure="valuation"') == 1 and html.count('data-figure="revenue"') == 1
    assert html.index("\ue000") < html.index("<strong>") < html.index("\ue001")
    assert html.index("\ue001") < html.index('data-figure="valuation"') < html.index("</strong>")


def test_figure_parts_split_literal_text_from_references():
    from briefing.richtext import figure_parts

    assert figure_parts("{a}x\ue000{b_2}") == [("a", True), ("x\ue000", False), ("b_2", True)]
    assert figure_parts("no {Ref} here") == [("no {Ref} here", False)]


def test_the_manifest_records_the_source_as_it_was_loaded(tmp_path: Path, monkeypatch):
    import hashlib
    import json

    from briefing import api

    source = tmp_path / "b" / "briefing.yaml"
    source.parent.mkdir()
    source.write_text(MINIMAL, encoding="utf-8")
    render = api.RENDERERS["pptx"]

    def edit_then_render(job, stream):
        source.write_text(MINIMAL.replace("Analyst", "Someone else"), encoding="utf-8")
        render(job, stream)

    monkeypatch.setitem(api.RENDERERS, "pptx", edit_then_render)
    [deck] = api.build(source, ("pptx",), "en", tmp_path / "out", check=False)
    manifest = json.loads((tmp_path / "out" / "manifest.json").read_text("utf-8"))
    recorded = manifest["outputs"][deck.name]["inputs"]["source:briefing.yaml"]
    assert recorded == hashlib.sha256(MINIMAL.encode("utf-8")).hexdigest()


# --- the cache: best-effort, bounded, plain data -------------------------------------------


def test_a_file_where_the_cache_goes_does_not_fail_the_build(tmp_path: Path):
    import json

    from briefing.api import build

    (tmp_path / ".cache").write_text("not a folder", encoding="utf-8")
    [deck] = build(None, ("pptx",), "en", tmp_path)
    manifest = json.loads((tmp_path / "manifest.json").read_text("utf-8"))
    assert deck.name in manifest["outputs"]
    assert (tmp_path / ".cache").read_text("utf-8") == "not a folder"


def test_a_cache_that_cannot_be_written_is_a_skipped_write(tmp_path: Path, monkeypatch):
    from briefing import cache as cache_module
    from briefing.cache import Cache

    def refuse(*args, **kwargs):
        raise PermissionError(13, "Permission denied")  # root ignores chmod: refuse here

    monkeypatch.setattr(cache_module.tempfile, "mkstemp", refuse)
    cache = Cache(tmp_path / "c")
    assert cache.get_or_make(("k",), lambda: b"made") == b"made"
    assert cache.get(("k",)) is None


def test_the_cache_never_takes_the_last_free_space(tmp_path: Path, monkeypatch):
    import shutil

    from briefing import cache as cache_module
    from briefing.cache import Cache

    cache = Cache(tmp_path / "c")
    cache.put(("roomy",), b"x" * 1000)
    monkeypatch.setattr(
        cache_module.shutil, "disk_usage", lambda path: shutil._ntuple_diskusage(10**9, 10**9, 10)
    )
    cache.put(("full",), b"x" * 1000)
    assert cache.get(("roomy",)) == b"x" * 1000 and cache.get(("full",)) is None


def test_the_cache_evicts_the_entries_used_longest_ago(tmp_path: Path):
    from briefing.cache import Cache

    cache = Cache(tmp_path / "c", max_bytes=10_000)
    for number in range(5):
        cache.put((number,), bytes(3000))
        os.utime(cache._path((number,)), ns=(number * 10**9, number * 10**9))
    assert cache.get((0,)) is not None  # used now: it becomes the newest
    cache.prune()
    kept = [number for number in range(5) if cache.get((number,)) is not None]
    assert kept == [0, 3, 4]
    total = sum(p.stat().st_size for p in (tmp_path / "c").rglob("*") if p.is_file())
    assert total <= 10_000


def test_the_cache_size_comes_from_the_environment(monkeypatch):
    from briefing.cache import Cache

    monkeypatch.setenv("BRIEFING_CACHE_MAX_MB", "1.5")
    assert Cache(None).max_bytes == 1_572_864
    monkeypatch.setenv("BRIEFING_CACHE_MAX_MB", "lots")
    assert Cache(None).max_bytes == 200 * 2**20


def test_a_new_build_prunes_a_cache_past_its_cap(tmp_path: Path, monkeypatch):
    from briefing.api import build

    stale = tmp_path / ".cache" / "00" / ("0" * 64)
    stale.parent.mkdir(parents=True)
    stale.write_bytes(bytes(2**20))
    os.utime(stale, ns=(0, 0))
    monkeypatch.setenv("BRIEFING_CACHE_MAX_MB", "1")
    build(None, ("pptx",), "en", tmp_path)
    assert not stale.exists()


def test_font_metrics_are_cached_without_marshal(tmp_path: Path, monkeypatch):
    import marshal

    from briefing import measure
    from briefing.cache import Cache
    from briefing.fonts import font_files

    def forbidden(*args):
        raise AssertionError("marshal used")

    monkeypatch.setattr(marshal, "loads", forbidden)
    monkeypatch.setattr(marshal, "dumps", forbidden)
    path = font_files("Source Sans Pro").regular
    monkeypatch.setattr(measure, "_LOADED", {})
    made = measure.font_metrics(path, Cache(tmp_path))
    read = []
    real = measure._read_metrics
    monkeypatch.setattr(measure, "_read_metrics", lambda p: read.append(p) or real(p))
    monkeypatch.setattr(measure, "_LOADED", {})
    again = measure.font_metrics(path, Cache(tmp_path))
    assert read == [] and again == made and made.advances[ord("A")] > 0


# --- Ctrl-C -----------------------------------------------------------------------------------


def _children(pid: int) -> list[str]:
    found = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        found += (task / "children").read_text().split()
    return found


@pytest.mark.skipif((os.cpu_count() or 1) < 2, reason="no worker processes on one core")
@pytest.mark.parametrize(
    ("sources", "processes"),
    [(1, 3), (2, 2)],  # the printer and two font subsetters; two builds side by side
    ids=["cold-build-with-subsetters", "two-builds"],
)
def test_ctrl_c_ends_every_process_quietly_with_status_130(
    tmp_path: Path, sources: int, processes: int
):
    import shutil
    import signal
    import time

    folders = []
    for number in range(sources):
        folder = tmp_path / f"b{number}"
        shutil.copytree(ROOT / "seeds" / "sora", folder)
        folders.append(str(folder))
    command = [sys.executable, "-m", "briefing", "build", *folders, "--format", "all"]
    build = subprocess.Popen(
        [*command, "--out", str(tmp_path / "out")],  # a fresh folder: a cold cache
        env=os.environ | {"PYTHONPATH": str(ROOT)},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,  # its own process group, as a terminal's Ctrl-C reaches
    )
    try:
        while len(_children(build.pid)) < processes and build.poll() is None:
            time.sleep(0.01)
        assert build.poll() is None, "the build ended before its workers started"
        os.killpg(build.pid, signal.SIGINT)
        _, stderr = build.communicate(timeout=60)
    finally:
        if build.poll() is None:
            os.killpg(build.pid, signal.SIGKILL)
    assert (build.returncode, stderr) == (130, "interrupted\n")


# --- matplotlib's glyph warnings --------------------------------------------------------------


def test_charts_drawn_with_glyphs_no_font_has_print_no_warning():
    import warnings

    from briefing.render.charts_mpl import chart_svg

    briefing = parse(MINIMAL.replace("en: Revenue}", "en: Revenue \U0001f600\u0f00}"))
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        svg = chart_svg(briefing, briefing.charts[0], load_theme(None), "en")
        warnings.warn("other warnings still reach the user", UserWarning, stacklevel=1)
    assert "Revenue \U0001f600\u0f00" in svg
    messages = [str(w.message) for w in caught if issubclass(w.category, UserWarning)]
    assert messages == ["other warnings still reach the user"]


# --- one cache per user -----------------------------------------------------------------------


def test_one_cache_serves_every_output_folder(tmp_path: Path, own_cache: Path):
    from briefing.api import build

    build(None, ("pptx",), "en", tmp_path / "a")
    entries = sorted(own_cache.rglob("*"))
    assert entries and not (tmp_path / "a" / ".cache").exists()
    [deck] = build(None, ("pptx",), "en", tmp_path / "b")
    assert sorted(own_cache.rglob("*")) == entries  # all found: nothing made again
    assert deck.read_bytes() == (tmp_path / "a" / "sora-en.pptx").read_bytes()


def test_the_cache_lives_in_the_users_cache_folder_unless_moved(tmp_path: Path, monkeypatch):
    from briefing.cache import user_cache_folder

    monkeypatch.delenv("BRIEFING_CACHE_DIR")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    if sys.platform.startswith("linux"):
        assert user_cache_folder() == tmp_path / "xdg" / "briefing"
    monkeypatch.setenv("BRIEFING_CACHE_DIR", str(tmp_path / "moved"))
    assert user_cache_folder() == tmp_path / "moved"


@pytest.mark.parametrize("what", ["fifo-manifest", "fifo-lock", "list-manifest"])
def test_an_odd_manifest_or_lock_is_neither_waited_on_nor_a_traceback(tmp_path: Path, what: str):
    out = tmp_path / "out"
    out.mkdir()
    if what == "fifo-manifest":
        os.mkfifo(out / "manifest.json")
    elif what == "fifo-lock":
        os.mkfifo(out / ".manifest.lock")
    else:
        (out / "manifest.json").write_text("[1, 2]", encoding="utf-8")
    result = run_cli("build", "--out", str(out), cwd=tmp_path, timeout=120)
    assert "Traceback" not in result.stderr
    if what == "fifo-lock":
        assert result.returncode == 1
        assert (
            f"{out / '.manifest.lock'}: the outputs are written, but the manifest" in result.stderr
        )
    else:
        assert result.returncode == 0, result.stderr
        manifest = json.loads((out / "manifest.json").read_text("utf-8"))
        assert list(manifest["outputs"]) == ["sora-zh.pptx"]

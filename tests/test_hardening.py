"""Hostile input, faults mid-build, and files users will open."""

from __future__ import annotations

import io
import json
import os
import re
import signal
import subprocess
import sys
import time
import zipfile
from pathlib import Path, PurePosixPath

import pytest
import yaml
from click.testing import CliRunner
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from pptx import Presentation

from briefing.api import build
from briefing.check.findings import CheckFailed
from briefing.cli import main
from briefing.errors import BriefingError, SourceError
from briefing.loader import MAX_BYTES, load, parse
from briefing.typography import display_text
from tests.conftest import MINIMAL, line_of

NASTY = ["<script>alert(1)</script>", "{{ 7*7 }}", "{% include 'x' %}", "</svg>"]


def errors_of(text: str) -> list[str]:
    with pytest.raises(SourceError) as caught:
        parse(text, "b.yaml")
    return [str(p) for p in caught.value.problems]


# --- input limits -------------------------------------------------------------------------


def test_a_huge_file_is_refused_before_it_is_read(tmp_path: Path):
    path = tmp_path / "huge.yaml"
    path.write_text("# " + "x" * MAX_BYTES + "\n", encoding="utf-8")
    with pytest.raises(SourceError, match=r"huge.yaml: the file has [\d,]+ bytes; a briefing"):
        load(path)


def test_thousands_of_slides_are_refused():
    slide = "  - {kind: sources, title: All the sources of this briefing, notes: A. B.}\n"
    text = MINIMAL.replace("slides:\n", "slides:\n" + slide * 501)
    problems = errors_of(text)
    assert any(
        "slides[500]: a briefing holds at most 500 slides; this one has 503" in p for p in problems
    )


def test_deep_nesting_and_alias_bombs_are_refused_with_a_line():
    deep = MINIMAL + "extra: " + "[" * 40 + "]" * 40 + "\n"
    [message] = errors_of(deep)
    assert f"b.yaml:{line_of(deep, 'extra:')}:" in message and "nests deeper than 30" in message
    lines = ["a: &a [x, x, x, x, x, x, x, x, x, x]"]
    for index, name in enumerate("bcdefg"):
        previous = "abcdefg"[index]
        lines.append(f"{name}: &{name} [" + ", ".join([f"*{previous}"] * 10) + "]")
    [message] = errors_of(MINIMAL + "\n".join(lines) + "\n")
    assert "holds more than 100,000 values once its aliases are expanded" in message


def test_tabs_bom_and_bad_utf8(tmp_path: Path):
    tabbed = MINIMAL.replace("  author: Analyst", "\tauthor: Analyst")
    [message] = errors_of(tabbed)
    assert f"b.yaml:{line_of(tabbed, 'author')}:" in message and "not valid YAML" in message
    assert parse("\ufeff" + MINIMAL).meta.author == {"*": "Analyst"}
    path = tmp_path / "latin1.yaml"
    path.write_bytes(MINIMAL.encode("utf-8").replace(b"Analyst", b"Ana\xefs"))
    with pytest.raises(SourceError) as caught:
        load(path)
    assert str(caught.value).startswith(f"{path}:{line_of(MINIMAL, 'Analyst')}:14: ")
    assert "not UTF-8 text: byte 0xef" in str(caught.value)


def test_a_control_character_is_named_where_it_is():
    text = MINIMAL.replace('en: "Valued at {valuation}."', 'en: "Valued at {valuation}.\\v"')
    [message] = errors_of(text)
    line = line_of(text, "Valued at {valuation}.\\v")
    assert message.startswith(f"b.yaml:{line}:")
    assert "slides[1].notes.en: holds the control character U+000B" in message


# --- markup stays text ------------------------------------------------------------------


def test_markup_stays_text_in_deck_page_charts_and_pdf(write_briefing, tmp_path: Path):
    point = " ".join(NASTY)
    text = MINIMAL.replace(
        "  - kind: chart\n",
        f"  - kind: summary\n    title: Markup in a point stays text\n    notes: A. B.\n"
        f"    points: [{json.dumps(point)}]\n  - kind: chart\n",
    ).replace("categories: [{zh: 收入, en: Revenue}", 'categories: [{zh: 收入, en: "</svg>"}')
    deck, html, pdf = build(
        write_briefing(text), ("pptx", "html", "pdf"), "en", tmp_path, check=False
    )
    shown = [
        sh.text_frame.text
        for s in Presentation(str(deck)).slides
        for sh in s.shapes
        if sh.has_text_frame
    ]
    # Shown as typeset text: the quotes curly, as in any English point.
    assert display_text(point) in shown
    page = html.read_text(encoding="utf-8")
    assert "&lt;script&gt;alert(1)&lt;/script&gt; {{ 7*7 }} {% include ‘x’ %} &lt;/svg&gt;" in page
    assert "<script" not in page
    assert page.count("</svg>") == 1  # the one chart's own end: the category's is escaped
    svg = page.split("<svg", 1)[1].split("</svg>", 1)[0]
    assert "&lt;/svg&gt;" in svg
    extracted = subprocess.run(
        ["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "{{ 7*7 }}" in extracted and "<script>alert(1)</script>" in extracted


# --- file references --------------------------------------------------------------------


def test_source_texts_outside_the_briefing_folder_are_refused(write_briefing, tmp_path: Path):
    text = MINIMAL.replace("    language: zh\n", "    language: zh\n    text: ../../etc/passwd\n")
    source = write_briefing(text)
    result = CliRunner().invoke(main, ["check", str(source)])
    assert result.exit_code == 1
    assert "the source 'art' text lies outside the briefing's folder" in result.output
    (tmp_path / "link.txt").symlink_to("/etc/hostname")
    source = write_briefing(
        MINIMAL.replace("    language: zh\n", "    language: zh\n    text: link.txt\n")
    )
    result = CliRunner().invoke(main, ["check", str(source)])
    assert result.exit_code == 1 and "lies outside the briefing's folder" in result.output


# --- hostile templates ------------------------------------------------------------------


def _template_with(tmp_path: Path, extra: dict[str, bytes], patch=None) -> Path:
    buffer = io.BytesIO()
    Presentation().save(buffer)
    source = zipfile.ZipFile(io.BytesIO(buffer.getvalue()))
    path = tmp_path / "hostile.pptx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        for info in source.infolist():
            data = source.read(info)
            out.writestr(info.filename, patch(info.filename, data) if patch else data)
        for name, data in extra.items():
            out.writestr(name, data)
    return path


def test_a_zip_bomb_master_is_refused(tmp_path: Path):
    master = _template_with(tmp_path, {"ppt/media/padding.bin": b"\0" * 60_000_000})
    with pytest.raises(BriefingError, match=r"refused: it would unpack to [\d,]+ bytes"):
        build(None, ("pptx",), "en", tmp_path / "out", theme=str(master))
    assert not (tmp_path / "out").exists()


def test_a_master_with_macros_is_refused(tmp_path: Path):
    master = _template_with(tmp_path, {"ppt/vbaProject.bin": b"macro"})
    with pytest.raises(BriefingError, match="refused: it holds macros"):
        build(None, ("pptx",), "en", tmp_path / "out", theme=str(master))


@pytest.mark.parametrize("quote", [b'"', b"'"])
def test_a_master_linking_outside_itself_is_refused(tmp_path: Path, quote: bytes):
    def link(name: str, data: bytes) -> bytes:
        if name == "ppt/slideLayouts/_rels/slideLayout1.xml.rels":
            return data.replace(
                b"</Relationships>",
                (
                    b'<Relationship Id="rId99" Type="http://schemas.openxmlformats.org/'
                    b'officeDocument/2006/relationships/image" Target="http://evil.example/x.png" '
                    b"TargetMode=" + quote + b"External" + quote + b"/></Relationships>"
                ),
            )
        return data

    master = _template_with(tmp_path, {}, patch=link)
    with pytest.raises(BriefingError, match=r"links outside the file \(http://evil.example/x.png"):
        build(None, ("pptx",), "en", tmp_path / "out", theme=str(master))


# --- faults -----------------------------------------------------------------------------


@pytest.mark.slow
@pytest.mark.parametrize("delay", [0.0, 0.05, 0.3])
def test_a_build_killed_midway_leaves_earlier_outputs_whole(tmp_path: Path, delay: float):
    out = tmp_path / "out"
    out.mkdir()
    old = {
        name: f"yesterday's {name}".encode()
        for name in ("sora-zh.pptx", "sora-zh.html", "sora-zh.pdf")
    }
    for name, data in old.items():
        (out / name).write_bytes(data)
    process = subprocess.Popen(
        [sys.executable, "-m", "briefing", "build", "--format", "all", "--out", str(out)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    # Kill while writing: once the first temporary output exists, then `delay` seconds on.
    deadline = time.monotonic() + 120
    while not list(out.glob(".sora-zh.*")) and process.poll() is None:
        assert time.monotonic() < deadline, "the build never started writing"
        time.sleep(0.005)
    time.sleep(delay)
    process.send_signal(signal.SIGKILL)
    process.wait()
    for name, data in old.items():
        current = (out / name).read_bytes()
        # Either yesterday's file, or a complete new one: never a half-written file.
        assert current == data or _complete(out / name), name


def _complete(path: Path) -> bool:
    data = path.read_bytes()
    if path.suffix == ".pptx":
        return zipfile.ZipFile(io.BytesIO(data)).testzip() is None
    if path.suffix == ".pdf":
        return data.startswith(b"%PDF") and data.rstrip().endswith(b"%%EOF")
    return data.rstrip().endswith(b"</html>")


@pytest.mark.slow
def test_two_builds_at_once_into_one_folder_both_end_correctly(tmp_path: Path):
    command = [
        sys.executable,
        "-m",
        "briefing",
        "build",
        "--format",
        "pptx",
        "--out",
        str(tmp_path),
    ]
    processes = [
        subprocess.Popen(command + ["--lang", lang], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        for lang in ("zh", "en", "zh")
    ]
    outputs = [p.communicate(timeout=120) for p in processes]  # and closes their pipes
    assert [p.returncode for p in processes] == [0, 0, 0], outputs
    for lang in ("zh", "en"):
        assert len(Presentation(str(tmp_path / f"sora-{lang}.pptx")).slides) == 13
    import json

    manifest = json.loads((tmp_path / "manifest.json").read_text(encoding="utf-8"))
    assert set(manifest["outputs"]) == {"sora-zh.pptx", "sora-en.pptx"}
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".sora")]


def test_an_unwritable_output_folder_is_a_clear_error(tmp_path: Path):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder", encoding="utf-8")
    result = CliRunner().invoke(main, ["build", "--out", str(blocker / "out")])
    assert result.exit_code == 1
    assert f"error: {blocker / 'out'}: cannot write here:" in result.output
    assert "Traceback" not in result.output


# --- outputs that open ------------------------------------------------------------------


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_deck_is_structurally_sound(tmp_path: Path, lang: str):
    [deck] = build(None, ("pptx",), lang, tmp_path)
    archive = zipfile.ZipFile(deck)
    names = set(archive.namelist())
    types = archive.read("[Content_Types].xml").decode()
    defaults = set(re.findall(r'Default Extension="([^"]+)"', types))
    overrides = set(re.findall(r'Override PartName="/([^"]+)"', types))
    referenced = set()
    for rels in (n for n in names if n.endswith(".rels")):
        folder = PurePosixPath(rels).parent.parent
        for target, mode in re.findall(
            r'Target="([^"]+)"(?: TargetMode="(\w+)")?', archive.read(rels).decode()
        ):
            assert mode != "External", f"{rels} points outside the file: {target}"
            part = (
                PurePosixPath("/") / target
                if target.startswith("/")
                else PurePosixPath("/") / folder / target
            )
            resolved = os.path.normpath(str(part)).lstrip("/")
            assert resolved in names, f"{rels} refers to a missing part {resolved}"
            referenced.add(resolved)
    for name in names - {"[Content_Types].xml"}:
        if not name.endswith(".rels"):
            assert name in referenced, f"{name} is in the package but nothing refers to it"
            assert name in overrides or name.rsplit(".", 1)[-1] in defaults, name
    assert any(n.startswith("ppt/notesMasters/") for n in names)
    for slide in Presentation(str(deck)).slides:
        ids = [shape.shape_id for shape in slide.shapes]
        assert len(ids) == len(set(ids)), "shape ids repeat on a slide"


# --- fuzzing ----------------------------------------------------------------------------

BASE = yaml.safe_load(MINIMAL)
VALUES = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(10**12), 10**12),
    st.floats(allow_nan=True),
    st.text(max_size=40),
    st.sampled_from(NASTY + ["\v", "\x00", "{valuation}", "2026-02-30"]),
    st.lists(st.text(max_size=5), max_size=3),
    st.dictionaries(st.text(max_size=5), st.text(max_size=5), max_size=2),
)


def _paths(node, path=()):
    yield path
    if isinstance(node, dict):
        for key, value in node.items():
            yield from _paths(value, path + (key,))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from _paths(value, path + (index,))


PATHS = [p for p in _paths(BASE) if p]


def _mutated(path, value, drop: bool) -> str:
    document = yaml.safe_load(MINIMAL)
    parent = document
    for part in path[:-1]:
        parent = parent[part]
    if drop and isinstance(parent, dict):
        del parent[path[-1]]
    else:
        parent[path[-1]] = value
    return yaml.safe_dump(document, allow_unicode=True)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(PATHS), VALUES, st.booleans())
def test_fuzz_the_loader_ends_in_a_briefing_or_a_located_error(path, value, drop):
    text = _mutated(path, value, drop)
    try:
        parse(text, "fuzz.yaml")
    except SourceError as error:
        for problem in error.problems:
            assert problem.file == "fuzz.yaml" and problem.line >= 1, str(problem)


@pytest.mark.slow
@settings(
    max_examples=12,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(
    st.sampled_from([p for p in PATHS if p[0] in ("slides", "charts", "figures", "meta")]), VALUES
)
# A harmless edit that must build, so the success branch runs on every CI run.
@example(("slides", 0, "notes"), ":")
def test_fuzz_the_whole_build_ends_in_outputs_or_a_briefing_error(tmp_path_factory, path, value):
    folder = tmp_path_factory.mktemp("fuzz")
    source = folder / "briefing.yaml"
    source.write_text(_mutated(path, value, drop=False), encoding="utf-8")
    try:
        written = build(source, ("pptx", "html"), "en", folder / "out")
    except (SourceError, CheckFailed, BriefingError) as error:
        assert str(error)
        return
    # A folder's briefing.yaml is named after its folder.
    assert [p.name for p in written] == [f"{folder.name}-en.pptx", f"{folder.name}-en.html"]
    assert written[1].read_text(encoding="utf-8").rstrip().endswith("</html>")
    assert len(Presentation(str(written[0])).slides) == len(
        yaml.safe_load(source.read_text(encoding="utf-8"))["slides"]
    )


def test_a_raw_control_character_in_the_file_is_located(tmp_path: Path):
    path = tmp_path / "b.yaml"
    path.write_text(MINIMAL.replace("Analyst", "Ana\x0blyst"), encoding="utf-8")
    with pytest.raises(SourceError) as caught:
        load(path)
    assert str(caught.value).startswith(f"{path}:{line_of(MINIMAL, 'Analyst')}:14: ")
    assert "control character U+000B" in str(caught.value)


def test_a_corrupt_cache_entry_is_a_miss(tmp_path: Path):
    import briefing.measure

    build(None, ("pptx",), "en", tmp_path)
    for entry in (tmp_path / ".cache").rglob("*"):
        if entry.is_file() and entry.name != "manifest.lock":
            entry.write_bytes(b"\x00garbage")
    briefing.measure._LOADED.clear()  # as a new process would start
    [deck] = build(None, ("pptx",), "en", tmp_path)
    assert len(Presentation(str(deck)).slides) == 13


def test_no_check_turns_an_overflow_into_a_warning(write_briefing, tmp_path: Path):
    quote = "This is a very long talking point that goes on. " * 40
    text = MINIMAL.replace(
        "  - kind: chart\n",
        "  - kind: quote\n    title: A quote far too long\n    notes: A. B.\n"
        f"    quote: {quote}\n    by: Someone\n    source: art\n  - kind: chart\n",
    )
    source = write_briefing(text)
    runner = CliRunner()
    stopped = runner.invoke(
        main, ["build", str(source), "--lang", "en", "--out", str(tmp_path / "a")]
    )
    assert stopped.exit_code == 1 and "error: slide 2" in stopped.output
    skipped = runner.invoke(
        main, ["build", str(source), "--lang", "en", "--no-check", "--out", str(tmp_path / "b")]
    )
    assert skipped.exit_code == 0
    assert "warning: slide 2: slides[1].quote: the quote overflows its box (en)" in skipped.stderr


def test_two_sources_with_the_same_name_are_refused(tmp_path: Path):
    for side in ("a", "b"):
        (tmp_path / side / "sora").mkdir(parents=True)
        (tmp_path / side / "sora" / "briefing.yaml").write_text(MINIMAL, encoding="utf-8")
    result = CliRunner().invoke(
        main,
        [
            "build",
            str(tmp_path / "a" / "sora"),
            str(tmp_path / "b" / "sora"),
            "--out",
            str(tmp_path / "o"),
        ],
    )
    assert result.exit_code == 1
    assert "several sources would write outputs named 'sora-" in result.output

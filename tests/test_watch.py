"""`briefing watch`: rebuilds on save, keeps the last good outputs, ends on Ctrl-C; the preview
server serves only what the build wrote."""

from __future__ import annotations

import http.client
import json
import os
import queue
import re
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from pptx import Presentation

from briefing.serve import Preview
from briefing.watch import (
    Rebuild,
    Session,
    SlideOutline,
    findings_of,
    page_last,
    status_line,
    watch,
)
from tests.conftest import line_of

ROOT = Path(__file__).resolve().parent.parent
SHIPPED = ROOT / "seeds" / "sora"
KESTREL = ROOT / "tests" / "briefings" / "kestrel_bay"
BULLET = "Deepfakes spread and erode public trust"  # slide 9, deck only
TIMEOUT = 120  # seconds a build may take on a busy machine


def copy_of(folder: Path, tmp_path: Path) -> Path:
    """A copy of a briefing folder to edit."""
    target = tmp_path / folder.name
    shutil.copytree(folder, target)
    return target / "briefing.yaml"


def deck_text(path: Path) -> str:
    """Every text of every slide of a deck, one string."""
    deck = Presentation(str(path))
    return "\n".join(
        shape.text_frame.text
        for slide in deck.slides
        for shape in slide.shapes
        if shape.has_text_frame
    )


class Lines:
    """A process's output lines, read in a thread so that a test can wait for one."""

    def __init__(self, stream):
        self.lines: queue.Queue[str] = queue.Queue()
        self.seen: list[str] = []
        self.stream = stream
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()

    def _read(self) -> None:
        for line in self.stream:
            self.lines.put(line.rstrip("\n"))

    def close(self) -> None:
        """After the process ended: the rest is read, then the pipe closed."""
        self.reader.join(timeout=10)
        self.stream.close()

    def wait_for(self, pattern: str, timeout: float = TIMEOUT) -> str:
        """The next line matching the pattern; fails after the timeout."""
        end = time.monotonic() + timeout
        while True:
            try:
                line = self.lines.get(timeout=max(0.01, end - time.monotonic()))
            except queue.Empty:
                raise AssertionError(f"no line matching {pattern!r}; got {self.seen}") from None
            self.seen.append(line)
            if re.search(pattern, line):
                return line


def stop_watch(process: subprocess.Popen, output: Lines) -> int:
    """Ctrl-C the watch (killed if it does not end); its exit status."""
    if process.poll() is None:
        process.send_signal(signal.SIGINT)
    try:
        status = process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        process.kill()
        status = process.wait()
    output.close()
    return status


def start_watch(source: Path, out: Path, *options: str) -> tuple[subprocess.Popen, Lines]:
    """`briefing watch` in its own process, stdout and stderr in one stream, on its own copy of
    the default theme (the shipped one may be edited while the test runs)."""
    theme = out.parent / "theme"
    shutil.copytree(ROOT / "templates" / "default", theme, dirs_exist_ok=True)
    command = [sys.executable, "-m", "briefing", "watch", str(source.parent), "-o", str(out)]
    process = subprocess.Popen(
        [*command, "--template", str(theme), *options],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
        cwd=ROOT,
    )
    return process, Lines(process.stdout)


@pytest.mark.slow
def test_watch_rebuilds_on_save_keeps_the_last_good_deck_and_ends_on_ctrl_c(tmp_path: Path):
    source = copy_of(SHIPPED, tmp_path)
    original = source.read_text(encoding="utf-8")
    deck = tmp_path / "out" / "sora-en.pptx"
    process, output = start_watch(source, tmp_path / "out", "--lang", "en")
    try:
        output.wait_for(r"first build: wrote sora-en\.pptx in \d+ ms")
        assert "Deepfakes spread and erode public trust quickly" not in deck_text(deck)

        source.write_text(original.replace(BULLET, f"{BULLET} quickly"), encoding="utf-8")
        line = output.wait_for(r"briefing\.yaml changed")
        assert re.search(r"briefing\.yaml changed: wrote sora-en\.pptx in \d+ ms$", line)
        assert "Deepfakes spread and erode public trust quickly" in deck_text(deck)
        good = deck.read_bytes()

        # An unknown figure: the check names the line; the deck on disk stays as it was.
        broken = original.replace(BULLET, f"{BULLET} by {{no_such_figure}}")
        source.write_text(broken, encoding="utf-8")
        status = output.wait_for(r"briefing\.yaml changed")
        assert "kept the last good outputs" in status
        error_lines = [x for x in output.seen if ": error: " in x]
        assert error_lines, output.seen
        assert f"briefing.yaml:{line_of(broken, 'no_such_figure')}:" in error_lines[0]
        assert "no_such_figure" in error_lines[0]
        assert deck.read_bytes() == good

    finally:
        status = stop_watch(process, output)
    assert status == 0
    assert not any("Traceback" in x for x in output.seen), output.seen


def test_a_bad_edit_leaves_every_output_byte_identical(tmp_path: Path):
    """In-process: the session's failed build writes nothing; its error carries file:line."""
    source = copy_of(SHIPPED, tmp_path)
    session = Session(source.parent, ("pptx",), lang="en", out_dir=tmp_path / "out")
    try:
        first = session.build()
        deck = first.written["pptx"]
        before = deck.read_bytes()
        text = source.read_text(encoding="utf-8")
        bad = text.replace(BULLET, f"{BULLET} 7 times")  # a number with no figure behind it
        source.write_text(bad, encoding="utf-8")
        failed = session.build(("briefing.yaml",))
    finally:
        session.close()
    assert failed.error is not None and not failed.written
    assert re.search(rf"briefing\.yaml:{line_of(bad, '7 times')}:\d+: .*'7'", failed.error)
    assert deck.read_bytes() == before
    assert "1 error(s), kept the last good outputs" in status_line(failed)


def test_the_session_watches_what_the_build_reads_and_not_editor_litter(tmp_path: Path):
    source = copy_of(KESTREL, tmp_path)
    session = Session(source.parent, ("pptx",), out_dir=tmp_path / "out")
    try:
        folder = source.parent.resolve()
        assert session.reads(folder / "briefing.yaml")
        assert session.reads(folder / "article.txt")  # a source's `text:`
        assert session.reads(session.master)
        theme_folder = next(iter(session.theme_folders))
        assert session.reads(theme_folder / "theme.yaml")
        assert not session.reads(theme_folder / ".theme.yaml.swp")
        assert not session.reads(theme_folder / "theme.yaml~")
        assert not session.reads(folder / "notes.md")
        assert not session.reads((tmp_path / "out" / "kestrel_bay-en.pptx").resolve())
        assert folder in session.folders()
    finally:
        session.close()


def test_saving_a_source_text_rebuilds_and_its_check_finds_the_missing_excerpt(tmp_path: Path):
    """In-process loop: an edit of article.txt (not of the YAML) is seen and checked."""
    source = copy_of(KESTREL, tmp_path)
    article = source.parent / "article.txt"
    session = Session(source.parent, ("pptx",), lang="en", out_dir=tmp_path / "out")
    reports: queue.Queue[Rebuild] = queue.Queue()
    stop = threading.Event()
    loop = threading.Thread(target=watch, args=(session, reports.put, stop), daemon=True)
    loop.start()
    try:
        assert reports.get(timeout=TIMEOUT).ok
        text = article.read_text(encoding="utf-8")
        article.write_text(text.replace("3.42 million TEU in 2018", "a record"), encoding="utf-8")
        rebuild = reports.get(timeout=TIMEOUT)
    finally:
        stop.set()
        loop.join(timeout=10)
        session.close()
    assert rebuild.changed == ("article.txt",)
    assert not rebuild.ok
    line = line_of(source.read_text(encoding="utf-8"), "excerpt: 3.42 million TEU in 2018")
    assert f"briefing.yaml:{line}:" in rebuild.error
    assert not loop.is_alive()


def test_findings_name_their_slide():
    found = findings_of(
        ["b.yaml:40:5: warning: slide 3: title: long", "warning: the master has a video"],
        "b.yaml:12:3: error: slides[6].points[0]: unknown 'x'\n1 error(s); the build stopped",
    )
    assert [(f.severity, f.slide) for f in found] == [
        ("warning", 3),
        ("warning", None),
        ("error", 7),
    ]


def get(url: str, path: str, host: str | None = None) -> tuple[int, bytes]:
    """A GET of the path exactly as written (no normalising of `..`)."""
    address = url.split("//")[1].rstrip("/")
    connection = http.client.HTTPConnection(address, timeout=10)
    connection.putrequest("GET", path, skip_host=host is not None)
    if host is not None:
        connection.putheader("Host", host)
    connection.endheaders()
    response = connection.getresponse()
    return response.status, response.read()


def published(
    tmp_path: Path, preview: Preview, number: int = 1, ok: bool = True, edited: int | None = None
) -> Path:
    out = tmp_path / "out"
    out.mkdir(exist_ok=True)
    page = out / "b-en.html"
    page.write_text(f"<p>build {number}</p>", encoding="utf-8")
    (out / "secret.txt").write_text("not an output", encoding="utf-8")
    (tmp_path / "briefing.yaml").write_text("unpublished: yes", encoding="utf-8")
    error = None if ok else "b.yaml:1:1: error: meta: bad"
    findings = findings_of(["b.yaml:9:1: warning: slide 2: title: too long"], error)
    written = {"html": page} if ok else {}
    rebuild = Rebuild(number, (), written, [], error, 5.0, findings)
    outline = [SlideOutline(1, "title", "Hello"), SlideOutline(2, "bullets", "Points")]
    preview.publish(rebuild, outline, status_line(rebuild), edited)
    return page


def test_the_preview_serves_only_the_files_the_build_wrote(tmp_path: Path):
    preview = Preview(0)
    try:
        published(tmp_path, preview)
        url = preview.url
        assert url.startswith("http://127.0.0.1:")
        assert get(url, "/out/b-en.html") == (200, b"<p>build 1</p>")
        for path in (
            "/out/../briefing.yaml",
            "/out/%2e%2e/briefing.yaml",
            "/../briefing.yaml",
            "/out/secret.txt",  # in the folder, but not written by the build
            "/out/",  # no listing
            "/out",
        ):
            status, body = get(url, path)
            assert status == 404, path
            assert b"unpublished" not in body and b"not an output" not in body
        assert get(url, "/", host="attacker.example")[0] == 403  # DNS rebinding
        status, page = get(url, "/")
        assert status == 200 and b"new EventSource" in page
    finally:
        preview.close()


def test_the_preview_state_puts_findings_beside_their_slide_and_keeps_outputs_on_failure(
    tmp_path: Path,
):
    preview = Preview(0)
    try:
        published(tmp_path, preview, 1)
        published(tmp_path, preview, 2, ok=False, edited=2)
        status, body = get(preview.url, "/state.json")
    finally:
        preview.close()
    state = json.loads(body)
    assert status == 200
    assert state["build"] == 2 and state["ok"] is False and state["edited"] == 2
    assert state["outputs"] == {"html": "out/b-en.html?build=2"}  # the last good file
    assert state["slides"][0]["findings"] == []
    assert [f["text"] for f in state["slides"][1]["findings"]] == [
        "b.yaml:9:1: warning: slide 2: title: too long"
    ]
    assert state["findings"][0]["severity"] == "error"


def test_the_event_stream_announces_each_build(tmp_path: Path):
    preview = Preview(0)
    try:
        published(tmp_path, preview, 1)
        address = preview.url.split("//")[1].rstrip("/")
        connection = http.client.HTTPConnection(address, timeout=10)
        connection.request("GET", "/events")
        response = connection.getresponse()
        assert response.getheader("Content-Type") == "text/event-stream"
        assert response.fp.readline() == b"data: 1\n"
        response.fp.readline()
        published(tmp_path, preview, 2)
        assert response.fp.readline() == b"data: 2\n"
    finally:
        preview.close()


def test_the_theme_is_read_again_only_after_one_of_its_files_changed(tmp_path: Path, monkeypatch):
    import briefing.api
    import briefing.theme

    source = copy_of(SHIPPED, tmp_path)
    theme = tmp_path / "theme"
    shutil.copytree(ROOT / "templates" / "default", theme)
    loads = []
    real = briefing.theme.load_theme
    counted = lambda spec=None: loads.append(spec) or real(spec)  # noqa: E731
    monkeypatch.setattr(briefing.theme, "load_theme", counted)
    monkeypatch.setattr(briefing.api, "load_theme", counted)  # where build reads it
    session = Session(
        source.parent, ("pptx",), lang="en", out_dir=tmp_path / "out", template=str(theme)
    )
    try:
        assert session.build().ok and session.build().ok
        assert len(loads) == 1  # two builds, one read of the unchanged theme
        tokens = (theme / "theme.yaml").read_text(encoding="utf-8")
        edited = tokens.replace("primary: 0B2545", "primary: 7A1F5C")
        assert edited != tokens
        (theme / "theme.yaml").write_text(edited, encoding="utf-8")
        assert session.build(("theme.yaml",)).ok
    finally:
        session.close()
    assert len(loads) == 2
    assert str(session.theme.colors.primary).upper().lstrip("#") == "7A1F5C"


TAKEAWAY = "a record launch, then downloads down"  # the summary slide: on the page too


@pytest.mark.slow
@pytest.mark.parametrize("cores", [2, 3])
def test_a_warm_page_fitting_starts_at_the_last_fit_and_ends_where_a_cold_one_does(
    tmp_path: Path, monkeypatch, cores: int
):
    import briefing.render.pdf as pdf
    from briefing.api import build

    source = copy_of(SHIPPED, tmp_path)
    steps: list[int] = []
    real_send = pdf.PageFitting._send
    monkeypatch.setattr(
        pdf.PageFitting, "_send", lambda self, s: steps.append(s) or real_send(self, s)
    )
    monkeypatch.setattr(os, "cpu_count", lambda: cores)
    session = Session(source.parent, ("html",), lang="en", out_dir=tmp_path / "warm")
    printed, beside = [], []
    try:
        # One printer process for the first build (it has no remembered fit to guess from);
        # the watch starts the second after it, given a core for it.
        assert not hasattr(session.printer, "second")
        assert session.build().ok
        session.pair_printers()
        first_tries, steps[:] = list(steps), []
        fitted = pdf._last_fits[("en", "a4")]
        text = source.read_text(encoding="utf-8")
        source.write_text(text.replace(TAKEAWAY, f"{TAKEAWAY} sharply"), encoding="utf-8")
        first = session.printer.first if cores > 2 else session.printer
        real_submit = first.submit
        monkeypatch.setattr(first, "submit", lambda r: printed.append(r) or real_submit(r))
        if cores > 2:
            real_beside = session.printer.second.submit
            monkeypatch.setattr(
                session.printer.second, "submit", lambda r: beside.append(r) or real_beside(r)
            )
        warm = session.build(("briefing.yaml",))
    finally:
        session.close()
    assert warm.ok
    # The warm fitting began at the last fit (the cold one, measuring its page first, may
    # never have laid out the first step).
    assert steps[0] == fitted
    assert steps == [fitted, fitted - 1], (first_tries, steps)
    # The first printer had the remembered step; the step before was laid out meanwhile by the
    # second printer (three cores) or in this process after the deck (two).
    assert len(printed) == 1
    assert len(beside) == (1 if cores > 2 else 0)
    if beside:
        assert beside[0].html != printed[0].html
    # A cold build of the same source (its own cache, no memory) gives the very same page.
    monkeypatch.setenv("BRIEFING_CACHE_DIR", str(tmp_path / "cold-cache"))
    [cold] = build(source, ("html",), "en", tmp_path / "cold")
    assert cold.read_bytes() == warm.written["html"].read_bytes()
    assert pdf._last_fits is None  # the session's close forgets


def test_the_session_knows_which_slide_an_edit_changed(tmp_path: Path):
    source = copy_of(SHIPPED, tmp_path)
    session = Session(source.parent, ("pptx",), lang="en", out_dir=tmp_path / "out")
    try:
        assert session.edited_slide is None  # nothing edited yet
        text = source.read_text(encoding="utf-8")
        source.write_text(text.replace(BULLET, f"{BULLET} quickly"), encoding="utf-8")
        session.after({session.path})
        assert session.edited_slide == 9
        session.after({session.path})  # saved again unchanged: no slide to turn to
        assert session.edited_slide is None
    finally:
        session.close()


def test_run_prints_a_warning_again_only_when_the_warnings_change(tmp_path: Path):
    """A source with one warning (a word its figure already says); a failed build in between
    does not make it news again."""
    from briefing.watch import run

    source = copy_of(KESTREL, tmp_path)
    event = "quays for {strike_days}\n"
    text = source.read_text(encoding="utf-8")
    assert text.count(event) == 1
    text = text.replace(event, "quays for {strike_days} days\n")
    source.write_text(text, encoding="utf-8")
    lines: queue.Queue[tuple[str, bool]] = queue.Queue()
    stop = threading.Event()
    options = {"out_dir": tmp_path / "out", "template": None}
    loop = threading.Thread(
        target=run,
        args=(source.parent, ("pptx",), lambda *a: lines.put(a)),
        kwargs={"stop": stop, **options},
    )
    loop.start()
    seen: list[tuple[str, bool]] = []

    def until(needle: str) -> None:
        while True:
            seen.append(lines.get(timeout=TIMEOUT))
            if needle in seen[-1][0]:
                return

    try:
        until("first build")
        source.write_text(text.replace("{strike_days}", "{strike_dais}", 1), encoding="utf-8")
        until("kept the last good outputs")
        source.write_text(text, encoding="utf-8")
        until("wrote kestrel_bay-en.pptx")
    finally:
        stop.set()
        loop.join(timeout=30)
    warnings = [line for line, err in seen if ": warning: " in line]
    assert len(warnings) == 1 and "slide 4" in warnings[0] and "'19 days days'" in warnings[0]
    assert all(err for line, err in seen if ": warning: " in line or ": error: " in line)
    assert any("strike_dais" in line for line, _ in seen)
    assert not loop.is_alive()


def test_the_page_is_made_last_so_the_deck_and_slides_are_made_while_it_is_printed(
    tmp_path: Path,
):
    assert page_last(("pptx", "html", "slides")) == ("pptx", "slides", "html")
    assert page_last(("pdf", "html", "slides", "pptx")) == ("slides", "pptx", "pdf", "html")
    assert page_last(("pptx", "slides")) == ("pptx", "slides")
    source = copy_of(SHIPPED, tmp_path)
    session = Session(source.parent, ("html", "slides"), lang="en", out_dir=tmp_path / "out")
    try:
        assert session.formats == ("slides", "html")
        rebuild = session.build()
    finally:
        session.close()
    # Each format still names the file written for it.
    assert rebuild.written["html"].name == "sora-en.html"
    assert rebuild.written["slides"].name == "sora-en.slides.html"
    assert "<section" in rebuild.written["slides"].read_text(encoding="utf-8")


@pytest.mark.slow
def test_the_watch_starts_a_second_printer_after_the_first_status_line_given_three_cores(
    tmp_path: Path, monkeypatch
):
    from briefing.render.pdf import PrinterPair

    monkeypatch.setattr(os, "cpu_count", lambda: 3)
    source = copy_of(SHIPPED, tmp_path)
    session = Session(source.parent, ("html",), lang="en", out_dir=tmp_path / "out")
    stop = threading.Event()
    printers_at_report = []

    def report(rebuild: Rebuild) -> None:
        printers_at_report.append(type(session.printer).__name__)
        stop.set()

    try:
        watch(session, report, stop)
        assert printers_at_report == ["ProcessPrinter"]
        assert isinstance(session.printer, PrinterPair)
        assert session.printer.second is not session.printer.first
    finally:
        session.close()


def test_on_two_cores_the_watch_keeps_one_printer(tmp_path: Path, monkeypatch):
    from briefing.render.printer import ProcessPrinter

    monkeypatch.setattr(os, "cpu_count", lambda: 2)
    source = copy_of(SHIPPED, tmp_path)
    session = Session(source.parent, ("html",), lang="en", out_dir=tmp_path / "out")
    try:
        session.pair_printers()
        assert isinstance(session.printer, ProcessPrinter)  # the step before: laid out here
    finally:
        session.close()


def test_a_page_font_subset_is_the_same_whenever_it_is_made(monkeypatch):
    """The warm page equals a cold build's only if a subset does not carry the time it was
    saved (fontTools stamps head.modified unless told not to)."""
    import time as clock

    from briefing.fonts import font_files
    from briefing.render.webfonts import subset_font

    regular = font_files("Source Sans Pro").regular
    monkeypatch.setattr(clock, "time", lambda: 1_800_000_000.0)
    early = subset_font(regular, "Takeaway 19 days")
    monkeypatch.setattr(clock, "time", lambda: 1_900_000_000.0)
    late = subset_font(regular, "Takeaway 19 days")
    assert early == late

"""The page printed in a helper process, and the fitted page taken from the cache."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import yaml

from briefing.api import build, shipped_source
from briefing.errors import PrinterError
from briefing.render.printer import (
    LocalPrinter,
    PageRequest,
    ProcessPrinter,
    start_printer,
)


class RefusingPrinter:
    """A printer that must not be asked: the page has to come from the cache."""

    def __init__(self):
        self.asked = 0

    def submit(self, request: PageRequest):
        self.asked += 1
        raise AssertionError("the page was laid out again")


class CountingPrinter(LocalPrinter):
    """Prints here and counts the tries it was sent."""

    def __init__(self):
        super().__init__()
        self.asked = 0

    def submit(self, request: PageRequest):
        self.asked += 1
        return super().submit(request)


@pytest.fixture
def copy_of_shipped(tmp_path: Path) -> Path:
    folder = tmp_path / "sora"
    shutil.copytree(shipped_source().parent, folder)
    return folder


def _edit_first_point(folder: Path, kind: str) -> None:
    path = folder / "briefing.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    slide = next(s for s in data["slides"] if s["kind"] == kind)
    slide["points"][0]["en"] += " Edited."
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


def _page_bytes(paths: list[Path]) -> list[bytes]:
    return [p.read_bytes() for p in paths if p.suffix in (".html", ".pdf")]


def test_a_printer_process_prints_the_same_bytes_as_printing_here(tmp_path: Path):
    printer = ProcessPrinter()
    try:
        remote = build(None, ("html", "pdf"), "zh", tmp_path / "a", printer=printer)
        assert printer.pages_printed >= 1  # the page came back from the helper, not printed here
    finally:
        printer.close()
    here = build(None, ("html", "pdf"), "zh", tmp_path / "b")
    assert _page_bytes(remote) == _page_bytes(here)
    assert remote[1].read_bytes().startswith(b"%PDF-")


def test_a_dead_printer_process_is_replaced_by_printing_here(tmp_path: Path):
    printer = ProcessPrinter()
    os.kill(printer._process.pid, signal.SIGKILL)
    printer._process.join()
    try:
        written = build(None, ("html", "pdf"), "en", tmp_path / "a", printer=printer)
    finally:
        printer.close()
    assert _page_bytes(written) == _page_bytes(build(None, ("html", "pdf"), "en", tmp_path / "b"))


def test_the_page_is_laid_out_again_only_when_it_changes(copy_of_shipped: Path, tmp_path: Path):
    out = tmp_path / "out"
    first = build(copy_of_shipped, ("html", "pdf"), "en", out)
    before = _page_bytes(first)
    refusing = RefusingPrinter()
    assert (
        _page_bytes(build(copy_of_shipped, ("html", "pdf"), "en", out, printer=refusing)) == before
    )
    # A bullet that only the deck shows leaves the page (and its cache entry) alone.
    _edit_first_point(copy_of_shipped, "bullets")
    assert (
        _page_bytes(build(copy_of_shipped, ("html", "pdf"), "en", out, printer=refusing)) == before
    )
    assert refusing.asked == 0
    # A takeaway is on the page: it is laid out again and shows the edit.
    _edit_first_point(copy_of_shipped, "summary")
    counting = CountingPrinter()
    html, _ = build(copy_of_shipped, ("html", "pdf"), "en", out, printer=counting)
    assert counting.asked >= 1  # laid out (the fitting may take more than one try)
    assert "Edited." in html.read_text(encoding="utf-8")


def _theme_with_template(folder: Path, edit) -> Path:
    """A theme extending default whose summary template is default's, edited."""
    folder.mkdir(exist_ok=True)
    (folder / "theme.yaml").write_text("extends: default\n", encoding="utf-8")
    default = Path(__file__).parent.parent / "templates" / "default" / "summary.html.j2"
    (folder / "summary.html.j2").write_text(edit(default.read_text(encoding="utf-8")), "utf-8")
    return folder


def _long(copy_of_shipped: Path) -> Path:
    """The shipped briefing with takeaways long enough that the page must shrink."""
    path = copy_of_shipped / "briefing.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    summary = next(s for s in data["slides"] if s["kind"] == "summary")
    for point in summary["points"]:
        point["en"] += " It keeps going for a while longer." * 6
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return copy_of_shipped


def test_a_template_change_that_only_a_smaller_density_shows_lays_the_page_out_again(
    copy_of_shipped: Path, tmp_path: Path
):
    source, out = _long(copy_of_shipped), tmp_path / "out"
    theme = _theme_with_template(tmp_path / "theme", lambda text: text + "{# a comment #}\n")
    [html] = build(source, ("html",), "en", out, theme=str(theme), check=False)
    assert 'class="density-0' not in html.read_text(encoding="utf-8")  # it had to shrink
    # A comment changes no page: the cached one serves.
    _theme_with_template(theme, lambda text: text + "{# another comment #}\n")
    build(source, ("html",), "en", out, theme=str(theme), check=False, printer=RefusingPrinter())
    # A change seen only at a smaller density must not be served from the cache.
    _theme_with_template(
        theme,
        lambda text: (
            text.replace(
                "</body>", "{% if density > 0 %}<p>only at smaller type</p>{% endif %}</body>"
            )
            + "{# a comment #}\n"
        ),
    )
    counting = CountingPrinter()
    build(source, ("html",), "en", out, theme=str(theme), check=False, printer=counting)
    assert counting.asked >= 2


def test_a_page_that_loads_other_files_is_not_cached(tmp_path: Path):
    logo = tmp_path / "logo.svg"
    logo.write_text(
        '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">'
        '<rect width="10" height="10" fill="red"/></svg>',
        encoding="utf-8",
    )
    theme = _theme_with_template(
        tmp_path / "theme",
        lambda text: text.replace("</body>", f'<img src="{logo.as_uri()}" alt=""></body>'),
    )
    out = tmp_path / "out"
    build(None, ("html", "pdf"), "en", out, theme=str(theme))
    # The logo's bytes are not in the page's key, so the page is laid out again each time.
    counting = CountingPrinter()
    build(None, ("html", "pdf"), "en", out, theme=str(theme), printer=counting)
    assert counting.asked >= 1  # laid out (the fitting may take more than one try)


def test_a_reply_nobody_waited_for_never_answers_the_next_page():
    printer = ProcessPrinter()
    try:
        two_pages = "<p>A</p>" * 300
        printer.submit(_page(two_pages))  # a build that stopped: never read
        reply = printer.submit(_page("<p>B</p>")).result()
    finally:
        printer.close()
    assert reply.pages == 1 and reply.pdf.startswith(b"%PDF-")


def test_a_subsetting_worker_ends_when_its_parent_is_killed():
    from briefing.render.webfonts import _end_with

    read_end, write_end = os.pipe()
    middle = os.fork()
    if middle == 0:  # stands for the build: starts a worker, then is killed
        worker = os.fork()
        if worker == 0:
            _end_with(os.getppid())
            time.sleep(60)
            os._exit(0)
        os.write(write_end, f"{worker}\n".encode())
        time.sleep(60)
        os._exit(0)
    worker = int(os.read(read_end, 64).decode().split()[0])
    os.kill(middle, signal.SIGKILL)
    os.waitpid(middle, 0)
    deadline = time.monotonic() + 10
    while _alive(worker) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not _alive(worker), "the worker outlived its killed parent"


def test_a_cached_page_without_its_pdf_does_not_serve_a_pdf_build(tmp_path: Path):
    out = tmp_path / "out"
    build(None, ("html",), "en", out)
    counting = CountingPrinter()
    _, pdf = build(None, ("html", "pdf"), "en", out, printer=counting)
    assert counting.asked >= 1  # laid out (the fitting may take more than one try)
    assert pdf.read_bytes().startswith(b"%PDF-")


def test_a_damaged_cache_is_rebuilt_not_trusted(tmp_path: Path):
    out = tmp_path / "out"
    before = _page_bytes(build(None, ("html", "pdf"), "zh", out))
    for entry in (tmp_path / ".cache").rglob("*"):
        if entry.is_file() and entry.suffix != ".lock":
            entry.write_bytes(entry.read_bytes()[: len(entry.read_bytes()) // 2])
    counting = CountingPrinter()
    assert _page_bytes(build(None, ("html", "pdf"), "zh", out, printer=counting)) == before
    assert counting.asked >= 1  # laid out (the fitting may take more than one try)


def test_the_printer_process_ends_when_its_parent_is_killed(tmp_path: Path):
    script = (
        "import os, sys\n"
        "from briefing.render.printer import ProcessPrinter\n"
        "printer = ProcessPrinter()\n"
        "print(printer._process.pid, flush=True)\n"
        "os.kill(os.getpid(), 9)\n"
    )
    # Output to a file: a printer that outlived its parent would hold a pipe open forever.
    output = tmp_path / "pid.txt"
    with output.open("w") as stream:
        run = subprocess.run([sys.executable, "-c", script], stdout=stream, timeout=60)
    assert run.returncode == -signal.SIGKILL
    child = int(output.read_text().split()[0])
    deadline = time.monotonic() + 30
    while _alive(child) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not _alive(child), "the printer outlived its killed parent"


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().split(")")[-1].split()[0]
    except FileNotFoundError:
        return False
    return state != "Z"  # a zombie has ended; only its parent (init) has yet to reap it


def test_fitted_sizes_are_remembered_and_give_the_same_deck(tmp_path: Path, monkeypatch):
    from briefing.render.pptx_text import TextSetter

    out = tmp_path / "out"
    [first] = build(None, ("pptx",), "zh", out)
    before = first.read_bytes()
    calls = []
    original = TextSetter.fit_scale
    monkeypatch.setattr(
        TextSetter, "fit_scale", lambda self, *a, **k: calls.append(1) or original(self, *a, **k)
    )
    [again] = build(None, ("pptx",), "zh", out)
    assert calls == [] and again.read_bytes() == before
    # Another language measures anew; a cold cache measures every box.
    build(None, ("pptx",), "en", out)
    assert calls
    calls.clear()
    shutil.rmtree(tmp_path / ".cache")
    [cold] = build(None, ("pptx",), "zh", out)
    assert len(calls) > 20 and cold.read_bytes() == before


def test_processes_forked_later_do_not_hold_the_printer_open():
    printer = ProcessPrinter()
    try:
        pid = os.fork()
        if pid == 0:  # the child: its copy of the parent's end must be closed
            os._exit(0 if printer._connection.closed else 1)
        _, status = os.waitpid(pid, 0)
        assert os.waitstatus_to_exitcode(status) == 0
        assert not printer._connection.closed  # the parent's own end stays open
    finally:
        printer.close()


def test_a_page_set_in_a_font_we_do_not_ship_is_not_cached(tmp_path: Path):
    theme = tmp_path / "theme"
    theme.mkdir()
    (theme / "theme.yaml").write_text(
        "extends: default\nfonts:\n  latin: DejaVu Serif\n", encoding="utf-8"
    )
    out = tmp_path / "out"
    build(None, ("html",), "en", out, theme=str(theme), check=False)
    # WeasyPrint finds that font on the machine, and what it finds is not in the key.
    counting = CountingPrinter()
    build(None, ("html",), "en", out, theme=str(theme), check=False, printer=counting)
    assert counting.asked >= 1  # laid out (the fitting may take more than one try)


def _page(html: str) -> PageRequest:
    return PageRequest(html, {}, "A4", True, False)


def _die_on_the_first_page(monkeypatch) -> None:
    """Printer processes started from now on die (SIGKILL) on their first page, as one killed
    by the kernel for its memory, or by a crash inside WeasyPrint, would."""
    import briefing.render.printer as printer_module

    monkeypatch.setattr(printer_module, "print_page", lambda request: os.kill(os.getpid(), 9))


def test_a_printer_dying_with_a_page_in_hand_is_a_clear_error_not_a_hang(monkeypatch):
    _die_on_the_first_page(monkeypatch)
    with ProcessPrinter() as printer:
        ticket = printer.submit(_page("<p>A</p>"))
        with pytest.raises(
            PrinterError, match=r"ended \(killed by SIGKILL\) with the page in hand"
        ):
            ticket.result()
        monkeypatch.undo()
        # The process is gone: later pages are printed here.
        assert printer.submit(_page("<p>B</p>")).result().pdf.startswith(b"%PDF-")


def test_a_build_whose_printer_dies_fails_with_that_error_and_writes_nothing(
    tmp_path: Path, monkeypatch
):
    from briefing.api import build_one

    _die_on_the_first_page(monkeypatch)
    out = tmp_path / "out"
    with ProcessPrinter() as printer:
        result = build_one(None, formats=("html", "pdf"), lang="en", out_dir=out, printer=printer)
    assert result.paths == []
    assert "the printer process (WeasyPrint" in result.error and "SIGKILL" in result.error
    assert not out.exists() or not any(out.iterdir())


def test_closing_twice_is_harmless_and_a_closed_printer_refuses_pages():
    process = ProcessPrinter()
    for printer in (process, LocalPrinter()):
        ticket = printer.submit(_page("<p>A</p>"))
        printer.close()
        printer.close()
        with pytest.raises(RuntimeError, match="the printer is closed"):
            printer.submit(_page("<p>B</p>"))
        with pytest.raises(RuntimeError, match="the printer is closed"):
            ticket.result()
    assert not _alive(process._process.pid)


def test_one_printer_serves_many_builds_and_ends_with_its_block(tmp_path: Path):
    with start_printer() as printer:
        assert isinstance(printer, ProcessPrinter)  # the test machine has two cores
        pid = printer._process.pid
        build(None, ("html",), "en", tmp_path / "a", printer=printer)
        first = printer.pages_printed
        [html] = build(None, ("html",), "zh", tmp_path / "b", printer=printer)
        assert printer.pages_printed > first >= 1 and printer._process.pid == pid
    assert 'lang="zh' in html.read_text(encoding="utf-8")
    assert printer.closed and not _alive(pid)


def test_a_printer_not_wanted_prints_here():
    with start_printer(process=False) as printer:
        assert isinstance(printer, LocalPrinter)
        assert printer.submit(_page("<p>A</p>")).result().pages == 1


def test_html_and_pdf_share_one_fitted_page_and_its_warnings_are_given_once(
    write_briefing, tmp_path: Path, own_cache: Path
):
    source = write_briefing()  # no summary slide: the page warns that it takes chart titles
    both, warnings = CountingPrinter(), []
    build(source, ("html", "pdf"), "en", tmp_path / "a", warn=warnings.append, printer=both)
    assert len([w for w in warnings if "takeaways are the chart slides' titles" in w]) == 1
    shutil.rmtree(own_cache)
    alone = CountingPrinter()
    build(source, ("pdf",), "en", tmp_path / "b", printer=alone)
    assert both.asked == alone.asked >= 1  # fitted once, not once per format


def test_the_cli_reports_a_dead_printer_as_an_error_with_status_1(tmp_path: Path, monkeypatch):
    from click.testing import CliRunner

    from briefing.cli import main

    _die_on_the_first_page(monkeypatch)  # the printer the CLI starts inherits it
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["build", "--format", "html", "--out", str(out)])
    assert result.exit_code == 1
    assert "error: the printer process (WeasyPrint" in result.output
    assert "killed by SIGKILL" in result.output and "Traceback" not in result.output
    assert not out.exists() or not any(out.iterdir())


def _printed_by_whom(monkeypatch) -> None:
    """Printer processes started from now on name, in each page's `fetched`, the process that
    laid the page out; a page holding 'DIE' ends a forked copy of the printer without a reply."""
    import dataclasses

    import briefing.render.printer as printer_module

    test_process = os.getpid()
    real = printer_module.print_page

    def print_page(request: PageRequest):
        if "DIE" in request.html and os.getppid() != test_process:
            os._exit(1)
        return dataclasses.replace(real(request), fetched=(f"pid:{os.getpid()}",))

    monkeypatch.setattr(printer_module, "print_page", print_page)


def test_pages_sent_together_are_laid_out_side_by_side_and_answered_in_order(monkeypatch):
    from briefing.render.printer import submit_together

    _printed_by_whom(monkeypatch)
    two_pages = "<p>A</p><p style='break-before: page'>B</p>"
    with ProcessPrinter() as printer:
        first, second = submit_together(printer, [_page("<p>A</p>"), _page(two_pages)])
        one, two = first.result(), second.result()
        # The printer laid the first out itself, a forked copy of it the second, at once.
        assert one.fetched == (f"pid:{printer._process.pid}",)
        assert two.fetched[0].startswith("pid:") and two.fetched != one.fetched
        assert (one.pages, two.pages) == (1, 2)
        assert one.pdf.startswith(b"%PDF-") and two.pdf is None
        # The printer goes on serving pages one at a time, itself.
        assert printer.submit(_page("<p>C</p>")).result().fetched == one.fetched


def test_a_page_whose_forked_copy_ends_without_a_reply_is_printed_by_the_printer(monkeypatch):
    from briefing.render.printer import submit_together

    _printed_by_whom(monkeypatch)
    with ProcessPrinter() as printer:
        tickets = submit_together(printer, [_page("<p>A</p>"), _page("<p>DIE</p>")])
        one, two = (ticket.result() for ticket in tickets)
    assert two.pages == 1 and two.pdf.startswith(b"%PDF-")
    assert two.fetched == one.fetched == (f"pid:{printer._process.pid}",)


def test_a_local_printer_prints_pages_sent_together_one_after_another():
    from briefing.render.printer import submit_together

    counting = CountingPrinter()
    tickets = submit_together(counting, [_page("<p>A</p>"), _page("<p>B</p>")])
    assert counting.asked == 2
    assert [ticket.result().pages for ticket in tickets] == [1, 1]


WEASYPRINT_IMPORT = """
import ctypes.util, subprocess, sys
real = ctypes.util.find_library
{setup}
ran = []
popen = subprocess.Popen.__init__
def counted(self, args, *more, **named):
    ran.append(args)
    popen(self, args, *more, **named)
subprocess.Popen.__init__ = counted
from briefing.render.printer import load_weasyprint
load_weasyprint()
import weasyprint.text.ffi as ffi
assert ctypes.util.find_library is real
print(len(ran), ffi.pango is not None, ffi.harfbuzz_subset is not None)
"""


def test_weasyprint_is_imported_without_running_ldconfig_gcc_or_ld():
    script = WEASYPRINT_IMPORT.format(setup="")
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    # No program run, and the libraries loaded as a plain import loads them (Pango, and
    # HarfBuzz's subsetter, which WeasyPrint falls back from when it is missing).
    assert done.stdout.split() == ["0", "True", "True"]


def test_weasyprint_is_imported_with_library_look_ups_when_it_needs_them():
    # A machine where no library loads by its bare name: only what find_library finds.
    setup = (
        "import cffi.api\n"
        "dlopen = cffi.api.FFI.dlopen\n"
        "def only_found(self, name, flags=0):\n"
        "    if ctypes.util.find_library is not real:\n"
        "        raise OSError('not found without the look-ups')\n"
        "    return dlopen(self, name, flags)\n"
        "cffi.api.FFI.dlopen = only_found\n"
    )
    script = WEASYPRINT_IMPORT.format(setup=setup)
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    ran, pango, subsetter = done.stdout.split()[-3:]
    assert int(ran) > 0 and pango == subsetter == "True"


def test_a_first_build_measures_its_page_while_the_charts_are_drawn(
    tmp_path: Path, own_cache: Path, monkeypatch
):
    import briefing.render.pdf as pdf

    steps: list[int] = []
    real_request = pdf.PageFitting._request
    monkeypatch.setattr(
        pdf.PageFitting, "_request", lambda self, s: steps.append(s) or real_request(self, s)
    )
    sent: list[PageRequest] = []
    with ProcessPrinter() as printer:
        real = printer.submit_together
        monkeypatch.setattr(printer, "submit_together", lambda r: sent.extend(r) or real(r))
        first = build(None, ("html", "pdf"), "zh", tmp_path / "a", printer=printer)
        # The measuring page went first (empty drawings, fonts not compressed); its heights
        # stood for the first step's, which was never laid out: the pair after it decided.
        assert 'format("opentype")' in sent[0].html and "<path" not in sent[0].html
        assert not any('format("opentype")' in r.html for r in sent[1:])
        assert steps == [2, 3] and len(sent) == 3
        # Charts and page cached: a build into another folder measures and lays out nothing.
        build(None, ("html", "pdf"), "zh", tmp_path / "b", printer=printer)
        assert len(sent) == 3
    # The very page that a build printing here makes, trying the first step.
    monkeypatch.setenv("BRIEFING_CACHE_DIR", str(tmp_path / "other-cache"))
    steps.clear()
    here = build(None, ("html", "pdf"), "zh", tmp_path / "c")
    assert steps == [0, 2, 3]
    assert _page_bytes(first) == _page_bytes(here)

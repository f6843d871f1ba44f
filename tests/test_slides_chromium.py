"""The slides in a real browser: keys move between slides, and each HTML slide's boxes land
where LibreOffice draws the pptx's. Chromium is driven over the DevTools protocol on a pipe
(--remote-debugging-pipe): keys pressed, script evaluated, no extra dependency, no port."""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import re
import shutil
import subprocess
import time
from pathlib import Path

import pytest

from briefing.api import build

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--hide-scrollbars",
    "--force-device-scale-factor=1",
]
KEY_CODES = {"ArrowRight": 39, "ArrowLeft": 37, "PageDown": 34, "PageUp": 33, "Home": 36}
KEY_CODES |= {"End": 35, " ": 32}


class Browser:
    """One headless Chromium with one page, driven by DevTools commands."""

    def __init__(self, profile: Path, width: int = 1280, height: int = 720):
        commands_read, self._commands = os.pipe()
        self._replies, replies_write = os.pipe()

        def wire() -> None:  # in the child: Chromium reads fd 3 and writes fd 4
            # Out of the way first: either pipe end may itself be fd 3 or 4.
            high = [fcntl.fcntl(fd, fcntl.F_DUPFD, 10) for fd in (commands_read, replies_write)]
            os.dup2(high[0], 3)
            os.dup2(high[1], 4)

        self.process = subprocess.Popen(
            [
                CHROMIUM,
                *FLAGS,
                "--remote-debugging-pipe",
                f"--user-data-dir={profile}",
                f"--window-size={width},{height}",
                "about:blank",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            preexec_fn=wire,
            close_fds=False,  # fds 3 and 4, made by wire(), are inherited; the rest close on exec
        )
        os.close(commands_read)
        os.close(replies_write)
        self._next, self._buffer = 0, b""
        targets = self.send("Target.getTargets")["targetInfos"]
        page = next(t for t in targets if t["type"] == "page")
        attached = self.send("Target.attachToTarget", targetId=page["targetId"], flatten=True)
        self.session = attached["sessionId"]
        self.send("Page.enable", session=self.session)
        self.send("Runtime.enable", session=self.session)
        self.resize(width, height)

    def resize(self, width: int, height: int) -> None:
        """Set the page's viewport to exactly this many CSS px (a window's frame takes none)."""
        self.send(
            "Emulation.setDeviceMetricsOverride",
            session=self.session,
            width=width,
            height=height,
            deviceScaleFactor=1,
            mobile=False,
        )

    def send(self, method: str, session: str | None = None, **params) -> dict:
        """Send one command and wait for its reply (events in between are skipped)."""
        self._next += 1
        message = {"id": self._next, "method": method, "params": params}
        if session:
            message["sessionId"] = session
        os.write(self._commands, json.dumps(message).encode("utf-8") + b"\0")
        while True:
            reply = self._read()
            if reply.get("id") == self._next:
                if "error" in reply:
                    raise RuntimeError(f"{method}: {reply['error']}")
                return reply.get("result", {})

    def _read(self) -> dict:
        while b"\0" not in self._buffer:
            chunk = os.read(self._replies, 1 << 16)
            if not chunk:
                raise RuntimeError("Chromium closed its DevTools pipe")
            self._buffer += chunk
        message, self._buffer = self._buffer.split(b"\0", 1)
        return json.loads(message)

    def open(self, url: str) -> None:
        """Load a page and wait until its scripts ran."""
        self.send("Page.navigate", session=self.session, url=url)
        deadline = time.monotonic() + 60
        while self.evaluate("document.readyState") != "complete":
            if time.monotonic() > deadline:
                raise TimeoutError(url)
            time.sleep(0.05)
        self.evaluate("document.fonts.ready.then(() => true)")

    def evaluate(self, expression: str):
        """The value of a script expression in the page (promises awaited)."""
        result = self.send(
            "Runtime.evaluate",
            session=self.session,
            expression=expression,
            returnByValue=True,
            awaitPromise=True,
        )
        return result["result"].get("value")

    def press(self, key: str) -> None:
        """Press and release one key, as a keyboard does."""
        code = KEY_CODES.get(key, ord(key.upper()) if len(key) == 1 else 0)
        for kind in ("keyDown", "keyUp"):
            self.send(
                "Input.dispatchKeyEvent",
                session=self.session,
                type=kind,
                key=key,
                code="Space" if key == " " else key,
                windowsVirtualKeyCode=code,
            )

    def close(self) -> None:
        """End Chromium (this process started it) and close the pipes."""
        with contextlib.suppress(RuntimeError, OSError):
            self.send("Browser.close")
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        os.close(self._commands)
        os.close(self._replies)


pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        not os.environ.get("CI") and CHROMIUM is None,
        reason="needs Chromium: apt-get install chromium",
    ),
]


@pytest.fixture
def browser(tmp_path):
    opened = Browser(tmp_path / "profile")
    yield opened
    opened.close()


def _shown(browser: Browser) -> tuple[str, str]:
    """The slide the page shows (its id, and what its script says), checked to be the only one
    displayed."""
    shown = browser.evaluate(
        "[...document.querySelectorAll('.page')]"
        ".filter(p => getComputedStyle(p).display !== 'none').map(p => p.id)"
    )
    assert len(shown) == 1, shown
    return shown[0], browser.evaluate("location.hash")


def test_keys_move_between_slides_and_the_slide_fills_the_window(browser, tmp_path):
    [slides] = build(None, ("slides",), "en", tmp_path / "out")
    browser.open(slides.as_uri())
    assert _shown(browser) == ("slide-1", "#1")
    browser.press("ArrowRight")
    assert _shown(browser) == ("slide-2", "#2")
    title = browser.evaluate("document.querySelector('#slide-2 .text').textContent")
    assert "In short" in title
    browser.press(" ")
    browser.press("PageDown")
    assert _shown(browser) == ("slide-4", "#4")
    browser.press("ArrowLeft")
    assert _shown(browser) == ("slide-3", "#3")
    browser.press("End")
    count = browser.evaluate("document.querySelectorAll('.page').length")
    assert _shown(browser) == (f"slide-{count}", f"#{count}")
    browser.press("ArrowRight")  # past the last slide: stays there
    assert _shown(browser)[0] == f"slide-{count}"
    browser.press("Home")
    assert _shown(browser)[0] == "slide-1"
    # Scaled to the 1280 x 720 window: the slide's frame fills it.
    rect = browser.evaluate(
        "(r => [r.left, r.top, r.width, r.height])"
        "(document.querySelector('#slide-1 .frame').getBoundingClientRect())"
    )
    assert [round(v) for v in rect] == [0, 0, 1280, 720]
    browser.resize(1000, 800)  # a taller window: the slide keeps its shape, centred
    # The emulated viewport changes without the event a window's resize sends: send it.
    browser.evaluate("window.dispatchEvent(new Event('resize'))")
    rect = browser.evaluate(
        "(r => [r.left, r.top, r.width, r.height])"
        "(document.querySelector('#slide-1 .frame').getBoundingClientRect())"
    )
    assert rect == pytest.approx([0, 118.75, 1000, 562.5], abs=0.5)


# Where each text lands on the slide, as a share of its width and height: in Chromium, the union
# of the rectangles of a box's text (Range.getClientRects, so the glyphs' line boxes, not the
# box); in LibreOffice's PDF of the pptx, the union of the text lines pdftotext finds inside the
# same box whose text belongs to it. A chart is compared the same way by its title, and by all
# the text of its drawing (axis, category and data labels, legend).
LANDED = """
(() => {
  const frame = document.querySelector('.page.current .frame').getBoundingClientRect();
  const out = [];
  const measure = (element, where) => {
    const range = document.createRange();
    let box = null;
    const walker = document.createTreeWalker(element, NodeFilter.SHOW_TEXT);
    while (walker.nextNode()) {
      if (!walker.currentNode.textContent.trim()) continue;
      range.selectNodeContents(walker.currentNode);
      for (const r of range.getClientRects()) {
        if (r.width < 0.5) continue;
        box = box ? [Math.min(box[0], r.left), Math.min(box[1], r.top),
                     Math.max(box[2], r.right), Math.max(box[3], r.bottom)]
                  : [r.left, r.top, r.right, r.bottom];
      }
    }
    if (box) out.push({where, text: element.textContent.replace('•', ''),
      box: [(box[0] - frame.left) / frame.width, (box[1] - frame.top) / frame.height,
            (box[2] - frame.left) / frame.width, (box[3] - frame.top) / frame.height]});
  };
  document.querySelectorAll('.page.current .text').forEach(d => measure(d, d.dataset.where));
  document.querySelectorAll('.page.current .chart figcaption')
    .forEach(c => measure(c, 'chart caption'));
  document.querySelectorAll('.page.current .chart .drawing')
    .forEach(c => measure(c, 'chart drawing'));
  return out;
})()
"""
TOLERANCE = 0.02  # of the slide's width and height


def _office_words(pdf: Path) -> list[list[tuple[str, tuple[float, ...]]]]:
    """Each page's words from pdftotext, as (text without spaces and bullets, box as shares)."""
    from lxml import etree

    xml = subprocess.run(
        ["pdftotext", "-bbox-layout", str(pdf), "-"], capture_output=True, check=True
    ).stdout
    pages = []
    for page in etree.fromstring(xml).iter("{*}page"):
        width, height = float(page.get("width")), float(page.get("height"))
        words = []
        for word in page.iter("{*}word"):
            edges = [float(word.get(k)) for k in ("xMin", "yMin", "xMax", "yMax")]
            box = (edges[0] / width, edges[1] / height, edges[2] / width, edges[3] / height)
            words.append((re.sub(r"\s+", "", "".join(word.itertext())).replace("•", ""), box))
        pages.append(words)
    return pages


def _landed_apart(browser: Browser, slides: Path, pdf: Path) -> list[tuple]:
    """For every text box of every slide: how far Chromium's rendering lands from LibreOffice's,
    across (the larger difference of the text's left and right edges, a share of the slide's
    width) and down (the difference of the text's middle height, a share of its height). The
    text's height itself is left out: each viewer spaces lines by its own reading of the
    fonts' metrics."""
    browser.open(slides.as_uri())
    office = _office_words(pdf)
    found = []
    for number, words in enumerate(office, start=1):
        browser.evaluate(f"location.hash = '#{number}'")
        for box in browser.evaluate(LANDED):
            text = re.sub(r"\s+", "", box["text"]).replace("•", "")
            left, top, right, bottom = box["box"]
            # LibreOffice's words of this box: inside it (give or take the tolerance), and of
            # its text (a bullet, its text emptied, belongs to the box it is in).
            mine = [
                edges
                for word, edges in words
                if word in text
                and left - TOLERANCE <= (edges[0] + edges[2]) / 2 <= right + TOLERANCE
                and top - TOLERANCE <= (edges[1] + edges[3]) / 2 <= bottom + TOLERANCE
            ]
            if not mine:
                found.append((number, box["where"], 1.0, 1.0))  # LibreOffice shows it elsewhere
                continue
            union = [
                min(e[0] for e in mine),
                min(e[1] for e in mine),
                max(e[2] for e in mine),
                max(e[3] for e in mine),
            ]
            across = max(abs(union[0] - left), abs(union[2] - right))
            down = abs((union[1] + union[3]) / 2 - (top + bottom) / 2)
            found.append((number, box["where"], across, down))
    return found


def _both(tmp_path: Path, template: str | None, lang: str) -> tuple[Path, Path]:
    from briefing.viewers import office_to_pdf

    deck, slides = build(None, ("pptx", "slides"), lang, tmp_path / "out", theme=template)
    return slides, office_to_pdf(deck, tmp_path / "office")


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("theme", ["default", "dark"])
def test_html_slides_land_where_libreoffice_draws_the_pptx(browser, tmp_path, theme, lang):
    slides, pdf = _both(tmp_path, theme, lang)
    found = _landed_apart(browser, slides, pdf)
    assert len(found) > 40, "few boxes measured: the test shows little"
    charts = {where for _, where, _, _ in found if where.startswith("chart ")}
    assert {"chart caption", "chart drawing"} <= charts  # a chart's title, and its drawing's text
    across = [(n, where, round(x, 3)) for n, where, x, _ in found if x > TOLERANCE]
    assert not across, across
    down = [(n, where, round(y, 3)) for n, where, _, y in found if y > TOLERANCE]
    assert not down, down


def test_s_opens_a_speaker_view_that_follows_the_slides(browser, tmp_path):
    from briefing.api import shipped_source
    from briefing.loader import load_source
    from briefing.richtext import fill
    from briefing.speaking import format_duration, speaking_seconds

    [slides] = build(None, ("slides",), "en", tmp_path / "out")
    browser.open(slides.as_uri())
    browser.press("S")
    # window.open with no address hands back the named window without reloading it.
    speaker = "window.open('', 'briefing-speaker').document"
    notes = browser.evaluate(f"{speaker}.querySelector('.notes-now').textContent")
    slides_source = load_source(shipped_source())
    briefing = slides_source.briefing
    first = fill(briefing.slides[0].notes, "en", briefing)
    assert notes.split()[:6] == first.split()[:6]
    assert browser.evaluate(f"!!{speaker}.querySelector('.next .slide')")  # slide 2, drawn
    assert "0:0" in browser.evaluate(f"{speaker}.querySelector('.elapsed').textContent")
    times = browser.evaluate(
        f"[...{speaker}.querySelectorAll('.times tr[data-index] td:last-child')]"
        ".map(td => td.textContent)"
    )
    count = browser.evaluate("document.querySelectorAll('.page').length")
    assert len(times) == count
    assert times[0] == format_duration(speaking_seconds(first))
    total = browser.evaluate(f"{speaker}.querySelector('.times .total td:last-child').textContent")
    assert total == browser.evaluate("document.body.dataset.total")
    browser.press("ArrowRight")
    moved = browser.evaluate(f"{speaker}.querySelector('.notes-now').textContent")
    second = fill(briefing.slides[1].notes, "en", briefing)
    assert moved.split()[:6] == second.split()[:6]
    assert browser.evaluate(f"{speaker}.querySelector('.times tr.on').dataset.index") == "1"

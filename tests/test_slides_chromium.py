"""The slides in a real browser: keys move between slides, and each HTML slide's boxes land
where LibreOffice draws the pptx's. Chromium is driven over the DevTools protocol on a pipe
(--remote-debugging-pipe): keys pressed, script evaluated, no extra dependency, no port."""

from __future__ import annotations

import contextlib
import json
import os
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
            os.dup2(commands_read, 3)
            os.dup2(replies_write, 4)

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
            pass_fds=(3, 4),
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

"""The live preview in a real browser: headless Chromium, driven over its DevTools pipe, shows
an edit of the source without anyone reloading the page."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import time
from pathlib import Path

import pytest

from tests.test_watch import SHIPPED, TIMEOUT, copy_of, start_watch, stop_watch

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        not os.environ.get("CI") and CHROMIUM is None,
        reason="needs Chromium: apt-get install chromium",
    ),
]
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-sync"]
TITLE = "Generated video carries risks beyond cost, in rights and public trust"  # slide 9


class DevTools:
    """Chromium with its DevTools protocol on a pipe (fds 3 and 4, NUL-ended JSON messages):
    no websocket library needed."""

    def __init__(self, profile: Path):
        read_ours, write_theirs = os.pipe()
        read_theirs, write_ours = os.pipe()
        # bash, not sh: dash refuses file descriptors above 9 in a redirection.
        redirect = f'exec "$0" "$@" 3<&{read_theirs} 4>&{write_theirs}'
        self.process = subprocess.Popen(
            ["bash", "-c", redirect, CHROMIUM, *FLAGS, "--remote-debugging-pipe"]
            + [f"--user-data-dir={profile}", "about:blank"],
            pass_fds=(read_theirs, write_theirs),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        os.close(read_theirs)
        os.close(write_theirs)
        self.reader, self.writer = read_ours, write_ours
        self.buffer, self.count, self.session = b"", 0, None

    def call(self, method: str, **params) -> dict:
        """Send a command (to the attached page, once there is one) and return its result."""
        self.count += 1
        message = {"id": self.count, "method": method, "params": params}
        if self.session:
            message["sessionId"] = self.session
        os.write(self.writer, json.dumps(message).encode() + b"\0")
        while True:
            while b"\0" not in self.buffer:
                chunk = os.read(self.reader, 1 << 16)
                assert chunk, "Chromium closed its DevTools pipe"
                self.buffer += chunk
            raw, _, self.buffer = self.buffer.partition(b"\0")
            reply = json.loads(raw)
            if reply.get("id") == self.count:  # events and other replies are skipped
                assert "error" not in reply, reply
                return reply["result"]

    def open(self, url: str) -> None:
        target = self.call("Target.createTarget", url=url)["targetId"]
        self.session = self.call("Target.attachToTarget", targetId=target, flatten=True)[
            "sessionId"
        ]

    def evaluate(self, expression: str):
        result = self.call("Runtime.evaluate", expression=expression, returnByValue=True)
        return result["result"].get("value")

    def wait_until(self, expression: str, timeout: float = TIMEOUT):
        """Poll the page until the expression is truthy; return its value."""
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            value = self.evaluate(expression)
            if value:
                return value
            time.sleep(0.2)
        raise AssertionError(f"never true in the page: {expression}")

    def close(self) -> None:
        self.session = None
        try:
            self.call("Browser.close")
            self.process.wait(timeout=20)
        except (AssertionError, OSError, subprocess.TimeoutExpired):
            self.process.kill()
        os.close(self.reader)
        os.close(self.writer)


# Text of the page's slide list, and the text of slide 9's title box in the slideshow's frame
# (same origin: readable; the slideshow hides all slides but one, so not innerText).
OUTLINE = "document.getElementById('slides').innerText"
SLIDESHOW = (
    "(() => { const f = document.getElementById('slideshow');"
    " const slide = f && f.contentDocument && f.contentDocument.getElementById('slide-9');"
    " const title = slide && slide.querySelector('[data-where$=title]');"
    " return title ? title.textContent.replace(/\\s+/g, ' ') : ''; })()"
)


def test_the_served_preview_follows_an_edit_without_a_reload(tmp_path: Path):
    source = copy_of(SHIPPED, tmp_path)
    original = source.read_text(encoding="utf-8")
    process, output = start_watch(
        source, tmp_path / "out", "--lang", "en", "--serve", "--port", "0"
    )
    browser = None
    try:
        url = re.search(r"http://127\.0\.0\.1:\d+/", output.wait_for("preview at")).group(0)
        output.wait_for("first build")
        browser = DevTools(tmp_path / "profile")
        browser.open(url)
        browser.wait_until(f"{OUTLINE}.includes({json.dumps(TITLE)})")
        browser.wait_until(f"{SLIDESHOW}.includes({json.dumps(TITLE)})")
        browser.evaluate("window.notReloaded = true")  # gone if anything reloads the page

        edited = TITLE.replace("public trust", "public confidence")
        source.write_text(original.replace(TITLE, edited), encoding="utf-8")
        output.wait_for("briefing.yaml changed")
        assert browser.wait_until(f"{OUTLINE}.includes({json.dumps(edited)})")
        assert browser.wait_until(f"{SLIDESHOW}.includes({json.dumps(edited)})")
        assert TITLE not in browser.evaluate(SLIDESHOW)
        # The slideshow turned to the edited slide by itself.
        shown = "document.getElementById('slideshow').contentDocument.body.dataset.current"
        assert browser.wait_until(f"{shown} === '9'")
        # Under it, the slide it shows and what the check says about it.
        current = "document.getElementById('current').innerText"
        assert browser.wait_until(f"{current}.startsWith('Slide 9: ' + {json.dumps(edited)})")
        assert browser.evaluate("window.notReloaded") is True
        assert "briefing.yaml changed" in browser.evaluate(
            "document.getElementById('status').innerText"
        )
    finally:
        if browser is not None:
            browser.close()
        assert stop_watch(process, output) == 0

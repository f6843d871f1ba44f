"""The live preview of `briefing watch --serve`: a page on 127.0.0.1 showing the latest build's
slides and summary with the check's findings, told of each rebuild by server-sent events."""

from __future__ import annotations

import json
import threading
from dataclasses import asdict
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from importlib.resources import files
from pathlib import Path
from urllib.parse import unquote, urlsplit

from briefing.errors import BriefingError
from briefing.watch import Rebuild, SlideOutline

HOST = "127.0.0.1"  # never another interface: the preview shows unpublished work
KEEP_ALIVE_S = 15  # a comment on the event stream this often tells a dead tab from a live one
CONTENT_TYPES = {
    ".html": "text/html; charset=utf-8",
    ".slides": "text/html; charset=utf-8",
    ".pdf": "application/pdf",
    ".pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
}


class Preview:
    """Serves the preview page, its state as JSON, the event stream and the files the last good
    build wrote (by name only: nothing else of the folder, no listing)."""

    def __init__(self, port: int = 0):
        self.page = files("briefing").joinpath("serve.html").read_bytes()
        self.state: dict = {"build": 0, "ok": True, "status": "building…", "outputs": {}}
        self.served: dict[str, Path] = {}  # what may be asked for, by file name
        self.outputs: dict[str, Path] = {}  # the last good build's, by format
        self.changed = threading.Condition()
        self.closing = False
        try:
            self.server = ThreadingHTTPServer((HOST, port), _handler(self))
        except OSError as error:
            raise BriefingError(
                f"--port {port}: cannot serve on {HOST}:{port}: {error.strerror}; "
                "give another port (--port 0 picks a free one)"
            ) from None
        self.server.daemon_threads = True  # an open event stream must not hold the exit
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    @property
    def url(self) -> str:
        """Where the page is."""
        return f"http://{HOST}:{self.server.server_address[1]}/"

    def publish(
        self, rebuild: Rebuild, outline: list[SlideOutline], status: str, edited: int | None = None
    ) -> None:
        """Show a new build: its outputs (the last good ones after a failure), findings by slide,
        and the slide the edit changed, for the slideshow to turn to."""
        if rebuild.ok:
            self.outputs = dict(rebuild.written)
            self.served = {p.name: p.resolve() for p in rebuild.written.values()}
        slides = [
            {**asdict(slide), "findings": [asdict(f) for f in rebuild.findings if f.slide == n]}
            for n, slide in enumerate(outline, start=1)
        ]
        numbers = {s["number"] for s in slides}
        others = [asdict(f) for f in rebuild.findings if f.slide not in numbers]
        outputs = {
            fmt: f"out/{path.name}?build={rebuild.number}" for fmt, path in self.outputs.items()
        }
        with self.changed:
            self.state = {
                "build": rebuild.number,
                "ok": rebuild.ok,
                "status": status,
                "outputs": outputs,
                "slides": slides,
                "findings": others,
                "edited": edited,
            }
            self.changed.notify_all()

    def close(self) -> None:
        """Stop serving and end the open event streams."""
        with self.changed:
            self.closing = True
            self.changed.notify_all()
        self.server.shutdown()
        self.server.server_close()


def _handler(preview: Preview) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        """GET only: the page, state.json, events, and out/<a file the build wrote>."""

        def do_GET(self) -> None:  # noqa: N802 - http.server's name
            if not self._local_host():
                self.send_error(403, "only localhost may ask")  # DNS rebinding from a web page
                return
            path = urlsplit(self.path).path
            if path == "/":
                self._send(200, "text/html; charset=utf-8", preview.page)
            elif path == "/state.json":
                with preview.changed:
                    body = json.dumps(preview.state, ensure_ascii=False).encode("utf-8")
                self._send(200, "application/json", body)
            elif path == "/events":
                self._events()
            elif path.startswith("/out/") and unquote(path[5:]) in preview.served:
                target = preview.served[unquote(path[5:])]
                try:
                    body = target.read_bytes()
                except OSError:
                    self.send_error(404)
                    return
                self._send(200, CONTENT_TYPES.get(target.suffix, "application/octet-stream"), body)
            else:
                self.send_error(404)

        def _local_host(self) -> bool:
            host = (self.headers.get("Host") or "").rsplit(":", 1)[0]
            return host in (HOST, "localhost")

        def _send(self, status: int, kind: str, body: bytes) -> None:
            self.send_response(status)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Cache-Control", "no-store")
            self.end_headers()
            self.wfile.write(body)

        def _events(self) -> None:
            """Send the build number now and after each build, until the tab or server ends."""
            self.send_response(200)
            self.send_header("Content-Type", "text/event-stream")
            self.send_header("Cache-Control", "no-store")
            self.end_headers()
            told = None
            try:
                while True:
                    with preview.changed:
                        preview.changed.wait_for(
                            lambda told=told: preview.closing or preview.state["build"] != told,
                            timeout=KEEP_ALIVE_S,
                        )
                        if preview.closing:
                            return
                        build = preview.state["build"]
                    if build != told:
                        self.wfile.write(f"data: {build}\n\n".encode())
                        told = build
                    else:
                        self.wfile.write(b": still here\n\n")
                    self.wfile.flush()
            except OSError:
                return  # the tab was closed

        def log_message(self, format, *args) -> None:  # noqa: A002 - http.server's name
            """Quiet: the terminal is for build status lines."""

    return Handler

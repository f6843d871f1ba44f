"""Watch mode: the time from a saved edit to the rewritten file, in a running `briefing watch`.

Usage: python3 benchmarks/watch.py [--repeat 7] [--against REV]
Starts `briefing watch` on a copy of the shipped briefing (its own cache, filled by a first
build and one warm-up edit), then saves edits one at a time and waits for each output file to
be replaced. Prints the median and the spread of each case beside its target. With --against,
the code of a git revision (e.g. HEAD~1) is watched too, its edits alternating with ours, so
that both meet the same load; its rows follow ours.
"""

from __future__ import annotations

import argparse
import os
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHIPPED = ROOT / "seeds" / "sora" / "briefing.yaml"
DECK_ONLY = "Deepfakes spread and erode public trust"  # a bullet: in the deck, not on the page
TAKEAWAY = "a record launch, then downloads down"  # a summary point: in the deck and on the page


def letters(number: int) -> str:
    """1 -> a, 26 -> z, 27 -> aa: a new word for each edit."""
    word = ""
    while number:
        number, rest = divmod(number - 1, 26)
        word = chr(ord("a") + rest) + word
    return word


def cpu_seconds(pid: int) -> dict[str, float]:
    """CPU time (user and system) of a process and of each live child, e.g. the printers, by
    process id (Linux; empty elsewhere): on a busy machine, what an edit costs apart from
    waiting for a core."""
    ticks = os.sysconf("SC_CLK_TCK")
    seconds = {}
    try:
        children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
        for process in [str(pid), *children]:
            fields = Path(f"/proc/{process}/stat").read_text().rsplit(")", 1)[1].split()
            seconds[process] = (int(fields[11]) + int(fields[12])) / ticks
    except OSError:
        return {}
    return seconds


def identity(path: Path) -> tuple[int, int] | None:
    """The file's inode and change time: a build renames a new file into place."""
    try:
        stat = path.stat()
    except FileNotFoundError:
        return None
    return stat.st_ino, stat.st_mtime_ns


class Watching:
    """A `briefing watch` process on a copy of the shipped briefing."""

    def __init__(self, work: Path, formats: list[str], code: Path = ROOT):
        self.folder = work / "sora"
        shutil.copytree(SHIPPED.parent, self.folder)
        self.source = self.folder / "briefing.yaml"
        self.text = self.source.read_text(encoding="utf-8")
        self.out = work / "out"
        self.edits = 0
        command = [sys.executable, "-m", "briefing", "watch", str(self.folder), "--lang", "en"]
        command += [a for f in formats for a in ("--format", f)] + ["--out", str(self.out)]
        # The code's folder first on the path: its `briefing` is the one imported.
        env = {**os.environ, "BRIEFING_CACHE_DIR": str(work / "cache"), "PYTHONPATH": str(code)}
        self.process = subprocess.Popen(
            command,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
            env=env,
            cwd=code,
        )
        self.wait_for_line("first build")

    def wait_for_line(self, needle: str) -> str:
        """Read status lines until one holds the needle."""
        for line in self.process.stdout:
            if needle in line:
                return line
        raise SystemExit(f"briefing watch ended before printing {needle!r}")

    def edit(self, anchor: str, outputs: list[str]) -> dict[str, float]:
        """Save an edit after the anchor text; seconds until each output was replaced, and
        under "cpu" the CPU seconds the rebuild took."""
        self.edits += 1
        paths = {name: self.out / name for name in outputs}
        before = {name: identity(path) for name, path in paths.items()}
        # A word, not a number: a number with no figure behind it is an error of the check.
        edited = self.text.replace(anchor, f"{anchor} ({letters(self.edits)})", 1)
        cpu = cpu_seconds(self.process.pid)
        start = time.perf_counter()
        self.source.write_text(edited, encoding="utf-8")
        waits: dict[str, float] = {}
        while len(waits) < len(paths):
            for name, path in paths.items():
                if name not in waits and identity(path) != before[name]:
                    waits[name] = time.perf_counter() - start
            if time.perf_counter() - start > 30:
                raise SystemExit(f"no rebuild of {outputs} within 30 s")
            time.sleep(0.002)
        self.wait_for_line("changed")  # the build is over (manifest too) before the next edit
        spent = {p: t - cpu.get(p, 0.0) for p, t in cpu_seconds(self.process.pid).items()}
        waits["cpu"] = sum(spent.values())
        # The busiest process: with a core for each, the wall cannot be shorter.
        waits["busiest"] = max(spent.values(), default=0.0)
        return waits

    def close(self) -> None:
        self.process.send_signal(signal.SIGINT)  # as Ctrl-C: the printer is closed too
        self.process.wait(timeout=30)


def median_row(name: str, edits: list[dict[str, float]], files: list[str], target: str) -> None:
    """One case: the median time until the last of the files was replaced, its range, the
    median CPU time of the rebuild and of its busiest process."""
    samples = [max(edit[file] for file in files) for edit in edits]
    low, high = min(samples), max(samples)
    median = statistics.median(samples)
    cpu = statistics.median(edit["cpu"] for edit in edits)
    busiest = statistics.median(edit["busiest"] for edit in edits)
    print(
        f"{name:<60} {median:5.2f} s ({low:.2f}-{high:.2f})  cpu {cpu:4.2f} s, busiest "
        f"{busiest:4.2f} s   target {target}",
        flush=True,
    )


def code_of(revision: str, folder: Path) -> Path:
    """The project's files at a git revision, unpacked into a folder of their own."""
    folder.mkdir(parents=True)
    archive = subprocess.run(
        ["git", "-C", str(ROOT), "archive", revision], capture_output=True, check=True
    ).stdout
    subprocess.run(["tar", "-x", "-C", str(folder)], input=archive, check=True)
    return folder


def alternating(watchers: list[Watching], anchor: str, outputs: list[str], repeat: int):
    """Each watcher's edits, made in turns (who goes first alternates too)."""
    edits: list[list[dict[str, float]]] = [[] for _ in watchers]
    for round_ in range(repeat):
        order = list(enumerate(watchers))
        for number, watcher in order[round_ % 2 :] + order[: round_ % 2]:
            edits[number].append(watcher.edit(anchor, outputs))
    return edits


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--against", help="a git revision to measure in turns with this code")
    args = parser.parse_args()
    print(f"{'case (edit saved -> file replaced)':<60} median (range)  {args.repeat} edits")
    with tempfile.TemporaryDirectory(prefix="briefing-watch-bench-") as temporary:
        work = Path(temporary)
        codes = {"": ROOT}
        if args.against:
            codes[f" [{args.against}]"] = code_of(args.against, work / "against")
        rows: list[tuple] = []
        deck = [
            Watching(work / f"pptx{n}", ["pptx"], code) for n, code in enumerate(codes.values())
        ]
        try:
            for watcher in deck:
                watcher.edit(DECK_ONLY, ["sora-en.pptx"])  # warm-up: fit memo and caches filled
            deck_edits = alternating(deck, DECK_ONLY, ["sora-en.pptx"], args.repeat)
        finally:
            for watcher in deck:
                watcher.close()
        names = ["sora-en.pptx", "sora-en.html", "sora-en.pdf"]
        every = [Watching(work / f"all{n}", ["all"], code) for n, code in enumerate(codes.values())]
        try:
            for watcher in every:
                watcher.edit(DECK_ONLY, names)
                watcher.edit(TAKEAWAY, names)
            all_deck_edits = alternating(every, DECK_ONLY, names, args.repeat)
            page_edits = alternating(every, TAKEAWAY, names, args.repeat)
        finally:
            for watcher in every:
                watcher.close()
        for number, label in enumerate(codes):
            rows += [
                (
                    f"watch --format pptx: deck-only edit -> pptx{label}",
                    deck_edits[number],
                    names[:1],
                    "0.3 s",
                ),
                (
                    f"watch --format all: deck-only edit -> pptx{label}",
                    all_deck_edits[number],
                    names[:1],
                    "0.3 s",
                ),
                (
                    f"watch --format all: takeaway edit -> html and pdf{label}",
                    page_edits[number],
                    names[1:],
                    "0.7 s",
                ),
            ]
        for row in rows:
            median_row(*row)


if __name__ == "__main__":
    main()

"""Whole-process timings of the CLI: medians over several runs after a warm-up, side by side.

Usage: python3 benchmarks/run.py [--repeat 5] [--quick]
Prints one table row per case: median wall time, peak memory (max RSS) and the target.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
SHIPPED = ROOT / "seeds" / "sora" / "briefing.yaml"
PYTHON = sys.executable


def run_once(command: list[str], cwd: Path) -> tuple[float, float]:
    """Wall seconds and peak memory (MiB) of one child process."""
    start = time.perf_counter()
    process = subprocess.Popen(command, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - start
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"failed: {' '.join(command)}\n{process.stderr.read().decode()}")
    return elapsed, usage.ru_maxrss / 1024


def measure(command: list[str], cwd: Path, repeat: int, prepare=None) -> tuple[float, float]:
    """Median time and the largest peak memory over `repeat` runs after one warm-up."""
    if prepare:
        prepare()
    run_once(command, cwd)
    times, peaks = [], []
    for _ in range(repeat):
        if prepare:
            prepare()
        elapsed, peak = run_once(command, cwd)
        times.append(elapsed)
        peaks.append(peak)
    return statistics.median(times), max(peaks)


def generated_briefing(slides: int, charts: int) -> dict:
    """A briefing of the shipped figures with many slides and charts (for the scale curve)."""
    base = yaml.safe_load(SHIPPED.read_text(encoding="utf-8"))
    chart_specs = []
    for index in range(charts):
        spec = dict(base["charts"][index % len(base["charts"])])
        spec["id"] = f"chart_{index}"
        chart_specs.append(spec)
    body = [s for s in base["slides"] if s["kind"] not in ("title", "sources")]
    generated = [base["slides"][0]]
    chart_index = 0
    while len(generated) < slides - 1:
        slide = dict(body[len(generated) % len(body)])
        if slide["kind"] == "chart":
            slide["chart"] = f"chart_{chart_index % charts}"
            chart_index += 1
        generated.append(slide)
    generated.append(base["slides"][-1])
    return {**base, "charts": chart_specs, "slides": generated}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--quick", action="store_true", help="fewer scale points (for CI)")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="briefing-bench-"))
    os.environ["BRIEFING_CACHE_DIR"] = str(work / "cache")  # not the user's: runs start cold
    cli = [PYTHON, "-m", "briefing", "build"]
    rows = []

    def row(name, command, target, prepare=None, cwd=work):
        seconds, mib = measure(command, cwd, args.repeat, prepare)
        rows.append((name, seconds, mib, target))
        print(f"{name:<44} {seconds:7.2f} s {mib:7.0f} MiB   target {target}", flush=True)

    print(f"{'case':<44} {'median':>9} {'peak':>11}   ({args.repeat} runs after a warm-up)")
    print("warm: the cache kept from the run before, as on any rebuild")
    row("build --format pptx (shipped, checks on)", cli + ["--format", "pptx"], "0.35 s, 70 MiB")
    row("build --format all (shipped, unchanged)", cli + ["--format", "all"], "1.0 s, 150 MiB")

    edited = work / "edited"
    shutil.copytree(SHIPPED.parent, edited, dirs_exist_ok=True)
    counter = iter(range(10_000))

    def edit(kind: str):
        def change():
            data = yaml.safe_load((edited / "briefing.yaml").read_text(encoding="utf-8"))
            slide = next(s for s in data["slides"] if s["kind"] == kind)
            slide["points"][0]["en"] += f" Edit {next(counter)}."
            text = yaml.safe_dump(data, allow_unicode=True, sort_keys=False)
            (edited / "briefing.yaml").write_text(text, encoding="utf-8")

        return change

    rebuild = cli + [str(edited), "--format", "all", "--lang", "en", "--no-check"]
    # A takeaway is on the page too, so the page is laid out again; a bullet is only in the deck.
    row("rebuild all after editing a takeaway", rebuild, "0.7 s", prepare=edit("summary"))
    row("rebuild all after editing a deck bullet", rebuild, "0.7 s", prepare=edit("bullets"))

    if not args.quick:
        print("cold: the cache deleted before each run (fonts measured and subset, charts drawn)")

        def clear_cache():
            shutil.rmtree(work / "cache", ignore_errors=True)

        for fmt in ("pptx", "all"):
            row(
                f"build --format {fmt} (shipped, no cache)",
                cli + ["--format", fmt],
                "-",
                clear_cache,
            )

    many = []
    for name in "abcd":
        folder = work / "many" / name
        folder.mkdir(parents=True)
        shutil.copy(SHIPPED, folder / "briefing.yaml")
        many.append(str(folder))
    out = ["--out", str(work / "many-out")]
    row("4 briefings, one build command (parallel)", cli + many + out, "1.7x faster")
    one_by_one = [
        PYTHON,
        "-c",
        "import subprocess, sys; [subprocess.run([sys.executable, '-m', "
        "'briefing', 'build', s, '--out', sys.argv[1]], check=True, "
        "stdout=subprocess.DEVNULL) for s in sys.argv[2:]]",
        str(work / "seq-out"),
        *many,
    ]
    row("4 briefings, one command each, in turn", one_by_one, "(the baseline)")
    print(f"  parallel speed-up: {rows[-1][1] / rows[-2][1]:.2f}x")

    sizes = (12, 50, 200) if args.quick else (12, 25, 50, 100, 200)
    print("\nscale: deck build time per slide (generated briefings, one chart in four slides)")
    print("  (per added slide: the time over the smallest deck, divided by the slides added)")
    first: tuple[int, float] | None = None
    for count in sizes:
        folder = work / f"scale-{count}"
        folder.mkdir()
        data = generated_briefing(count, max(1, min(60, count * 60 // 200)))
        (folder / "briefing.yaml").write_text(
            yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8"
        )
        seconds, mib = measure(
            cli + [str(folder), "--format", "pptx", "--no-check"], work, max(1, args.repeat // 2)
        )
        first = first or (count, seconds)
        added = (
            f"{(seconds - first[1]) / (count - first[0]) * 1000:6.1f} ms per added slide"
            if count > first[0]
            else ""
        )
        print(
            f"  {count:>4} slides  {seconds:6.2f} s  {seconds / count * 1000:7.1f} ms/slide"
            f"  {mib:5.0f} MiB  {added}",
            flush=True,
        )

    pandoc = shutil.which("pandoc")
    if pandoc:
        markdown = work / "deck.md"
        markdown.write_text(
            "\n\n".join(
                f"# {s['title']['en'] if isinstance(s['title'], dict) else s['title']}\n\n"
                + "\n".join(
                    f"- {p['en'] if isinstance(p, dict) else p}" for p in s.get("points", [])
                )
                for s in yaml.safe_load(SHIPPED.read_text(encoding="utf-8"))["slides"]
            ),
            encoding="utf-8",
        )
        seconds, mib = measure(
            [pandoc, str(markdown), "-o", str(work / "pandoc.pptx")], work, args.repeat
        )
        ours = rows[0][1]
        print(
            f"\npandoc, same slide titles and points (no charts, no checks): {seconds:.2f} s, "
            f"{mib:.0f} MiB; briefing's pptx build takes {ours / seconds:.1f}x as long"
        )
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()

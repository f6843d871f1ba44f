"""Whole-process timings of the CLI: medians over several runs after a warm-up, side by side.

Usage: python3 benchmarks/run.py [--repeat 5] [--quick] [--first] [--before REV] [--after REV]
Prints the machine's load, then one table row per case: median wall time, CPU, peak memory (max
RSS) and the target; then the pptx build's ratio to a hand-written python-pptx script making the
same deck (pptx_script.py). With --before, the first build of the code at git revision REV and of
this tree (or of revision --after REV), alternating in one run, side by side.
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
from collections.abc import Callable
from pathlib import Path
from typing import NamedTuple

import yaml

ROOT = Path(__file__).resolve().parent.parent
SHIPPED = ROOT / "seeds" / "sora" / "briefing.yaml"
PYTHON = sys.executable


# Children write bytecode as an installed package has it (a shell may turn that off).
CHILD_ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


class Run(NamedTuple):
    """One child process: wall seconds, peak memory (MiB), CPU seconds (user and system, the
    child and what it waited for; on a shared machine it drifts less than the wall time)."""

    seconds: float
    mib: float
    cpu: float


def run_once(command: list[str], cwd: Path, env: dict | None = None) -> Run:
    """Wall seconds, peak memory and CPU seconds of one child process."""
    start = time.perf_counter()
    process = subprocess.Popen(
        command, cwd=cwd, env=env or CHILD_ENV, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    _, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - start
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"failed: {' '.join(command)}\n{process.stderr.read().decode()}")
    return Run(elapsed, usage.ru_maxrss / 1024, usage.ru_utime + usage.ru_stime)


def measure(command: list[str], cwd: Path, repeat: int, prepare=None, env=None) -> Run:
    """Median time, the largest peak memory and median CPU over `repeat` runs after a warm-up."""
    if prepare:
        prepare()
    run_once(command, cwd, env)
    runs = []
    for _ in range(repeat):
        if prepare:
            prepare()
        runs.append(run_once(command, cwd, env))
    return Run(
        statistics.median(r.seconds for r in runs),
        max(r.mib for r in runs),
        statistics.median(r.cpu for r in runs),
    )


def alternate(
    commands: list[list[str]], cwd: Path, repeat: int, envs=None, prepare=None
) -> list[tuple[float, float]]:
    """Median wall and CPU seconds of commands run in turn, one of each per round, after one
    warm-up each (`envs`: each command's environment; `prepare` runs before every run)."""
    envs = envs or [None] * len(commands)
    for command, env in zip(commands, envs):
        if prepare:
            prepare()
        run_once(command, cwd, env)
    runs: list[list[Run]] = [[] for _ in commands]
    for _ in range(repeat):
        for index, (command, env) in enumerate(zip(commands, envs)):
            if prepare:
                prepare()
            runs[index].append(run_once(command, cwd, env))
    return [
        (statistics.median(r.seconds for r in found), statistics.median(r.cpu for r in found))
        for found in runs
    ]


def tree_at(revision: str, work: Path) -> Path:
    """The package as it was at a git revision, laid out as installed (templates and seeds
    inside it), for PYTHONPATH."""
    tree = work / f"at-{revision}"
    tree.mkdir()
    archive = subprocess.run(
        ["git", "archive", revision, "briefing", "templates", "seeds"],
        cwd=ROOT,
        capture_output=True,
        check=True,
    ).stdout
    subprocess.run(["tar", "-x", "-C", str(tree)], input=archive, check=True)
    for folder in ("templates", "seeds"):
        (tree / folder).rename(tree / "briefing" / folder)
    return tree


def load() -> str:
    """The machine's load averages (1, 5 and 15 minutes) and its cores."""
    one, five, fifteen = os.getloadavg()
    return f"load {one:.1f} {five:.1f} {fifteen:.1f} on {os.cpu_count()} cores"


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


def first_builds(args, work: Path, row) -> Callable[[], None]:
    """The first build on a fresh machine: no cache of ours (fonts measured and subset, charts
    drawn, the master read), then matplotlib's font list gone too; with --before, side by side
    with an earlier revision. Returns what clears the cache."""
    first = [PYTHON, "-m", "briefing", "build", "--format", "all"]
    # --after: a committed revision in place of this tree (which others may be editing).
    ours = {**CHILD_ENV, "PYTHONPATH": str(tree_at(args.after, work))} if args.after else None
    name = args.after or "this tree"

    def clear_cache():
        shutil.rmtree(work / "cache", ignore_errors=True)

    # matplotlib's own font list is kept, as after any first use.
    row("first build --format all (no cache)", first, "2 s", clear_cache, env=ours)

    def fresh_machine():
        clear_cache()
        shutil.rmtree(work / "mplconfig", ignore_errors=True)

    # As on a machine where nothing ran yet: matplotlib builds its font list too.
    fresh = {**(ours or CHILD_ENV), "MPLCONFIGDIR": str(work / "mplconfig")}
    row("first build, no matplotlib font list either", first, "2 s", fresh_machine, env=fresh)
    if args.before:
        before_env = {**CHILD_ENV, "PYTHONPATH": str(tree_at(args.before, work))}
        (old_s, old_cpu), (new_s, new_cpu) = alternate(
            [first, first], work, args.repeat, [before_env, ours or CHILD_ENV], clear_cache
        )
        print(
            f"  first build, side by side (alternating, medians of {args.repeat}, {load()}):\n"
            f"    {args.before}: {old_s:.2f} s ({old_cpu:.2f} s CPU)   {name}: {new_s:.2f} s "
            f"({new_cpu:.2f} s CPU)",
            flush=True,
        )
    return clear_cache


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--quick", action="store_true", help="fewer scale points (for CI)")
    parser.add_argument("--before", metavar="REV", help="a git revision to compare first builds")
    parser.add_argument("--first", action="store_true", help="only the first builds")
    parser.add_argument(
        "--after", metavar="REV", help="first builds of revision REV in place of this tree"
    )
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="briefing-bench-"))
    CHILD_ENV["BRIEFING_CACHE_DIR"] = str(work / "cache")  # not the user's: runs start cold
    cli = [PYTHON, "-m", "briefing", "build"]
    rows = []

    def row(name, command, target, prepare=None, cwd=work, env=None):
        seconds, mib, cpu = measure(command, cwd, args.repeat, prepare, env)
        rows.append((name, seconds, mib, target))
        print(
            f"{name:<44} {seconds:7.2f} s {cpu:7.2f} s {mib:7.0f} MiB   target {target}",
            flush=True,
        )

    print(f"machine: {load()}")
    print(
        f"{'case':<44} {'median':>9} {'CPU':>9} {'peak':>11}   ({args.repeat} runs after a warm-up)"
    )
    if args.first:
        first_builds(args, work, row)
        shutil.rmtree(work, ignore_errors=True)
        return
    print("warm: the cache kept from the run before, as on any rebuild")
    row("build --format pptx (shipped, checks on)", cli + ["--format", "pptx"], "0.35 s, 70 MiB")
    row("build --format all (shipped, unchanged)", cli + ["--format", "all"], "1.0 s, 150 MiB")
    warm_all = rows[-1][1]

    def new_folder():
        shutil.rmtree(work / "elsewhere", ignore_errors=True)

    elsewhere = cli + ["--format", "all", "--out", str(work / "elsewhere")]
    row("build --format all into a new folder", elsewhere, "as warm", prepare=new_folder)

    clear_cache = first_builds(args, work, row)
    print(f"  a new folder takes {rows[-3][1] / warm_all:.2f}x the warm build")

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
        row("build --format pptx (shipped, no cache)", cli + ["--format", "pptx"], "-", clear_cache)

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
        seconds, mib, _ = measure(
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

    # The same deck by a hand-written python-pptx script, side by side with our pptx build
    # (one run alternates them, so the machine's drift hits both alike).
    script = [PYTHON, str(ROOT / "benchmarks" / "pptx_script.py"), str(SHIPPED)]
    ours_cmd = cli + ["--format", "pptx"]
    rounds = max(args.repeat, 5)
    (script_s, script_cpu), (ours_s, ours_cpu) = alternate(
        [script + [str(work / "script.pptx")], ours_cmd], work, rounds
    )
    print(
        f"\nhand-written python-pptx script, same deck: {script_s:.2f} s ({script_cpu:.2f} s CPU);"
        f" briefing's pptx build {ours_s:.2f} s ({ours_cpu:.2f} s CPU): "
        f"{ours_s / script_s:.1f}x wall, {ours_cpu / script_cpu:.1f}x CPU "
        f"(medians of {rounds}, alternating)"
    )

    watch = ROOT / "benchmarks" / "watch.py"
    if watch.is_file():  # watch mode's own timings, when that benchmark is there
        subprocess.run([PYTHON, str(watch)], env=CHILD_ENV, check=False)

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
        seconds, mib, _ = measure(
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

"""Foreign masters for tests: pandoc's reference deck, python-pptx's default, LibreOffice's designs.

LibreOffice's designs are converted from .otp to .pptx once and cached across test runs, in a
folder keyed by the LibreOffice version and each design's bytes (BRIEFING_TEST_MASTERS moves it).
Outside CI a missing tool skips the test; in CI (the CI variable set) it fails it.
"""

from __future__ import annotations

import fcntl
import functools
import hashlib
import os
import shutil
import subprocess
import tempfile
from collections.abc import Callable
from pathlib import Path

import pytest

CI = bool(os.environ.get("CI"))
# Where Debian's libreoffice-impress puts them, relative to the program folder of soffice.
DESIGNS_UNDER_INSTALL = Path("share/template/common/presnt")
SAMPLE_DESIGN = "Blue_Curve"


def missing(what: str) -> None:
    """Skip the test for a missing tool, or fail it in CI where every tool must be there."""
    if CI:
        pytest.fail(f"CI lacks {what}")
    pytest.skip(f"needs {what}")


def pandoc_reference(folder: Path) -> Path:
    """pandoc's own reference deck, as pandoc prints it."""
    if shutil.which("pandoc") is None:
        missing("pandoc: apt-get install pandoc")
    path = folder / "pandoc-reference.pptx"
    folder.mkdir(parents=True, exist_ok=True)
    subprocess.run(
        ["pandoc", "-o", str(path), "--print-default-data-file", "reference.pptx"], check=True
    )
    return path


def python_pptx_default(folder: Path) -> Path:
    """python-pptx's own default template: 4:3."""
    from pptx import Presentation

    path = folder / "python-pptx-default.pptx"
    folder.mkdir(parents=True, exist_ok=True)
    Presentation().save(str(path))
    return path


def design_files() -> dict[str, Path]:
    """LibreOffice Impress's designs (.otp) by name, e.g. 'Blue_Curve'; skips if none."""
    soffice = shutil.which("soffice")
    if soffice is None:
        missing("LibreOffice: apt-get install libreoffice-impress")
    install = Path(os.path.realpath(soffice)).parent.parent
    designs = sorted((install / DESIGNS_UNDER_INSTALL).glob("*.otp"))
    if not designs:
        missing("LibreOffice Impress's designs: apt-get install libreoffice-impress")
    return {design.stem: design for design in designs}


def libreoffice_designs(names: list[str] | None = None, folder: Path | None = None) -> dict:
    """LibreOffice designs as .pptx by name (all when names is None), converted once and cached.

    With a folder, each is copied there so a test may change it without touching the cache.
    """
    designs = design_files()
    unknown = sorted(set(names or ()) - set(designs))
    if unknown:
        raise ValueError(f"no LibreOffice design {unknown}; there are {sorted(designs)}")
    wanted = {name: designs[name] for name in (names or designs)}
    cache = _cache_folder()
    cached = {name: cache / f"{name}-{_design_key(otp)}.pptx" for name, otp in wanted.items()}
    todo = [name for name, path in cached.items() if not path.is_file()]
    if todo:
        # One converter at a time: a second process waits, then finds the files made.
        with open(cache / ".lock", "w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            todo = [name for name in todo if not cached[name].is_file()]
            if todo:
                _convert_into_cache([wanted[name] for name in todo], [cached[n] for n in todo])
    if folder is None:
        return cached
    folder.mkdir(parents=True, exist_ok=True)
    return {name: Path(shutil.copy(path, folder / f"{name}.pptx")) for name, path in cached.items()}


def libreoffice_design(folder: Path, name: str = SAMPLE_DESIGN) -> Path:
    """One LibreOffice design as .pptx, copied into folder (Blue_Curve unless named)."""
    return libreoffice_designs([name], folder)[name]


def foreign_masters(folder: Path, designs: list[str] | None = None) -> dict[str, Path]:
    """Every foreign master by name: pandoc, python-pptx and the LibreOffice designs asked for."""
    masters = {"pandoc": pandoc_reference(folder), "python-pptx": python_pptx_default(folder)}
    masters.update(libreoffice_designs(designs, folder))
    return masters


FOREIGN: dict[str, Callable[[Path], Path]] = {
    "pandoc": pandoc_reference,
    "python-pptx": python_pptx_default,
    "libreoffice": libreoffice_design,
}


def _cache_folder() -> Path:
    """BRIEFING_TEST_MASTERS, or briefing-test-masters in the platform's user cache folder."""
    chosen = os.environ.get("BRIEFING_TEST_MASTERS")
    if chosen:
        folder = Path(chosen)
    else:
        import platformdirs

        folder = Path(platformdirs.user_cache_dir("briefing-test-masters", appauthor=False))
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@functools.cache
def _libreoffice_version() -> str:
    """The version line of soffice, so a new LibreOffice converts afresh."""
    done = subprocess.run(
        [shutil.which("soffice") or "soffice", "--version"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    return done.stdout.strip()


def _design_key(otp: Path) -> str:
    """A short hash of the LibreOffice version and the design's bytes."""
    digest = hashlib.sha256(_libreoffice_version().encode())
    digest.update(otp.read_bytes())
    return digest.hexdigest()[:16]


def _convert_into_cache(designs: list[Path], targets: list[Path]) -> None:
    """Convert designs in one soffice start, then move each into place atomically."""
    from briefing.viewers import office_convert_many

    with tempfile.TemporaryDirectory(dir=targets[0].parent) as work:
        converted = office_convert_many(designs, Path(work), "pptx")
        for made, target in zip(converted, targets):
            os.replace(made, target)

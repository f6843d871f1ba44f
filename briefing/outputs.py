"""Outputs land whole or not at all: written beside their target and renamed into place
together, then recorded in the folder's manifest.json under a lock."""

from __future__ import annotations

import fcntl
import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO

from briefing.errors import InputError, OutputError
from briefing.inputs import read_input

MAX_MANIFEST = 50_000_000  # ~200 bytes an output: far more outputs than any folder holds
MANIFEST = "manifest.json"
MANIFEST_LOCK = ".manifest.lock"

Writer = Callable[[BinaryIO], None]


def write_all_atomically(jobs: list[tuple[Path, Writer]]) -> None:
    """Write each target to a temporary file beside it; rename them all only when all succeed."""
    temporaries: list[tuple[str, Path]] = []
    target: Path | None = None
    try:
        for target, write in jobs:
            temporaries.append((_write_temporary(target, write), target))
        for temporary, target in temporaries:
            os.replace(temporary, target)
    except OSError as error:
        # A full disk fails in write() or fsync(), which name no file: name the output.
        raise OutputError(f"{target}: cannot write: {error.strerror}") from None
    finally:
        for temporary, _ in temporaries:
            if os.path.exists(temporary):
                os.unlink(temporary)


def write_atomically(target: Path, write: Writer) -> None:
    """Write to a temporary file beside the target, then rename it into place."""
    write_all_atomically([(target, write)])


def _write_temporary(target: Path, write: Writer) -> str:
    """Write a target's content to a fresh temporary file beside it; return that file's path."""
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent)
    except OSError as error:
        raise OutputError(f"{target.parent}: cannot write here: {error.strerror}") from None
    try:
        # mkstemp makes the file private; an output is an ordinary file for its reader.
        os.chmod(temporary, 0o666 & ~_umask())
        with os.fdopen(handle, "wb") as stream:
            write(stream)
            stream.flush()
            os.fsync(stream.fileno())
    except BaseException:
        os.unlink(temporary)
        raise
    return temporary


def _umask() -> int:
    """The process's umask (it can only be read by setting it, so it is set back at once)."""
    mask = os.umask(0)
    os.umask(mask)
    return mask


def update_manifest(out_dir: Path, outputs: list[Path], inputs: dict[str, Path | str]) -> None:
    """Record each output's sha256 and the hashes of the inputs it came from (an input given
    as a str is its hash already)."""
    import hashlib

    def digest(path: Path | str) -> str:
        return path if isinstance(path, str) else hashlib.sha256(path.read_bytes()).hexdigest()

    manifest_path = out_dir / MANIFEST
    # Two builds into one folder each add their entries: the lock makes the update one step.
    # It lives beside the manifest, not in the cache, which may be deleted or unwritable.
    lock_path = out_dir / MANIFEST_LOCK
    try:
        # Non-blocking: a FIFO in the lock's place is an error, not a wait for ever.
        flags = os.O_WRONLY | os.O_CREAT | os.O_NONBLOCK | os.O_CLOEXEC
        with os.fdopen(os.open(lock_path, flags, 0o666), "w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            _write_manifest(manifest_path, outputs, inputs, digest)
    except OSError as error:
        raise OutputError(
            f"{error.filename or manifest_path}: the outputs are written, but the manifest "
            f"could not be: {error.strerror}"
        ) from None


def _write_manifest(manifest_path: Path, outputs, inputs, digest) -> None:
    """Add the outputs' entries to the manifest, keeping other builds' entries."""
    import json

    try:
        manifest = json.loads(read_input(manifest_path, MAX_MANIFEST, "a manifest"))
    except (InputError, ValueError):
        manifest = {}  # none yet, or not one we can read: it is written anew
    if not isinstance(manifest, dict) or not isinstance(manifest.get("outputs", {}), dict):
        manifest = {}
    sources = {name: digest(p) for name, p in sorted(inputs.items())}
    outputs_entry = manifest.setdefault("outputs", {})
    for output in outputs:
        outputs_entry[output.name] = {"sha256": digest(output), "inputs": sources}
    manifest["outputs"] = dict(sorted(outputs_entry.items()))
    text = json.dumps(manifest, ensure_ascii=False, indent=2) + "\n"
    write_atomically(manifest_path, lambda stream: stream.write(text.encode("utf-8")))

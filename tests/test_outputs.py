"""Outputs land whole or not at all, with ordinary permissions, and the manifest records them."""

from __future__ import annotations

import errno
import hashlib
import json
import os
from pathlib import Path

import pytest

from briefing.errors import OutputError
from briefing.outputs import update_manifest, write_all_atomically, write_atomically


def _writes(data: bytes):
    return lambda stream: stream.write(data)


def _fails(error: BaseException):
    def write(stream) -> None:
        stream.write(b"half of it")
        raise error

    return write


@pytest.fixture
def old_set(tmp_path: Path) -> tuple[Path, Path]:
    deck, page = tmp_path / "out" / "sora-en.pptx", tmp_path / "out" / "sora-en.html"
    write_all_atomically([(deck, _writes(b"old deck")), (page, _writes(b"old page"))])
    return deck, page


@pytest.mark.parametrize(
    "error", [RuntimeError("a renderer's bug"), KeyboardInterrupt(), ValueError("bad")]
)
def test_a_failing_writer_leaves_the_old_set_whole_and_no_temporaries(old_set, error):
    deck, page = old_set
    with pytest.raises(type(error)):
        write_all_atomically([(deck, _writes(b"new deck")), (page, _fails(error))])
    # The deck was written in full before the page failed, and still not renamed.
    assert deck.read_bytes() == b"old deck" and page.read_bytes() == b"old page"
    assert sorted(p.name for p in deck.parent.iterdir()) == ["sora-en.html", "sora-en.pptx"]


def test_a_full_disk_names_the_output_and_leaves_the_old_set_whole(old_set):
    deck, page = old_set
    full = OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
    with pytest.raises(OutputError, match=r"sora-en\.html: cannot write: No space left"):
        write_all_atomically([(deck, _writes(b"new deck")), (page, _fails(full))])
    assert deck.read_bytes() == b"old deck" and page.read_bytes() == b"old page"
    assert sorted(p.name for p in deck.parent.iterdir()) == ["sora-en.html", "sora-en.pptx"]


def test_all_targets_are_replaced_when_all_writers_succeed(old_set):
    deck, page = old_set
    write_all_atomically([(deck, _writes(b"new deck")), (page, _writes(b"new page"))])
    assert deck.read_bytes() == b"new deck" and page.read_bytes() == b"new page"
    assert sorted(p.name for p in deck.parent.iterdir()) == ["sora-en.html", "sora-en.pptx"]


def test_an_unwritable_folder_is_an_error_naming_it(tmp_path: Path):
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    with pytest.raises(OutputError, match=rf"{blocker}: cannot write here"):
        write_atomically(blocker / "sora-en.pptx", _writes(b"deck"))


@pytest.mark.parametrize("umask, mode", [(0o022, 0o644), (0o077, 0o600), (0o002, 0o664)])
def test_outputs_are_ordinary_files_whose_permissions_follow_the_umask(
    tmp_path: Path, umask: int, mode: int
):
    before = os.umask(umask)
    try:
        write_atomically(tmp_path / "sora-en.pdf", _writes(b"%PDF-"))
    finally:
        os.umask(before)
    assert (tmp_path / "sora-en.pdf").stat().st_mode & 0o777 == mode
    assert os.umask(before) == before  # reading the umask put it back


def _manifest(folder: Path) -> dict:
    return json.loads((folder / "manifest.json").read_text(encoding="utf-8"))


def test_the_manifest_records_hashes_and_keeps_other_builds_entries(tmp_path: Path):
    source = tmp_path / "briefing.yaml"
    source.write_text("meta: {}\n", encoding="utf-8")
    out = tmp_path / "out"
    write_all_atomically([(out / "a-en.pptx", _writes(b"deck a"))])
    write_all_atomically([(out / "b-en.pptx", _writes(b"deck b"))])
    update_manifest(out, [out / "a-en.pptx"], {"source:briefing.yaml": source})
    update_manifest(out, [out / "b-en.pptx"], {"source:briefing.yaml": "f" * 64})
    entries = _manifest(out)["outputs"]
    assert entries["a-en.pptx"] == {
        "sha256": hashlib.sha256(b"deck a").hexdigest(),
        "inputs": {"source:briefing.yaml": hashlib.sha256(b"meta: {}\n").hexdigest()},
    }
    # An input given as a str is its hash already (the source as the build read it).
    assert entries["b-en.pptx"]["inputs"] == {"source:briefing.yaml": "f" * 64}


@pytest.mark.parametrize("damaged", [b"{not json", b"[1, 2]", b'{"outputs": [1]}', b"\xff\xfe"])
def test_a_damaged_manifest_is_written_anew(tmp_path: Path, damaged: bytes):
    (tmp_path / "manifest.json").write_bytes(damaged)
    write_atomically(tmp_path / "a-en.html", _writes(b"page"))
    update_manifest(tmp_path, [tmp_path / "a-en.html"], {})
    assert list(_manifest(tmp_path)["outputs"]) == ["a-en.html"]


def test_the_manifest_lock_lives_beside_the_manifest_not_in_the_cache(tmp_path: Path, monkeypatch):
    # A cache folder that cannot be one (a file in its place) does not stop the manifest.
    cache = tmp_path / "cache"
    cache.write_text("not a folder")
    monkeypatch.setenv("BRIEFING_CACHE_DIR", str(cache))
    out = tmp_path / "out"
    write_atomically(out / "a-en.html", _writes(b"page"))
    update_manifest(out, [out / "a-en.html"], {})
    assert sorted(p.name for p in out.iterdir()) == [".manifest.lock", "a-en.html", "manifest.json"]
    assert cache.read_text() == "not a folder"


def test_builds_updating_one_manifest_at_once_lose_no_entry(tmp_path: Path):
    out = tmp_path / "out"
    writers = []
    for writer in range(4):
        pid = os.fork()
        if pid == 0:  # one build: records its outputs one by one
            try:
                for number in range(15):
                    name = out / f"w{writer}-{number}.html"
                    write_atomically(name, _writes(name.name.encode()))
                    update_manifest(out, [name], {})
            except BaseException:
                os._exit(1)
            os._exit(0)
        writers.append(pid)
    for pid in writers:
        assert os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1]) == 0
    assert len(_manifest(out)["outputs"]) == 60

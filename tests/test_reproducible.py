"""Reproducible builds: the same inputs give the same bytes; a manifest records the hashes."""

from __future__ import annotations

import hashlib
import json
import zipfile
from pathlib import Path

from briefing.api import build, shipped_source


def test_two_builds_are_byte_identical(tmp_path: Path, monkeypatch):
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    first = build(None, ("pptx", "html", "pdf"), "zh", tmp_path / "a")
    # A second build in another folder, later, with a cold cache, must not differ by a byte.
    second = build(None, ("pptx", "html", "pdf"), "zh", tmp_path / "b")
    for one, other in zip(first, second):
        assert one.read_bytes() == other.read_bytes(), one.name


def test_deck_dates_come_from_the_briefing_or_source_date_epoch(tmp_path: Path, monkeypatch):
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    [deck] = build(None, ("pptx",), "en", tmp_path / "a")
    archive = zipfile.ZipFile(deck)
    assert {info.date_time for info in archive.infolist()} == {(2026, 3, 1, 0, 0, 0)}
    core = archive.read("docProps/core.xml").decode()
    assert "2026-03-01T00:00:00Z" in core
    workbook = zipfile.ZipFile(archive.open("ppt/embeddings/Microsoft_Excel_Sheet1.xlsx"))
    assert {info.date_time for info in workbook.infolist()} == {(2026, 3, 1, 0, 0, 0)}
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")  # 2026-01-01T00:00:00Z
    [deck] = build(None, ("pptx",), "en", tmp_path / "b")
    assert "2026-01-01T00:00:00Z" in zipfile.ZipFile(deck).read("docProps/core.xml").decode()


def test_manifest_lists_outputs_and_input_hashes(tmp_path: Path):
    written = build(None, ("pptx", "html"), "en", tmp_path)
    manifest = json.loads((tmp_path / "manifest.json").read_text(encoding="utf-8"))
    source_hash = hashlib.sha256(shipped_source().read_bytes()).hexdigest()
    for path in written:
        entry = manifest["outputs"][path.name]
        assert entry["sha256"] == hashlib.sha256(path.read_bytes()).hexdigest()
        assert entry["inputs"]["source:briefing.yaml"] == source_hash
        assert "theme:default/master.pptx" in entry["inputs"]

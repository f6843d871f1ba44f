"""Fitted text sizes remembered between builds: measuring every box again is the larger part of
making a deck, and an edit changes few boxes."""

from __future__ import annotations

import hashlib
import json

from briefing.cache import Cache, code_stamp, file_stamp
from briefing.measure import TextMeasure


class FitMemo:
    """The scale and height found for each box last time, under the hash of everything the
    measure reads (text, styles, box size, fonts, the code); only the boxes of the latest build
    are kept, so the entry does not grow."""

    def __init__(self, cache: Cache | None, owner: str, lang: str, measure: TextMeasure):
        self.cache = cache or Cache(None)
        # The files actually measured: ours stand in for a font we do not ship.
        stamps = [
            file_stamp(path)
            for files in (measure.latin, measure.east_asian)
            for path in (files.regular, files.bold)
        ]
        latin, east_asian = measure.latin_name, measure.east_asian_name
        self.key = ("fits", code_stamp(), owner, lang, latin, east_asian, stamps)
        self.known: dict[str, list[float]] = self.cache.get(self.key, json.loads) or {}
        self.used: dict[str, list[float]] = {}

    def recall(self, parts: tuple, measure) -> list[float]:
        """The remembered result for these inputs, else measure() (a list of numbers)."""
        key = hashlib.sha256(repr(parts).encode("utf-8")).hexdigest()[:32]
        found = self.known.get(key)
        self.used[key] = found if found is not None else list(measure())
        return self.used[key]

    def save(self) -> None:
        """Store this build's results when any was measured anew."""
        if self.used != self.known:
            self.cache.put(self.key, json.dumps(self.used, sort_keys=True).encode("utf-8"))

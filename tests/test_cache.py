"""The user cache: one invalidation scheme (a stamp of the code that computes an entry), the
master's layout facts kept between builds, `briefing cache info` and `clear`."""

from __future__ import annotations

from pathlib import Path

from briefing import cache as cache_module
from briefing.cache import Cache, code_stamp, stamp_of


def write_package(root: Path) -> Path:
    """A small package laid out as briefing's: a drawing module importing a helper lazily."""
    (root / "render").mkdir(parents=True)
    (root / "__init__.py").write_text("")
    (root / "render" / "__init__.py").write_text("")
    (root / "render" / "draw.py").write_text(
        "from briefing.shapes import box\n\ndef draw():\n    from briefing import colors\n"
    )
    (root / "shapes.py").write_text("box = 1\n")
    (root / "colors.py").write_text("red = 1\n")
    (root / "unrelated.py").write_text("x = 1\n")
    return root


def test_an_edit_of_code_an_entry_depends_on_changes_its_stamp(tmp_path: Path):
    package = write_package(tmp_path / "pkg")
    before = stamp_of(package, ("briefing.render.draw",))
    (package / "colors.py").write_text("red = 2\n")  # imported inside a function
    after_lazy = stamp_of(package, ("briefing.render.draw",))
    (package / "shapes.py").write_text("box = 2\n")
    after_top = stamp_of(package, ("briefing.render.draw",))
    assert len({before, after_lazy, after_top}) == 3


def test_an_edit_of_code_an_entry_does_not_use_keeps_its_stamp(tmp_path: Path):
    package = write_package(tmp_path / "pkg")
    before = stamp_of(package, ("briefing.render.draw",))
    (package / "unrelated.py").write_text("x = 2\n")
    assert stamp_of(package, ("briefing.render.draw",)) == before
    assert stamp_of(package, ()) != stamp_of(tmp_path / "pkg", ("briefing.render.draw",))


def test_the_chart_stamp_covers_the_measuring_and_theme_code():
    package = Path(cache_module.__file__).parent
    files = {p.name for p in cache_module._imported_files(package, ("briefing.render.charts_mpl",))}
    assert {"charts_mpl.py", "measure.py", "theme.py", "linebreak.py"} <= files
    assert "pptx.py" not in files and "cli.py" not in files


def test_cached_chart_svgs_are_retired_when_their_code_changes(tmp_path, monkeypatch):
    from briefing.loader import load
    from briefing.render import charts_mpl
    from briefing.theme import load_theme
    from tests.conftest import MINIMAL

    source = tmp_path / "briefing.yaml"
    source.write_text(MINIMAL, encoding="utf-8")
    briefing, theme = load(source), load_theme(None)
    chart, cache = briefing.charts[0], Cache(tmp_path / "c")
    drawn = []
    real = charts_mpl.chart_svg
    monkeypatch.setattr(
        charts_mpl,
        "chart_svg",
        lambda *a: drawn.append(1) or real(*a),  # count the drawings
    )
    charts_mpl.cached_chart_svg(briefing, chart, theme, "en", cache)
    charts_mpl.cached_chart_svg(briefing, chart, theme, "en", cache)
    assert len(drawn) == 1
    monkeypatch.setitem(cache_module._CODE_STAMPS, ("briefing.render.charts_mpl",), "edited")
    charts_mpl.cached_chart_svg(briefing, chart, theme, "en", cache)
    assert len(drawn) == 2
    assert code_stamp("briefing.measure") != code_stamp("briefing.render.charts_mpl")


def deck_parts(cache: Cache, lang: str = "zh") -> dict[str, bytes]:
    """The parts of the shipped briefing's deck built with this cache (but the charts' embedded
    workbooks, which carry the time they were made)."""
    import io
    import zipfile

    from briefing.api import shipped_source
    from briefing.loader import load
    from briefing.render.pptx import render_pptx
    from briefing.theme import load_theme

    stream = io.BytesIO()
    render_pptx(load(shipped_source()), load_theme(None), lang, stream, cache)
    with zipfile.ZipFile(stream) as deck:
        return {n: deck.read(n) for n in deck.namelist() if not n.startswith("ppt/embeddings/")}


def test_a_warm_build_takes_the_masters_frames_and_colours_from_the_cache(tmp_path, monkeypatch):
    from briefing.layout import designer, master_view

    cache = Cache(tmp_path / "c")
    first = deck_parts(cache)
    calls = []
    real_frame, real_under = designer.frame_of, master_view.LayoutView.background_under
    monkeypatch.setattr(
        designer, "frame_of", lambda *a, **k: calls.append(1) or real_frame(*a, **k)
    )
    monkeypatch.setattr(
        master_view.LayoutView,
        "background_under",
        lambda self, rect: calls.append(2) or real_under(self, rect),
    )
    assert deck_parts(cache) == first  # the same deck from the memo
    assert calls == []  # no layout's frame found again, no raster painted or sampled
    assert deck_parts(Cache(tmp_path / "cold")) == first
    assert 1 in calls and 2 in calls  # a cold cache finds them (the counting works)


def test_cache_info_says_where_how_big_how_many_and_the_cap(tmp_path, monkeypatch):
    from click.testing import CliRunner

    from briefing.cli import main

    folder = tmp_path / "moved"
    monkeypatch.setenv("BRIEFING_CACHE_DIR", str(folder))
    monkeypatch.setenv("BRIEFING_CACHE_MAX_MB", "3")
    store = Cache(folder)
    store.put(("a",), b"x" * 1000)
    store.put(("b",), b"y" * 2000)
    result = CliRunner().invoke(main, ["cache", "info"])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0].startswith(f"folder:  {folder}")
    size = sum(path.stat().st_size for path in store.entries())  # 3,000 bytes and headers
    assert size < 2**20 and lines[1] == f"entries: 2, {size / 2**10:.0f} KB"
    assert lines[2].startswith("cap:     3.0 MB")


def test_cache_clear_removes_every_entry_and_counts_them(tmp_path, monkeypatch):
    from click.testing import CliRunner

    from briefing.cli import main

    folder = tmp_path / "chosen"
    monkeypatch.setenv("BRIEFING_CACHE_DIR", str(folder))
    store = Cache(folder)
    for name in "abc":
        store.put((name,), b"z" * 100_000)
    (folder / "notes.txt").write_text("the user's own file", encoding="utf-8")
    (folder / "photos").mkdir()
    (folder / "photos" / "a.jpg").write_bytes(b"jpeg")
    size = store.size()[1]
    result = CliRunner().invoke(main, ["cache", "clear"])
    assert result.exit_code == 0, result.output
    assert result.output == f"removed 3 entries ({size / 2**10:.0f} KB) from {folder}\n"
    assert store.get(("a",)) is None and store.size() == (0, 0)
    # Only the cache's own files go: a folder the user pointed it at keeps the rest.
    assert sorted(p.name for p in folder.rglob("*")) == ["a.jpg", "notes.txt", "photos"]
    again = CliRunner().invoke(main, ["cache", "clear"])
    assert again.output == f"removed 0 entries (0 KB) from {folder}\n"


def test_the_cache_is_capped_and_evicts_the_entries_used_longest_ago(tmp_path):
    import os

    store = Cache(tmp_path / "c", max_bytes=250_000)
    for age, name in enumerate("abc"):
        store.put((name,), b"v" * 100_000)
        path = store._path((name,))
        os.utime(path, (1_000_000 + age, 1_000_000 + age))  # a is the oldest
    store.get(("a",))  # a use makes it the newest
    store.prune()
    assert store.get(("b",)) is None  # used longest ago: evicted
    assert store.get(("a",)) is not None and store.get(("c",)) is not None
    assert store.size()[1] <= 250_000


def test_a_cold_font_subset_is_compressed_at_the_quicker_brotli_quality(monkeypatch):
    import io

    import brotli
    from fontTools.ttLib import TTFont

    from briefing.fonts import font_files
    from briefing.render import webfonts

    qualities = []
    real = brotli.compress
    monkeypatch.setattr(
        brotli, "compress", lambda data, **k: qualities.append(k.get("quality")) or real(data, **k)
    )
    data = webfonts.subset_font(font_files("Source Sans Pro").regular, "Quick 9")
    assert qualities and set(qualities) == {webfonts.BROTLI_QUALITY}
    with TTFont(io.BytesIO(data)) as font:  # still a WOFF2 holding the glyphs asked for
        assert font.flavor == "woff2"
        assert {ord(c) for c in "Quick9"} <= set(font.getBestCmap())
    from fontTools.ttLib import woff2

    assert woff2.brotli is brotli  # fontTools' own brotli is given back


def test_the_shipped_font_metrics_are_what_the_fonts_give_today():
    import json

    from briefing.shipped_metrics import METRICS_FILE, derive_all

    # Stale after a font package update: `python3 -m briefing.shipped_metrics` writes it again.
    assert json.loads(METRICS_FILE.read_text(encoding="utf-8")) == derive_all()


def test_a_first_build_takes_the_shipped_fonts_metrics_without_reading_the_fonts(monkeypatch):
    from briefing import measure
    from briefing.fonts import SHIPPED
    from briefing.shipped_metrics import derive

    def forbidden(path):
        raise AssertionError(f"{path.name} read on a cold cache")

    path = SHIPPED["Noto Sans CJK"]().bold
    entry = derive(path)
    monkeypatch.setattr(measure, "_LOADED", {})
    monkeypatch.setattr(measure, "_read_metrics", forbidden)
    metrics = measure.font_metrics(path, Cache(None))
    assert metrics.units_per_em == entry["units"]
    start, count, advance = entry["runs"][100]
    assert metrics.advances[start + count - 1] == advance


def test_a_font_the_metrics_were_not_derived_from_is_read_from_its_file(tmp_path, monkeypatch):
    from briefing import measure
    from briefing.fonts import SHIPPED
    from briefing.shipped_metrics import shipped_metrics

    shipped = SHIPPED["Source Sans Pro"]().regular
    changed = tmp_path / shipped.name  # same name, other bytes (a newer font package)
    data = bytearray(shipped.read_bytes())
    data[33] ^= 0xFF  # in the table directory: the second table's checksum
    changed.write_bytes(bytes(data))
    assert shipped_metrics(shipped) is not None and shipped_metrics(changed) is None
    read = []
    real = measure._read_metrics
    monkeypatch.setattr(measure, "_LOADED", {})
    monkeypatch.setattr(measure, "_read_metrics", lambda p: read.append(p) or real(p))
    measure.font_metrics(changed, Cache(None))
    assert read == [changed]


def test_the_shipped_advances_answer_as_the_fonts_own_table():
    from briefing.fonts import SHIPPED
    from briefing.measure import _read_metrics
    from briefing.shipped_metrics import shipped_metrics

    path = SHIPPED["Source Sans Pro"]().bold
    advances, units, line_height = shipped_metrics(path)
    read, read_units, read_line_height = _read_metrics(path)
    assert (units, line_height) == (read_units, read_line_height)
    assert len(advances) == len(read) and dict(advances) == read
    for code in read:  # every run's first and last code point, and the ones around them
        for near in (code - 1, code, code + 1):
            assert advances.get(near) == read.get(near)
    assert 0x4E00 not in advances and advances.get(0x4E00) is None  # no Chinese in a Latin face

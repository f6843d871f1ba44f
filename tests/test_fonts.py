"""`briefing fonts install`: the shipped fonts copied where each platform's apps look."""

from __future__ import annotations

import filecmp
import gc
import warnings
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from click.testing import CliRunner

from briefing.cli import main
from briefing.errors import OutputError
from briefing.font_install import (
    WINDOWS_FONTS_KEY,
    Machine,
    fontconfig_alias_file,
    install_fonts,
    placements,
    user_font_dir,
)
from briefing.fonts import font_files

SHIPPED_FILES = {
    "SourceSansPro-Regular.otf",
    "SourceSansPro-Bold.otf",
    "NotoSansCJKtc-Regular.otf",
    "NotoSansCJKtc-Bold.otf",
}


def _linux(home: Path, **env: str) -> Machine:
    return Machine("linux", home, {"PATH": "", **env})


def test_each_platform_has_its_users_font_folder(tmp_path: Path):
    assert user_font_dir(_linux(tmp_path)) == tmp_path / ".local/share/fonts/briefing"
    xdg = tmp_path / "data"
    assert user_font_dir(_linux(tmp_path, XDG_DATA_HOME=str(xdg))) == xdg / "fonts/briefing"
    assert user_font_dir(Machine("darwin", tmp_path, {})) == tmp_path / "Library/Fonts"
    local = tmp_path / "AppData/Local"
    windows = Machine("win32", tmp_path, {"LOCALAPPDATA": str(local)})
    assert user_font_dir(windows) == local / "Microsoft/Windows/Fonts"


def test_dry_run_says_where_and_what_and_copies_nothing(tmp_path: Path):
    machine = _linux(tmp_path)
    lines = install_fonts(machine, dry_run=True, run=_no_run)
    folder = user_font_dir(machine)
    copies = [line for line in lines if line.startswith("would copy")]
    assert {line.split(": ")[1].split(" to ")[0] for line in copies} == SHIPPED_FILES
    assert all(line.endswith(str(folder)) for line in copies)
    assert any(str(fontconfig_alias_file(machine)) in line for line in lines)
    assert not folder.exists() and not (tmp_path / ".config").exists()


def test_install_copies_the_files_then_skips_them(tmp_path: Path):
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    (bin_dir / "fc-cache").write_text("#!/bin/sh\n")
    (bin_dir / "fc-cache").chmod(0o755)
    machine = _linux(tmp_path / "home", PATH=str(bin_dir))
    calls: list[list[str]] = []
    install_fonts(machine, run=calls.append)
    folder = user_font_dir(machine)
    assert {p.name for p in folder.iterdir()} == SHIPPED_FILES
    for placement in placements(machine):
        assert filecmp.cmp(placement.source, folder / placement.source.name, shallow=False)
    assert calls == [[str(bin_dir / "fc-cache"), str(folder)]]

    again = install_fonts(machine, run=calls.append)
    assert sum(line.startswith("already there") for line in again) == 5  # 4 files + aliases
    assert not any(line.startswith("copy") or line.startswith("write") for line in again)


def test_fontconfig_takes_our_file_for_the_simplified_chinese_name(tmp_path: Path):
    machine = _linux(tmp_path)
    install_fonts(machine, run=_no_run)
    rules = ET.parse(fontconfig_alias_file(machine)).getroot()
    accepted = {
        alias.findtext("family"): alias.findtext("accept/family") for alias in rules.iter("alias")
    }
    # The deck asks for Noto Sans CJK SC; the shipped file calls itself Noto Sans CJK TC.
    assert accepted["Noto Sans CJK SC"] == "Noto Sans CJK TC"
    assert "Noto Sans CJK TC" not in accepted


def test_windows_copies_into_the_users_folder_and_registers_each_font(tmp_path: Path):
    local = tmp_path / "Local"
    machine = Machine("win32", tmp_path, {"LOCALAPPDATA": str(local)})
    registered: list[tuple[str, str]] = []
    lines = install_fonts(machine, register=lambda *entry: registered.append(entry))
    folder = local / "Microsoft/Windows/Fonts"
    assert ("Noto Sans CJK TC Bold (OpenType)", str(folder / "NotoSansCJKtc-Bold.otf")) in (
        registered
    )
    assert ("Source Sans Pro (OpenType)", str(folder / "SourceSansPro-Regular.otf")) in registered
    assert len(registered) == 4
    assert any(WINDOWS_FONTS_KEY in line for line in lines)
    assert not any("fontconfig" in line or "fc-cache" in line for line in lines)


def test_macos_copies_into_library_fonts_only(tmp_path: Path):
    machine = Machine("darwin", tmp_path, {})
    lines = install_fonts(machine, register=_no_run)
    assert {p.name for p in (tmp_path / "Library/Fonts").iterdir()} == SHIPPED_FILES
    assert not any("fontconfig" in line or "register" in line for line in lines)


def test_an_unusable_font_folder_is_a_clear_error(tmp_path: Path):
    blocked = tmp_path / "data"
    blocked.write_text("a file where the data folder should be")
    with pytest.raises(OutputError) as error:
        install_fonts(_linux(tmp_path, XDG_DATA_HOME=str(blocked)), run=_no_run)
    assert str(blocked / "fonts" / "briefing") in str(error.value)
    assert "SourceSansPro-Regular.otf" in str(error.value)


def test_the_cli_says_where_and_fails_cleanly(tmp_path: Path):
    runner = CliRunner()
    env = {"HOME": str(tmp_path), "XDG_DATA_HOME": None, "XDG_CONFIG_HOME": None}
    result = runner.invoke(main, ["fonts", "install", "--dry-run"], env=env)
    assert result.exit_code == 0, result.output
    assert f"to {tmp_path / '.local/share/fonts/briefing'}" in result.output
    assert not (tmp_path / ".local").exists()
    listed = runner.invoke(main, ["fonts", "list"], env=env)
    assert listed.output.count("not installed") == 4

    (tmp_path / "data").write_text("not a folder")
    failed = runner.invoke(
        main, ["fonts", "install"], env={**env, "XDG_DATA_HOME": str(tmp_path / "data")}
    )
    assert failed.exit_code == 1 and "Traceback" not in failed.output
    assert "error: " in failed.output and "font folder" in failed.output


def _no_run(*args) -> None:
    raise AssertionError(f"nothing should run: {args}")


def _resource_warnings(read) -> list[str]:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", ResourceWarning)
        read()
        gc.collect()
    return [str(w.message) for w in caught if issubclass(w.category, ResourceWarning)]


@pytest.mark.parametrize("reader", ["metrics", "chart family", "subset", "install names"])
def test_font_files_are_closed_after_reading(reader: str):
    from briefing.font_install import full_name
    from briefing.measure import _read_metrics
    from briefing.render.charts_mpl import _file_family
    from briefing.render.webfonts import subset_font

    latin = font_files("Source Sans Pro").regular
    read = {
        "metrics": lambda: _read_metrics(latin),
        "chart family": lambda: _file_family("Source Sans Pro"),
        "subset": lambda: subset_font(latin, "abc"),
        "install names": lambda: full_name(latin),
    }[reader]
    assert _resource_warnings(read) == []

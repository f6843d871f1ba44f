"""The shipped fonts copied into the user's own font folder, where presenting apps look."""

from __future__ import annotations

import filecmp
import os
import shutil
import subprocess
import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

from briefing.errors import OutputError
from briefing.fonts import SHIPPED

# Windows lists a user's fonts under this key (value: display name, data: file path); apps
# started after the copy find a font only through it (Windows 10 1809 and later).
WINDOWS_FONTS_KEY = r"Software\Microsoft\Windows NT\CurrentVersion\Fonts"
# Noto Sans CJK SC, TC, JP, KR and HK are one Pan-CJK font under regional names; we ship the
# TC file, so fontconfig is told that a request for another region may take it.
CJK_REGIONS = ("SC", "TC", "JP", "KR", "HK")
ALIAS_FILE = "60-briefing-noto-cjk.conf"


@dataclass(frozen=True)
class Placement:
    """One shipped font file and where it goes in the user's font folder."""

    family: str
    name: str  # the file's own full name, as font menus and Windows' registry show it
    source: Path
    target: Path

    @property
    def present(self) -> bool:
        """True when the same bytes are there already."""
        return self.target.is_file() and filecmp.cmp(self.source, self.target, shallow=False)


@dataclass(frozen=True)
class Machine:
    """What the install depends on: the platform, the home folder and the environment."""

    platform: str
    home: Path
    env: Mapping[str, str]

    @classmethod
    def this(cls) -> Machine:
        """The machine this process runs on."""
        return cls(sys.platform, Path.home(), os.environ)

    @property
    def is_windows(self) -> bool:
        """Windows: a font folder per user and a registry key per font."""
        return self.platform.startswith("win")

    @property
    def is_mac(self) -> bool:
        """macOS: a font folder per user, read by every app."""
        return self.platform == "darwin"


def user_font_dir(machine: Machine) -> Path:
    """The per-user font folder: no administrator rights needed, seen by every app."""
    if machine.is_windows:
        local = machine.env.get("LOCALAPPDATA") or str(machine.home / "AppData" / "Local")
        return Path(local) / "Microsoft" / "Windows" / "Fonts"
    if machine.is_mac:
        return machine.home / "Library" / "Fonts"
    data = machine.env.get("XDG_DATA_HOME") or str(machine.home / ".local" / "share")
    # fontconfig reads this folder and its subfolders; ours keeps the files together.
    return Path(data) / "fonts" / "briefing"


def fontconfig_alias_file(machine: Machine) -> Path | None:
    """Where fontconfig reads a user's rules (Linux and other fontconfig systems), else None."""
    if machine.is_windows or machine.is_mac:
        return None
    config = machine.env.get("XDG_CONFIG_HOME") or str(machine.home / ".config")
    return Path(config) / "fontconfig" / "conf.d" / ALIAS_FILE


def placements(machine: Machine) -> list[Placement]:
    """Every shipped font file with its place in the user's font folder."""
    folder = user_font_dir(machine)
    found = []
    for family, locate in SHIPPED.items():
        files = locate()
        for path in (files.regular, files.bold):
            found.append(Placement(family, full_name(path), path, folder / path.name))
    return found


def fontconfig_aliases(family: str) -> str:
    """fontconfig rules letting a request for any region of Noto Sans CJK take our file's
    family; `accept` ranks it after a real face of that name, so an installed one still wins."""
    rules = "".join(
        f'<alias binding="same"><family>Noto Sans CJK {region}</family>'
        f"<accept><family>{family}</family></accept></alias>"
        for region in CJK_REGIONS
        if f"Noto Sans CJK {region}" != family
    )
    return (
        '<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "fonts.dtd">\n'
        "<!-- Written by `briefing fonts install`. -->\n"
        f"<fontconfig>{rules}</fontconfig>\n"
    )


def file_family(path: Path) -> str:
    """The family name a font file gives itself (its typographic family first)."""
    return _names(path, 16, 1)


def full_name(path: Path) -> str:
    """The full name a font file gives itself ("Noto Sans CJK TC Bold")."""
    return _names(path, 4)


def _names(path: Path, *ids: int) -> str:
    from fontTools.ttLib import TTFont

    with TTFont(path, lazy=True) as font:
        table = font["name"]
        return str(next(filter(None, (table.getDebugName(i) for i in ids))))


def windows_display_name(placement: Placement) -> str:
    """The registry value name Windows gives an installed OpenType font."""
    return f"{placement.name} (OpenType)"


RegistryWriter = Callable[[str, str], None]


def _write_windows_registry(name: str, path: str) -> None:
    import winreg  # only on Windows

    with winreg.CreateKey(winreg.HKEY_CURRENT_USER, WINDOWS_FONTS_KEY) as key:
        winreg.SetValueEx(key, name, 0, winreg.REG_SZ, path)


def install_fonts(
    machine: Machine,
    dry_run: bool = False,
    register: RegistryWriter | None = None,
    run: Callable[[list[str]], object] = subprocess.run,
) -> list[str]:
    """Copy the shipped fonts that are not there yet; return what was (or would be) done."""
    will = "would " if dry_run else ""
    lines: list[str] = []
    wanted = placements(machine)
    folder = user_font_dir(machine)
    for placement in wanted:
        label = placement.name
        if placement.present:
            lines.append(f"already there: {label} ({placement.target})")
            continue
        lines.append(f"{will}copy {label}: {placement.source.name} to {folder}")
        if not dry_run:
            _copy(placement)
        if machine.is_windows:
            name = windows_display_name(placement)
            lines.append(f"{will}register {name} under HKEY_CURRENT_USER\\{WINDOWS_FONTS_KEY}")
            if not dry_run:
                (register or _write_windows_registry)(name, str(placement.target))
    lines += _fontconfig_steps(machine, wanted, dry_run, run)
    return lines


def _copy(placement: Placement) -> None:
    target = placement.target
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        # A partial file would be a broken font to every app: copy beside, then rename.
        partial = target.with_name(f".{target.name}.partial")
        shutil.copyfile(placement.source, partial)
        os.replace(partial, target)
    except OSError as error:
        raise OutputError(
            f"{target.parent}: cannot copy {placement.source.name} into the font folder "
            f"({error.strerror}); make the folder writable or copy the file there by hand"
        ) from None


def _fontconfig_steps(
    machine: Machine, wanted: list[Placement], dry_run: bool, run: Callable[[list[str]], object]
) -> list[str]:
    """On fontconfig systems: the regional alias file, then a refreshed font cache."""
    alias_file = fontconfig_alias_file(machine)
    if alias_file is None:
        return []
    will = "would " if dry_run else ""
    lines = []
    cjk = next(p for p in wanted if p.family == "Noto Sans CJK")
    rules = fontconfig_aliases(file_family(cjk.source))
    if alias_file.is_file() and alias_file.read_text(encoding="utf-8") == rules:
        lines.append(f"already there: fontconfig aliases ({alias_file})")
    else:
        lines.append(f"{will}write fontconfig aliases for Noto Sans CJK SC/JP/KR/HK: {alias_file}")
        if not dry_run:
            try:
                alias_file.parent.mkdir(parents=True, exist_ok=True)
                alias_file.write_text(rules, encoding="utf-8")
            except OSError as error:
                raise OutputError(f"{alias_file}: cannot write ({error.strerror})") from None
    fc_cache = shutil.which("fc-cache", path=machine.env.get("PATH"))
    if fc_cache is None:
        lines.append("fc-cache not found: apps see the fonts after their next start")
    else:
        lines.append(f"{will}run fc-cache {user_font_dir(machine)}")
        if not dry_run:
            run([fc_cache, str(user_font_dir(machine))])
    return lines


def font_listing(machine: Machine) -> list[str]:
    """Each shipped font file: family, style, size and whether the user's folder has it."""
    lines = []
    for placement in placements(machine):
        size = placement.source.stat().st_size / 2**20
        where = f"installed in {placement.target.parent}" if placement.present else "not installed"
        lines.append(f"{placement.name}: {placement.source} ({size:.1f} MiB), {where}")
    return lines

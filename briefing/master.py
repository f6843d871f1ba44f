"""A user's master deck (.pptx/.potx): opened safely, its theme read, layouts matched to kinds."""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

from briefing.errors import ThemeError

A = "{http://schemas.openxmlformats.org/drawingml/2006/main}"
TEMPLATE_TYPE = b"application/vnd.openxmlformats-officedocument.presentationml.template.main+xml"
PRESENTATION_TYPE = (
    b"application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml"
)
CJK_FACES = (
    "YaHei",
    "雅黑",
    "SimSun",
    "宋体",
    "SimHei",
    "黑体",
    "DengXian",
    "等线",
    "PingFang",
    "Hiragino",
    "Noto Sans CJK",
    "Noto Serif CJK",
    "Source Han",
    "思源",
    "KaiTi",
    "楷体",
    "FangSong",
    "仿宋",
    "JhengHei",
    "正黑",
    "MingLiU",
    "Heiti",
    "Songti",
    "Meiryo",
    "Yu Gothic",
    "MS Gothic",
    "MS Mincho",
    "Malgun",
    "WenQuanYi",
)
OTHER_OFFICE = {"word/document.xml": "a Word document", "xl/workbook.xml": "an Excel workbook"}
# Layout names PowerPoint, LibreOffice and pandoc use, per the shape a slide kind needs.
WANTED = {
    "cover": ("Title Slide", "Title", "Title, Subtitle"),
    "content": ("Title and Content", "Title, Content", "Title and Text", "Title, Text"),
    "two": (
        "Two Content",
        "Title and 2 Content",
        "Title, 2 Content",
        "Comparison",
        "Title, Content and 2 Content",
    ),
    "title_only": ("Title Only", "Title, Only", "Title only"),
}
KIND_SHAPE = {
    "title": "cover",
    "summary": "content",
    "bullets": "content",
    "sources": "content",
    "comparison": "two",
    "chart": "title_only",
    "kpi": "title_only",
    "timeline": "title_only",
    "quote": "title_only",
    "recommendations": "title_only",
}


def master_bytes(path: Path) -> bytes:
    """A master deck's bytes as a .pptx package, refusing what is not a presentation."""
    try:
        data = path.read_bytes()
    except OSError as error:
        raise ThemeError(f"{path}: cannot read the master deck: {error.strerror}") from None
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        names = set(archive.namelist())
        types = archive.read("[Content_Types].xml") if "[Content_Types].xml" in names else b""
    except zipfile.BadZipFile:
        raise ThemeError(f"{path}: not a PowerPoint file (it is not a zip package)") from None
    _refuse_hostile(path, archive)
    if "ppt/presentation.xml" not in names:
        what = next((kind for part, kind in OTHER_OFFICE.items() if part in names), None)
        raise ThemeError(
            f"{path}: not a PowerPoint file"
            + (f" (it is {what})" if what else "")
            + "; give a .pptx or .potx"
        )
    if TEMPLATE_TYPE in types:
        # python-pptx opens only presentations: a .potx differs in its main content type.
        return _replace_part(
            archive, "[Content_Types].xml", types.replace(TEMPLATE_TYPE, PRESENTATION_TYPE)
        )
    return data


MAX_UNPACKED = 200_000_000  # bytes: a large corporate master with pictures is ~30 MB
MAX_RATIO = 200  # a zip bomb packs far tighter than any real deck


def _refuse_hostile(path: Path, archive: zipfile.ZipFile) -> None:
    """Refuse a master that would unpack into a bomb, carries macros, or links outside itself."""
    infos = archive.infolist()
    unpacked = sum(info.file_size for info in infos)
    packed = sum(info.compress_size for info in infos) or 1
    if unpacked > MAX_UNPACKED or (unpacked > 10_000_000 and unpacked / packed > MAX_RATIO):
        raise ThemeError(
            f"{path}: refused: it would unpack to {unpacked:,} bytes (packed {packed:,}); "
            "a master deck is a few MB"
        )
    if any(info.filename.lower().endswith("vbaproject.bin") for info in infos):
        raise ThemeError(f"{path}: refused: it holds macros (VBA); save it as a .pptx without them")
    for info in infos:
        # Sample slides are dropped from decks; every other part must stay inside the file.
        if not info.filename.endswith(".rels") or info.filename.startswith("ppt/slides/"):
            continue
        from lxml import etree

        try:
            rels = etree.fromstring(archive.read(info))
        except etree.XMLSyntaxError:
            raise ThemeError(f"{path}: refused: {info.filename} is not valid XML") from None
        # Parsed, not searched: any quoting or attribute order is read alike.
        external = [r.get("Target") for r in rels if r.get("TargetMode") == "External"]
        if external:
            target = external[0]
            raise ThemeError(
                f"{path}: refused: {info.filename} links outside the file ({target}); "
                "embed the picture or object, or remove the link, and save again"
            )


def _replace_part(archive: zipfile.ZipFile, name: str, content: bytes) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in archive.infolist():
            target.writestr(info, content if info.filename == name else archive.read(info))
    return out.getvalue()


def open_master(path: Path):
    """The master deck as a python-pptx Presentation."""
    from pptx import Presentation

    try:
        return Presentation(io.BytesIO(master_bytes(path)))
    except ThemeError:
        raise
    except Exception as error:  # python-pptx raises many kinds on a broken package
        raise ThemeError(f"{path}: cannot open the master deck: {error}") from None


def master_tokens(path: Path) -> dict:
    """Colour and font tokens from the master's own theme (charts take its accents)."""
    from lxml import etree

    archive = zipfile.ZipFile(io.BytesIO(master_bytes(path)))
    themes = sorted(n for n in archive.namelist() if re.match(r"ppt/theme/theme\d+\.xml$", n))
    if not themes:
        return {}
    root = etree.fromstring(archive.read(themes[0]))
    colors = {}
    for slot in root.iter(f"{A}clrScheme"):
        for child in slot:
            value = child.find(f"{A}srgbClr")
            system = child.find(f"{A}sysClr")
            hex_value = (
                value.get("val")
                if value is not None
                else (system.get("lastClr") if system is not None else None)
            )
            if hex_value:
                colors[child.tag.removeprefix(A)] = hex_value.upper()
        break
    tokens: dict = {"colors": {}, "fonts": {}}
    mapping = {
        "text": "dk1",
        "background": "lt1",
        "primary": "dk2",
        "surface": "lt2",
        "accent": "accent2",
    }
    for token, slot in mapping.items():
        if slot in colors:
            tokens["colors"][token] = colors[slot]
    series = [colors[f"accent{i}"] for i in range(1, 7) if f"accent{i}" in colors]
    if series:
        tokens["colors"]["series"] = series
    minor = root.find(f".//{A}fontScheme/{A}minorFont")
    if minor is not None:
        latin = minor.find(f"{A}latin")
        east_asian = minor.find(f"{A}ea")
        if latin is not None and latin.get("typeface"):
            tokens["fonts"]["latin"] = latin.get("typeface")
        # An empty East-Asian face, or one without Chinese (LibreOffice writes DejaVu Sans),
        # would leave Chinese to chance: keep ours unless the master names a CJK face.
        face = east_asian.get("typeface", "") if east_asian is not None else ""
        if any(hint in face for hint in CJK_FACES):
            tokens["fonts"]["east_asian"] = face
    return tokens


def layout_shape(layout) -> tuple[bool, bool, int]:
    """What a layout offers: a title, a subtitle, and how many body placeholders."""
    from pptx.enum.shapes import PP_PLACEHOLDER

    kinds = [ph.placeholder_format.type for ph in layout.placeholders]
    title = any(k in (PP_PLACEHOLDER.TITLE, PP_PLACEHOLDER.CENTER_TITLE) for k in kinds)
    subtitle = PP_PLACEHOLDER.SUBTITLE in kinds
    bodies = sum(k in (PP_PLACEHOLDER.BODY, PP_PLACEHOLDER.OBJECT) for k in kinds)
    return title, subtitle, bodies


def _fits_shape(shape: str, offered: tuple[bool, bool, int]) -> bool:
    title, subtitle, bodies = offered
    return {
        "cover": title and (subtitle or bodies >= 1),
        "content": title and bodies == 1 and not subtitle,
        "two": title and bodies >= 2,
        "title_only": title and bodies == 0 and not subtitle,
    }[shape]


def choose_layout(prs, kind: str, mapped: str | None) -> tuple[object, str | None]:
    """The layout for a slide kind: the theme's name, a known name, a matching shape, or the
    closest one (with a warning saying which)."""
    layouts = list(prs.slide_layouts)
    by_name = {layout.name: layout for layout in layouts}
    shape = KIND_SHAPE[kind]
    if mapped in by_name:
        return by_name[mapped], None  # a theme that names a layout gets exactly that one
    note = f"the theme maps '{kind}' to '{mapped}', which the master lacks; " if mapped else ""
    for name in WANTED[shape]:
        if name in by_name and _fits_shape(shape, layout_shape(by_name[name])):
            return by_name[name], (f"{note}using '{name}'" if note else None)
    for layout in layouts:
        if _fits_shape(shape, layout_shape(layout)):
            return layout, (f"{note}using '{layout.name}'" if note else None)
    # Nothing of the right shape: any layout with a title, else the first one.
    fallback = next((lo for lo in layouts if layout_shape(lo)[0]), layouts[0] if layouts else None)
    if fallback is None:
        raise ThemeError("the master deck has no slide layouts")
    wanted = mapped or WANTED[shape][0]
    return fallback, (
        f"no layout like '{wanted}' for slide kind '{kind}'; using '{fallback.name}' instead"
    )

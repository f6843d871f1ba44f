"""A user's master deck (.pptx/.potx): opened safely, its theme read, layouts matched to kinds."""

from __future__ import annotations

import io
import posixpath
import re
import zipfile
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path, PurePosixPath
from urllib.parse import unquote

from briefing.errors import InputError, ThemeError
from briefing.inputs import read_input
from briefing.package import MAX_UNPACKED, Budget, UnsafePackage, open_package
from briefing.package import check as check_package

A = "{http://schemas.openxmlformats.org/drawingml/2006/main}"
R = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
HYPERLINK = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/hyperlink"
# The parts a deck is built from: their references are followed, so each must resolve.
DECK_PARTS = re.compile(r"ppt/presentation\.xml|ppt/(slideMasters|slideLayouts)/[^/]+\.xml")
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


@dataclass(frozen=True)
class Master:
    """A master deck as a checked .pptx package, and what was removed from it on the way."""

    data: bytes
    warnings: tuple[str, ...] = ()


def master_bytes(path: Path) -> bytes:
    """A master deck's bytes as a .pptx package, refusing what is not a presentation."""
    return read_master(path).data


def read_master(path: Path) -> Master:
    """The master deck checked once per file version (a build opens it for tokens and slides)."""
    try:
        stat = path.stat()
    except OSError as error:
        raise ThemeError(f"{path}: cannot read the master deck: {error.strerror}") from None
    return _read_master(path, stat.st_mtime_ns, stat.st_size)


@lru_cache(maxsize=2)  # a master may have 200 MB
def _read_master(path: Path, mtime: int, size: int) -> Master:
    data = _master_file(path)
    try:
        archive = open_package(data)
        # What it inflates to, counted as it inflates (the zip directory's sizes can lie),
        # before any part is read whole.
        check_package(data, Budget.for_size(len(data)))
    except zipfile.BadZipFile:
        raise ThemeError(f"{path}: not a PowerPoint file (it is not a zip package)") from None
    except UnsafePackage as error:
        raise ThemeError(f"{path}: refused: {error}") from None
    names = set(archive.namelist())
    types = archive.read("[Content_Types].xml") if "[Content_Types].xml" in names else b""
    _refuse_hostile(path, archive)
    if "ppt/presentation.xml" not in names:
        what = next((kind for part, kind in OTHER_OFFICE.items() if part in names), None)
        raise ThemeError(
            f"{path}: not a PowerPoint file"
            + (f" (it is {what})" if what else "")
            + "; give a .pptx or .potx"
        )
    _refuse_missing_parts(path, archive)
    replaced, warnings = _strip_hyperlinks(path, archive)
    if TEMPLATE_TYPE in types:
        # python-pptx opens only presentations: a .potx differs in its main content type.
        replaced["[Content_Types].xml"] = types.replace(TEMPLATE_TYPE, PRESENTATION_TYPE)
    if replaced:
        data = _replace_parts(archive, replaced)
    return Master(data, tuple(warnings))


def _master_file(path: Path) -> bytes:
    """The master's bytes: a regular file, read no further than the limit."""
    try:
        # Opened without waiting: a FIFO named like a master would block a plain open().
        return read_input(path, MAX_UNPACKED, "a master deck (.pptx or .potx)")
    except InputError as error:
        raise ThemeError(str(error)) from None


def _refuse_hostile(path: Path, archive: zipfile.ZipFile) -> None:
    """Refuse a master that carries macros or loads anything from outside itself."""
    infos = archive.infolist()
    if any(info.filename.lower().endswith("vbaproject.bin") for info in infos):
        raise ThemeError(f"{path}: refused: it holds macros (VBA); save it as a .pptx without them")
    for name, rels in _relationships(path, archive):
        # Sample slides are dropped from decks; every other part must stay inside the file.
        if name.startswith("ppt/slides/"):
            continue
        # A viewer loads a linked picture, object or media by itself; a hyperlink only when
        # clicked, so hyperlinks are removed (below) and everything else is refused.
        for rel in rels:
            if rel.get("TargetMode") == "External" and rel.get("Type") != HYPERLINK:
                raise ThemeError(
                    f"{path}: refused: {name} links outside the file ({rel.get('Target')}); "
                    "embed the picture or object, or remove the link, and save again"
                )


def _part_xml(path: Path, archive: zipfile.ZipFile, name: str):
    """A part parsed as OOXML allows: no DTD, so no entity can pull in a file of this machine
    (a part we rewrite would carry it into the deck)."""
    from lxml import etree

    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
    try:
        root = etree.fromstring(archive.read(name), parser)
    except etree.XMLSyntaxError:
        raise ThemeError(f"{path}: refused: {name} is not valid XML") from None
    if root.getroottree().docinfo.doctype:
        raise ThemeError(f"{path}: refused: {name} declares a DTD, which Office files never do")
    return root


def _relationships(path: Path, archive: zipfile.ZipFile):
    """Each .rels part of the package, parsed (any quoting or attribute order reads alike)."""
    for info in archive.infolist():
        if info.filename.endswith(".rels"):
            yield info.filename, _part_xml(path, archive, info.filename)


def _source_part(rels_name: str) -> str:
    """The part a .rels file belongs to: a/_rels/b.xml.rels -> a/b.xml."""
    folder, _, file = rels_name.rpartition("_rels/")
    return folder + file.removesuffix(".rels")


def _target_part(rels_name: str, target: str) -> str:
    """A relationship's target as a part name inside the package."""
    if target.startswith("/"):
        return target.lstrip("/")
    base = PurePosixPath(_source_part(rels_name)).parent
    return posixpath.normpath(str(base / target)).lstrip("./") if str(base) != "." else target


def _refuse_missing_parts(path: Path, archive: zipfile.ZipFile) -> None:
    """Every part the presentation, its masters and layouts refer to must be in the file
    (python-pptx fails with a KeyError on first use otherwise)."""

    names = set(archive.namelist())
    relationships = dict(_relationships(path, archive))
    for source in sorted(n for n in names if DECK_PARTS.fullmatch(n)):
        folder, _, file = source.rpartition("/")
        name = f"{folder}/_rels/{file}.rels"
        rels = relationships.get(name, [])
        for rel in rels:
            part = _target_part(name, rel.get("Target", ""))
            # A target may be percent-encoded ("image%201.png" for "image 1.png").
            if rel.get("TargetMode") != "External" and not {part, unquote(part)} & names:
                raise ThemeError(
                    f"{path}: {name} refers to {part}, which the file lacks; the master is "
                    "damaged: open it in PowerPoint or LibreOffice and save it again"
                )
        if source.startswith("ppt/slideLayouts/") and not any(
            rel.get("Type", "").endswith("/slideMaster") for rel in rels
        ):
            raise ThemeError(
                f"{path}: {source} names no slide master, which every layout needs; the master "
                "is damaged: open it in PowerPoint or LibreOffice and save it again"
            )
        known = {rel.get("Id") for rel in rels}
        for element in _part_xml(path, archive, source).iter():
            for attribute, value in element.attrib.items():
                if attribute.startswith(R) and value not in known:
                    raise ThemeError(
                        f"{path}: {source} uses relationship '{value}', which {name} lacks; "
                        "the master is damaged: open it in PowerPoint or LibreOffice and save "
                        "it again"
                    )


def _strip_hyperlinks(path: Path, archive: zipfile.ZipFile) -> tuple[dict[str, bytes], list[str]]:
    """Remove links to the outside (an illustration credit, say): the text stays, the deck
    points at nothing outside itself. Returns the changed parts and a warning per part."""
    from lxml import etree

    replaced: dict[str, bytes] = {}
    warnings: list[str] = []
    for name, rels in _relationships(path, archive):
        links = [
            r for r in rels if r.get("TargetMode") == "External" and r.get("Type") == HYPERLINK
        ]
        if not links or name.startswith("ppt/slides/"):
            continue
        source = _source_part(name)
        ids = {link.get("Id") for link in links}
        part = _part_xml(path, archive, source) if source in archive.namelist() else None
        for element in list(part.iter()) if part is not None else []:
            if any(k.startswith(R) and v in ids for k, v in element.attrib.items()):
                element.getparent().remove(element)
        for link in links:
            rels.remove(link)
        # One warning per part: a credit line's two links are one thing left out.
        targets = " and ".join(dict.fromkeys(link.get("Target") for link in links))
        what = "the link is removed (its text stays)"
        if len(links) > 1:
            what = "the links are removed (their text stays)"
        warnings.append(
            f"{path}: {source} links to {targets}; {what}, so the deck points at nothing "
            "outside itself"
        )
        replaced[name] = etree.tostring(
            rels, xml_declaration=True, encoding="UTF-8", standalone=True
        )
        if part is not None:
            replaced[source] = etree.tostring(
                part, xml_declaration=True, encoding="UTF-8", standalone=True
            )
    return replaced, warnings


def _replace_parts(archive: zipfile.ZipFile, parts: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in archive.infolist():
            target.writestr(info, parts.get(info.filename) or archive.read(info))
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


def master_tokens(path: Path, warnings: list[str] | None = None) -> dict:
    """Colour and font tokens from the master's own theme (charts take its accents); a value
    that is not a colour or a font name is left out, with a warning, and ours is used."""
    from lxml import etree

    from briefing.theme import color_problem, font_name_problem

    notes = warnings if warnings is not None else []
    archive = zipfile.ZipFile(io.BytesIO(master_bytes(path)))
    themes = sorted(n for n in archive.namelist() if re.match(r"ppt/theme/theme\d+\.xml$", n))
    if not themes:
        return {}
    root = _part_xml(path, archive, themes[0])
    where = f"{path}: {themes[0]}"
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
            name = etree.QName(child).localname
            problem = color_problem(hex_value) if hex_value else None
            if problem:
                notes.append(f"{where}: colour {name} ignored: {problem}")
            elif hex_value:
                colors[name] = hex_value.upper()
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
        faces = {
            "latin": latin.get("typeface", "") if latin is not None else "",
            # An empty East-Asian face, or one without Chinese (LibreOffice writes DejaVu
            # Sans), would leave Chinese to chance: keep ours unless the master names a CJK face.
            "east_asian": east_asian.get("typeface", "") if east_asian is not None else "",
        }
        for token, face in faces.items():
            if not face or (token == "east_asian" and not any(h in face for h in CJK_FACES)):
                continue
            problem = font_name_problem(face)
            if problem:
                notes.append(f"{where}: {token} font ignored, ours is used: {problem}")
            else:
                tokens["fonts"][token] = face
    return tokens

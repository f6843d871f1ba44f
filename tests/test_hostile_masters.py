"""Masters and themes from someone else: script in names, zip bombs, links, broken parts."""

from __future__ import annotations

import io
import json
import os
import re
import shutil
import struct
import subprocess
import sys
import textwrap
import zipfile
from datetime import datetime
from pathlib import Path
from xml.sax.saxutils import escape

import pytest
import yaml
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pptx import Presentation

from briefing.api import build
from briefing.cli import main
from briefing.errors import ThemeError
from briefing.master import master_tokens
from briefing.package import Budget, UnsafePackage
from briefing.package import check as check_package
from briefing.render.reproducible import reproducible_zip
from briefing.theme import export_theme, load_theme
from tests.conftest import MINIMAL

SCRIPT = "x;}</style><script>alert(1)</script>"
ATTRIBUTE = escape(SCRIPT, {'"': "&quot;"})  # as an XML attribute holds it
CHARTLESS = MINIMAL[: MINIMAL.index("\ncharts:\n")] + MINIMAL[MINIMAL.index("\nslides:\n") :]
CHARTLESS = CHARTLESS[: CHARTLESS.index("  - kind: chart\n")]
BRIEFINGS = {"chart-less": CHARTLESS, "with charts": MINIMAL}
REPO = Path(__file__).resolve().parent.parent


def _python_pptx_parts() -> dict[str, bytes]:
    buffer = io.BytesIO()
    Presentation().save(buffer)
    archive = zipfile.ZipFile(io.BytesIO(buffer.getvalue()))
    return {info.filename: archive.read(info) for info in archive.infolist()}


def _zip(parts: dict[str, bytes], level: int = 6) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=level) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def _master(folder: Path, patch=None, extra: dict[str, bytes] | None = None) -> Path:
    """python-pptx's default deck as a master, its parts patched or added to."""
    parts = _python_pptx_parts()
    if patch:
        parts = {name: patch(name, data) for name, data in parts.items()}
    path = folder / "hostile.pptx"
    path.write_bytes(_zip({**parts, **(extra or {})}))
    return path


def _theme_part(replace: dict[str, str]):
    def patch(name: str, data: bytes) -> bytes:
        if name != "ppt/theme/theme1.xml":
            return data
        text = data.decode("utf-8")
        for old, new in replace.items():
            assert old in text
            text = text.replace(old, new)
        return text.encode("utf-8")

    return patch


def _briefing(folder: Path, text: str) -> Path:
    path = folder / "briefing.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def _theme_folder(folder: Path, text: str) -> Path:
    theme = folder / "mine"
    theme.mkdir()
    (theme / "theme.yaml").write_text(textwrap.dedent(text), encoding="utf-8")
    return theme


def _zeros_package(name: str, size: int) -> bytes:
    """A zip holding `size` zero bytes under one name, written a MiB at a time."""
    buffer = io.BytesIO()
    chunk = bytes(1 << 20)
    with (
        zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive,
        archive.open(name, "w", force_zip64=True) as stream,
    ):
        for _ in range(size // len(chunk)):
            stream.write(chunk)
    return buffer.getvalue()


# --- 1. values that reach CSS, SVG and XML --------------------------------------------------


@pytest.mark.parametrize("kind", BRIEFINGS)
def test_a_master_font_or_colour_with_script_falls_back_with_a_warning(tmp_path: Path, kind):
    master = _master(
        tmp_path,
        _theme_part(
            {
                '<a:latin typeface="Calibri"/><a:ea typeface=""/>': (
                    f'<a:latin typeface="{ATTRIBUTE}"/><a:ea typeface=""/>'
                ),
                '<a:srgbClr val="4F81BD"/>': f'<a:srgbClr val="{ATTRIBUTE}"/>',
            }
        ),
    )
    source = _briefing(tmp_path, BRIEFINGS[kind])
    warnings: list[str] = []
    written = build(
        source, ("html",), "en", tmp_path / "out", theme=str(master), warn=warnings.append
    )
    html = written[0].read_text(encoding="utf-8")
    assert "<script" not in html and "alert(1)" not in html
    assert '--font-latin:"Source Sans Pro"' in html  # ours, not the master's
    assert any(
        "latin font ignored, ours is used" in w and "is not a font name" in w for w in warnings
    )
    assert any("colour accent1 ignored" in w and "is not a colour" in w for w in warnings)
    theme = load_theme(master)
    assert theme.fonts.latin == "Source Sans Pro"
    # The other accents are still the master's: one bad value costs only itself.
    assert theme.colors.series == ["C0504D", "9BBB59", "8064A2", "4BACC6", "F79646"]


def test_a_master_cjk_font_name_is_a_font_name(tmp_path: Path):
    master = _master(tmp_path, _theme_part({'<a:ea typeface=""/>': '<a:ea typeface="微软雅黑"/>'}))
    warnings: list[str] = []
    assert master_tokens(master, warnings)["fonts"]["east_asian"] == "微软雅黑"
    assert warnings == []


@pytest.mark.parametrize("kind", BRIEFINGS)
@pytest.mark.parametrize(
    ("tokens", "line", "field", "expected"),
    [
        (f"fonts:\n  latin: '{SCRIPT}'\n", 3, "fonts.latin", "is not a font name; a font name has"),
        (
            "colors:\n  series: [1F4E79, 'red;}</style><script>alert(1)</script>']\n",
            3,
            "colors.series[1]",
            "is not a colour; a colour is six hex digits RRGGBB",
        ),
        ("sizes:\n  body: 0\n", 3, "sizes.body", "0 is out of range; a size is a finite number"),
        ("sizes:\n  title: -3\n", 3, "sizes.title", "more than 0 and at most 4000"),
        ("sizes:\n  small: .nan\n", 3, "sizes.small", "nan is out of range"),
        ("colors:\n  text: 000000\n", 3, "colors.text", "quote one of digits only"),
    ],
)
def test_a_bad_theme_yaml_value_is_an_error_naming_file_line_and_key(
    tmp_path: Path, kind, tokens, line, field, expected
):
    theme = _theme_folder(tmp_path, "extends: default\n" + tokens)
    source = _briefing(tmp_path, BRIEFINGS[kind])
    result = CliRunner().invoke(
        main,
        [
            "build",
            str(source),
            "--format",
            "html",
            "--template",
            str(theme),
            "--out",
            str(tmp_path / "out"),
        ],
    )
    assert result.exit_code == 1, result.output
    assert isinstance(result.exception, SystemExit)  # a message, no traceback
    assert f"{theme / 'theme.yaml'}:{line}: {field}: " in result.output
    assert expected in result.output
    assert not (tmp_path / "out").exists() or not list((tmp_path / "out").glob("*.html"))


# --- 2. zip bombs: what a package actually inflates to ---------------------------------------


@pytest.fixture(scope="module")
def nested_bomb() -> bytes:
    """A master holding an embedded workbook whose one sheet inflates to 256 MiB."""
    workbook = _zeros_package("xl/worksheets/sheet1.xml", 256 << 20)
    extra = {"ppt/embeddings/Microsoft_Excel_Worksheet1.xlsx": workbook}
    return _zip({**_python_pptx_parts(), **extra}, level=9)


def _lying_zip(inflated: int, declared: int) -> bytes:
    """A master whose padding part declares `declared` bytes but inflates to `inflated`."""
    name = "ppt/media/padding.bin"
    data = bytearray(_zip({**_python_pptx_parts(), name: bytes(inflated)}))
    # The name follows its local header (30 bytes) and, last, its central one (46 bytes).
    local = data.index(name.encode()) - 30
    central = data.rindex(name.encode()) - 46
    assert data[local : local + 4] == b"PK\x03\x04" and data[central : central + 4] == b"PK\x01\x02"
    struct.pack_into("<I", data, local + 22, declared)
    struct.pack_into("<I", data, central + 24, declared)
    return bytes(data)


def test_a_nested_bomb_is_refused_by_what_it_inflates_to(tmp_path: Path, nested_bomb: bytes):
    master = tmp_path / "bomb.pptx"
    master.write_bytes(nested_bomb)
    assert len(nested_bomb) < 40_000  # the outer directory declares a small workbook
    with pytest.raises(ThemeError) as caught:
        build(None, ("pptx",), "en", tmp_path / "out", theme=str(master))
    message = str(caught.value)
    assert message.startswith(f"{master}: refused: it would unpack to ")
    assert "Microsoft_Excel_Worksheet1.xlsx > xl/worksheets/sheet1.xml" in message
    assert not (tmp_path / "out").exists()


def test_a_zip_that_lies_about_its_sizes_is_refused(tmp_path: Path):
    master = tmp_path / "liar.pptx"
    master.write_bytes(_lying_zip(inflated=50_000_000, declared=70_000))
    result = CliRunner().invoke(
        main, ["build", "--template", str(master), "--out", str(tmp_path / "out")]
    )
    assert result.exit_code == 1 and isinstance(result.exception, SystemExit)
    assert f"{master}: refused: ppt/media/padding.bin is damaged or lies about its size" in (
        result.output
    )


MEASURED = """
import json, resource, sys
from datetime import datetime
from pathlib import Path
from briefing.master import open_master
from briefing.render.reproducible import reproducible_zip

path = Path(sys.argv[1])
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
try:
    if sys.argv[2] == "master":
        open_master(path)
    else:
        reproducible_zip(path.read_bytes(), datetime(2026, 1, 1))
    outcome = "accepted"
except Exception as error:
    outcome = f"{type(error).__name__}: {error}"
after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(json.dumps({"outcome": outcome, "grew_mb": (after - before) / 1024}))
"""


@pytest.mark.parametrize("reader", ["master", "reproducible"])
@pytest.mark.parametrize("bomb", ["nested", "liar"])
def test_bombs_are_refused_in_bounded_memory(tmp_path: Path, nested_bomb: bytes, reader, bomb):
    path = tmp_path / "bomb.pptx"
    path.write_bytes(
        nested_bomb if bomb == "nested" else _lying_zip(inflated=300_000_000, declared=70_000)
    )
    # A fresh interpreter, its imports done before the first measure: only the reading counts.
    done = subprocess.run(
        [sys.executable, "-c", MEASURED, str(path), reader],
        capture_output=True,
        text=True,
        cwd=REPO,
        check=True,
    )
    result = json.loads(done.stdout.splitlines()[-1])
    assert result["outcome"].startswith(("ThemeError", "BriefingError")), result
    assert "unpack to" in result["outcome"] or "lies about its size" in result["outcome"]
    # The bombs inflate to 256 MiB and 300 MB; refusing them takes a few 1 MiB chunks.
    assert result["grew_mb"] < 60, result


def test_budget_counts_inflated_bytes_across_embedded_packages():
    inner = _zip({"a.bin": bytes(600), "b.bin": bytes(600)})
    outer = _zip({"x.xlsx": inner, "y.bin": bytes(500)})
    check_package(outer, Budget(len(inner) + 1700))  # what it inflates to, all levels
    with pytest.raises(UnsafePackage, match=r"at x\.xlsx > b\.bin"):
        check_package(outer, Budget(len(inner) + 1000))


def test_packages_nested_too_deep_are_refused():
    package = _zip({"sheet.xml": b"<x/>"})
    for level in range(5):
        package = _zip({f"level{level}.xlsx": package})
    with pytest.raises(UnsafePackage, match="nests packages deeper than 3 levels"):
        check_package(package, Budget(10_000_000))


def test_reproducible_zip_still_fixes_embedded_dates():
    when = datetime(2026, 3, 1)
    core = b"<dcterms:created x='1'>2011-01-01T00:00:00Z</dcterms:created>"
    deck = _zip(
        {"docProps/core.xml": core, "ppt/embeddings/a.xlsx": _zip({"docProps/core.xml": core})}
    )
    again = zipfile.ZipFile(io.BytesIO(reproducible_zip(deck, when)))
    inner = zipfile.ZipFile(io.BytesIO(again.read("ppt/embeddings/a.xlsx")))
    for archive in (again, inner):
        assert b">2026-03-01T00:00:00Z<" in archive.read("docProps/core.xml")
        assert {info.date_time for info in archive.infolist()} == {(2026, 3, 1, 0, 0, 0)}


# --- 3. links to the outside ------------------------------------------------------------------

CREDIT = "https://credit.example/illustrations"


def _credit_link(name: str, data: bytes) -> bytes:
    """An illustration credit on the master's title text, as LibreOffice's Grey_Elegant has."""
    if name == "ppt/slideMasters/_rels/slideMaster1.xml.rels":
        return data.replace(
            b"</Relationships>",
            b'<Relationship Id="rId99" Type="http://schemas.openxmlformats.org/officeDocument/'
            b'2006/relationships/hyperlink" Target="' + CREDIT.encode() + b'" '
            b'TargetMode="External"/></Relationships>',
        )
    if name == "ppt/slideMasters/slideMaster1.xml":
        return data.replace(
            b'<a:rPr lang="en-US" smtClean="0"/><a:t>Click to edit Master title style',
            b'<a:rPr lang="en-US" smtClean="0"><a:hlinkClick r:id="rId99"/></a:rPr>'
            b"<a:t>Click to edit Master title style",
            1,
        )
    return data


def test_a_hyperlink_in_a_master_is_removed_with_a_warning(tmp_path: Path):
    master = _master(tmp_path, _credit_link)
    assert CREDIT.encode() in zipfile.ZipFile(master).read(
        "ppt/slideMasters/_rels/slideMaster1.xml.rels"
    )
    warnings: list[str] = []
    [deck] = build(None, ("pptx",), "en", tmp_path / "out", theme=str(master), warn=warnings.append)
    assert any(
        f"ppt/slideMasters/slideMaster1.xml links to {CREDIT}; the link is removed" in w
        for w in warnings
    )
    archive = zipfile.ZipFile(deck)
    for name in archive.namelist():
        if name.endswith(".rels"):
            assert b"External" not in archive.read(name), name
    master_xml = archive.read("ppt/slideMasters/slideMaster1.xml")
    assert b"hlinkClick" not in master_xml and b"Click to edit Master title style" in master_xml


def test_a_linked_picture_in_a_master_is_still_refused(tmp_path: Path):
    def linked_picture(name: str, data: bytes) -> bytes:
        data = _credit_link(name, data)
        return data.replace(b"relationships/hyperlink", b"relationships/image")

    master = _master(tmp_path, linked_picture)
    with pytest.raises(ThemeError, match=rf"links outside the file \({CREDIT}\)"):
        load_theme(master)


@pytest.mark.slow
def test_libreoffice_grey_elegant_design_builds(tmp_path: Path):
    soffice = shutil.which("soffice")
    # Debian's libreoffice-impress keeps its designs beside the program folder.
    install = Path(os.path.realpath(soffice)).parent.parent if soffice else Path()
    design = install / "share/template/common/presnt/Grey_Elegant.otp"
    if soffice is None or not design.is_file():
        pytest.skip("needs LibreOffice Impress with its designs")
    from briefing.viewers import office_convert

    master = office_convert(design, tmp_path, "pptx")
    warnings: list[str] = []
    source = _briefing(tmp_path, MINIMAL)
    [deck] = build(
        source, ("pptx",), "en", tmp_path / "out", theme=str(master), warn=warnings.append
    )
    [credit] = [w for w in warnings if "https://icons8.com/" in w]
    assert "the links are removed" in credit
    archive = zipfile.ZipFile(deck)
    assert not any(
        b"External" in archive.read(n) for n in archive.namelist() if n.endswith(".rels")
    )


# --- 4. a master missing a part ---------------------------------------------------------------


@pytest.mark.parametrize("command", ["build", "inspect"])
def test_a_master_missing_a_layout_part_is_a_clear_error(tmp_path: Path, command: str):
    parts = _python_pptx_parts()
    del parts["ppt/slideLayouts/slideLayout3.xml"]
    master = tmp_path / "broken.pptx"
    master.write_bytes(_zip(parts))
    args = {
        "build": ["build", "--template", str(master), "--out", str(tmp_path / "out")],
        "inspect": ["templates", "inspect", str(master)],
    }[command]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 1 and isinstance(result.exception, SystemExit), result.output
    assert (
        f"{master}: ppt/slideMasters/_rels/slideMaster1.xml.rels refers to "
        "ppt/slideLayouts/slideLayout3.xml, which the file lacks"
    ) in result.output


def test_a_master_using_a_relationship_it_lacks_is_a_clear_error(tmp_path: Path):
    def drop_rel(name: str, data: bytes) -> bytes:
        if name != "ppt/slideMasters/_rels/slideMaster1.xml.rels":
            return data
        start = data.index(b'<Relationship Id="rId3"')
        return data[:start] + data[data.index(b"/>", start) + 2 :]

    master = _master(tmp_path, drop_rel)
    with pytest.raises(ThemeError, match="slideMaster1.xml uses relationship 'rId3', which"):
        load_theme(master)


# --- 5. a user folder named like a shipped theme ---------------------------------------------


@pytest.mark.parametrize("extends", ["", "extends: default\n"])
def test_a_theme_exported_to_a_folder_named_default_builds(tmp_path: Path, extends: str):
    folder = tmp_path / "default"
    export_theme("default", folder)
    text = (folder / "theme.yaml").read_text(encoding="utf-8")
    (folder / "theme.yaml").write_text(extends + text.replace("primary: 0B2545", "primary: 123ABC"))
    theme = load_theme(folder)
    assert theme.folders[0] == folder.resolve() and theme.colors.primary == "123ABC"
    assert theme.folders[1].name == "default" and theme.folders[1] != folder.resolve()
    [deck] = build(None, ("pptx",), "en", tmp_path / "out", theme=str(folder))
    assert len(Presentation(str(deck)).slides) > 0


# --- 6. a theme's page template cannot reach Python --------------------------------------------


def test_a_theme_template_cannot_reach_python(tmp_path: Path):
    theme = _theme_folder(tmp_path, "extends: default\n")
    marker = tmp_path / "ran"
    (theme / "summary.html.j2").write_text(
        '{% extends "default/summary.html.j2" %}{% block header %}'
        "{{ self.__init__.__globals__['__builtins__']['__import__']('os')"
        f".system('touch {marker}') }}}}{{% endblock %}}",
        encoding="utf-8",
    )
    source = _briefing(tmp_path, CHARTLESS)
    result = CliRunner().invoke(
        main,
        [
            "build",
            str(source),
            "--format",
            "html",
            "--template",
            str(theme),
            "--out",
            str(tmp_path / "out"),
        ],
    )
    assert not marker.exists()
    assert result.exit_code == 1 and isinstance(result.exception, SystemExit), result.output
    assert "summary.html.j2:1: template error: access to attribute '__init__'" in result.output
    assert "is unsafe" in result.output


@pytest.mark.parametrize("theme_name", ["default", "dark"])
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_sandboxed_page_is_byte_identical_for_the_shipped_themes(
    tmp_path: Path, monkeypatch, theme_name: str, lang: str
):
    from jinja2 import Environment

    from briefing.loader import load
    from briefing.render import page, templating

    briefing = load(_briefing(tmp_path, MINIMAL))
    theme = load_theme(theme_name)
    sandboxed = page.PageBuilder(briefing, theme, lang)._page(page.PAPERS["a4"], 0)
    made = templating.template_environment

    def unsandboxed(theme):
        env = made(theme)
        return Environment(
            loader=env.loader,
            autoescape=env.autoescape,
            undefined=env.undefined,
            keep_trailing_newline=env.keep_trailing_newline,
        )

    monkeypatch.setattr(templating, "template_environment", unsandboxed)
    assert page.PageBuilder(briefing, theme, lang)._page(page.PAPERS["a4"], 0) == sandboxed
    assert "<svg" in sandboxed and briefing.meta.title[lang] in sandboxed


# --- 7. fuzzing masters and themes ---------------------------------------------------------------

NAMES = st.one_of(
    st.text(max_size=30),
    st.text(st.characters(categories=("L", "N", "Zs", "P", "S")), min_size=1, max_size=70),
    st.sampled_from(
        [SCRIPT, "微软雅黑", "Noto Sans CJK SC", "", " ", "a\x00b", "x" * 65, "Arial;}"]
    ),
)
COLORS = st.one_of(
    st.from_regex(r"[0-9A-Fa-f]{6}", fullmatch=True),
    st.integers(0, 999_999),
    NAMES,
)
NUMBERS = st.one_of(
    st.floats(allow_nan=True, allow_infinity=True),
    st.integers(-(10**6), 10**6),
    st.booleans(),
    st.none(),
    NAMES,
)


def _assert_clean(theme) -> None:
    """Every token of a theme that loaded is what it claims to be."""
    from briefing.render.page import _stylesheet
    from briefing.theme import COLOR, FONT_NAME, MAX_SIZE

    assert all(FONT_NAME.fullmatch(f) for f in theme.fonts.model_dump().values())
    colors = theme.colors.model_dump()
    tokens = [*colors.pop("series"), *colors.values()]
    # Optional tokens (the cover's own colours) may be unset; a set one is a colour.
    assert all(COLOR.fullmatch(c) for c in tokens if c is not None)
    assert all(0 < s <= MAX_SIZE for s in theme.sizes.model_dump().values())
    root = _stylesheet(theme).split("\n", 1)[0]  # the tokens as CSS custom properties
    assert "<" not in root and root.count("{") == root.count("}") == 1


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    fonts=st.dictionaries(st.sampled_from(["latin", "east_asian"]), NAMES, max_size=2),
    colors=st.dictionaries(
        st.sampled_from(["primary", "text", "series"]),
        st.one_of(COLORS, st.lists(COLORS, max_size=3)),
        max_size=2,
    ),
    sizes=st.dictionaries(st.sampled_from(["body", "title", "min_body"]), NUMBERS, max_size=2),
    layouts=st.dictionaries(st.sampled_from(["kpi", "chart", "title"]), NAMES, max_size=2),
    # Now and then a whole key of the wrong kind: `master: 5`, `fonts: .nan`, `extends: ''`.
    odd=st.dictionaries(
        st.sampled_from(["master", "extends", "name", "fonts", "layouts"]), NUMBERS, max_size=1
    ),
)
def test_fuzz_a_theme_yaml_ends_in_a_clean_theme_or_a_located_error(
    tmp_path_factory, fonts, colors, sizes, layouts, odd
):
    folder = tmp_path_factory.mktemp("theme")
    document = {"extends": "default", "fonts": fonts, "colors": colors, "sizes": sizes}
    (folder / "theme.yaml").write_text(
        yaml.safe_dump({**document, "layouts": layouts, **odd}, allow_unicode=True),
        encoding="utf-8",
    )
    try:
        theme = load_theme(folder)
    except ThemeError as error:
        assert str(error).startswith(str(folder / "theme.yaml")), str(error)
        return
    _assert_clean(theme)
    from briefing.inspect import describe

    assert "slide kind -> layout" in describe(str(folder))


DAMAGE = ["none", "drop", "duplicate", "truncate", "flip", "nest", "store"]


def _damaged(parts: dict[str, bytes], damage: str, seed: int) -> bytes:
    """The package with one kind of damage at a place chosen by seed."""
    names = sorted(parts)
    victim = names[seed % len(names)]
    if damage == "drop":
        del parts[victim]
    if damage == "nest":
        parts[victim] = _zip({victim: _zip({"inner.xml": parts[victim]})})
    if damage == "store":
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as archive:
            for name, data in parts.items():
                archive.writestr(name, data)
        return buffer.getvalue()
    data = _zip(parts)
    if damage == "duplicate":
        buffer = io.BytesIO(data)
        with zipfile.ZipFile(buffer, "a") as archive, pytest.warns(UserWarning):
            archive.writestr(victim, b"<x/>")
        data = buffer.getvalue()
    if damage == "truncate":
        data = data[: seed % len(data)]
    if damage == "flip":
        position = seed % len(data)
        data = data[:position] + bytes([data[position] ^ 0xFF]) + data[position + 1 :]
    return data


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    font=NAMES,
    color=COLORS,
    layout=NAMES,
    damage=st.sampled_from(DAMAGE),
    seed=st.integers(0, 10**6),
)
def test_fuzz_a_master_ends_in_a_clean_theme_or_a_theme_error(
    tmp_path_factory, font, color, layout, damage, seed
):
    def attribute(value) -> str:
        return escape(str(value), {'"': "&quot;"})

    parts = _python_pptx_parts()
    parts["ppt/theme/theme1.xml"] = (
        parts["ppt/theme/theme1.xml"]
        .replace(
            b'<a:latin typeface="Calibri"/><a:ea typeface=""/>',
            f'<a:latin typeface="{attribute(font)}"/><a:ea typeface="{attribute(font)}"/>'.encode(),
        )
        .replace(b'<a:srgbClr val="4F81BD"/>', f'<a:srgbClr val="{attribute(color)}"/>'.encode())
    )
    parts["ppt/slideLayouts/slideLayout2.xml"] = parts["ppt/slideLayouts/slideLayout2.xml"].replace(
        b'<p:cSld name="Title and Content">', f'<p:cSld name="{attribute(layout)}">'.encode()
    )
    path = tmp_path_factory.mktemp("master") / "fuzz.pptx"
    path.write_bytes(_damaged(parts, damage, seed))
    from briefing.inspect import describe

    try:
        theme = load_theme(path)
        text = describe(str(path))
    except ThemeError as error:
        assert str(error).startswith(str(path)), str(error)
        return
    _assert_clean(theme)
    assert "slide kind -> layout" in text


def test_a_master_holding_a_part_twice_is_refused(tmp_path: Path):
    # Readers disagree on which copy counts: python-pptx took the second and crashed later.
    master = _master(tmp_path)
    with zipfile.ZipFile(master, "a") as archive, pytest.warns(UserWarning):
        archive.writestr("ppt/slideLayouts/slideLayout2.xml", b"<x/>")
    with pytest.raises(
        ThemeError, match="refused: it holds the part ppt/slideLayouts/slideLayout2.xml twice"
    ):
        load_theme(master)


@pytest.mark.parametrize(
    "master", ["5", "../elsewhere.pptx", "/elsewhere.pptx", "sub/x.pptx", "''"]
)
def test_a_theme_names_its_master_by_a_file_name_in_its_own_folder(tmp_path: Path, master):
    (tmp_path / "elsewhere.pptx").write_bytes(_zip(_python_pptx_parts()))
    theme = _theme_folder(tmp_path, f"extends: default\nmaster: {master}\n")
    with pytest.raises(ThemeError) as caught:
        load_theme(theme)
    assert str(caught.value).startswith(f"{theme / 'theme.yaml'}: master: ")
    assert "is not a file name; give the name of a .pptx or .potx in the theme's folder" in str(
        caught.value
    )


def test_a_theme_master_linking_outside_its_folder_is_refused(tmp_path: Path):
    (tmp_path / "private.pptx").write_bytes(_zip(_python_pptx_parts()))
    theme = _theme_folder(tmp_path, "extends: default\nmaster: corporate.pptx\n")
    (theme / "corporate.pptx").symlink_to(tmp_path / "private.pptx")
    with pytest.raises(ThemeError, match="master: corporate.pptx links outside the theme folder"):
        load_theme(theme)


def test_a_master_part_with_a_dtd_cannot_pull_in_a_local_file(tmp_path: Path):
    secret = tmp_path / "secret.txt"
    secret.write_text("the password is swordfish", encoding="utf-8")

    def entity(name: str, data: bytes) -> bytes:
        data = _credit_link(name, data)  # the master part is rewritten: the entity would land
        if name != "ppt/slideMasters/slideMaster1.xml":
            return data
        declaration = f'<!DOCTYPE p:sldMaster [<!ENTITY x SYSTEM "file://{secret}">]>'
        data = data.replace(b"?>", b"?>" + declaration.encode(), 1)
        return data.replace(b"Click to edit Master title style", b"&x;", 1)

    master = _master(tmp_path, entity)
    with pytest.raises(ThemeError, match="slideMaster1.xml declares a DTD"):
        build(None, ("pptx",), "en", tmp_path / "out", theme=str(master))


def test_a_layout_naming_no_slide_master_is_a_clear_error(tmp_path: Path):
    def drop_master(name: str, data: bytes) -> bytes:
        if name == "ppt/slideLayouts/_rels/slideLayout1.xml.rels":
            return re.sub(rb"<Relationship [^>]*slideMaster[^>]*/>", b"", data)
        return data

    master = _master(tmp_path, drop_master)
    with pytest.raises(ThemeError, match="slideLayout1.xml names no slide master"):
        build(None, ("pptx",), "en", tmp_path / "out", theme=str(master))


def test_a_malformed_colour_in_a_master_is_drawn_without_it(tmp_path: Path):
    def bad_colour(name: str, data: bytes) -> bytes:
        if name == "ppt/theme/theme1.xml":
            return data.replace(b'<a:srgbClr val="1F497D"/>', b'<a:srgbClr val="0"/>', 1)
        return data

    master = _master(tmp_path, bad_colour)
    [deck] = build(None, ("pptx",), "en", tmp_path / "out", theme=str(master))
    assert len(Presentation(str(deck)).slides) == 13

"""Describe a theme or master for `briefing templates inspect`: what a build would use."""

from __future__ import annotations

from pathlib import Path

from briefing.layout.choice import KIND_SHAPE
from briefing.master import open_master
from briefing.theme import load_theme

SHOWN_ERRORS = 5


def describe(template: str) -> str:
    """Slide size, layouts with placeholders, theme fonts and colours, and the layout per kind."""
    theme = load_theme(template)
    prs = open_master(theme.master_path)
    width, height = prs.slide_width / 914400, prs.slide_height / 914400
    ratio = width / height
    shape = (
        "16:9" if abs(ratio - 16 / 9) < 0.02 else "4:3" if abs(ratio - 4 / 3) < 0.02 else "custom"
    )
    lines = [
        f"master: {theme.master_path.name}  ({width:.2f} x {height:.2f} in, {shape})",
        f"fonts: latin {theme.fonts.latin}; east asian {theme.fonts.east_asian}",
        "colours: "
        + ", ".join(
            f"{k} #{v}" for k, v in theme.colors.model_dump().items() if isinstance(v, str)
        ),
        "chart series: " + ", ".join(f"#{c}" for c in theme.colors.series),
        f"sample slides in the template (left out of decks): {len(prs.slides)}",
        "layouts:",
    ]
    for layout in prs.slide_layouts:
        placeholders = ", ".join(
            f"{ph.placeholder_format.type.name.lower()}[{ph.placeholder_format.idx}]"
            for ph in layout.placeholders
        )
        lines.append(f"  - {layout.name}: {placeholders or 'no placeholders'}")
    lines.append("slide kind -> layout (as a build chooses it, by name, shape and room):")
    designer = _designer(theme, prs)
    for kind in KIND_SHAPE:
        layout = designer.layout(kind)
        lines.append(f"  {kind:<16} {layout.name}")
    lines.extend(f"  ({warning})" for warning in designer.warnings)
    lines.extend(schema_report(theme.master_path))
    return "\n".join(lines)


def _designer(theme, prs):
    """The build's own designer over the shipped briefing: the same choice a build makes."""
    from briefing.api import shipped_source
    from briefing.layout.designer import Designer
    from briefing.loader import load

    briefing = load(shipped_source())
    return Designer(briefing, theme, briefing.meta.languages[0], prs, None)


def schema_report(master: Path) -> list[str]:
    """The master's own schema errors (count, the first few with part and path), as lines."""
    try:
        from openxml_audit import OpenXmlValidator, ValidationSeverity, predict
    except ImportError:
        return ["schema: not checked (pip install openxml-audit to check the master)"]
    result = OpenXmlValidator(max_errors=0).validate(master)
    errors = [e for e in result.errors if e.severity is ValidationSeverity.ERROR]
    # The verdict names the app ("Microsoft PowerPoint: ..."); it says what a user will see.
    lines = [
        f"master's own schema errors (openxml-audit): {len(errors)}; {predict(result).headline}"
    ]
    if not errors:
        return lines
    for error in errors[:SHOWN_ERRORS]:
        # Sample slides are left out of decks, so their errors never reach one.
        sample = " (a sample slide, left out of decks)" if "/slides/" in error.part_uri else ""
        lines.append(f"  - {error.part_uri}{sample} {error.path}: {error.description}")
    if len(errors) > SHOWN_ERRORS:
        lines.append(f"  ... and {len(errors) - SHOWN_ERRORS} more")
    lines.append(
        "  these come with the master: a deck built on it keeps those outside sample slides"
    )
    return lines

"""A Latin face briefing does not ship is measured with its installed metric-compatible twin."""

from __future__ import annotations

import pytest

from briefing.fonts import font_files, metric_twin
from briefing.measure import TextMeasure, font_metrics

TEXT = "Revenue grew in every quarter of 2026"


@pytest.mark.parametrize(
    ("family", "twin"),
    [("Calibri", "Carlito"), ("Arial", "LiberationSans"), ("Times New Roman", "LiberationSerif")],
)
def test_a_face_with_an_installed_twin_is_measured_with_the_twin_unwidened(family, twin):
    files = metric_twin(family)
    if files is None:
        pytest.skip(f"{twin} is not installed (fonts-crosextra-carlito, fonts-liberation2)")
    assert files.family == twin and files.regular.name == f"{twin}-Regular.ttf"
    metrics = font_metrics(files.regular)
    expected = sum(metrics.width(ch) for ch in TEXT) * 12
    assert TextMeasure(family, "Noto Sans CJK SC").width(TEXT, 12) == pytest.approx(expected)


def test_a_face_without_a_twin_is_measured_as_source_sans_widened():
    assert metric_twin("Gill Sans") is None
    source = font_metrics(font_files("Source Sans Pro").regular)
    expected = sum(source.width(ch) for ch in TEXT) * 12 * 1.15
    assert TextMeasure("Gill Sans", "Noto Sans CJK SC").width(TEXT, 12) == pytest.approx(expected)


def test_a_shipped_face_is_measured_as_itself():
    source = font_metrics(font_files("Source Sans Pro").regular)
    expected = sum(source.width(ch) for ch in TEXT) * 12
    measure = TextMeasure("Source Sans Pro", "Noto Sans CJK SC")
    assert measure.width(TEXT, 12) == pytest.approx(expected)

"""A first build's start: what is loaded ahead, in the process that has time for it."""

from __future__ import annotations

import subprocess
import sys
import textwrap


def test_the_printer_loads_the_fitting_pages_helpers_before_the_first_page():
    # Each page that fits asks briefing.render.pdf (past_right_edge), which brings the model
    # and pydantic: the printer loads it while the build makes the page, not after.
    code = textwrap.dedent(
        """
        import sys
        from briefing.render import printer

        class NoPage:
            def recv(self):
                raise EOFError

        class End:
            def close(self):
                pass

        assert "briefing.render.pdf" not in sys.modules
        printer._serve(NoPage(), End())
        print("briefing.render.pdf" in sys.modules, "weasyprint" in sys.modules)
        """
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.split() == ["True", "True"]


def test_the_chart_fonts_are_named_without_fonttools_table_code():
    # matplotlib's FreeType face gives the family it matches by; fontTools' name table would
    # first load its table code (about 45 ms of a first build's path to the page).
    code = textwrap.dedent(
        """
        import sys
        from briefing.render.charts_mpl import _file_family, _pyplot

        _pyplot()
        from matplotlib import font_manager
        from briefing.fonts import font_files

        for family in ("Source Sans Pro", "Noto Sans CJK"):
            path = str(font_files(family).regular)
            registered = {e.name for e in font_manager.fontManager.ttflist if e.fname == path}
            assert _file_family(family) in registered, registered
        print(_file_family("Noto Sans CJK"), "fontTools.ttLib.tables._n_a_m_e" in sys.modules)
        """
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.rsplit(" ", 1) == ["Noto Sans CJK TC", "False\n"]

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

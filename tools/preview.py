"""Render decks to PNG pages under outputs/preview/ to look at them (a dev aid)."""

import sys
from pathlib import Path

from briefing.viewers import office_to_pdf, pdf_to_png

out = Path("outputs/preview")
for name in sys.argv[1:]:
    pdf = office_to_pdf(Path(name), out)
    print("\n".join(str(p) for p in pdf_to_png(pdf, out / Path(name).stem)))

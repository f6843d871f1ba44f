"""Tile PNG pages into one sheet for a quick look (a dev aid, not part of the product).

Usage: python3 tools/contact_sheet.py SHEET.png PAGE.png [PAGE.png ...]
"""

import sys
from pathlib import Path

from PIL import Image

columns = 2
if len(sys.argv) < 3 or sys.argv[1].startswith("-"):
    sys.exit(__doc__.strip())
paths = [Path(p) for p in sys.argv[2:]]
images = [Image.open(p) for p in paths]
width, height = images[0].size
rows = (len(images) + columns - 1) // columns
sheet = Image.new(
    "RGB", (columns * width + (columns - 1) * 8, rows * height + (rows - 1) * 8), "grey"
)
for index, image in enumerate(images):
    sheet.paste(image, ((index % columns) * (width + 8), (index // columns) * (height + 8)))
sheet.save(sys.argv[1])

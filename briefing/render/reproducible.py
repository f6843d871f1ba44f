"""Byte-identical Office files: fixed zip dates and order, fixed dates in embedded parts."""

from __future__ import annotations

import io
import re
import zipfile
from datetime import datetime

_CORE_DATE = re.compile(rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*(</dcterms:)")


def reproducible_zip(data: bytes, when: datetime) -> bytes:
    """Rewrite an OOXML zip with every entry dated `when`, in its order, embedded files too."""
    stamp = max(when, datetime(1980, 1, 1)).timetuple()[:6]
    iso = when.strftime("%Y-%m-%dT%H:%M:%SZ").encode("ascii")
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            content = source.read(info.filename)
            if info.filename.endswith(".xlsx"):
                content = reproducible_zip(content, when)  # chart data workbooks carry "now"
            elif info.filename.endswith("core.xml"):
                content = _CORE_DATE.sub(rb"\g<1>" + iso + rb"\g<2>", content)
            entry = zipfile.ZipInfo(info.filename, date_time=stamp)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o644 << 16
            target.writestr(entry, content)
    return out.getvalue()

"""Byte-identical Office files: fixed zip dates and order, fixed dates in embedded parts."""

from __future__ import annotations

import io
import re
import zipfile
from datetime import datetime

from briefing.errors import BriefingError
from briefing.package import Budget, UnsafePackage, entries

_CORE_DATE = re.compile(rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*(</dcterms:)")


def reproducible_zip(data: bytes, when: datetime) -> bytes:
    """Rewrite an OOXML zip with every entry dated `when`, in its order, embedded files too."""
    try:
        # The deck holds the master's parts: it is read under the same limits as a master.
        return _rewritten(data, when, Budget.for_size(len(data)), "")
    except UnsafePackage as error:
        raise BriefingError(f"the deck cannot be written: {error}") from None


def _rewritten(data: bytes, when: datetime, budget: Budget, where: str) -> bytes:
    stamp = max(when, datetime(1980, 1, 1)).timetuple()[:6]
    iso = when.strftime("%Y-%m-%dT%H:%M:%SZ").encode("ascii")
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info, content in entries(data, budget, where):
            if info.filename.endswith(".xlsx"):
                # Chart data workbooks carry "now"; their parts count against the same budget.
                content = _rewritten(content, when, budget, f"{where}{info.filename} > ")
            elif info.filename.endswith("core.xml"):
                content = _CORE_DATE.sub(rb"\g<1>" + iso + rb"\g<2>", content)
            entry = zipfile.ZipInfo(info.filename, date_time=stamp)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o644 << 16
            target.writestr(entry, content)
    return out.getvalue()

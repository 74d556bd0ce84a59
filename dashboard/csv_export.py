"""Records table -> CSV that a spreadsheet opens as data, never as formulas.

Excel, LibreOffice and Google Sheets run a cell that begins with =, +, -, @ (and tab or
carriage return, which some of them skip before looking) as a formula: a candidate's name
like '=HYPERLINK(...)' would become a live link or worse. Such cells get a leading single
quote, the spreadsheet convention for "this is text".
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import pandas as pd  # type: ignore[import-untyped]

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def neutralise_cell(value: Any) -> Any:
    """The value, with a leading "'" if it is text a spreadsheet would run as a formula."""
    if isinstance(value, str) and value.startswith(FORMULA_TRIGGERS):
        return "'" + value
    return value


def neutralise_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy with every text cell and the column names made formula-safe (numbers stay numbers)."""
    safe = frame.copy()
    for column in safe.columns:
        if safe[column].dtype == object or pd.api.types.is_string_dtype(safe[column]):
            safe[column] = safe[column].map(neutralise_cell)
    safe.columns = [neutralise_cell(str(c)) for c in safe.columns]
    return safe


def records_to_csv(records: pd.DataFrame | Iterable[Mapping[str, Any]]) -> bytes:
    """UTF-8 CSV (with a BOM, so Excel reads accents right) of the records table, formula-safe."""
    frame = records if isinstance(records, pd.DataFrame) else pd.DataFrame(list(records))
    # CRLF rows (RFC 4180) also make the writer quote any cell holding a bare CR or LF.
    return neutralise_frame(frame).to_csv(index=False, lineterminator="\r\n").encode("utf-8-sig")

"""The records CSV cannot smuggle spreadsheet formulas."""

from __future__ import annotations

import csv
import io

import pandas as pd
import pytest

from dashboard.csv_export import neutralise_cell, records_to_csv


def read_back(data: bytes) -> list[list[str]]:
    assert data.startswith(b"\xef\xbb\xbf")  # BOM so Excel picks UTF-8
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))


@pytest.mark.parametrize(
    "value",
    [
        '=HYPERLINK("http://evil","x")',
        "+1+1",
        "-2+3",
        "@SUM(A1:A2)",
        "\t=1+1",
        "\r=1+1",
        "=cmd|' /C calc'!A0",
    ],
)
def test_formula_cells_get_a_leading_quote(value: str) -> None:
    rows = read_back(records_to_csv([{"candidate": value}]))
    assert rows == [["candidate"], ["'" + value]]


def test_ordinary_cells_numbers_and_empty_cells_are_untouched() -> None:
    frame = pd.DataFrame(
        {
            "candidate": ["Dana Smith", "José Ñúñez", None],
            "score": [87, -3, 12],
            "note": ["ok = fine", "a-b", ""],
        }
    )
    rows = read_back(records_to_csv(frame))
    assert rows == [
        ["candidate", "score", "note"],
        ["Dana Smith", "87", "ok = fine"],
        ["José Ñúñez", "-3", "a-b"],
        ["", "12", ""],
    ]
    assert frame["candidate"].iloc[0] == "Dana Smith"  # the caller's frame is not modified


def test_column_names_are_neutralised_too() -> None:
    rows = read_back(records_to_csv(pd.DataFrame({"=evil()": ["x"]})))
    assert rows[0] == ["'=evil()"]


def test_neutralise_cell_leaves_non_text_alone() -> None:
    assert neutralise_cell(-5) == -5 and neutralise_cell(None) is None and neutralise_cell("=x") == "'=x"

"""User text in a spreadsheet cell stays text (OWASP "CSV injection"): a value that starts
with a character a spreadsheet reads as the start of a formula is stored as a string cell
with Excel's quote prefix, so no spreadsheet evaluates it and the text is kept as typed."""

from __future__ import annotations

from openpyxl.cell.cell import Cell, MergedCell

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n", "＝", "＋", "－", "＠")


def looks_like_formula(text: str) -> bool:
    return text.lstrip(" ").startswith(FORMULA_STARTS)


def keep_as_text(cell: Cell | MergedCell) -> None:
    """Make a cell holding a string a plain string cell that no spreadsheet evaluates."""
    if isinstance(cell.value, str):
        cell.data_type = "s"
        if looks_like_formula(cell.value):
            cell.quotePrefix = True

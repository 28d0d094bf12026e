"""Typed figures: whole numbers for counted units, thousands or decimals asked back when a
single separator before three digits could be either."""

from __future__ import annotations

import pytest

from models.errors import RuleError
from models.reporting.figures import Figure, read_figure


@pytest.mark.parametrize(
    ("text", "whole", "figure"),
    [
        ("12", True, Figure(12)),
        ("12,5", False, Figure(12.5)),
        ("12.5", False, Figure(12.5)),
        ("1,234", False, Figure(1234, 1.234)),
        ("1.234", False, Figure(1234, 1.234)),
        ("1,234", True, Figure(1234)),
        ("1.234", True, Figure(1234)),
        ("1.234.567", False, Figure(1234567)),
        ("1,234,567", True, Figure(1234567)),
        ("1 234", True, Figure(1234)),
        ("1.234,5", False, Figure(1234.5)),
        ("1,234.5", False, Figure(1234.5)),
        ("1234,5", False, Figure(1234.5)),
        ("0,500", False, Figure(0.5)),
        ("1,2345", False, Figure(1.2345)),
        (" 7 ", True, Figure(7)),
    ],
)
def test_figures_read(text: str, whole: bool, figure: Figure) -> None:
    assert read_figure(text, whole) == figure


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("2,5", "forms.value_not_whole"),
        ("150,5", "forms.value_not_whole"),
        ("1,5", "forms.value_not_whole"),
        ("1.234,5", "forms.value_not_whole"),
        ("-3", "report.value_negative"),
        ("mười", "report.value_not_number"),
        ("1.23.4", "report.value_not_number"),
        ("1,234,5", "report.value_not_number"),
        ("2.000.000.000", "report.value_too_large"),
    ],
)
def test_what_a_counted_unit_refuses(text: str, key: str) -> None:
    with pytest.raises(RuleError) as raised:
        read_figure(text, whole=True)
    assert raised.value.key == key


def test_an_ambiguous_figure_is_not_a_single_value() -> None:
    assert read_figure("1,234", whole=False).ambiguous
    assert not read_figure("1,234", whole=True).ambiguous

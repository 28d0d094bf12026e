"""Dates, moments and numbers as each language writes them."""

from __future__ import annotations

from datetime import date, datetime


def format_date(day: date, language: str) -> str:
    return day.strftime("%d/%m/%Y") if language == "vi" else f"{day.day} {day.strftime('%b %Y')}"


def format_moment(moment: datetime, language: str) -> str:
    return f"{moment.strftime('%H:%M')} {format_date(moment.date(), language)}"


def format_number(value: float, language: str) -> str:
    """1234.5 -> '1.234,5' in Vietnamese, '1,234.5' in English."""
    text = f"{value:,.6f}".rstrip("0").rstrip(".") if value != int(value) else f"{int(value):,}"
    return text.translate(str.maketrans(",.", ".,")) if language == "vi" else text

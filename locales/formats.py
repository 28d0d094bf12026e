"""Dates, moments and numbers as each language writes them."""

from __future__ import annotations

from datetime import date, datetime


def format_date(day: date, language: str) -> str:
    """'05/06/2027' in Vietnamese, '5 June 2027' in English (the month's whole name)."""
    return day.strftime("%d/%m/%Y") if language == "vi" else f"{day.day} {day.strftime('%B %Y')}"


def format_moment(moment: datetime, language: str) -> str:
    """'17:21 ngày 03/12/2026' (after 'lúc' it reads as Vietnamese documents write it), '17:21 on 3 December 2026'."""
    joint = "ngày" if language == "vi" else "on"
    return f"{moment.strftime('%H:%M')} {joint} {format_date(moment.date(), language)}"


def format_number(value: float, language: str) -> str:
    """1234.5 -> '1.234,5' in Vietnamese, '1,234.5' in English."""
    text = f"{value:,.6f}".rstrip("0").rstrip(".") if value != int(value) else f"{int(value):,}"
    return text.translate(str.maketrans(",.", ".,")) if language == "vi" else text

"""Every text a person reads comes from the gettext catalogues in `locales/` (Babel).

Message ids are symbolic keys ('join.welcome'); Vietnamese is the default language and
English the second. Placeholders use str.format names, and the catalogue test checks
that both languages carry the same ones.
"""

from __future__ import annotations

from datetime import date, datetime
from functools import cache
from pathlib import Path
from typing import Any

from babel.messages.pofile import read_po

from models.programme.periods import Periodicity, PeriodKey
from models.programme.schema import Cycle

LANGUAGES = ("vi", "en")
DEFAULT_LANGUAGE = "vi"
LOCALES = Path(__file__).resolve().parent.parent / "locales"
DOMAIN = "phoihop"


def catalogue_path(language: str) -> Path:
    return LOCALES / language / "LC_MESSAGES" / f"{DOMAIN}.po"


@cache
def catalogue(language: str) -> dict[str, str]:
    with catalogue_path(language).open("rb") as handle:
        messages = read_po(handle, locale=language, domain=DOMAIN)
    return {str(message.id): str(message.string) for message in messages if message.id and message.string}


def normalise_language(code: str | None) -> str | None:
    """'en-US' -> 'en'; None for languages without a catalogue."""
    if not code:
        return None
    short = code.split("-")[0].split("_")[0].lower()
    return short if short in LANGUAGES else None


def t(key: str, language: str = DEFAULT_LANGUAGE, /, **params: Any) -> str:
    """The text for `key` in `language`, falling back to Vietnamese, then to the key."""
    chosen = catalogue(language) if language in LANGUAGES else {}
    text = chosen.get(key) or catalogue(DEFAULT_LANGUAGE).get(key) or key
    return text.format(**params) if params else text


def format_date(day: date, language: str) -> str:
    return day.strftime("%d/%m/%Y") if language == "vi" else f"{day.day} {day.strftime('%b %Y')}"


def format_moment(moment: datetime, language: str) -> str:
    return f"{moment.strftime('%H:%M')} {format_date(moment.date(), language)}"


def format_number(value: float, language: str) -> str:
    """1234.5 -> '1.234,5' in Vietnamese, '1,234.5' in English."""
    text = f"{value:,.2f}".rstrip("0").rstrip(".") if value != int(value) else f"{int(value):,}"
    return text.translate(str.maketrans(",.", ".,")) if language == "vi" else text


_PERIOD_KEYS = {
    Periodicity.MONTHLY: "period.month",
    Periodicity.QUARTERLY: "period.quarter",
    Periodicity.SIX_MONTHLY: "period.half",
    Periodicity.ANNUAL: "period.year",
}


def period_label(key: PeriodKey, language: str) -> str:
    """'6 tháng đầu năm 2027', 'quý II/2027', 'tháng 3/2027', 'năm 2027'."""
    quarter = ("I", "II", "III", "IV")[key.part - 1] if key.periodicity is Periodicity.QUARTERLY else ""
    half = ""
    if key.periodicity is Periodicity.SIX_MONTHLY:
        half = t("period.first_half" if key.part == 1 else "period.second_half", language)
    return t(_PERIOD_KEYS[key.periodicity], language, month=key.part, quarter=quarter, half=half, year=key.year)


def localised(vi: str, en: str, language: str) -> str:
    """A name the programme file gives in both languages."""
    return en if language == "en" else vi


def period_name(cycle: Cycle, key: PeriodKey, language: str) -> str:
    """'Báo cáo 6 tháng … — 6 tháng đầu năm 2027': a cycle's report for one period."""
    return f"{localised(cycle.name, cycle.name_en, language)} — {period_label(key, language)}"


def countdown(due: date, on: date, language: str) -> str:
    """'còn 3 ngày', 'hạn là hôm nay' or 'quá hạn 2 ngày', as seen on `on`."""
    days = (due - on).days
    if days > 0:
        return t("due.days_left", language, days=days)
    return t("due.today", language) if days == 0 else t("due.days_late", language, days=-days)

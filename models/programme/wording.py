"""The programme's periods and deadlines in words: '6 tháng đầu năm 2027', 'Báo cáo 6
tháng … — quý II/2027', 'còn 3 ngày'."""

from __future__ import annotations

from datetime import date

from locales.catalogue import localised, t
from models.programme.periods import Periodicity, PeriodKey
from models.programme.schema import Cycle

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


def period_name(cycle: Cycle, key: PeriodKey, language: str) -> str:
    """'Báo cáo 6 tháng … — 6 tháng đầu năm 2027': a cycle's report for one period."""
    return f"{localised(cycle.name, cycle.name_en, language)} — {period_label(key, language)}"


def countdown(due: date, on: date, language: str) -> str:
    """'còn 3 ngày', 'hạn là hôm nay' or 'quá hạn 2 ngày', as seen on `on`."""
    days = (due - on).days
    if days > 0:
        return t("due.days_left", language, days=days)
    return t("due.today", language) if days == 0 else t("due.days_late", language, days=-days)

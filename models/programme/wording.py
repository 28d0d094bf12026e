"""The programme's periods and deadlines in words: '6 tháng đầu năm 2027', 'Báo cáo 6
tháng … — quý II/2027', 'còn 3 ngày'."""

from __future__ import annotations

from datetime import date, datetime, time

from locales.catalogue import localised, t
from locales.formats import format_date
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


def clock(at: time, language: str) -> str:
    """'17 giờ', '17 giờ 30' (as documents write an hour); '17:00' in English."""
    if at.minute:
        return t("deadline.hour_minute", language, hour=at.hour, minute=f"{at.minute:02d}")
    return t("deadline.hour", language, hour=at.hour)


def deadline(due: date, at: time | None, language: str) -> str:
    """A deadline as people read it: '17 giờ ngày 20/06/2027', or the day alone without an hour."""
    day = format_date(due, language)
    return day if at is None else t("deadline.at", language, time=clock(at, language), date=day)


def countdown(due: date, on: date | datetime, language: str, at: time | None = None) -> str:
    """'còn 3 ngày', 'hạn là hôm nay' or 'quá hạn 2 ngày', as seen on `on`; on the day of a
    deadline with an hour, seen at the moment `on`: 'hạn là 17 giờ hôm nay' before it,
    'đã quá hạn lúc 17 giờ hôm nay' after."""
    today = on.date() if isinstance(on, datetime) else on
    days = (due - today).days
    if days > 0:
        return t("due.days_left", language, days=days)
    if days < 0:
        return t("due.days_late", language, days=-days)
    if at is None:
        return t("due.today", language)
    if isinstance(on, datetime) and on.time() > at:
        return t("due.past_hour", language, time=clock(at, language))
    return t("due.today_at", language, time=clock(at, language))

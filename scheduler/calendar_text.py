"""`phoihop schedule`: the calendar of scheduler/plan.py in words, and as iCalendar."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from locales.catalogue import localised, t
from locales.formats import format_date
from models.programme.periods import parse_period_code
from models.programme.reminders import Audience
from models.programme.schema import Programme
from models.programme.wording import period_name
from scheduler.plan import Entry, Kind

WEEKDAYS = {"vi": ("T2", "T3", "T4", "T5", "T6", "T7", "CN"), "en": ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")}


def subject_name(programme: Programme, entry: Entry, language: str) -> str:
    if entry.kind in (Kind.EVENT, Kind.EVENT_NOTICE):
        event = next(e for e in programme.events if e.code == entry.subject)
        return localised(event.name, event.name_en, language)
    if entry.subject.startswith("task/"):
        edition = next(x for x in programme.task_editions() if x.code == entry.subject.removeprefix("task/"))
        return f"[{edition.code}] {edition.task.title}"
    cycle_code, _, period_code = entry.subject.partition("/")
    return period_name(programme.cycle(cycle_code), parse_period_code(period_code), language)


def step_words(step: str, language: str) -> str:
    kind, _, days = step.partition("-")
    if kind == "before":
        return t("schedule.step_before", language, days=days)
    if kind == "overdue":
        return t("schedule.step_overdue", language, days=days)
    return t("schedule.step_due", language)


def audience_words(audience: tuple[Audience, ...], language: str) -> str:
    return ", ".join(t(f"schedule.audience_{member}", language) for member in audience)


def describe(programme: Programme, entry: Entry, language: str) -> str:
    name = subject_name(programme, entry, language)
    if entry.kind in (Kind.REMINDER, Kind.ESCALATION):
        return t(
            f"schedule.{entry.kind}",
            language,
            step=step_words(entry.step, language),
            audience=audience_words(entry.audience, language),
            name=name,
        )
    if entry.kind is Kind.EVENT_NOTICE:
        return t("schedule.event_notice", language, step=step_words(entry.step, language), name=name)
    if entry.kind is Kind.EVENT and entry.step == "month":
        return t("schedule.event_month", language, name=name)
    return t(f"schedule.{entry.kind}", language, name=name)


def render(programme: Programme, entries: list[Entry], year: int, language: str) -> str:
    policy = programme.reminders
    lines = [
        t(
            "schedule.title",
            language,
            year=year,
            name=localised(programme.programme.name, programme.programme.name_en, language),
            code=programme.code,
        ),
        t(
            "schedule.policy",
            language,
            send_at=policy.send_at.strftime("%H:%M"),
            quiet_start=policy.quiet_start.strftime("%H:%M"),
            quiet_end=policy.quiet_end.strftime("%H:%M"),
            days_off=t("schedule.days_off_yes" if policy.send_on_days_off else "schedule.days_off_no", language),
        ),
    ]
    month = 0
    for entry in entries:
        if entry.day.month != month:
            month = entry.day.month
            lines += ["", t("schedule.month", language, month=month, year=year)]
        weekday = WEEKDAYS[language][entry.day.weekday()]
        clock = entry.at.strftime("%H:%M") if entry.at else "     "
        lines.append(f"  {format_date(entry.day, language)} {weekday:<3} {clock}  {describe(programme, entry, language)}")
    lines += ["", t("schedule.total", language, count=len(entries))]
    return "\n".join(lines)


def _escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")


def _fold(line: str) -> list[str]:
    """RFC 5545 §3.1: lines of at most 75 octets, continued with a leading space."""
    parts: list[str] = []
    current = ""
    for char in line:
        if len((current + char).encode()) > (75 if not parts else 74):
            parts.append(current)
            current = ""
        current += char
    parts.append(current)
    return [parts[0]] + [" " + part for part in parts[1:]]


def to_ics(programme: Programme, entries: list[Entry], language: str, stamp: datetime) -> str:
    zone = programme.zone
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//phoihop//schedule//VI",
        "CALSCALE:GREGORIAN",
        f"X-WR-CALNAME:{_escape(programme.code)}",
    ]
    for entry in entries:
        uid = "-".join(
            part for part in (programme.code, entry.kind.value, entry.subject.replace("/", "-"), entry.step, f"{entry.day:%Y%m%d}") if part
        )
        lines += ["BEGIN:VEVENT", f"UID:{uid}@phoihop", f"DTSTAMP:{stamp.astimezone(UTC):%Y%m%dT%H%M%SZ}"]
        if entry.at is None:
            lines += [f"DTSTART;VALUE=DATE:{entry.day:%Y%m%d}", f"DTEND;VALUE=DATE:{entry.day + timedelta(days=1):%Y%m%d}"]
        else:
            start = datetime.combine(entry.day, entry.at, tzinfo=zone).astimezone(UTC)
            lines += [f"DTSTART:{start:%Y%m%dT%H%M%SZ}", f"DTEND:{start + timedelta(minutes=15):%Y%m%dT%H%M%SZ}"]
        lines += [f"SUMMARY:{_escape(describe(programme, entry, language))}", f"CATEGORIES:{entry.kind.value.upper()}", "END:VEVENT"]
    lines.append("END:VCALENDAR")
    return "\r\n".join(folded for line in lines for folded in _fold(line)) + "\r\n"

"""Unit tests for models/programme/reminders.py: reminder steps before a due date, the escalation
after it (seed 000, Quy chế 31/2015/QĐ-UBND Lào Cai, Điều 11.2), days off and quiet hours.

Every send date below is worked out by hand on the calendar and written literally.
"""

from __future__ import annotations

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import pytest

from models.programme.reminders import (
    DEFAULT_OVERDUE,
    Audience,
    OverdueStep,
    ReminderPolicy,
    ReminderStep,
    current_step,
    in_quiet_hours,
    next_sendable,
    reminder_steps,
    shift_to_day_on,
    step_code,
)

ZONE = ZoneInfo("Asia/Ho_Chi_Minh")
FOCAL = (Audience.FOCAL_POINTS,)
FOCAL_LEADER = (Audience.FOCAL_POINTS, Audience.LEADER)
ALL_THREE = (Audience.FOCAL_POINTS, Audience.LEADER, Audience.LHH_OFFICE)

DEFAULT = ReminderPolicy()
DAYS_OFF = ReminderPolicy(send_on_days_off=True)
NATIONAL_DAY = ReminderPolicy(holidays=frozenset({date(2027, 9, 2), date(2027, 9, 3)}))


def plan(steps: list[ReminderStep]) -> list[tuple[str, date]]:
    return [(step.code, step.send_on) for step in steps]


def at(year: int, month: int, day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=ZONE)


# --- the policy ------------------------------------------------------------------------------------


def test_default_policy_follows_dieu_11_2() -> None:
    assert DEFAULT.before_days == (14, 7, 3, 1, 0)
    assert DEFAULT.overdue == (
        OverdueStep(1, (Audience.FOCAL_POINTS,)),
        OverdueStep(3, (Audience.FOCAL_POINTS, Audience.LEADER)),
        OverdueStep(7, (Audience.FOCAL_POINTS, Audience.LEADER, Audience.LHH_OFFICE)),
    )
    assert DEFAULT.overdue == DEFAULT_OVERDUE
    assert DEFAULT.send_at == time(8, 0)
    assert DEFAULT.quiet_start == time(21, 0)
    assert DEFAULT.quiet_end == time(7, 0)
    assert DEFAULT.send_on_days_off is False
    assert DEFAULT.holidays == frozenset()


def test_audience_values() -> None:
    assert [audience.value for audience in Audience] == ["focal_points", "leader", "lhh_office"]


@pytest.mark.parametrize(
    ("offset", "code"),
    [(-14, "before-14"), (-3, "before-3"), (-1, "before-1"), (0, "due"), (1, "overdue-1"), (7, "overdue-7")],
)
def test_step_code(offset: int, code: str) -> None:
    assert step_code(offset) == code


# --- shift_to_day_on -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "policy", "backwards", "shifted"),
    [
        (date(2027, 6, 16), DEFAULT, True, date(2027, 6, 16)),  # Wednesday stays
        (date(2027, 6, 16), DEFAULT, False, date(2027, 6, 16)),
        (date(2027, 6, 19), DEFAULT, True, date(2027, 6, 18)),  # Sat -> Fri
        (date(2027, 6, 20), DEFAULT, True, date(2027, 6, 18)),  # Sun -> Fri
        (date(2027, 6, 19), DEFAULT, False, date(2027, 6, 21)),  # Sat -> Mon
        (date(2027, 6, 20), DEFAULT, False, date(2027, 6, 21)),  # Sun -> Mon
        (date(2027, 6, 20), DAYS_OFF, True, date(2027, 6, 20)),
        (date(2027, 6, 20), DAYS_OFF, False, date(2027, 6, 20)),
        (date(2027, 9, 3), NATIONAL_DAY, True, date(2027, 9, 1)),  # Fri holiday, Thu holiday -> Wed
        (date(2027, 9, 2), NATIONAL_DAY, False, date(2027, 9, 6)),  # Thu, Fri holiday, weekend -> Mon
        (date(2028, 1, 1), DEFAULT, True, date(2027, 12, 31)),  # Sat 1/1/2028 -> Fri 31/12/2027
    ],
)
def test_shift_to_day_on(day: date, policy: ReminderPolicy, backwards: bool, shifted: date) -> None:
    assert shift_to_day_on(day, policy, backwards) == shifted


# --- reminder_steps --------------------------------------------------------------------------------


def test_calendar_facts_the_step_tests_rely_on() -> None:
    assert date(2027, 6, 21).weekday() == 0  # Monday
    assert date(2027, 6, 20).weekday() == 6  # Sunday
    assert date(2027, 6, 18).weekday() == 4  # Friday
    assert date(2027, 6, 7).weekday() == 0  # Monday
    assert date(2027, 6, 28).weekday() == 0  # Monday
    assert date(2027, 9, 2).weekday() == 3  # Thursday
    assert date(2027, 9, 5).weekday() == 6  # Sunday
    assert date(2027, 12, 31).weekday() == 4  # Friday


def test_due_monday_before_1_moves_to_friday_and_wins_over_before_3() -> None:
    steps = reminder_steps(date(2027, 6, 21), DEFAULT)
    assert plan(steps) == [
        ("before-14", date(2027, 6, 7)),
        ("before-7", date(2027, 6, 14)),
        ("before-1", date(2027, 6, 18)),  # Sun 20/06 -> Fri 18/06, where before-3 also fell
        ("due", date(2027, 6, 21)),
        ("overdue-1", date(2027, 6, 22)),
        ("overdue-3", date(2027, 6, 24)),
        ("overdue-7", date(2027, 6, 28)),
    ]


def test_step_fields_for_due_monday() -> None:
    steps = {step.code: step for step in reminder_steps(date(2027, 6, 21), DEFAULT)}
    assert "before-3" not in steps
    assert steps["before-1"] == ReminderStep("before-1", -1, date(2027, 6, 20), date(2027, 6, 18), FOCAL)
    assert steps["before-14"] == ReminderStep("before-14", -14, date(2027, 6, 7), date(2027, 6, 7), FOCAL)
    assert steps["due"] == ReminderStep("due", 0, date(2027, 6, 21), date(2027, 6, 21), FOCAL)
    assert steps["overdue-1"] == ReminderStep("overdue-1", 1, date(2027, 6, 22), date(2027, 6, 22), FOCAL)
    assert steps["overdue-3"] == ReminderStep("overdue-3", 3, date(2027, 6, 24), date(2027, 6, 24), FOCAL_LEADER)
    assert steps["overdue-7"] == ReminderStep("overdue-7", 7, date(2027, 6, 28), date(2027, 6, 28), ALL_THREE)


def test_due_on_sunday_moves_back_and_wins_over_before_1() -> None:
    steps = reminder_steps(date(2027, 6, 20), DEFAULT)
    assert plan(steps) == [
        ("before-14", date(2027, 6, 4)),  # Sun 06/06 -> Fri 04/06
        ("before-7", date(2027, 6, 11)),  # Sun 13/06 -> Fri 11/06
        ("before-3", date(2027, 6, 17)),  # Thu
        ("due", date(2027, 6, 18)),  # Sun 20/06 -> Fri 18/06; before-1 (Sat 19/06 -> Fri) loses
        ("overdue-1", date(2027, 6, 21)),  # Mon
        ("overdue-3", date(2027, 6, 23)),  # Wed
        ("overdue-7", date(2027, 6, 28)),  # Sun 27/06 -> Mon 28/06
    ]
    due = next(step for step in steps if step.code == "due")
    assert due.nominal == date(2027, 6, 20)


def test_overdue_steps_move_forward_and_the_later_one_wins() -> None:
    # Due Friday 31/12/2027: overdue-1 Sat 1/1 -> Mon 3/1; overdue-3 Mon 3/1 wins it.
    steps = reminder_steps(date(2027, 12, 31), DEFAULT)
    assert plan(steps) == [
        ("before-14", date(2027, 12, 17)),  # Fri
        ("before-7", date(2027, 12, 24)),  # Fri
        ("before-3", date(2027, 12, 28)),  # Tue
        ("before-1", date(2027, 12, 30)),  # Thu
        ("due", date(2027, 12, 31)),  # Fri
        ("overdue-3", date(2028, 1, 3)),  # Mon
        ("overdue-7", date(2028, 1, 7)),  # Fri
    ]
    overdue = next(step for step in steps if step.code == "overdue-3")
    assert overdue.audience == FOCAL_LEADER


def test_holidays_of_the_policy_are_skipped() -> None:
    # Due Thursday 2/9/2027, with 2/9 and 3/9 off.
    steps = reminder_steps(date(2027, 9, 2), NATIONAL_DAY)
    assert plan(steps) == [
        ("before-14", date(2027, 8, 19)),  # Thu
        ("before-7", date(2027, 8, 26)),  # Thu
        ("before-3", date(2027, 8, 30)),  # Mon
        ("due", date(2027, 9, 1)),  # Thu 2/9 off -> Wed 1/9, beating before-1
        ("overdue-3", date(2027, 9, 6)),  # Sun 5/9 -> Mon 6/9, beating overdue-1 (Fri 3/9 off -> Mon)
        ("overdue-7", date(2027, 9, 9)),  # Thu
    ]


def test_same_due_date_without_the_holidays() -> None:
    steps = reminder_steps(date(2027, 9, 2), DEFAULT)
    assert plan(steps) == [
        ("before-14", date(2027, 8, 19)),
        ("before-7", date(2027, 8, 26)),
        ("before-3", date(2027, 8, 30)),
        ("before-1", date(2027, 9, 1)),
        ("due", date(2027, 9, 2)),
        ("overdue-1", date(2027, 9, 3)),
        ("overdue-3", date(2027, 9, 6)),  # Sun 5/9 -> Mon 6/9
        ("overdue-7", date(2027, 9, 9)),
    ]


def test_send_on_days_off_disables_the_shifting() -> None:
    steps = reminder_steps(date(2027, 6, 21), DAYS_OFF)
    assert plan(steps) == [
        ("before-14", date(2027, 6, 7)),
        ("before-7", date(2027, 6, 14)),
        ("before-3", date(2027, 6, 18)),
        ("before-1", date(2027, 6, 20)),  # stays on Sunday
        ("due", date(2027, 6, 21)),
        ("overdue-1", date(2027, 6, 22)),
        ("overdue-3", date(2027, 6, 24)),
        ("overdue-7", date(2027, 6, 28)),
    ]
    assert all(step.send_on == step.nominal for step in steps)


def test_steps_come_sorted_by_send_on_for_a_whole_year_of_due_dates() -> None:
    day = date(2027, 1, 1)
    while day.year == 2027:
        steps = reminder_steps(day, NATIONAL_DAY)
        sends = [step.send_on for step in steps]
        assert sends == sorted(sends)
        assert len(set(sends)) == len(sends)
        assert all(step.send_on.weekday() < 5 and step.send_on not in NATIONAL_DAY.holidays for step in steps)
        assert [step.offset for step in steps] == sorted(step.offset for step in steps)
        day = day.fromordinal(day.toordinal() + 1)


def test_custom_policy() -> None:
    policy = ReminderPolicy(
        before_days=(5, 2),
        overdue=(OverdueStep(2, (Audience.LEADER,)), OverdueStep(10, (Audience.LHH_OFFICE,))),
    )
    # Due Wednesday 16/06/2027; no due-day step is configured.
    steps = reminder_steps(date(2027, 6, 16), policy)
    assert [(step.code, step.send_on, step.audience) for step in steps] == [
        ("before-5", date(2027, 6, 11), FOCAL),  # Fri
        ("before-2", date(2027, 6, 14), FOCAL),  # Mon
        ("overdue-2", date(2027, 6, 18), (Audience.LEADER,)),  # Fri
        ("overdue-10", date(2027, 6, 28), (Audience.LHH_OFFICE,)),  # Sat 26/06 -> Mon 28/06
    ]


def test_no_steps_without_offsets() -> None:
    assert reminder_steps(date(2027, 6, 21), ReminderPolicy(before_days=(), overdue=())) == []


# --- current_step ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("today", "code"),
    [
        (date(2027, 6, 6), None),
        (date(2027, 6, 7), "before-14"),
        (date(2027, 6, 13), "before-14"),
        (date(2027, 6, 14), "before-7"),
        (date(2027, 6, 18), "before-1"),
        (date(2027, 6, 20), "before-1"),
        (date(2027, 6, 21), "due"),
        (date(2027, 6, 23), "overdue-1"),
        (date(2027, 6, 24), "overdue-3"),
        (date(2027, 6, 28), "overdue-7"),
        (date(2027, 12, 31), "overdue-7"),
    ],
)
def test_current_step(today: date, code: str | None) -> None:
    step = current_step(reminder_steps(date(2027, 6, 21), DEFAULT), today)
    assert (step.code if step else None) == code


def test_current_step_after_downtime_gives_only_the_latest() -> None:
    # The bot was down from 8/06 to 25/06: on restart only overdue-3 is owed, not the five before it.
    step = current_step(reminder_steps(date(2027, 6, 21), DEFAULT), date(2027, 6, 25))
    assert step is not None
    assert step.code == "overdue-3"
    assert step.send_on == date(2027, 6, 24)
    assert step.audience == FOCAL_LEADER


def test_current_step_of_no_steps() -> None:
    assert current_step([], date(2027, 6, 21)) is None


# --- quiet hours -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("moment", "quiet"),
    [
        (at(2027, 6, 21, 22, 30), True),
        (at(2027, 6, 21, 21, 0), True),
        (at(2027, 6, 21, 20, 59), False),
        (at(2027, 6, 21, 0, 0), True),
        (at(2027, 6, 21, 5, 0), True),
        (at(2027, 6, 21, 6, 59), True),
        (at(2027, 6, 21, 7, 0), False),
        (at(2027, 6, 21, 12, 0), False),
        (at(2027, 6, 21, 8, 0), False),
    ],
)
def test_in_quiet_hours_default(moment: datetime, quiet: bool) -> None:
    assert in_quiet_hours(moment, DEFAULT) is quiet


@pytest.mark.parametrize(
    ("moment", "sendable"),
    [
        (at(2027, 6, 21, 22, 30), at(2027, 6, 22, 7, 0)),
        (at(2027, 6, 21, 21, 0), at(2027, 6, 22, 7, 0)),
        (at(2027, 6, 21, 5, 0), at(2027, 6, 21, 7, 0)),
        (at(2027, 6, 21, 0, 0), at(2027, 6, 21, 7, 0)),
        (at(2027, 6, 21, 12, 0), at(2027, 6, 21, 12, 0)),
        (at(2027, 6, 21, 7, 0), at(2027, 6, 21, 7, 0)),
        (at(2027, 6, 21, 20, 59), at(2027, 6, 21, 20, 59)),
        (at(2027, 12, 31, 23, 59), at(2028, 1, 1, 7, 0)),
        (at(2028, 2, 28, 22, 0), at(2028, 2, 29, 7, 0)),
    ],
)
def test_next_sendable_default(moment: datetime, sendable: datetime) -> None:
    result = next_sendable(moment, DEFAULT)
    assert result == sendable
    assert result.tzinfo is ZONE
    assert result.replace(tzinfo=None) == sendable.replace(tzinfo=None)


LUNCH = ReminderPolicy(quiet_start=time(12, 0), quiet_end=time(13, 0))


@pytest.mark.parametrize(
    ("moment", "quiet"),
    [
        (at(2027, 6, 21, 11, 59), False),
        (at(2027, 6, 21, 12, 0), True),
        (at(2027, 6, 21, 12, 30), True),
        (at(2027, 6, 21, 12, 59), True),
        (at(2027, 6, 21, 13, 0), False),
        (at(2027, 6, 21, 22, 0), False),
        (at(2027, 6, 21, 3, 0), False),
    ],
)
def test_in_quiet_hours_window_within_a_day(moment: datetime, quiet: bool) -> None:
    assert in_quiet_hours(moment, LUNCH) is quiet


@pytest.mark.parametrize(
    ("moment", "sendable"),
    [
        (at(2027, 6, 21, 12, 0), at(2027, 6, 21, 13, 0)),
        (at(2027, 6, 21, 12, 30), at(2027, 6, 21, 13, 0)),
        (at(2027, 6, 21, 13, 0), at(2027, 6, 21, 13, 0)),
        (at(2027, 6, 21, 22, 0), at(2027, 6, 21, 22, 0)),
        (at(2027, 6, 21, 3, 0), at(2027, 6, 21, 3, 0)),
    ],
)
def test_next_sendable_window_within_a_day(moment: datetime, sendable: datetime) -> None:
    assert next_sendable(moment, LUNCH) == sendable

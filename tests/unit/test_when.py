"""Unit tests for models/outbox/when.py: when an outbox row may go out. At once (a notice
answering what someone just did), out of the quiet hours (the office's chase and
broadcast), or at the sending hour of a day messages may go on (the scheduler's jobs).

2027-06-21 is a Monday, 2027-06-25 a Friday; 2 and 3 September 2027 (Thursday, Friday)
are the National Day holidays of the policy below. Every moment is written literally."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from models.outbox.when import NOW, Rule, When
from models.programme.reminders import ReminderPolicy

ZONE = ZoneInfo("Asia/Ho_Chi_Minh")
DEFAULT = ReminderPolicy()
DAYS_OFF = ReminderPolicy(send_on_days_off=True)
NATIONAL_DAY = ReminderPolicy(holidays=frozenset({date(2027, 9, 2), date(2027, 9, 3)}))


def at(year: int, month: int, day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=ZONE)


@pytest.mark.parametrize("moment", [at(2027, 6, 21, 23, 30), at(2027, 6, 21, 3, 0), at(2027, 6, 26, 10, 0), at(2027, 6, 21, 6, 0)])
def test_now_is_the_moment_written_quiet_hours_days_off_and_all(moment: datetime) -> None:
    assert NOW.moment(moment) == moment


@pytest.mark.parametrize(
    ("moment", "sendable"),
    [
        (at(2027, 6, 21, 22, 30), at(2027, 6, 22, 7, 0)),
        (at(2027, 6, 21, 3, 0), at(2027, 6, 21, 7, 0)),
        (at(2027, 6, 21, 6, 0), at(2027, 6, 21, 7, 0)),
        (at(2027, 6, 21, 10, 15), at(2027, 6, 21, 10, 15)),
        (at(2027, 6, 26, 10, 0), at(2027, 6, 26, 10, 0)),
        (at(2027, 6, 25, 23, 0), at(2027, 6, 26, 7, 0)),
        (at(2027, 12, 31, 23, 59), at(2028, 1, 1, 7, 0)),
    ],
)
def test_out_of_quiet_hours_waits_for_their_end_only_not_for_a_working_day(moment: datetime, sendable: datetime) -> None:
    assert When.out_of_quiet_hours(DEFAULT).moment(moment) == sendable


@pytest.mark.parametrize(
    ("moment", "sendable"),
    [
        (at(2027, 6, 21, 0, 5), at(2027, 6, 21, 8, 0)),
        (at(2027, 6, 21, 6, 0), at(2027, 6, 21, 8, 0)),
        (at(2027, 6, 21, 8, 0), at(2027, 6, 21, 8, 0)),
        (at(2027, 6, 21, 10, 15), at(2027, 6, 21, 10, 15)),
        (at(2027, 6, 21, 22, 30), at(2027, 6, 22, 7, 0)),
        (at(2027, 6, 25, 23, 0), at(2027, 6, 28, 8, 0)),
        (at(2027, 6, 26, 10, 0), at(2027, 6, 28, 8, 0)),
        (at(2027, 6, 27, 6, 0), at(2027, 6, 28, 8, 0)),
    ],
)
def test_at_sending_hour_waits_for_the_hour_of_a_working_day_and_out_of_quiet_hours(moment: datetime, sendable: datetime) -> None:
    assert When.at_sending_hour(DEFAULT).moment(moment) == sendable


def test_at_sending_hour_skips_holidays() -> None:
    assert When.at_sending_hour(NATIONAL_DAY).moment(at(2027, 9, 2, 8, 5)) == at(2027, 9, 6, 8, 0)
    assert When.at_sending_hour(NATIONAL_DAY).moment(at(2027, 9, 1, 22, 0)) == at(2027, 9, 6, 8, 0)


def test_at_sending_hour_on_a_day_off_when_the_programme_allows_it() -> None:
    assert When.at_sending_hour(DAYS_OFF).moment(at(2027, 6, 27, 6, 0)) == at(2027, 6, 27, 8, 0)
    assert When.at_sending_hour(DAYS_OFF).moment(at(2027, 6, 26, 22, 0)) == at(2027, 6, 27, 7, 0)


@pytest.mark.parametrize("rule", [Rule.OUT_OF_QUIET_HOURS, Rule.AT_SENDING_HOUR])
def test_the_rules_that_read_the_policy_need_one(rule: Rule) -> None:
    with pytest.raises(ValueError):
        When(rule)


def test_now_ignores_a_policy_given_to_it() -> None:
    assert When(Rule.NOW, DEFAULT).moment(at(2027, 6, 21, 23, 0)) == at(2027, 6, 21, 23, 0)

"""Rules a programme can say, on fixed dates: deadlines on any day of a month, a deadline
on a day off that moves to the next working day, a go-live date."""

from __future__ import annotations

from copy import deepcopy
from datetime import date
from typing import Any

from models.programme.cycles import live_periods, period_info, periods_around
from models.programme.periods import PeriodKey, Periodicity
from models.programme.schema import Programme, check_data
from scheduler.plan import Kind, calendar
from tests.unit.test_programme_files import raw

H1_2027 = PeriodKey(2027, Periodicity.SIX_MONTHLY, 1)


def programme(edit: Any) -> Programme:
    data = deepcopy(raw())
    edit(data)
    checked = check_data(data)
    assert checked.problems == [] and checked.programme is not None, checked.problems
    return checked.programme


def test_any_day_of_the_month_with_the_month_said() -> None:
    def edit(data: dict[str, Any]) -> None:
        data["cycles"][0].update(due_day_of_month=5, due_months_after_cutoff=1)
        data["cycles"][1].update(due_day_of_month=31)

    chosen = programme(edit)
    assert period_info(chosen.cycles[0], H1_2027).due == date(2027, 7, 5)
    assert period_info(chosen.cycles[1], PeriodKey(2027, Periodicity.ANNUAL)).due == date(2027, 12, 31)


def test_a_deadline_on_a_day_off_moves_when_the_programme_says_so() -> None:
    stays = programme(lambda data: None)
    moves = programme(lambda data: data["programme"].update(deadline_on_day_off="next_working_day"))
    # 20/06/2027 is a Sunday.
    assert period_info(stays.cycles[0], H1_2027).due == date(2027, 6, 20)
    assert period_info(moves.cycles[0], H1_2027).due == date(2027, 6, 21)
    due = [entry for entry in calendar(moves, 2027) if entry.kind is Kind.DUE and entry.subject == "dv-6-thang/2027-H1"]
    assert [entry.day for entry in due] == [date(2027, 6, 21)]


def test_periods_due_before_the_go_live_date_are_not_there() -> None:
    live = programme(lambda data: data["programme"].update(live_from=date(2027, 3, 1)))
    annual = next(cycle for cycle in live.cycles if cycle.code == "dv-nam")
    assert [info.code for info in periods_around(annual, date(2027, 3, 10))] == ["2027", "2028"]
    assert [info.code for info in live_periods(annual, date(2027, 3, 10), 366)] == ["2027"]
    assert not [entry for entry in calendar(live, 2027) if entry.day < date(2027, 3, 1) and entry.kind is not Kind.EVENT]
    assert live.programme.legal_basis.date == date(2015, 7, 15)

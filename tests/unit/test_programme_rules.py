"""Rules a programme can say, on fixed dates: deadlines on any day of a month, a deadline
on a day off that moves to the next working day, a go-live date, hours of deadlines,
events on any day of a month."""

from __future__ import annotations

from copy import deepcopy
from datetime import date, datetime, time
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from sqlmodel import select

from locales.catalogue import t
from models.db.engine import session_scope
from models.errors import RuleError
from models.programme.loader import load_into
from models.reporting.tables import AssignedTask, TaskAssignment
from models.programme.cycles import live_periods, occurrences, period_info, periods_around
from models.programme.due_phrases import Due, parse_due_moment
from models.programme.periods import PeriodKey, Periodicity, past_deadline
from models.programme.schema import Programme, check_data
from models.programme.wording import countdown, deadline
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


@pytest.mark.parametrize(
    ("text", "day", "at"),
    [
        ("17 giờ ngày 30/3/2027", date(2027, 3, 30), time(17, 0)),
        ("trước 17h00 ngày 30/3/2027", date(2027, 3, 30), time(17, 0)),
        ("Hạn 17:30, 30/03/2027", date(2027, 3, 30), time(17, 30)),
        ("16 giờ 30 phút ngày 15/7", date(2027, 7, 15), time(16, 30)),
        ("quý IV/2012", date(2012, 12, 31), None),
        ("trước ngày 15/6/2027", date(2027, 6, 14), None),
    ],
)
def test_a_due_phrase_may_give_an_hour(text: str, day: date, at: time | None) -> None:
    assert parse_due_moment(text, 2027) == Due(day, at)


def test_an_hour_that_does_not_exist_is_refused() -> None:
    with pytest.raises(RuleError) as caught:
        parse_due_moment("25 giờ ngày 30/3/2027")
    assert caught.value.key == "due.bad_hour" and caught.value.params == {"text": "25 giờ ngày 30/3/2027"}


def test_late_after_the_hour_of_the_deadline() -> None:
    zone = ZoneInfo("Asia/Ho_Chi_Minh")
    due = date(2027, 6, 18)
    assert not past_deadline(datetime(2027, 6, 18, 16, 59, tzinfo=zone), due, time(17, 0))
    assert past_deadline(datetime(2027, 6, 18, 17, 1, tzinfo=zone), due, time(17, 0))
    assert not past_deadline(datetime(2027, 6, 18, 23, 59, tzinfo=zone), due)
    assert past_deadline(datetime(2027, 6, 19, 0, 0, tzinfo=zone), due)


def test_hours_of_deadlines_and_tasks_are_on_the_calendar() -> None:
    def edit(data: dict[str, Any]) -> None:
        data["cycles"][0]["due_time"] = time(17, 0)
        task = {"code": "T1", "title": "Nộp hồ sơ dự thi", "assignees": ["LHH"], "due": "17 giờ ngày 30/3/2027", "source": "thử"}
        data["tasks"] = [task]

    chosen = programme(edit)
    entries = calendar(chosen, 2027)
    assert [e.at for e in entries if e.kind is Kind.DUE and e.subject == "dv-6-thang/2027-H1"] == [time(17, 0)]
    assert [(e.day, e.at) for e in entries if e.kind is Kind.TASK_DUE] == [(date(2027, 3, 30), time(17, 0))]
    assert chosen.due_time("dv-6-thang") == time(17, 0) and chosen.due_time("dv-nam") is None


def test_a_deadline_reads_with_its_hour_in_both_languages() -> None:
    zone = ZoneInfo("Asia/Ho_Chi_Minh")
    due, at = date(2027, 3, 30), time(17, 0)
    assert deadline(due, at, "vi") == "17 giờ ngày 30/03/2027" and deadline(due, time(17, 30), "vi") == "17 giờ 30 ngày 30/03/2027"
    assert deadline(due, at, "en") == "17:00 on 30 March 2027" and deadline(due, None, "vi") == "30/03/2027"
    morning, evening = datetime(2027, 3, 30, 9, tzinfo=zone), datetime(2027, 3, 30, 17, 1, tzinfo=zone)
    assert countdown(due, morning, "vi", at) == "hạn là 17 giờ hôm nay" and countdown(due, morning, "en", at) == "due at 17:00 today"
    assert countdown(due, evening, "vi", at) == "đã quá hạn lúc 17 giờ hôm nay"
    assert countdown(due, evening, "en", at) == "the deadline passed at 17:00 today"
    assert countdown(due, evening, "vi") == "hạn là hôm nay", "without an hour the day lasts to its end"
    assert countdown(due, datetime(2027, 3, 31, 8, tzinfo=zone), "vi", at) == "quá hạn 1 ngày"


def test_events_on_any_day_a_missing_day_refused_or_clamped() -> None:
    data = deepcopy(raw())
    data["events"][0].update(day=31, months=[1, 4, 6, 12])
    found = {problem.path: problem for problem in check_data(data).problems}
    problem = found["events[0].day"]
    assert t(problem.key, "vi", **problem.params).startswith(f"sự kiện «{data['events'][0]['code']}»: ngày 31 không có trong tháng 4, 6;")
    data["events"][0]["clamp_to_month_end"] = True
    checked = check_data(data)
    assert checked.problems == [] and checked.programme is not None
    days = [item.day for item in occurrences(checked.programme.events[0], 2027)]
    assert days == [date(2027, 1, 31), date(2027, 4, 30), date(2027, 6, 30), date(2027, 12, 31)]


def test_a_task_due_on_a_day_off_moves_with_the_programme_setting() -> None:
    data = deepcopy(raw("ha-giang-2021-2026.toml"))
    task = next(task for task in data["tasks"] if task["due"] == "Quý I/2013")
    stays = check_data(data).programme
    data["programme"]["deadline_on_day_off"] = "next_working_day"
    moves = check_data(data).programme
    assert stays is not None and moves is not None
    # 31/03/2013 is a Sunday.
    assert [p.task_due(next(x for x in p.tasks if x.code == task["code"])) for p in (stays, moves)] == [date(2013, 3, 31), date(2013, 4, 1)]


def test_a_cycle_has_its_own_reminder_steps_and_events_their_own_notices() -> None:
    def edit(data: dict[str, Any]) -> None:
        data["cycles"][0]["reminders"] = {"before_days": [10, 0], "overdue": [{"after_days": 2, "notify": ["focal_points", "leader"]}]}
        data["events"][0]["before_days"] = [21, 0]

    chosen = programme(edit)
    entries = calendar(chosen, 2027)
    own = sorted((e.day, e.step) for e in entries if e.subject == "dv-6-thang/2027-H1" and e.kind in (Kind.REMINDER, Kind.ESCALATION))
    # deadline Sunday 20/06/2027: 10 days before is Thursday the 10th; on the day moves back to Friday the 18th.
    assert own == [(date(2027, 6, 10), "before-10"), (date(2027, 6, 18), "due"), (date(2027, 6, 22), "overdue-2")]
    others = {e.step for e in entries if e.subject == "dv-nam/2027" and e.kind is Kind.REMINDER}
    assert "before-14" in others and "before-10" not in others
    event = chosen.events[0]
    notices = [e for e in entries if e.kind is Kind.EVENT_NOTICE and e.subject == event.code]
    assert {e.step for e in notices} == {"before-21", "due"}


def test_a_cycle_own_overdue_steps_are_checked_by_its_code() -> None:
    data = deepcopy(raw())
    data["cycles"][1]["reminders"] = {"overdue": [{"after_days": 5, "notify": ["lhh_office"]}, {"after_days": 3, "notify": ["leader"]}]}
    found = {problem.path: problem for problem in check_data(data).problems}
    assert found["cycles[1].reminders.overdue[1].after_days"].where == "cycles[1].reminders.overdue[1].after_days «dv-nam»"
    data["cycles"][1]["reminders"] = {"overdue": [{"after_days": 3, "notify": ["lhh_office"]}, {"after_days": 5, "notify": ["leader"]}]}
    found = {problem.path: problem for problem in check_data(data).problems}
    assert found["cycles[1].reminders.overdue"].item == "dv-nam"


def test_a_recurring_task_has_one_edition_per_round_up_to_the_term_end() -> None:
    def edit(data: dict[str, Any]) -> None:
        data["tasks"] = [
            {
                "code": "hoi-thi",
                "title": "Nộp hồ sơ dự Hội thi Sáng tạo kỹ thuật",
                "assignees": ["all"],
                "due": "17 giờ ngày 30/3/2022",
                "every_years": 2,
                "source": "thử",
            }
        ]

    data = deepcopy(raw("ha-giang-2021-2026.toml"))
    edit(data)
    chosen = check_data(data).programme
    assert chosen is not None
    editions = chosen.task_editions()
    assert [(e.code, e.due, e.at) for e in editions] == [
        ("hoi-thi-2022", date(2022, 3, 30), time(17, 0)),
        ("hoi-thi-2024", date(2024, 3, 30), time(17, 0)),
        ("hoi-thi-2026", date(2026, 3, 30), time(17, 0)),
    ]
    assert editions[1].due_text == "17:00 ngày 30/03/2024"
    assert parse_due_moment(editions[1].due_text) == Due(date(2024, 3, 30), time(17, 0))
    entries = [e for e in calendar(chosen, 2024) if e.kind is Kind.TASK_DUE]
    assert [(e.day, e.at, e.subject) for e in entries] == [(date(2024, 3, 30), time(17, 0), "task/hoi-thi-2024")]
    data["tasks"][0]["code"] = "hoi-thi-sang-tao-kt-tinh"
    assert [p.key for p in check_data(data).problems] == ["check.recurring_code_too_long"]


def test_loading_a_recurring_task_makes_one_row_per_edition(db, clock) -> None:  # type: ignore[no-untyped-def]
    data = deepcopy(raw("ha-giang-2021-2026.toml"))
    data["tasks"] = [{"code": "ttnnd", "title": "Nộp bài dự thi tuổi trẻ", "assignees": ["LHH"], "due": "ngày 15/5/2022", "every_years": 1, "source": "thử"}]
    chosen = check_data(data).programme
    assert chosen is not None
    with session_scope(db) as session:
        load_into(session, chosen, clock())
        rows = session.exec(select(AssignedTask.code, AssignedTask.due_date, AssignedTask.due_text).order_by(AssignedTask.code)).all()
        assignments = len(session.exec(select(TaskAssignment)).all())
    assert [row[0] for row in rows] == [f"ttnnd-{year}" for year in range(2022, 2027)]
    assert rows[0][1:] == (date(2022, 5, 15), "ngày 15/5/2022") and rows[4][1:] == (date(2026, 5, 15), "15/05/2026")
    assert assignments == 5

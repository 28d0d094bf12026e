"""What `programme check` must refuse, clearly: each message names the item by its code,
gives the dates or times involved, and lists every failing period, not only the first."""

from __future__ import annotations

from copy import deepcopy
from datetime import time

from locales.catalogue import t
from models.programme.problems import Problem
from models.programme.schema import check_data
from tests.unit.test_programme_files import raw


def refused(data: dict, path: str) -> tuple[Problem, str, str]:  # type: ignore[type-arg]
    found = {problem.path: problem for problem in check_data(data).problems}
    assert path in found, found
    problem = found[path]
    return problem, t(problem.key, "vi", **problem.params), t(problem.key, "en", **problem.params)


def test_a_sending_hour_inside_the_quiet_hours() -> None:
    data = deepcopy(raw())
    data["reminders"]["send_at"] = time(22, 30)
    _, vi, en = refused(data, "reminders.send_at")
    assert vi == "giờ gửi nhắc 22:30 nằm trong giờ không gửi (từ 21:00 đến 07:00)"
    assert en == "the sending hour 22:30 falls in the quiet hours (21:00 to 07:00)"
    data["reminders"]["send_at"] = time(6, 59)
    assert "06:59" in refused(data, "reminders.send_at")[1]
    data["reminders"]["send_at"] = time(7, 0)
    assert check_data(data).problems == []


def test_a_term_that_ends_before_it_starts() -> None:
    data = deepcopy(raw("ha-giang-2021-2026.toml"))
    data["programme"]["term"]["end"] = data["programme"]["term"]["start"].replace(year=2020)
    _, vi, en = refused(data, "programme.term.end")
    assert vi == "nhiệm kỳ kết thúc ngày 01/01/2020, trước ngày bắt đầu 01/01/2021"
    assert en == "the term ends on 01/01/2020, before it starts on 01/01/2021"


def test_overdue_steps_out_of_order_and_the_office_before_the_leader() -> None:
    data = deepcopy(raw())
    data["reminders"]["overdue"] = [
        {"after_days": 3, "notify": ["focal_points", "lhh_office"]},
        {"after_days": 2, "notify": ["focal_points", "leader"]},
        {"after_days": 2, "notify": ["focal_points", "leader"]},
    ]
    _, order, _ = refused(data, "reminders.overdue[1].after_days")
    assert order == "bước nhắc quá hạn 2 ngày phải đến sau bước 3 ngày đứng trước nó (xếp theo số ngày tăng dần)"
    assert refused(data, "reminders.overdue[2].after_days")[1].startswith("bước nhắc quá hạn 2 ngày phải đến sau bước 2 ngày")
    data["reminders"]["overdue"] = [
        {"after_days": 1, "notify": ["focal_points", "lhh_office"]},
        {"after_days": 5, "notify": ["focal_points", "leader"]},
    ]
    _, vi, en = refused(data, "reminders.overdue")
    assert vi.startswith("Văn phòng Liên hiệp hội được báo sau 1 ngày quá hạn, trước lãnh đạo phụ trách (sau 5 ngày)")
    assert en.startswith("the LHH office is told after 1 day overdue, before the leader in charge (after 5 days)")


def test_two_difficulties_areas() -> None:
    data = deepcopy(raw())
    data["content_areas"][0]["difficulties"] = True
    _, vi, _ = refused(data, "content_areas")
    assert vi == "chỉ một lĩnh vực nội dung được đánh dấu difficulties (khó khăn, kiến nghị); đang đánh dấu: tap-hop, kho-khan"


def test_overlapping_periods_are_all_listed_under_the_cycle_code() -> None:
    data = deepcopy(raw("ha-giang-2021-2026.toml"))
    cycle = data["cycles"][0]
    cycle.pop("due_day_of_month")
    cycle["due_days_after_window"] = 40
    problem, vi, en = refused(data, "cycles[0]")
    assert problem.item == "lhh-thang" and problem.where == "cycles[0] «lhh-thang»"
    assert vi.startswith("chu kỳ «lhh-thang»: hạn nộp của kỳ không đến trước ngày chốt số liệu của kỳ kế tiếp")
    assert "2021-M01: 23/02/2021 / 2021-M02: 14/02/2021" in vi and "2026-M11: 24/12/2026 / 2026-M12: 14/12/2026" in vi
    assert vi.count("/ 20") == 6 * 12 - 1 and "cycle «lhh-thang»" in en


def test_every_period_with_a_deadline_too_soon_is_listed() -> None:
    data = deepcopy(raw("ha-giang-2021-2026.toml"))
    data["cycles"][0]["due_day_of_month"] = 15
    problem, vi, _ = refused(data, "cycles[0]")
    assert problem.key == "check.due_too_soon"
    # 14/05/2021 is a Friday, the 15th a Saturday: no working day between.
    assert vi.startswith("chu kỳ «lhh-thang»: hạn nộp cách ngày chốt số liệu chưa đủ 01 ngày làm việc")
    assert "2021-M05: 14/05/2021 → 15/05/2021" in vi and "2026-M08: 14/08/2026 → 15/08/2026" in vi
    assert "2021-M06" not in vi


def test_a_problem_in_a_list_names_the_item_by_its_code() -> None:
    data = deepcopy(raw())
    data["agencies"][3]["kind"] = "khong-co"
    found = {problem.path: problem for problem in check_data(data).problems}
    assert found["agencies[3].kind"].where == f"agencies[3].kind «{data['agencies'][3]['code']}»"


def test_a_deadline_before_its_own_cut_off_is_refused_never_moved() -> None:
    data = deepcopy(raw())
    data["cycles"][0]["due_day_of_month"] = 10
    problem, vi, en = refused(data, "cycles[0]")
    assert problem.key == "check.due_before_cutoff" and problem.item == "dv-6-thang"
    assert vi.startswith("chu kỳ «dv-6-thang»: hạn nộp rơi vào hoặc trước ngày chốt số liệu của chính kỳ đó, không tự dời sang tháng sau")
    assert "2016-H1: 14/06/2016 → 10/06/2016" in vi and "2025-H1: 14/06/2025 → 10/06/2025" in vi
    assert "never moved to the next month silently" in en
    data["cycles"][0]["due_months_after_cutoff"] = 1
    assert check_data(data).problems == []


def test_a_content_area_naming_an_unknown_activity_type() -> None:
    data = deepcopy(raw())
    data["content_areas"][1]["activity_types"] = ["hoi-thao", "khong-co"]
    problem, vi, _ = refused(data, "content_areas[1].activity_types[1]")
    assert problem.key == "check.unknown_type" and "khong-co" in vi

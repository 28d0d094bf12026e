"""Programme files: the three shipped ones pass, broken ones are refused with the field
path and a plain message, and loading is idempotent."""

from __future__ import annotations

import re
import tomllib
from copy import deepcopy
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import tomli_w
from sqlmodel import func, select

from locales.catalogue import t
from models.activities.tables import Activity
from models.db.engine import session_scope
from models.programme.loader import load_into
from models.programme.schema import Programme, check_data, check_file
from models.programme.tables import ActivityType, Agency
from models.reporting.tables import AssignedTask, TaskAssignment
from tests.conftest import PROGRAMMES

SHIPPED = sorted(PROGRAMMES.glob("*.toml"))
SAMPLES = PROGRAMMES.parent / "samples"


def raw(name: str = "lao-cai-31-2015.toml") -> dict[str, Any]:
    return tomllib.loads((PROGRAMMES / name).read_text(encoding="utf-8"))


def problems(data: dict[str, Any]) -> dict[str, str]:
    return {problem.path: t(problem.key, "vi", **problem.params) for problem in check_data(data).problems}


def test_four_programmes_ship_and_pass() -> None:
    assert [p.name for p in SHIPPED] == ["can-tho-958-2022.toml", "dak-lak-28-2016.toml", "ha-giang-2021-2026.toml", "lao-cai-31-2015.toml"]
    for path in SHIPPED:
        checked = check_file(path)
        assert checked.problems == [], path


def test_lao_cai_follows_seed_000() -> None:
    programme = check_file(PROGRAMMES / "lao-cai-31-2015.toml").programme
    assert programme is not None
    assert programme.programme.legal_basis.number == "31/2015/QĐ-UBND"
    assert (programme.focal_points.leaders, programme.focal_points.specialists) == (1, 1)
    cycles = {cycle.code: cycle for cycle in programme.cycles}
    assert cycles["dv-6-thang"].periodicity == "six_monthly" and cycles["dv-nam"].periodicity == "annual"
    assert len(programme.agencies_for(cycles["dv-6-thang"].reporters)) == 41
    assert cycles["lhh-nam"].reporters == ["LHH"] and cycles["lhh-nam"].recipient == "Sở Nội vụ"
    events = {event.code: event for event in programme.events}
    assert events["hn-tong-ket"].every_years == 1 and events["lam-viec-hoi"].months == [6, 12]
    assert programme.agencies_for(events["lam-viec-hoi"].audience) == [
        "HYH",
        "HDY",
        "HDH",
        "HDD",
        "HLV",
        "HTH",
        "HKTS",
        "HKHLS",
        "HCGC",
        "HSVC",
    ]
    assert {"tvpb", "hoi-thao", "tap-huan", "mo-hinh", "hoi-thi-stkt", "cuoc-thi-ttnnd", "hop-tac-qt"} <= {
        kind.code for kind in programme.activity_types
    }


def test_ha_giang_has_term_targets_tasks_and_monthly_report() -> None:
    programme = check_file(PROGRAMMES / "ha-giang-2021-2026.toml").programme
    assert programme is not None
    targets = {target.target for target in programme.targets}
    assert 25 in targets
    assert [c.periodicity for c in programme.cycles] == ["monthly"]
    assert programme.cycles[0].reporters == ["LHH"]
    dues = {task.due: programme.task_due(task) for task in programme.tasks}
    assert dues["quý IV/2012"] == date(2012, 12, 31)
    assert dues["tháng 11/2012"] == date(2012, 11, 30)
    assert date(2013, 3, 31) in dues.values()


def test_can_tho_reviews_every_december() -> None:
    programme = check_file(PROGRAMMES / "can-tho-958-2022.toml").programme
    assert programme is not None
    assert [agency.code for agency in programme.agencies] == ["SKHCN"]
    assert any(event.months == [12] and event.every_years == 1 for event in programme.events)


@pytest.mark.parametrize("path", [*SHIPPED, SAMPLES / "lao-cai-31-2015.toml"], ids=lambda path: path.name)
def test_every_shipped_roster_says_which_date_it_follows(path: Path) -> None:
    header = [line for line in path.read_text(encoding="utf-8").splitlines() if line.startswith("# Roster: ")]
    assert len(header) == 1 and re.search(r"\b\d{1,2}/\d{1,2}/\d{4}\b|\b20\d\d\b", header[0]), header


def test_dak_lak_reports_quarterly_and_yearly_to_the_ubnd() -> None:
    """Quyết định 28/2016/QĐ-UBND Đắk Lắk, Điều 2: the LHH "báo cáo định kỳ hàng quý, năm …
    với Ủy ban nhân dân tỉnh"; a Quy định without an end date."""
    programme = check_file(PROGRAMMES / "dak-lak-28-2016.toml").programme
    assert programme is not None
    assert programme.programme.legal_basis.number == "28/2016/QĐ-UBND"
    assert programme.programme.legal_basis.date == date(2016, 7, 1)
    assert programme.programme.term.end is None
    assert [(c.periodicity, c.reporters, c.recipient) for c in programme.cycles] == [
        ("quarterly", ["LHH"], "Ủy ban nhân dân tỉnh Đắk Lắk"),
        ("annual", ["LHH"], "Ủy ban nhân dân tỉnh Đắk Lắk"),
    ]
    assert [agency.code for agency in programme.agencies] == ["SKHCN", "SNV"]


@pytest.mark.parametrize(
    ("edit", "path", "message"),
    [
        (
            lambda d: d["agencies"][2].update(kind="so-khong-co"),
            "agencies[2].kind",
            "loại cơ quan «so-khong-co» chưa khai báo trong agency_kinds",
        ),
        (lambda d: d["programme"].pop("province"), "programme.province", "thiếu trường bắt buộc"),
        (lambda d: d["programme"].update(timezone="Asia/Hanoi_City"), "programme.timezone", "múi giờ «Asia/Hanoi_City» không có"),
        (lambda d: d["agencies"][0].update(code="sở nội vụ"), "agencies[0].code", "mã không đúng dạng"),
        (lambda d: d["agencies"][1].update(code="SNV"), "agencies[1].code", "mã «SNV» bị trùng"),
        (lambda d: d["cycles"][0].update(periodicity="weekly"), "cycles[0].periodicity", "giá trị không hợp lệ; chấp nhận"),
        # 14/12/2018 is a Friday: a deadline on Saturday the 15th leaves no working day.
        (
            lambda d: d["cycles"][1].update(due_day_of_month=15),
            "cycles[1]",
            "chu kỳ «dv-nam»: hạn nộp cách ngày chốt số liệu chưa đủ 01 ngày làm việc",
        ),
        (lambda d: d["cycles"][0].update(due_days_after_window=5), "cycles[0]", "cần đúng một trong hai"),
        (lambda d: d["cycles"][0].update(reporters=["kind:nope"]), "cycles[0].reporters[0]", "«kind:nope» không chỉ tới cơ quan nào"),
        (lambda d: d["cycles"][0].update(parts=[3]), "cycles[0].parts[0]", "kỳ 3 không có (tối đa 2)"),
        (lambda d: d["indicators"][0].update(unit=""), "indicators[0].unit", "quá ngắn"),
        (
            lambda d: d["indicators"][0]["from_activities"].update(types=["khong-co"]),
            "indicators[0].from_activities.types[0]",
            "loại hoạt động «khong-co» chưa khai báo",
        ),
        (lambda d: d["events"][0].update(months=[13]), "events[0].months[0]", "tháng 13 phải từ 1 đến 12"),
        (lambda d: d["reminders"].update(before_days=[14, -1]), "reminders.before_days[1]", "giá trị quá nhỏ (tối thiểu 0)"),
        (lambda d: d["reminders"]["overdue"][0].update(notify=["the_boss"]), "reminders.overdue[0].notify[0]", "giá trị không hợp lệ"),
        (
            lambda d: d.update(
                tasks=[{"code": "T1", "title": "Một nhiệm vụ thử", "assignees": ["LHH"], "due": "quý V/2013", "source": "thử nghiệm"}]
            ),
            "tasks[0].due",
            "Không đọc được thời hạn «quý V/2013»",
        ),
        (
            lambda d: d.update(
                tasks=[{"code": "T1", "title": "Một nhiệm vụ thử", "assignees": ["LHH"], "due": "trước ngày 15/6", "source": "thử nghiệm"}]
            ),
            "tasks[0].due",
            "không ghi năm",
        ),
        (lambda d: d["coordinator"].update(hotline="113"), "coordinator.hotline", "trường không có trong mẫu"),
        (lambda d: d["programme"]["legal_basis"].update(date="15/7/2015"), "programme.legal_basis.date", "ngày hoặc giờ không đúng dạng"),
    ],
)
def test_broken_programmes_name_the_field(edit, path, message) -> None:  # type: ignore[no-untyped-def]
    data = deepcopy(raw())
    edit(data)
    found = problems(data)
    assert path in found, found
    assert message in found[path]


PYDANTIC_ENGLISH = ("Input should", "Value error", "valid integer", "time zone", "fractional")


@pytest.mark.parametrize(
    ("edit", "path", "vi", "en"),
    [
        (lambda d: d["programme"].update(timezone="Asia/Hanoi_City"), "programme.timezone", "múi giờ «Asia/Hanoi_City» không có", "unknown"),
        (lambda d: d["targets"][0].update(target=2.5), "targets[0].target", "phải là số nguyên, không có phần thập phân (đang là «2.5»)", "whole"),
        (lambda d: d["targets"][0].update(target="nhiều"), "targets[0].target", "phải là số nguyên", "whole number"),
        (lambda d: d["targets"][0].update(name=12), "targets[0].name", "phải là chuỗi văn bản", "must be text"),
        (lambda d: d["reminders"].update(send_on_days_off="có"), "reminders.send_on_days_off", "phải là true hoặc false", "true or false"),
        (lambda d: d.update(agencies={"code": "X"}), "agencies", "phải là một danh sách", "must be a list"),
        (lambda d: d.update(coordinator=["LHH"]), "coordinator", "phải là một bảng", "must be a table"),
        (lambda d: d["report"].update(signer=["a1", "b2", "c3", "d4"]), "report.signer", "nhiều nhất 3 mục", "at most 3"),
    ],
)
def test_shape_errors_read_in_the_person_language(edit, path, vi, en) -> None:  # type: ignore[no-untyped-def]
    data = deepcopy(raw("ha-giang-2021-2026.toml"))
    data.setdefault("report", {"issuer": "LHH", "place": "Hà Giang", "addressee": "UBND tỉnh", "recipients": ["Lưu"], "signer": ["a1"]})
    edit(data)
    found = {problem.path: problem for problem in check_data(data).problems}
    assert path in found, found
    vietnamese, english = (t(found[path].key, language, **found[path].params) for language in ("vi", "en"))
    assert vi in vietnamese and en in english
    assert not any(words in vietnamese for words in PYDANTIC_ENGLISH), vietnamese


def test_every_problem_is_reported_at_once() -> None:
    data = deepcopy(raw())
    data["agencies"][0]["kind"] = "x1"
    data["agencies"][5]["kind"] = "x2"
    data["events"][1]["audience"] = ["NOBODY"]
    assert {"agencies[0].kind", "agencies[5].kind", "events[1].audience[0]"} <= problems(data).keys()


def test_toml_syntax_error_is_reported(tmp_path: Path) -> None:
    broken = tmp_path / "broken.toml"
    broken.write_text("[programme\ncode = 1\n", encoding="utf-8")
    checked = check_file(broken)
    assert [p.key for p in checked.problems] == ["check.toml_syntax"]


def counts(db) -> dict[str, int]:  # type: ignore[no-untyped-def]
    with session_scope(db) as session:
        return {
            model.__name__: session.exec(select(func.count()).select_from(model)).one()
            for model in (Agency, ActivityType, AssignedTask, TaskAssignment, Activity)
        }


def test_loading_twice_changes_nothing(db, clock) -> None:  # type: ignore[no-untyped-def]
    programme = check_file(PROGRAMMES / "ha-giang-2021-2026.toml").programme
    assert programme is not None
    with session_scope(db) as session:
        first = load_into(session, programme, clock())
    assert first.created > 50 and first.changed
    before = counts(db)
    clock.advance(days=1)
    with session_scope(db) as session:
        second = load_into(session, programme, clock())
    assert not second.changed
    assert counts(db) == before


def test_an_edited_file_updates_without_losing_activities(db, loaded, clock, lao_cai: Programme) -> None:  # type: ignore[no-untyped-def]
    data = lao_cai.model_dump(mode="json")
    data["agencies"] = [a for a in data["agencies"] if a["code"] != "HSVC"]
    data["agencies"][0]["name"] = "Sở Nội vụ tỉnh Lào Cai"
    data["agencies"].append({"code": "SNGOAIVU", "name": "Sở Ngoại vụ", "kind": "so"})
    data["activity_types"] = [k for k in data["activity_types"] if k["code"] != "tvpb"]
    edited = check_data(data).programme
    assert edited is not None
    activities_before = counts(db)["Activity"]
    with session_scope(db) as session:
        report = load_into(session, edited, clock())
    # updated: the programme record, SNV's name, and the 16 types whose position moved up
    assert (report.created, report.updated, report.deactivated) == (1, 18, 2)
    assert counts(db)["Activity"] == activities_before
    with session_scope(db) as session:
        agencies = {a.code: a for a in session.exec(select(Agency))}
        assert agencies["SNV"].name == "Sở Nội vụ tỉnh Lào Cai"
        assert agencies["HSVC"].active is False and agencies["SNGOAIVU"].active is True
        tvpb = session.exec(select(ActivityType).where(ActivityType.code == "tvpb")).one()
        assert tvpb.active is False
        assert session.exec(select(func.count()).select_from(Activity).where(Activity.type_id == tvpb.id)).one() == 2
    with session_scope(db) as session:
        assert load_into(session, lao_cai, clock()).deactivated == 1


def test_round_trip_through_toml(tmp_path: Path, lao_cai: Programme) -> None:
    path = tmp_path / "copy.toml"
    path.write_text(tomli_w.dumps(lao_cai.model_dump(mode="json", exclude_none=True)), encoding="utf-8")
    assert check_file(path).problems == []


def test_references_are_checked_even_beside_malformed_items() -> None:
    data = deepcopy(raw())
    data["agencies"][0]["code"] = "sai mã"
    data["agencies"][5]["kind"] = "khong-co"
    found = problems(data)
    assert found["agencies[0].code"].startswith("mã không đúng dạng")
    assert found["agencies[5].kind"] == "loại cơ quan «khong-co» chưa khai báo trong agency_kinds"


def test_oversight_names_agencies_of_the_file() -> None:
    data = raw()
    assert data["coordinator"]["oversight"] == ["SNV"]
    programme = check_data(data).programme
    assert programme is not None
    assert [programme.oversees(code) for code in ("LHH", "SNV", "SKHCN", "SYT")] == [True, True, False, False]
    data["coordinator"]["oversight"] = ["SNV", "BOGUS"]
    assert problems(data) == {"coordinator.oversight[1]": "«BOGUS» không phải mã của cơ quan nào trong agencies"}

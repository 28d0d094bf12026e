"""`phoihop sample-data`: a realistic year of coordination for the demo programme, so the
office views and the consolidated report have something true-to-life to show.

On top of the hand-written sample (models/samples/sample_file.py) it adds, deterministically (a fixed
seed): activities for every agency over the past year, and submissions for the period in
hand and the one before it — most accepted or submitted, some late, a few drafts, returns
and silences — with figures counted from the agency's activities. Running it twice adds
nothing the second time.
"""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from itertools import islice

from sqlmodel import Session, col, select

from models.activities.register import Draft, register
from models.activities.tables import Activity
from models.office.board import choose_period
from models.people.roster import log
from models.people.tables import ChannelIdentity, Person, Role
from models.programme.schema import Programme
from models.programme.tables import ActivityType, Agency
from models.reporting.period_book import LivePeriod, ensure_periods, live
from models.reporting.submissions import (
    items_of,
    narrative_code,
    review,
    save_item,
    set_links,
    submission_for,
    submit,
    WindowActivity,
    suggested,
    window_activities,
)
from models.reporting.tables import AssignedTask, SubmissionStatus, TaskAssignment
from models.reporting.tasks import report_done
from models.samples.sample_file import SAMPLE_CHANNEL, Sample, SamplePerson, add_sample_person, load_sample

SEED = 2015
TOPICS = {
    "tvpb": [
        "Đề án phát triển du lịch cộng đồng",
        "Quy hoạch vùng trồng dược liệu",
        "Dự thảo chính sách thu hút nhân lực chất lượng cao",
        "Đề án chuyển đổi số cấp huyện",
    ],
    "hoi-thao": [
        "ứng dụng công nghệ cao trong nông nghiệp",
        "bảo tồn cây dược liệu bản địa",
        "chăm sóc sức khỏe ban đầu vùng cao",
        "phát triển sản phẩm OCOP",
    ],
    "hoi-nghi": ["sơ kết công tác phối hợp", "triển khai kế hoạch khoa học và công nghệ năm", "thông tin chuyên đề về sở hữu trí tuệ"],
    "tap-huan": [
        "kỹ thuật trồng chè Shan tuyết",
        "phòng trừ sâu bệnh hại cây ăn quả",
        "sơ cấp cứu ban đầu",
        "nuôi ong lấy mật",
        "ứng dụng phần mềm quản lý hồ sơ",
    ],
    "pbkt": ["phòng chống thiên tai", "an toàn thực phẩm", "bảo vệ môi trường nông thôn"],
    "mo-hinh": ["trồng rau an toàn trong nhà lưới", "nuôi cá nước lạnh", "trồng lúa chất lượng cao"],
    "de-tai": ["nhân giống cây ăn quả ôn đới", "chọn tạo giống lúa thích ứng vùng cao"],
    "cuoc-thi-ttnnd": ["Cuộc thi Sáng tạo thanh thiếu niên nhi đồng cấp huyện"],
    "hoi-thi-stkt": ["Hội thi Sáng tạo kỹ thuật tỉnh: vòng sơ khảo"],
}
TITLES = {
    "tvpb": "Tư vấn, phản biện {topic}",
    "hoi-thao": "Hội thảo khoa học về {topic}",
    "hoi-nghi": "Hội nghị {topic}",
    "tap-huan": "Tập huấn {topic}",
    "pbkt": "Tuyên truyền, phổ biến kiến thức về {topic}",
    "mo-hinh": "Mô hình trình diễn {topic}",
    "de-tai": "Đề tài {topic}",
    "cuoc-thi-ttnnd": "{topic}",
    "hoi-thi-stkt": "{topic}",
}
KIND_TYPES = {
    "hoi": ["hoi-thao", "tap-huan", "tvpb", "de-tai", "pbkt"],
    "so": ["hoi-nghi", "tvpb", "de-tai", "hoi-thao"],
    "huyen": ["tap-huan", "mo-hinh", "pbkt", "hoi-nghi"],
    "doan-the": ["pbkt", "tap-huan", "cuoc-thi-ttnnd", "hoi-nghi"],
}
"""The activities that fit each kind of agency: associations hold workshops and trainings,
departments meetings and reviews, districts trainings and demonstration models."""
PLACES = {
    "huyen": ["Hội trường UBND huyện", "UBND xã", "Nhà văn hóa thôn"],
    "default": ["Hội trường UBND tỉnh {province}", "Trung tâm Hội nghị tỉnh {province}", "Hội trường cơ quan"],
}
NARRATIVES = [
    "Đã phối hợp chặt chẽ với Liên hiệp hội trong tổ chức các hoạt động theo kế hoạch.",
    "Các hoạt động được triển khai đúng tiến độ, thu hút đông đảo hội viên và nhân dân tham gia.",
    "Đã lựa chọn nội dung sát với nhu cầu thực tế của địa phương.",
]
AREA_TEXTS = {
    ("tap-hop", "to-chuc"): [
        "Duy trì sinh hoạt định kỳ của chi hội, kết nạp thêm hội viên mới; cử cán bộ tham gia các hoạt động chung của Liên hiệp hội.",
        "Phối hợp kiện toàn ban chấp hành, rà soát danh sách trí thức, chuyên gia của đơn vị để tham gia mạng lưới của Liên hiệp hội.",
    ],
    ("pbkt",): [
        "Tổ chức {trainings} lớp tập huấn, hội nghị phổ biến kiến thức với khoảng {people} lượt người tham dự; đưa tin trên trang thông tin điện tử của đơn vị.",
        "Phối hợp đăng tải tin, bài phổ biến kiến thức khoa học và kỹ thuật; tổ chức {trainings} buổi tuyên truyền tại cơ sở.",
    ],
    ("nghien-cuu", "khcn"): [
        "Đang triển khai {projects} đề tài, dự án phối hợp; đã nghiệm thu cấp cơ sở một nhiệm vụ và chuyển giao kết quả cho địa phương.",
        "Phối hợp đề xuất đặt hàng nhiệm vụ khoa học và công nghệ cấp tỉnh năm tới; hỗ trợ chuyển giao tiến bộ kỹ thuật cho hộ sản xuất.",
    ],
    ("tvpb",): [
        "Tham gia {reviews} nhiệm vụ tư vấn, phản biện do Liên hiệp hội chủ trì; cử chuyên gia góp ý dự thảo đề án của tỉnh.",
        "Gửi hồ sơ lấy ý kiến phản biện các dự thảo đề án, kế hoạch thuộc lĩnh vực quản lý; tiếp thu ý kiến của các chuyên gia.",
    ],
    ("sang-tao",): [
        "Vận động hội viên, đoàn viên tham gia Hội thi Sáng tạo kỹ thuật tỉnh và Cuộc thi Sáng tạo thanh thiếu niên nhi đồng; có giải pháp đăng ký dự thi.",
        "Phổ biến thể lệ hội thi, cuộc thi sáng tạo tới cơ sở; tổ chức vòng sơ khảo cấp đơn vị.",
    ],
    ("hop-tac-qt", "hop-tac"): [
        "Phối hợp đón đoàn chuyên gia trong nước trao đổi kinh nghiệm; chưa phát sinh hoạt động hợp tác quốc tế trong kỳ.",
        "Tham gia hội thảo chia sẻ kinh nghiệm với các tỉnh bạn; đề xuất nội dung hợp tác cho năm tới.",
    ],
}
"""What agencies write in each content area (by the areas' codes in the shipped
programmes); other areas get a NARRATIVES line."""
RETURN_REASON = "Đề nghị bổ sung số liệu kinh phí và danh sách đại biểu tham dự."
DIFFICULTIES = [
    "Kinh phí bố trí cho hoạt động phối hợp còn hạn chế; đề nghị UBND tỉnh bố trí kinh phí riêng cho công tác tư vấn, phản biện.",
    "Hồ sơ đề án gửi lấy ý kiến phản biện thường chậm, thời gian nghiên cứu ngắn; đề nghị các cơ quan chủ trì gửi sớm theo quy định.",
    "Đội ngũ chuyên gia ở cơ sở còn mỏng; đề nghị Liên hiệp hội hỗ trợ kết nối chuyên gia trong và ngoài tỉnh.",
    "Cơ chế chia sẻ thông tin giữa các cơ quan chưa thường xuyên; đề nghị duy trì giao ban định kỳ 6 tháng.",
    "Địa bàn rộng, giao thông khó khăn nên việc tổ chức tập huấn tại các xã vùng cao còn gặp trở ngại.",
]


@dataclass(frozen=True)
class Filled:
    people: int
    activities: int
    submissions: int


def seeded(*parts: object) -> random.Random:
    """A generator of its own for each agency and period, so a second run draws the same."""
    return random.Random("-".join(str(part) for part in (SEED, *parts)))


def _activities(session: Session, programme_id: int, agencies: list[Agency], province: str, now: datetime) -> int:
    types = {
        t.code: t for t in session.exec(select(ActivityType).where(ActivityType.programme_id == programme_id, ActivityType.active == True))
    }
    known = {(a.lead_agency_id, a.title) for a in session.exec(select(Activity).where(Activity.programme_id == programme_id))}
    usable = [code for code in TITLES if code in types]
    written = 0
    for agency in agencies:
        rng = seeded("activities", agency.code)
        fitting = [code for code in KIND_TYPES.get(agency.kind_code or "", usable) if code in types] or usable
        places = PLACES.get(agency.kind_code or "", PLACES["default"])
        for _ in range(rng.randint(3, 7)):
            code = rng.choice(fitting)
            title = TITLES[code].format(topic=rng.choice(TOPICS[code]))
            day = now.date() - timedelta(days=rng.randint(-40, 380))
            partners = tuple(a.id for a in rng.sample(agencies, k=rng.choice([0, 0, 1, 2])) if a.id != agency.id)
            place = rng.choice(places).format(province=province)
            draft = Draft(types[code].id, title, day, place, partners, rng.choice([None, 25, 40, 60, 80, 120, 150]))
            if (agency.id, title) not in known:
                known.add((agency.id, title))
                register(session, programme_id, agency, draft, None, now.date(), now)
                written += 1
    return written


def narrative(area_code: str, activities: list[WindowActivity], rng: random.Random) -> str:
    """What an agency writes in a content area, with the counts of its own activities."""
    texts = next((texts for codes, texts in AREA_TEXTS.items() if area_code in codes), NARRATIVES)
    kinds = Counter(a.type_code for a in activities)
    return rng.choice(texts).format(
        trainings=max(1, kinds["tap-huan"] + kinds["hoi-nghi"] + kinds["pbkt"]),
        people=sum(a.participants or 0 for a in activities) or 60,
        projects=max(1, kinds["de-tai"]),
        reviews=max(1, kinds["tvpb"]),
    )


FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đỗ", "Bùi", "Đặng", "Lò", "Giàng", "Sùng", "Vàng", "Hà", "Lương"]
MIDDLE = {Role.LEADER: ["Văn", "Đức", "Minh", "Quang"], Role.SPECIALIST: ["Thị", "Thanh", "Ngọc", "Thu"]}
GIVEN = {
    Role.LEADER: ["Hùng", "Sơn", "Tuấn", "Dũng", "Thắng", "Bình", "Long"],
    Role.SPECIALIST: ["Lan", "Mai", "Hương", "Hằng", "Nga", "Thảo", "Yến"],
}


def _focal_points(session: Session, programme_id: int, agencies: list[Agency], now: datetime) -> dict[int, Person]:
    """A leader and a specialist for every agency that lacks them (fictitious names, joined
    through the console channel); returns each agency's specialist."""
    seated = {(p.agency_id, p.role) for p in session.exec(select(Person).where(Person.programme_id == programme_id, Person.active == True))}
    for agency in agencies:
        rng = seeded("people", agency.code)
        for role in (Role.LEADER, Role.SPECIALIST):
            if (agency.id, role) not in seated:
                name = f"{rng.choice(FAMILY)} {rng.choice(MIDDLE[role])} {rng.choice(GIVEN[role])}"
                item = SamplePerson(key=f"{agency.code.lower()}-{role.value}", agency=agency.code, role=role, name=name)
                add_sample_person(session, programme_id, agency, item, now)
    query = select(Person).where(Person.programme_id == programme_id, Person.active == True, Person.role == Role.SPECIALIST)
    return {p.agency_id: p for p in session.exec(query)}


def _fill_submission(
    session: Session,
    programme: Programme,
    period: LivePeriod,
    agency: Agency,
    person: Person,
    reviewer_id: int,
    states: list[str],
    now: datetime,
) -> bool:
    rng = seeded("submission", agency.code, period.cycle.code, period.info.code)
    state = rng.choice(states)
    if state == "none":
        return False
    submission = submission_for(session, period.row.id, agency.id, now)
    if submission.status is not SubmissionStatus.DRAFT or items_of(session, submission.id):
        return False
    activities = window_activities(session, agency.id, period.info.window)
    set_links(session, submission.id, [a.id for a in activities])
    for indicator in programme.indicators:
        value = suggested(indicator, activities)
        save_item(session, submission, indicator.code, now, value=value if value is not None else float(rng.randint(2, 60) * 5))
    for area in programme.content_areas:
        text = rng.choice(DIFFICULTIES) if area.difficulties else narrative(area.code, activities, rng)
        save_item(session, submission, narrative_code(area.code), now, text=text)
    if state == "draft":
        return True
    submit(session, submission, period.row, person.id, _sent_at(period, rng, state == "late", now))
    if state in ("accepted", "returned", "returned_accepted"):
        review(session, submission, reviewer_id, state == "accepted", None if state == "accepted" else RETURN_REASON, now)
    if state == "returned_accepted":
        submit(session, submission, period.row, person.id, now)
        review(session, submission, reviewer_id, True, None, now)
    return True


def _sent_at(period: LivePeriod, rng: random.Random, late: bool, now: datetime) -> datetime:
    """A submission day spread from ten days before the cut-off to the deadline, or up to a
    week after it for a late one; never after `now`."""
    start = period.info.window.end - timedelta(days=10)
    if late:
        day = period.info.due + timedelta(days=rng.randint(1, 7))
    else:
        day = start + timedelta(days=rng.randint(0, max((period.info.due - start).days, 0)))
    moment = datetime.combine(day, time(rng.randint(8, 16), rng.choice([0, 15, 30, 45])), tzinfo=now.tzinfo)
    return min(moment, now)


def _submissions(session: Session, programme: Programme, programme_id: int, people: dict[int, Person], now: datetime) -> int:
    """Submissions for the period in hand and the one before it, in every state."""
    ensure_periods(session, programme, programme_id, now)
    current = choose_period(session, programme, programme_id, "", now)
    earlier = [
        p
        for p in live(session, programme, programme_id, now.date(), 400)
        if p.cycle.code == current.cycle.code and p.info.due < current.info.due
    ]
    admin = session.exec(select(Person).where(Person.programme_id == programme_id, Person.role == Role.ADMIN)).first()
    reporters = set(programme.agencies_for(current.cycle.reporters))
    agencies = [
        a
        for a in session.exec(select(Agency).where(col(Agency.programme_id) == programme_id).order_by(col(Agency.id)))
        if a.code in reporters and a.id in people
    ]
    written = 0
    plans = [(current, ["accepted", "accepted", "submitted", "submitted", "late", "draft", "none", "returned", "returned_accepted"])]
    if earlier:
        plans.append((earlier[-1], ["accepted", "accepted", "accepted", "late", "submitted", "returned_accepted", "none"]))
    for period, states in plans:
        for agency in agencies:
            person = people[agency.id]
            reviewer = admin.id if admin else person.id
            written += _fill_submission(session, programme, period, agency, person, reviewer, states, now)
    return written


def fill_sample(session: Session, programme: Programme, programme_id: int, sample: Sample, now: datetime) -> Filled:
    """Load the hand-written sample, then the generated year; idempotent."""
    people_before = len(session.exec(select(Person.id).where(Person.programme_id == programme_id)).all())
    has_sample = (
        session.exec(select(Activity).where(Activity.title == sample.activities[0].title)).first() is not None
        if sample.activities
        else True
    )
    load_sample(session, programme_id, sample if not has_sample else sample.model_copy(update={"activities": []}), now)
    agencies = list(
        session.exec(
            select(Agency)
            .where(Agency.programme_id == programme_id, Agency.active == True, Agency.is_coordinator == False)
            .order_by(col(Agency.id))
        )
    )
    specialists = _focal_points(session, programme_id, agencies, now)
    added = _activities(session, programme_id, agencies, programme.programme.province, now)
    submitted = _submissions(session, programme, programme_id, specialists, now)
    _tasks_reported(session, programme_id, specialists, now)
    people_after = len(session.exec(select(Person.id).where(Person.programme_id == programme_id)).all())
    return Filled(people_after - people_before, added, submitted)


TASK_NOTES = [
    "Đã triển khai thực hiện và báo cáo kết quả về UBND tỉnh.",
    "Đã hoàn thành; kết quả được lồng ghép trong báo cáo năm của đơn vị.",
]


def _tasks_reported(session: Session, programme_id: int, people: dict[int, Person], now: datetime) -> None:
    """Most assigned tasks reported done by their agencies (with a note), a few still open."""
    query = (
        select(TaskAssignment, AssignedTask.code)
        .join(AssignedTask, col(AssignedTask.id) == TaskAssignment.task_id)
        .where(AssignedTask.programme_id == programme_id, TaskAssignment.done_at == None)  # noqa: E711
    )
    for share, code in session.exec(query).all():
        rng = seeded("task", code, share.agency_id)
        person = people.get(share.agency_id)
        if rng.random() < 0.7 and person is not None:
            report_done(session, share.task_id, share.agency_id, person.id, rng.choice(TASK_NOTES), now - timedelta(days=rng.randint(30, 400)))


def sample_office_texts(programme: Programme) -> dict[str, str]:
    """What an LHH office types into /assess for the sample period (the rendering script
    and the demo show a complete report with it)."""
    province = programme.programme.province
    return {
        "assessment": (
            f"Trong kỳ, các cơ quan, đơn vị đã chủ động phối hợp với Liên hiệp hội triển khai các nội dung của chương trình phối hợp"
            f" trên địa bàn tỉnh {province}; nhiều hoạt động tư vấn, phản biện, tập huấn được tổ chức đúng kế hoạch."
        ),
        "shortcomings": "Một số cơ quan, đơn vị gửi báo cáo chậm hoặc chưa gửi; số liệu giữa báo cáo và hoạt động đã đăng ký còn chênh lệch.",
        "causes": "Kinh phí cho hoạt động phối hợp còn hạn chế; đầu mối của một số đơn vị thay đổi, chưa được phân công lại kịp thời.",
        "directions": (
            "Tiếp tục duy trì giao ban định kỳ với các đầu mối; đăng ký đầy đủ hoạt động trên hệ thống ngay khi tổ chức;"
            " hoàn thành các chỉ tiêu còn chậm tiến độ.\nĐôn đốc các cơ quan, đơn vị gửi báo cáo đúng hạn."
        ),
        "proposals": f"Đề nghị UBND tỉnh {province} bố trí kinh phí riêng cho công tác tư vấn, phản biện và giám định xã hội.",
    }


def _open_seats(agencies: list[Agency], per_role: dict[Role, int], seated: Counter[tuple[int, Role]]) -> Iterator[tuple[Agency, Role]]:
    """Each agency's empty seats, the roles taking turns (a leader, a specialist, …)."""
    for agency in agencies:
        for seat in range(max(per_role.values(), default=0)):
            for role, wanted in per_role.items():
                if seated[(agency.id, role)] <= seat < wanted:
                    yield agency, role


def people_at_scale(
    session: Session,
    programme_id: int,
    agencies: list[Agency],
    per_role: dict[Role, int],
    until: int,
    now: datetime,
    channel: str = SAMPLE_CHANNEL,
    first_ref: int = 1,
) -> int:
    """Fill up to `per_role` seats of each role in every agency, in turn, until the programme
    has `until` active people: fictitious names, consent recorded, an account on `channel`
    (user and chat refs numbered from `first_ref`). For benchmarks at a province's scale;
    written in bulk, so tens of thousands take seconds. Returns how many were added."""
    active = Person.programme_id == programme_id, Person.active == True
    seated = Counter(session.exec(select(col(Person.agency_id), col(Person.role)).where(*active)).all())
    people = []
    for number, (agency, role) in enumerate(islice(_open_seats(agencies, per_role, seated), max(until - seated.total(), 0))):
        rng = seeded("scale", agency.code, number)
        name = f"{rng.choice(FAMILY)} {rng.choice(MIDDLE[role])} {rng.choice(GIVEN[role])}"
        people.append(
            Person(
                programme_id=programme_id,
                agency_id=agency.id,
                role=role,
                full_name=name,
                consent_at=now,
                consent_version="sample",
                created_at=now,
            )
        )
    session.add_all(people)
    session.flush()
    for number, person in enumerate(people):
        ref = str(first_ref + number)
        session.add(ChannelIdentity(person_id=person.id, channel=channel, user_ref=ref, chat_ref=ref, created_at=now, last_seen_at=now))
        log(session, "sample_data", now, person.id)
    session.flush()
    return len(people)

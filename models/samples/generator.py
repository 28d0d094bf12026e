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
from datetime import datetime, timedelta
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
    suggested,
    window_activities,
)
from models.reporting.tables import SubmissionStatus
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
PLACES = ["Hội trường UBND tỉnh", "Trung tâm Hội nghị tỉnh", "Hội trường cơ quan", "UBND xã", "Nhà văn hóa thôn", "Trường Cao đẳng Lào Cai"]
NARRATIVES = [
    "Đã phối hợp chặt chẽ với Liên hiệp hội trong tổ chức các hoạt động theo kế hoạch.",
    "Các hoạt động được triển khai đúng tiến độ, thu hút đông đảo hội viên và nhân dân tham gia.",
    "Đã lựa chọn nội dung sát với nhu cầu thực tế của địa phương.",
]
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


def _activities(session: Session, programme_id: int, agencies: list[Agency], now: datetime) -> int:
    types = {
        t.code: t for t in session.exec(select(ActivityType).where(ActivityType.programme_id == programme_id, ActivityType.active == True))
    }
    known = {(a.lead_agency_id, a.title) for a in session.exec(select(Activity).where(Activity.programme_id == programme_id))}
    usable = [code for code in TITLES if code in types]
    written = 0
    for agency in agencies:
        rng = seeded("activities", agency.code)
        for number in range(rng.randint(3, 7)):
            code = rng.choice(usable)
            title = TITLES[code].format(topic=rng.choice(TOPICS[code])) + f" ({agency.code}-{number + 1})"
            day = now.date() - timedelta(days=rng.randint(-40, 380))
            partners = tuple(a.id for a in rng.sample(agencies, k=rng.randint(0, 2)) if a.id != agency.id)
            draft = Draft(types[code].id, title, day, rng.choice(PLACES), partners, rng.choice([None, 25, 40, 60, 80, 120, 150]))
            if (agency.id, title) not in known:
                register(session, programme_id, agency, draft, None, now.date(), now)
                written += 1
    return written


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
        text = rng.choice(DIFFICULTIES) if area.difficulties else rng.choice(NARRATIVES)
        save_item(session, submission, narrative_code(area.code), now, text=text)
    if state == "draft":
        return True
    moment = datetime.combine(period.info.due - timedelta(days=rng.randint(-4, 8)), datetime.min.time().replace(hour=10), tzinfo=now.tzinfo)
    submit(session, submission, period.row, person.id, min(moment, now))
    if state in ("accepted", "returned"):
        reason = "Đề nghị bổ sung số liệu kinh phí và danh sách đại biểu tham dự." if state == "returned" else None
        review(session, submission, reviewer_id, state == "accepted", reason, now)
    return True


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
    plans = [(current, ["accepted", "submitted", "draft", "draft", "none", "returned"])]
    if earlier:
        plans.append((earlier[-1], ["accepted", "accepted", "accepted", "submitted", "returned", "none"]))
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
    added = _activities(session, programme_id, agencies, now)
    submitted = _submissions(session, programme, programme_id, specialists, now)
    people_after = len(session.exec(select(Person.id).where(Person.programme_id == programme_id)).all())
    return Filled(people_after - people_before, added, submitted)


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

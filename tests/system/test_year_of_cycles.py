"""A simulated year of the Lào Cai programme with 41 agencies and an injected clock: the
scheduler's jobs fire at their local times, agencies submit on chosen days, the sender
delivers. Every reminder, escalation, digest and notice goes out on its day and hour,
exactly once, and agencies that submitted hear nothing more. No sleeping."""

from __future__ import annotations

import asyncio
from collections import Counter, defaultdict
from collections.abc import Iterator
from datetime import date, datetime, time, timedelta

import pytest
from sqlmodel import select

from bot.channels.delivery import ChannelSender
from bot.sender import Limits, OutboxSender
from bot.zalo.client import ZaloApiError
from bot.zalo.outgoing import ZaloSender, split_message
from locales.catalogue import t
from models.db.engine import make_engine, session_scope
from models.office.outreach import audience_of, send_broadcast
from models.outbox.tables import OutboxMessage, OutboxStatus
from models.programme.loader import load_into
from models.programme.reminders import reminder_steps
from models.programme.schema import Programme
from models.programme.tables import Agency, ProgrammeRecord
from models.reporting.period_book import ensure_periods
from models.reporting.submissions import submission_for, submit
from models.reporting.tables import Period
from scheduler.service import CycleScheduler, job_times
from tests.conftest import ZONE, local
from tests.support.fake_channel import FakeChannel
from tests.support.fake_time import FakeTime
from tests.fakes.zalo_api import TEXT_LIMIT
from tests.support.roster import Member, bind_group, populate

pytestmark = pytest.mark.slow

START, END = date(2026, 12, 1), date(2027, 12, 31)
BROADCAST_DAY = date(2027, 3, 10)
ZALO_LIMITS = Limits(5, 1, 10)
"""The Zalo pace `phoihop run` uses by default (ZALO_RATE_PER_SECOND and the others)."""
SUBMIT_AT = time(14, 0)


class Moment:
    def __init__(self, start: datetime) -> None:
        self.value = start

    def __call__(self) -> datetime:
        return self.value


def h1_submission_day(index: int) -> date | None:
    """Ten agencies early, ten on the (Sunday) deadline, ten after overdue-1, six after the
    leader's escalation, five never."""
    if index < 10:
        return date(2027, 6, 10) + timedelta(days=index % 5)
    if index < 20:
        return date(2027, 6, 20)
    if index < 30:
        return date(2027, 6, 22)
    return date(2027, 6, 25) if index < 36 else None


def annual_submission_day(index: int) -> date | None:
    return None if index % 4 == 0 else date(2027, 12, 8) + timedelta(days=index % 9)


class ZaloRecorder:
    """Zalo's sendMessage in-process, for a ZaloSender: refuses what the API refuses (an
    empty text, over 2,000 characters) and keeps what it was given, in order."""

    def __init__(self) -> None:
        self.sent: list[tuple[str, str]] = []

    async def send_message(self, chat_id: str, text: str) -> dict[str, object]:
        if not 1 <= len(text) <= TEXT_LIMIT:
            raise ZaloApiError("sendMessage", 400, "Bad request: text must have 1 to 2000 characters")
        self.sent.append((chat_id, text))
        return {"message_id": str(len(self.sent))}


class Year:
    def __init__(self, db, programme: Programme, channel: str = "sim") -> None:  # type: ignore[no-untyped-def]
        self.db = db
        self.programme = programme
        self.channel_name = channel
        self.clock = Moment(local(START.year, START.month, START.day, 0, 0))
        with session_scope(db) as session:
            load_into(session, programme, self.clock())
            self.programme_id = session.exec(select(ProgrammeRecord)).one().id
            self.members = populate(session, self.programme_id, self.clock(), channel)  # type: ignore[arg-type]
            self.groups = {
                g.chat_ref: g.id
                for g in (
                    bind_group(session, self.programme_id, "group-all", None, self.clock(), channel),  # type: ignore[arg-type]
                    bind_group(session, self.programme_id, "group-syt", "SYT", self.clock(), channel),  # type: ignore[arg-type]
                )
            }
            agencies = session.exec(
                select(Agency).where(Agency.programme_id == self.programme_id, Agency.is_coordinator == False).order_by(Agency.id)
            ).all()
            self.agencies = [a.code for a in agencies]
            self.agency_ids = {a.code: a.id for a in agencies}
        self.scheduler = CycleScheduler(db, self.clock, programme.code)
        self.channel = FakeChannel(channel, FakeTime(self.clock()))
        self.zalo = ZaloRecorder()
        self.sender: ChannelSender = ZaloSender(self.zalo) if channel == "zalo" else self.channel  # type: ignore[arg-type]
        self.submitted: dict[tuple[str, str], datetime] = {}

    def plan(self) -> dict[str, date | None]:
        return {code: h1_submission_day(i) for i, code in enumerate(self.agencies)}

    def submit_due(self, day: date) -> None:
        moment = datetime.combine(day, SUBMIT_AT, tzinfo=ZONE)
        for index, code in enumerate(self.agencies):
            for cycle, period_code, chosen in (
                ("dv-6-thang", "2027-H1", h1_submission_day(index)),
                ("dv-nam", "2027", annual_submission_day(index)),
            ):
                if chosen == day:
                    self._submit(cycle, period_code, code, moment)

    def _submit(self, cycle: str, period_code: str, code: str, moment: datetime) -> None:
        with session_scope(self.db) as session:
            ensure_periods(session, self.programme, self.programme_id, moment)
            period = session.exec(select(Period).where(Period.cycle_code == cycle, Period.period_code == period_code)).one()
            submission = submission_for(session, period.id, self.agency_ids[code], moment)  # type: ignore[arg-type]
            person = next(m for m in self.members if m.agency_code == code and m.role.value == "specialist")
            submit(session, submission, period, person.person_id, moment)
        self.submitted[(cycle, code)] = moment

    def deliver(self, moment: datetime) -> None:
        time_ = FakeTime(moment)
        self.channel.time = time_
        limits = {self.channel_name: ZALO_LIMITS if self.channel_name == "zalo" else Limits()}
        sender = OutboxSender(self.db, {self.channel_name: self.sender}, time_.wall, limits, sleep=time_.sleep, monotonic=time_.monotonic)
        asyncio.run(sender.drain())

    def live_through(self, first: date, last: date) -> None:
        fires = sorted(job_times(self.programme).items(), key=lambda item: item[1])
        day = first
        while day <= last:
            for name, at in fires:
                self.clock.value = datetime.combine(day, at, tzinfo=ZONE)
                self.scheduler.run_once((name,))
            if day == BROADCAST_DAY:
                self.broadcast(datetime.combine(day, time(7, 0), tzinfo=ZONE))
            self.deliver(datetime.combine(day, time(8, 1), tzinfo=ZONE))
            self.submit_due(day)
            day += timedelta(days=1)

    def broadcast(self, moment: datetime) -> None:
        """The office's long notice to everyone, as /broadcast all writes it."""
        body = " ".join(["Kính mời các cơ quan cử đại diện dự hội nghị sơ kết công tác phối hợp 6 tháng đầu năm 2027."] * 30)
        text = t("outreach.broadcast_text", "vi", sender="Liên hiệp hội", text=body)
        with session_scope(self.db) as session:
            audience = audience_of(session, self.programme_id, "all")
            send_broadcast(session, self.programme_id, audience, text, "year", moment, self.programme.reminders.policy())

    def sent(self) -> list[OutboxMessage]:
        with session_scope(self.db) as session:
            return list(session.exec(select(OutboxMessage).where(OutboxMessage.status == OutboxStatus.SENT)))


@pytest.fixture(scope="module")
def year(databases, lao_cai: Programme) -> Iterator[Year]:  # type: ignore[no-untyped-def]
    url = databases.create(migrated=True)
    simulated = Year(make_engine(url), lao_cai)
    simulated.live_through(START, END)
    yield simulated
    simulated.db.dispose()
    databases.drop(url)


@pytest.fixture(scope="module")
def zalo_year(databases, lao_cai: Programme) -> Iterator[Year]:  # type: ignore[no-untyped-def]
    """The same year with every person and group on Zalo, through the real ZaloSender."""
    url = databases.create(migrated=True)
    simulated = Year(make_engine(url), lao_cai, channel="zalo")
    simulated.live_through(START, END)
    yield simulated
    simulated.db.dispose()
    databases.drop(url)


def member(year: Year, person_id: int) -> Member:
    return next(m for m in year.members if m.person_id == person_id)


def test_periods_open_and_close_on_the_right_days(year: Year) -> None:
    with session_scope(year.db) as session:
        rows = {(p.cycle_code, p.period_code): p for p in session.exec(select(Period))}
    h1, annual = rows[("dv-6-thang", "2027-H1")], rows[("dv-nam", "2027")]
    assert (h1.window_start, h1.window_end, h1.due_date) == (date(2026, 12, 15), date(2027, 6, 14), date(2027, 6, 20))
    assert (annual.window_start, annual.window_end, annual.due_date) == (date(2026, 12, 15), date(2027, 12, 14), date(2027, 12, 20))
    assert h1.opened_at.astimezone(ZONE) == local(2026, 12, 15, 0, 5)
    assert h1.closed_at.astimezone(ZONE) == local(2027, 6, 15, 0, 5)
    assert annual.closed_at.astimezone(ZONE) == local(2027, 12, 15, 0, 5)
    assert rows[("dv-6-thang", "2028-H1")].opened_at.astimezone(ZONE) == local(2027, 12, 15, 0, 5)
    assert ("lhh-6-thang", "2027-H1") in rows and ("lhh-nam", "2027") in rows


def test_nothing_is_sent_twice_and_all_within_hours(year: Year) -> None:
    sent = year.sent()
    assert len(sent) > 500
    assert max(Counter(d.text + d.chat_ref for d in year.channel.delivered).values()) == 1
    assert len(year.channel.delivered) == len(sent)
    for row in sent:
        moment = row.sent_at.astimezone(ZONE)
        assert time(8, 0) <= moment.time() < time(21, 0), row.key
        assert moment.weekday() < 5, row.key


def _reminders_by_agency(year: Year, period_id: int) -> dict[str, dict[str, date]]:
    """agency code -> step -> day the specialist received it."""
    found: dict[str, dict[str, date]] = defaultdict(dict)
    for row in year.sent():
        if row.key.startswith(f"remind:{period_id}:") and ":p" in row.key:
            _, _, _, step, _ = row.key.split(":")
            who = member(year, row.person_id)  # type: ignore[arg-type]
            assert who.role.value == "specialist"
            assert step not in found[who.agency_code]
            found[who.agency_code][step] = row.sent_at.astimezone(ZONE).date()
    return found


def _period_id(year: Year, cycle: str, code: str) -> int:
    with session_scope(year.db) as session:
        return session.exec(select(Period.id).where(Period.cycle_code == cycle, Period.period_code == code)).one()  # type: ignore[return-value]


def test_every_reminder_on_its_day_until_the_agency_submits(year: Year, lao_cai: Programme) -> None:
    steps = reminder_steps(date(2027, 6, 20), lao_cai.reminders.policy())
    assert [(s.code, s.send_on) for s in steps] == [
        ("before-14", date(2027, 6, 4)),
        ("before-7", date(2027, 6, 11)),
        ("before-3", date(2027, 6, 17)),
        ("due", date(2027, 6, 18)),
        ("overdue-1", date(2027, 6, 21)),
        ("overdue-3", date(2027, 6, 23)),
        ("overdue-7", date(2027, 6, 28)),
    ]
    received = _reminders_by_agency(year, _period_id(year, "dv-6-thang", "2027-H1"))
    for index, code in enumerate(year.agencies):
        submitted = h1_submission_day(index)
        expected = {s.code: s.send_on for s in steps if submitted is None or s.send_on <= submitted}
        assert received.get(code, {}) == expected, code


def test_leaders_and_office_hear_of_late_reports(year: Year) -> None:
    period_id = _period_id(year, "dv-6-thang", "2027-H1")
    leader_rows = [r for r in year.sent() if r.key.startswith(f"remind:{period_id}:") and ":leader" in r.key]
    by_step = defaultdict(set)
    for row in leader_rows:
        by_step[row.key.split(":")[3]].add(member(year, row.person_id).agency_code)  # type: ignore[arg-type]
    late_at_3 = {code for i, code in enumerate(year.agencies) if (h1_submission_day(i) or date.max) > date(2027, 6, 23)}
    late_at_7 = {code for i, code in enumerate(year.agencies) if h1_submission_day(i) is None}
    assert set(by_step) == {"overdue-3", "overdue-7"}
    assert by_step["overdue-3"] == late_at_3 and len(late_at_3) == 11
    assert by_step["overdue-7"] == late_at_7 and len(late_at_7) == 5
    office = [r for r in year.sent() if r.key.startswith(f"escalate:{period_id}:")]
    assert {member(year, r.person_id).chat_ref for r in office} == {"admin-1", "admin-2"}  # type: ignore[arg-type]
    assert all(r.key.split(":")[2] == "overdue-7" and "5 cơ quan chưa nộp" in r.text for r in office)
    assert {r.sent_at.astimezone(ZONE).date() for r in office} == {date(2027, 6, 28)}


def test_the_lhh_office_is_reminded_of_its_own_report(year: Year) -> None:
    period_id = _period_id(year, "lhh-nam", "2027")
    rows = [r for r in year.sent() if r.key.startswith(f"remind:{period_id}:")]
    assert {member(year, r.person_id).chat_ref for r in rows} == {"admin-1", "admin-2"}  # type: ignore[arg-type]
    # due Saturday 25/12/2027: before-1 and the day itself both fall on Friday 24/12, the later
    # step wins; overdue-7 (3/1/2028) is past the simulated year
    assert {r.key.split(":")[3] for r in rows} == {"before-14", "before-7", "before-3", "due", "overdue-1", "overdue-3"}


def test_digests_go_to_groups_on_working_mornings_only_while_reports_are_missing(year: Year) -> None:
    digests = [r for r in year.sent() if r.key.startswith("digest:")]
    days_all = sorted(r.sent_at.astimezone(ZONE).date() for r in digests if r.group_id == year.groups["group-all"])
    assert days_all[0] == date(2026, 12, 15)
    assert all(day.weekday() < 5 for day in days_all)
    assert len(days_all) == len(set(days_all))
    june = [d for d in days_all if d.month == 6]
    assert june[0] == date(2027, 6, 15)
    assert h1_submission_day(year.agencies.index("SYT")) == date(2027, 6, 13)
    syt_days = {r.sent_at.astimezone(ZONE).date() for r in digests if r.group_id == year.groups["group-syt"]}
    assert date(2026, 12, 15) in syt_days
    assert not any(date(2027, 6, 1) <= day <= date(2027, 7, 31) for day in syt_days)
    first = next(r for r in digests if r.sent_at.astimezone(ZONE).date() == date(2027, 6, 15) and r.group_id == year.groups["group-all"])
    assert "Báo cáo 6 tháng kết quả thực hiện chương trình phối hợp — 6 tháng đầu năm 2027" in first.text
    assert "đã nộp 10/41" in first.text


def test_group_announcements_and_event_notices(year: Year) -> None:
    sent = year.sent()
    opened = [r for r in sent if r.key.startswith("announce.opened:")]
    assert {r.sent_at.astimezone(ZONE).date() for r in opened} == {date(2026, 12, 15), date(2027, 12, 15)}
    cutoff = [r for r in sent if r.key.startswith("announce.cutoff:") and r.group_id == year.groups["group-all"]]
    assert {r.sent_at.astimezone(ZONE).date() for r in cutoff} == {date(2026, 12, 15), date(2027, 6, 15), date(2027, 12, 15)}
    events = defaultdict(set)
    for row in sent:
        if row.key.startswith("event:") and row.group_id == year.groups["group-all"]:
            _, code, _day, step, _ = row.key.split(":")
            events[code].add((step, row.sent_at.astimezone(ZONE).date()))
    assert events["hn-tong-ket"] == {("due", date(2026, 12, 1)), ("before-7", date(2027, 11, 24)), ("due", date(2027, 12, 1))}
    assert events["lam-viec-hoi"] >= {("before-7", date(2027, 5, 25)), ("due", date(2027, 6, 1)), ("due", date(2027, 12, 1))}


def test_a_restart_after_downtime_sends_the_current_step_once(db, lao_cai: Programme) -> None:  # type: ignore[no-untyped-def]
    simulated = Year(db, lao_cai)
    simulated.live_through(date(2027, 6, 1), date(2027, 6, 18))
    before = {r.key for r in simulated.sent()}
    simulated.clock.value = local(2027, 6, 24, 9, 30)
    simulated.scheduler.run_once()
    simulated.deliver(local(2027, 6, 24, 9, 31))
    simulated.scheduler.run_once()
    simulated.deliver(local(2027, 6, 24, 9, 32))
    new = [r for r in simulated.sent() if r.key not in before and r.key.startswith("remind:")]
    period_id = _period_id(simulated, "dv-6-thang", "2027-H1")
    per_agency = defaultdict(list)
    for row in new:
        if row.key.startswith(f"remind:{period_id}:"):
            _, _, _, step, recipient = row.key.split(":")
            per_agency[member(simulated, row.person_id).agency_code].append((step, recipient.rstrip("0123456789")))  # type: ignore[arg-type]
    still_owing = {code for index, code in enumerate(simulated.agencies) if (h1_submission_day(index) or date.max) > date(2027, 6, 18)}
    assert set(per_agency) == still_owing
    for received in per_agency.values():
        assert sorted(received) == [("overdue-3", "leader"), ("overdue-3", "p")]


def test_the_dry_run_calendar_is_what_the_scheduler_did(year: Year, lao_cai: Programme) -> None:
    from scheduler.plan import Kind, calendar

    planned = {
        (entry.step, entry.day)
        for entry in calendar(lao_cai, 2027)
        if entry.subject == "dv-6-thang/2027-H1" and entry.kind in (Kind.REMINDER, Kind.ESCALATION)
    }
    received = _reminders_by_agency(year, _period_id(year, "dv-6-thang", "2027-H1"))
    never = [code for index, code in enumerate(year.agencies) if h1_submission_day(index) is None]
    for code in never:
        assert set(received[code].items()) == planned


def test_on_zalo_every_message_reaches_its_chat_once_in_pieces_that_fit(zalo_year: Year, year: Year) -> None:
    """Every reminder, escalation, digest and notice of the year reaches the same people and
    groups on Zalo as on the reference channel; each chat gets each row's pieces in order,
    together, once; nothing fails or waits."""
    with session_scope(zalo_year.db) as session:
        rows = list(session.exec(select(OutboxMessage)))
    assert {row.status for row in rows} == {OutboxStatus.SENT}
    assert {row.key for row in rows} == {row.key for row in year.sent()}
    expected: dict[str, list[str]] = defaultdict(list)
    for row in sorted(rows, key=lambda row: (row.sent_at, row.id)):
        expected[row.chat_ref] += split_message(row.text)
    delivered: dict[str, list[str]] = defaultdict(list)
    for chat_ref, text in zalo_year.zalo.sent:
        delivered[chat_ref].append(text)
    assert delivered == expected
    assert any(len(split_message(row.text)) > 1 for row in rows)
    kinds = {row.key.split(":")[0] for row in rows}
    assert {"remind", "escalate", "digest", "announce.opened", "event", "broadcast"} <= kinds
    broadcast = [row for row in rows if row.key.startswith("broadcast:")]
    assert len(broadcast) == len(zalo_year.members) - 2 + len(zalo_year.groups)
    assert all(len(split_message(row.text)) == 2 for row in broadcast)

"""What the TVPB pages show of a task, read once per request: its parts with their marks,
its stage log with who, its council. Rows only; the words are the templates'."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, tzinfo

from sqlmodel import Session, col, select

from locales.catalogue import localised
from models.activities.tables import Attachment
from models.people.tables import Person
from models.programme.schema import Tvpb
from models.tvpb import experts, services
from models.tvpb.stages import ORDER
from models.tvpb.tables import CouncilSeat, Expert, Stage, TvpbPart, TvpbStageLog, TvpbTask

NEXT_VERB = {Stage.COUNCIL: "hoithao", Stage.WORKSHOP: "gui", Stage.CRITIQUE_SENT: "tiepthu", Stage.RESPONSE: "dong"}
"""The chat's `/tvpb N VERB` that moves a task on from each stage with no more to say."""
INVITING = frozenset(ORDER[: ORDER.index(Stage.WORKSHOP)])
"""While the council can still take members."""


@dataclass(frozen=True)
class PartLine:
    name: str
    row: TvpbPart | None
    attachment: Attachment | None
    day: date | None
    late: bool
    """Received (or marked missing) after the dossier's deadline."""


@dataclass(frozen=True)
class LogLine:
    entry: TvpbStageLog
    day: date
    who: str | None
    """The person's name; none: the bot."""


@dataclass(frozen=True)
class SeatLine:
    seat: CouncilSeat
    expert: Expert

    @property
    def answers(self) -> list[str]:
        """Every answer in order (an expert may decline after accepting)."""
        return [str(entry["status"]) for entry in self.seat.history]


def local_day(moment: datetime, zone: tzinfo) -> date:
    return moment.astimezone(zone).date()


def parts(session: Session, rule: Tvpb, task: TvpbTask, zone: tzinfo, language: str) -> tuple[list[PartLine], list[PartLine]]:
    """Each required part, current copy first; then the older copies the newer superseded."""
    history = services.part_history(session, task.id)
    ids = [row.attachment_id for row in history if row.attachment_id is not None]
    files = {a.id: a for a in session.exec(select(Attachment).where(col(Attachment.id).in_(ids)))} if ids else {}
    names = {part.code: localised(part.name, part.name_en, language) for part in rule.parts}

    def line(code: str, row: TvpbPart | None) -> PartLine:
        day = local_day(row.at, zone) if row is not None else None
        attachment = files.get(row.attachment_id) if row is not None and row.attachment_id is not None else None
        return PartLine(names.get(code, code), row, attachment, day, day is not None and day > task.dossier_due)

    current = {row.part: row for row in history if row.superseded_at is None}
    older = [line(row.part, row) for row in history if row.superseded_at is not None]
    return [line(part.code, current.get(part.code)) for part in rule.parts], older


def log(session: Session, task: TvpbTask, zone: tzinfo) -> list[LogLine]:
    entries = services.stage_log(session, task.id)
    ids = {entry.person_id for entry in entries if entry.person_id is not None}
    people = {p.id: p.full_name for p in session.exec(select(Person).where(col(Person.id).in_(ids)))} if ids else {}
    return [LogLine(entry, local_day(entry.at, zone), people.get(entry.person_id) if entry.person_id else None) for entry in entries]


def council(session: Session, task: TvpbTask) -> list[SeatLine]:
    query = select(CouncilSeat, Expert).join(Expert, col(Expert.id) == CouncilSeat.expert_id).where(CouncilSeat.task_id == task.id)
    return [SeatLine(seat, expert) for seat, expert in session.exec(query.order_by(col(CouncilSeat.id)))]


def response_day(lines: list[LogLine]) -> date | None:
    """The day the 'báo cáo tiếp thu, giải trình' was received, if it was."""
    return next((line.day for line in lines if line.entry.stage is Stage.RESPONSE), None)


def invitable(session: Session, task: TvpbTask, seated: list[SeatLine]) -> list[Expert]:
    """The bank's experts not yet invited to the task's council, those of its fields first."""
    taken = {line.expert.id for line in seated}
    bank = [expert for expert in experts.search(session, task.programme_id, None) if expert.id not in taken]
    return sorted(bank, key=lambda expert: not set(expert.fields) & set(task.fields))

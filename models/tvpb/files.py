"""The dossier and the workshop notice to the council's members, through the outbox.

A member who accepts a seat gets every part received so far; a part that arrives later,
while the council is forming (the dossier being sent, or complete and the council not yet
formed), goes to every member who has accepted; the workshop notice goes to them when the
council is formed, and to a member who accepts after that. Each row is keyed
`tvpb:<task>:p<person>:file:<part row>` or `…:p<person>:workshop-notice`, so a member who
declines and accepts again gets nothing twice; a member who declined is sent no later part
and no notice (only accepted seats are served); a newer copy of a part is a new row, sent
too. Cancelling the task drops whatever still waits (`tvpb:<task>:`).

What a member gets for one part depends on where its file is. The server keeps no bytes of
a file sent in the chat, only the messenger's file id, valid on that messenger alone
(`models/activities/files`): a member on the same messenger gets it back as a document by
that id; a part given as a link (or a Zalo photo, whose file is its URL) goes as its link
to everyone; a member on another messenger (Zalo carries no files, and a signed download
link needs bytes the server does not have) is told the part's name, where it was sent, and
to ask the LHH office for it."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from functools import partial

from sqlmodel import Session, col, select

from locales.catalogue import localised
from locales.formats import format_date
from models.activities.tables import Attachment
from models.outbox.notify import Addressee, Letter, Recipient, message, notify, reachable_identities
from models.outbox.when import NOW, When
from models.programme.schema import Programme
from models.tvpb.services import DOSSIER_OPEN, accepted_seats, current_parts, key_prefix, rule
from models.tvpb.tables import Expert, Stage, TvpbPart, TvpbTask

LINK_PREFIXES = ("https://", "http://")
SERVED = frozenset({Stage.REQUESTED, Stage.DOSSIER, Stage.COUNCIL})
"""The stages in which a member who accepts is sent the dossier (before the workshop)."""


def is_link(attachment: Attachment) -> bool:
    return attachment.file_ref.startswith(LINK_PREFIXES)


def _member_prefix(task_id: int, person_id: int) -> str:
    return f"{key_prefix(task_id)}p{person_id}:"


def _addressee(recipient: Recipient) -> Addressee:
    reader, account = recipient
    return Addressee(account.channel, account.chat_ref, reader.language, None, reader.id)


def part_letter(programme: Programme, task: TvpbTask, part: TvpbPart, attachment: Attachment, recipient: Recipient) -> Letter:
    """One part for one member: the document, its link, or where it is kept."""
    named = next((item for item in rule(programme).parts if item.code == part.part), None)
    shown = partial(localised, named.name, named.name_en) if named is not None else part.part
    to = _addressee(recipient)
    subject = f"{_member_prefix(task.id, to.person_id or 0)}file:{part.id}"
    values = {"task": task.id, "title": task.title, "part": shown, "file": attachment.name or "—"}
    if is_link(attachment):
        return Letter(subject, message("tvpb.member_part_link", link=attachment.file_ref, **values), [to])
    if attachment.channel == to.channel:
        return Letter(subject, message("tvpb.member_part_file", **values), [to], document_ref=attachment.file_ref)
    return Letter(subject, message("tvpb.member_part_elsewhere", channel=attachment.channel.capitalize(), **values), [to])


def _members(session: Session, task: TvpbTask, person_ids: Iterable[int] | None = None) -> list[Recipient]:
    """The accepted members who use the bot and can be reached (among `person_ids`, if given)."""
    expert_ids = [seat.expert_id for seat in accepted_seats(session, task.id)]
    query = select(Expert.person_id).where(
        col(Expert.id).in_(expert_ids), col(Expert.person_id).is_not(None), col(Expert.erased_at).is_(None)
    )
    people = [person for person in session.exec(query) if person is not None]
    wanted = set(person_ids) if person_ids is not None else None
    return reachable_identities(session, [p for p in people if wanted is None or p in wanted])


def _parts_with_files(session: Session, task_id: int, parts: Iterable[TvpbPart]) -> list[tuple[TvpbPart, Attachment]]:
    found = []
    for part in parts:
        attachment = session.get(Attachment, part.attachment_id) if part.attachment_id is not None else None
        if attachment is not None:
            found.append((part, attachment))
    return found


def _workshop_letter(task: TvpbTask, recipient: Recipient) -> Letter:
    assert task.workshop_on is not None
    to = _addressee(recipient)
    day: date = task.workshop_on
    text = message("tvpb.member_workshop", task=task.id, title=task.title, day=partial(format_date, day))
    return Letter(f"{_member_prefix(task.id, to.person_id or 0)}workshop-notice", text, [to])


def on_accept(session: Session, programme: Programme, task: TvpbTask, person_id: int, now: datetime) -> set[str]:
    """A member just accepted: the parts received so far, and the workshop notice if the
    council is already formed; at once (the member is in the chat)."""
    members = _members(session, task, [person_id])
    if not members or task.stage not in SERVED:
        return set()
    parts = _parts_with_files(session, task.id, current_parts(session, task.id).values())
    letters = [part_letter(programme, task, part, attachment, members[0]) for part, attachment in sorted(parts, key=lambda p: p[0].id)]
    if task.workshop_on is not None and task.stage is Stage.COUNCIL:
        letters.append(_workshop_letter(task, members[0]))
    return notify(session, letters, NOW, now, programme_id=task.programme_id)


def on_part(session: Session, programme: Programme, task: TvpbTask, part: TvpbPart, now: datetime) -> set[str]:
    """A part received while the council forms: to every member who accepted, out of quiet hours."""
    if task.stage not in DOSSIER_OPEN or part.attachment_id is None:
        return set()
    attachment = session.get(Attachment, part.attachment_id)
    if attachment is None:
        return set()
    letters = [part_letter(programme, task, part, attachment, member) for member in _members(session, task)]
    return notify(session, letters, When.out_of_quiet_hours(programme.reminders.policy()), now, task.programme_id)


def on_council_formed(session: Session, programme: Programme, task: TvpbTask, now: datetime) -> set[str]:
    """The workshop notice to every member who accepted, out of quiet hours."""
    letters = [_workshop_letter(task, member) for member in _members(session, task)]
    return notify(session, letters, When.out_of_quiet_hours(programme.reminders.policy()), now, task.programme_id)

"""The dossier and the workshop notice to the council's members, through the outbox.

A member who accepts a seat gets every part received so far; a part that arrives later,
while the council is forming (the dossier being sent, or complete and the council not yet
formed), goes to every member who has accepted; the workshop notice goes to them when the
council is formed, and to a member who accepts after that. Each row is keyed
`tvpb:<task>:p<person>:file:<part row>` or `…:p<person>:workshop-notice`, so a member who
declines and accepts again gets nothing twice; a member who declined is sent no later part
and no notice (only accepted seats are served); a newer copy of a part is a new row, sent
too. Cancelling the task drops whatever still waits (`tvpb:<task>:`).

What a member gets for one part depends on where its file is. A member on the messenger
that received it gets it back as a document by its file id; a part given as a link (or a
Zalo photo, whose file is its URL) goes as its link to everyone. For a member on another
messenger (Zalo carries no files) the part waits for its bytes (`models/downloads/kept`,
asked for when the part arrived): once kept, the row is written with `document_ref`
`kept:<attachment>` and the member's channel sends their own signed, expiring link to it
(`bot/web/file_links`, `FileLinks.publish_kept`), so no link is made before the bytes
exist; a file refused or given up (or one that arrived before files were kept) is a note saying where it
was sent and to ask the LHH office. The keeper writes the rows that waited when the fetch
ends (`on_settled`), under the same keys, so nothing goes twice."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date, datetime
from functools import partial

from sqlmodel import Session, col, select

from locales.catalogue import localised
from locales.formats import format_date
from models.activities.tables import Attachment
from models.downloads import kept
from models.downloads.tables import KeptFile
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


KEPT_REF = "kept:"
"""`document_ref` of a row whose channel sends the person's signed link to the kept bytes."""


def kept_ref(attachment_id: int) -> str:
    return f"{KEPT_REF}{attachment_id}"


def part_letter(
    session: Session, programme: Programme, task: TvpbTask, part: TvpbPart, attachment: Attachment, recipient: Recipient
) -> Letter | None:
    """One part for one member: the document, its link, a link to its kept bytes, or where
    it is kept; None while its bytes are still being fetched for a member elsewhere."""
    named = next((item for item in rule(programme).parts if item.code == part.part), None)
    shown = partial(localised, named.name, named.name_en) if named is not None else part.part
    to = _addressee(recipient)
    subject = f"{_member_prefix(task.id, to.person_id or 0)}file:{part.id}"
    values = {"task": task.id, "title": task.title, "part": shown, "file": attachment.name or "—"}
    if is_link(attachment):
        return Letter(subject, message("tvpb.member_part_link", link=attachment.file_ref, **values), [to])
    if attachment.channel == to.channel:
        return Letter(subject, message("tvpb.member_part_file", **values), [to], document_ref=attachment.file_ref)
    held = session.get(KeptFile, attachment.id)
    if held is not None and held.state == kept.WAITING:
        return None
    if held is not None and held.state == kept.KEPT:
        return Letter(subject, message("tvpb.member_part_file", **values), [to], document_ref=kept_ref(attachment.id))
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
    found = (part_letter(session, programme, task, part, attachment, members[0]) for part, attachment in sorted(parts, key=lambda p: p[0].id))
    letters = [letter for letter in found if letter is not None]
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
    return _to_members(session, programme, task, part, attachment, _members(session, task), now)


def _to_members(
    session: Session, programme: Programme, task: TvpbTask, part: TvpbPart, attachment: Attachment, members: list[Recipient], now: datetime
) -> set[str]:
    found = (part_letter(session, programme, task, part, attachment, member) for member in members)
    letters = [letter for letter in found if letter is not None]
    return notify(session, letters, When.out_of_quiet_hours(programme.reminders.policy()), now, task.programme_id)


def on_settled(session: Session, served: Callable[[Session], Programme], attachment_id: int, now: datetime) -> set[str]:
    """The fetch of a dossier file's bytes ended (kept, refused or given up): the members on
    another messenger who waited for it get its link, or the note, out of quiet hours; a
    member who already has the part is not written to again (the same key)."""
    attachment = session.get(Attachment, attachment_id)
    if attachment is None or is_link(attachment):
        return set()
    written: set[str] = set()
    for part in session.exec(select(TvpbPart).where(TvpbPart.attachment_id == attachment_id, col(TvpbPart.superseded_at).is_(None))):
        task = session.get(TvpbTask, part.task_id)
        if task is None or task.stage not in SERVED:
            continue
        elsewhere = [member for member in _members(session, task) if member[1].channel != attachment.channel]
        written |= _to_members(session, served(session), task, part, attachment, elsewhere, now)
    return written


def on_council_formed(session: Session, programme: Programme, task: TvpbTask, now: datetime) -> set[str]:
    """The workshop notice to every member who accepted, out of quiet hours."""
    letters = [_workshop_letter(task, member) for member in _members(session, task)]
    return notify(session, letters, When.out_of_quiet_hours(programme.reminders.policy()), now, task.programme_id)

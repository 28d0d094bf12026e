"""Writing outbox rows: one per recipient and subject, never twice for the same key.

Every message the system sends on its own is a `Letter` (a subject, a text, its
addressees) handed to `notify` with the rule for when it may go (`When`); `tell_office`
is the notice to the LHH office. The recipients are read here too: each person on the one
account they can be reached at."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import case, update
from sqlmodel import Session, col, select

from locales.catalogue import t
from models.db.inserts import dialect_insert, insert_once
from models.outbox.tables import GroupChat, OutboxMessage, OutboxStatus
from models.outbox.when import NOW, When
from models.people.tables import ChannelIdentity, Person, Role


@dataclass(frozen=True, slots=True)
class Reader:
    """What a notice needs of a person. Plain values, not ORM objects: the scheduler reads
    every focal point of a province at once (15,000 as objects cost ~54 MB)."""

    id: int
    programme_id: int
    agency_id: int
    role: Role
    language: str
    full_name: str


@dataclass(frozen=True, slots=True)
class Account:
    channel: str
    chat_ref: str


Recipient = tuple[Reader, Account]
FOCAL_ROLES = (Role.LEADER, Role.SPECIALIST)


Localised = Callable[[str], object]
"""A parameter whose value depends on the reader's language (a date, a period's name)."""


@dataclass(frozen=True, slots=True)
class Message:
    """A catalogue key and its parameters, rendered in each reader's own language."""

    key: str
    params: Mapping[str, object | Localised]

    def render(self, language: str) -> str:
        values = {name: value(language) if callable(value) else value for name, value in self.params.items()}
        return t(self.key, language, **values)


def message(key: str, /, **params: object | Localised) -> Message:
    return Message(key, params)


@dataclass(frozen=True, slots=True)
class Addressee:
    """Where one row goes, in which language it is read, and how its key names the reader:
    `<subject>:<tail>`, or the subject alone when `tail` is None (a one-off account)."""

    channel: str
    chat_ref: str
    language: str
    tail: str | None
    person_id: int | None = None
    group_id: int | None = None


def to_people(recipients: Iterable[Recipient], tag: str = "p") -> list[Addressee]:
    """People on the account each can be reached at, named `<tag><person id>` in the keys."""
    return [Addressee(account.channel, account.chat_ref, reader.language, f"{tag}{reader.id}", reader.id) for reader, account in recipients]


def to_groups(groups: Iterable[GroupChat], language: str) -> list[Addressee]:
    """Group chats, named `g<group id>` in the keys; a group reads `language` (the programme's)."""
    return [Addressee(group.channel, group.chat_ref, language, f"g{group.id}", group_id=group.id) for group in groups]


@dataclass(frozen=True, slots=True)
class Letter:
    """One message to its addressees, a row each. A `str` text is already written (a
    digest, a broadcast): every addressee gets it as it is."""

    subject: str
    text: Message | str
    to: Sequence[Addressee]
    document_ref: str | None = None
    """A file the addressees' channel re-sends by its id, `text` its caption (`OutboxMessage.document_ref`)."""

    def notices(self) -> Iterator[Notice]:
        """The rows, each text rendered once per language."""
        texts: dict[str, str] = {}
        for to in self.to:
            if to.language not in texts:
                texts[to.language] = self.text if isinstance(self.text, str) else self.text.render(to.language)
            key = self.subject if to.tail is None else f"{self.subject}:{to.tail}"
            yield Notice(key, to.channel, to.chat_ref, texts[to.language], to.person_id, to.group_id, document_ref=self.document_ref)


@dataclass(frozen=True)
class Notice:
    """One outbox row to write, rendered: to a person's account or to a group."""

    key: str
    channel: str
    chat_ref: str
    text: str
    person_id: int | None = None
    group_id: int | None = None
    pieces_sent: int = 0
    photo_url: str | None = None
    document_ref: str | None = None


def notify(session: Session, letters: Iterable[Letter], when: When, now: datetime, programme_id: int) -> set[str]:
    """Write the rows of `letters`, to go out `when` says: the one way the system puts a
    message in the outbox. The keys written (a key already there is left as it is)."""
    return _insert(session, (notice for letter in letters for notice in letter.notices()), now, when.moment(now), programme_id)


def tell_office(
    session: Session, programme_id: int, subject: str, text: Message, now: datetime, sparing: Account | None = None
) -> set[str]:
    """`notify` the admins of the LHH office who can be reached, at once, keyed
    `<subject>:admin<id>`; not on `sparing` (the account just found unreachable)."""
    admins = [pair for pair in office(session, programme_id) if pair[1] != sparing]
    return notify(session, [Letter(subject, text, to_people(admins, "admin"))], NOW, now, programme_id)


def keep_reply(
    session: Session, key: str, account: Account, text: str, pieces_sent: int, now: datetime, photo_url: str | None = None
) -> bool:
    """An answer the channel would not take at once, for the sender to deliver with its
    back-off; the `pieces_sent` already delivered are not sent again (a picture: `text` is
    its fallback). True when kept."""
    notice = Notice(key, account.channel, account.chat_ref, text, pieces_sent=pieces_sent, photo_url=photo_url)
    return bool(_insert(session, [notice], now, now, None))


def enqueue(
    session: Session,
    key: str,
    channel: str,
    chat_ref: str,
    text: str,
    now: datetime,
    not_before: datetime | None = None,
    person_id: int | None = None,
    group_id: int | None = None,
    programme_id: int | None = None,
) -> bool:
    """One row exactly as given, for tests and tools (bench): what the system itself
    sends goes through `notify`. True when it was added."""
    return bool(_insert(session, [Notice(key, channel, chat_ref, text, person_id, group_id)], now, not_before or now, programme_id))


ROWS_PER_INSERT = 2_000
"""Rows in one multi-row INSERT: 12 values each, within SQLite's 32,766 bound parameters."""


def _insert(session: Session, notices: Iterable[Notice], now: datetime, not_before: datetime, programme_id: int | None) -> set[str]:
    """INSERT … ON CONFLICT (key) DO NOTHING, one per ROWS_PER_INSERT rows (the first
    notice of a repeated key wins; a single row uses the statement built once); the keys written."""
    fixed = {"created_at": now, "not_before": not_before, "programme_id": programme_id, "status": OutboxStatus.PENDING, "attempts": 0}
    by_key: dict[str, dict[str, Any]] = {}
    for notice in notices:
        by_key.setdefault(notice.key, {**vars(notice), **fixed})
    rows = list(by_key.values())
    if len(rows) == 1:
        return {rows[0]["key"]} if insert_once(session, OutboxMessage, rows[0], ["key"]) else set()
    insert = dialect_insert(session)
    written: set[str] = set()
    for start in range(0, len(rows), ROWS_PER_INSERT):
        statement = insert(OutboxMessage).values(rows[start : start + ROWS_PER_INSERT])
        written.update(session.execute(statement.on_conflict_do_nothing(index_elements=["key"]).returning(OutboxMessage.key)).scalars())
    return written


def _reachable(session: Session, *conditions: Any) -> list[Recipient]:
    """Active people meeting `conditions`, each with one active channel account: on the
    channel they chose (/channel), else the one they last used; in one query."""
    chosen_first = case((col(ChannelIdentity.channel) == Person.preferred_channel, 0), else_=1)
    query = (
        # sqlmodel types select() for at most four columns
        select(Person.id, Person.programme_id, Person.agency_id, Person.role, Person.language, Person.full_name)  # type: ignore[call-overload]
        .add_columns(ChannelIdentity.channel, ChannelIdentity.chat_ref)
        .join(ChannelIdentity, ChannelIdentity.person_id == Person.id)
        .where(Person.active == True, ChannelIdentity.active == True, *conditions)
        .order_by(col(Person.id), chosen_first, col(ChannelIdentity.last_seen_at).desc(), col(ChannelIdentity.id).desc())
    )
    chosen: dict[int, Recipient] = {}
    for *person, channel, chat_ref in session.exec(query):
        chosen.setdefault(person[0], (Reader(*person), Account(channel, chat_ref)))
    return list(chosen.values())


def reachable_identities(session: Session, person_ids: list[int]) -> list[Recipient]:
    """The people among `person_ids` who can be reached, each on one account (`_reachable`)."""
    return _reachable(session, col(Person.id).in_(person_ids)) if person_ids else []


def office(session: Session, programme_id: int, *more: Any) -> list[Recipient]:
    """The LHH office: active admins who can be reached (and meet `more` conditions)."""
    return _reachable(session, Person.programme_id == programme_id, Person.role == Role.ADMIN, *more)


def focal_points(session: Session, agency_id: int) -> list[Recipient]:
    """The agency's leader and specialist(s) who can be reached."""
    return focal_points_by_agency(session, [agency_id]).get(agency_id, [])


def focal_points_by_agency(session: Session, agency_ids: Iterable[int], *more: Any) -> dict[int, list[Recipient]]:
    """`focal_points` of many agencies in one query, by agency id (those meeting `more` conditions)."""
    ids = list(agency_ids)
    return _by_agency(_reachable(session, col(Person.agency_id).in_(ids), col(Person.role).in_(FOCAL_ROLES), *more)) if ids else {}


def programme_focal_points(session: Session, programme_id: int) -> dict[int, list[Recipient]]:
    """`focal_points` of every agency of the programme in one query, by agency id."""
    return _by_agency(_reachable(session, col(Person.programme_id) == programme_id, col(Person.role).in_(FOCAL_ROLES)))


def _by_agency(pairs: list[Recipient]) -> dict[int, list[Recipient]]:
    found: dict[int, list[Recipient]] = {}
    for pair in pairs:
        found.setdefault(pair[0].agency_id, []).append(pair)
    return found


def cancel_pending(session: Session, key_prefix: str) -> None:
    """Drop rows not yet sent whose key starts with `key_prefix` (news made them obsolete)."""
    statement = (
        update(OutboxMessage)
        .where(col(OutboxMessage.key).startswith(key_prefix), col(OutboxMessage.status) == OutboxStatus.PENDING)
        .values(status=OutboxStatus.CANCELLED)
        .execution_options(synchronize_session="fetch")
    )
    session.execute(statement)

"""The conversation engine: one `Incoming` in, the replies out, in one unit of work.

It drops updates it has already handled, finds who is speaking and where they stand in a
conversation, routes commands, pressed buttons and typed answers, and saves the state in
the same transaction, so a restart in the middle of a form loses nothing.
"""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import BindParameter, ColumnElement, and_, bindparam, func
from sqlalchemy.engine import Engine as Database
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import aliased
from sqlmodel import Session, col, select
from sqlmodel.sql.expression import Select

from handlers import forms
from handlers.chat_events import ChatEvent, on_chat_event
from handlers.commands import parse, refusal
from handlers.context import Ctx, Policy, Speaker
from handlers.conversations import WIRING
from handlers.types import Incoming, Reply
from handlers.unavailable import Unavailable
from handlers.wiring import Wiring
from locales.catalogue import DEFAULT_LANGUAGE, t
from models.activities.files import DEFAULT_LIMIT as DEFAULT_FILE_LIMIT
from models.conversations.tables import Conversation, ProcessedUpdate
from models.db.engine import session_scope
from models.db.inserts import insert_once
from models.people.attempts import AttemptLimits, CodeAttempts
from models.people.tables import ChannelIdentity, Person
from models.programme.schema import Programme
from models.programme.served import Served, ServedProgramme
from models.programme.tables import Agency

log = logging.getLogger(__name__)
NUL_FREE = ("text", "display_name", "chat_title")
SEEN_EVERY = timedelta(minutes=10)


class ConversationEngine:
    """Handles updates for the conversations of `wiring`, on the programme `served` names
    (the one named `programme_code` in the zone `timezone`, unless given)."""

    def __init__(
        self,
        db: Database,
        clock: Callable[[], datetime],
        programme_code: str | None = None,
        invite_days: int = 7,
        timezone: str | None = None,
        file_limit: int = DEFAULT_FILE_LIMIT,
        invite_limits: AttemptLimits | None = None,
        wiring: Wiring = WIRING,
        served: ServedProgramme | None = None,
        web_url: str | None = None,
    ) -> None:
        self.db = db
        self.clock = clock
        self.served = served or ServedProgramme(programme_code, timezone)
        self.policy = Policy(invite_days, file_limit, CodeAttempts(invite_limits), web_url)
        self.wiring = wiring

    def handle(self, incoming: Incoming) -> list[Reply]:
        incoming = _without_nul(incoming)
        try:
            with session_scope(self.db) as session:
                if incoming.update_ref and not _first_delivery(session, incoming, self.clock()):
                    return []
                ctx = self._context(session, incoming)
                return _in_language(route(ctx), ctx.lang)
        except OperationalError as error:
            log.warning("database unavailable while handling an update: %s", error.orig)
            return [Unavailable(t("common.try_again", DEFAULT_LANGUAGE), language=DEFAULT_LANGUAGE)]
        except Exception:
            log.exception("unhandled error in a handler")
            return [Reply(t("common.internal_error", DEFAULT_LANGUAGE))]

    def chat_event(self, event: ChatEvent) -> list[Reply]:
        """A change to a chat learnt outside any conversation, in one unit of work and once
        per update, as `handle` does a message; the replies go to `event.chat_ref`."""
        with session_scope(self.db) as session:
            now = self.clock()
            if event.update_ref and not _first_delivery(session, event, now):
                return []
            return on_chat_event(session, event, now)

    def programme(self, session: Session) -> Programme:
        """The served programme's parsed file (for work done beside the updates)."""
        return self.served(session).programme

    def _context(self, session: Session, incoming: Incoming) -> Ctx:
        served = self.served(session)
        now = (incoming.received_at or self.clock()).astimezone(served.zone)
        found = _who(session, incoming)
        speaker = _speaker(found)
        convo = found.convo if found.identity is not None else session.exec(select(Conversation).where(_this_chat(incoming))).first()
        if not speaker.former_member:
            _mark_seen(found, now)
        language = _language_of(speaker, convo, served)
        return Ctx(
            session=session,
            incoming=incoming,
            now=now,
            served=served,
            policy=self.policy,
            wiring=self.wiring,
            lang=language,
            speaker=speaker,
            convo=convo,
        )


def _speaker(found: Found) -> Speaker:
    """Who is speaking; a deactivated person is a former member, with no person or agency."""
    former = found.person is not None and not found.person.active
    if former:
        return Speaker(found.identity, None, None, former_member=True)
    return Speaker(found.identity, found.person, found.agency)


def _language_of(speaker: Speaker, convo: Conversation | None, served: Served) -> str:
    """The person's language, else the one a stranger chose, else the programme's default: not
    their app's, since Telegram's apps have no Vietnamese interface and most report English."""
    language = (speaker.person.language if speaker.person else None) or (convo.language if convo else None)
    return language or served.programme.programme.default_language


def _without_nul(incoming: Incoming) -> Incoming:
    """The update without NUL characters: nobody means one, and PostgreSQL text cannot hold it."""
    texts: dict[str, Any] = {name: value.replace("\x00", "") for name in NUL_FREE if "\x00" in (value := getattr(incoming, name) or "")}
    file = incoming.file
    if file is not None and "\x00" in (file.name or ""):
        texts["file"] = dataclasses.replace(file, name=(file.name or "").replace("\x00", ""))
    return dataclasses.replace(incoming, **texts) if texts else incoming


def _first_delivery(session: Session, update: Incoming | ChatEvent, now: datetime) -> bool:
    """Record the update as handled, in one statement; False when it already was."""
    values = {"channel": update.channel, "update_ref": str(update.update_ref), "at": now}
    return insert_once(session, ProcessedUpdate, values, ["channel", "update_ref"])


def _this_chat(incoming: Incoming) -> ColumnElement[bool]:
    return and_(
        col(Conversation.channel) == incoming.channel,
        col(Conversation.chat_ref) == incoming.chat_ref,
        col(Conversation.user_ref) == incoming.user_ref,
    )


@dataclass(frozen=True)
class Found:
    """What the speaker query found (`WHO`)."""

    identity: ChannelIdentity | None = None
    person: Person | None = None
    agency: Agency | None = None
    seen_elsewhere: datetime | None = None
    convo: Conversation | None = None


def _who_query() -> Select[ChannelIdentity, Person, Agency, datetime | None, Conversation | None]:
    """The account, person and agency behind a message, when the person last wrote from
    another of their accounts (to tell a switch of channel), and the chat's conversation
    state, in one query; built once (building it costs more than running it)."""
    other = aliased(ChannelIdentity)
    elsewhere = (
        select(func.max(other.last_seen_at))
        .where(other.person_id == ChannelIdentity.person_id, other.id != ChannelIdentity.id)
        .scalar_subquery()
    )
    channel: BindParameter[str] = bindparam("channel")
    user: BindParameter[str] = bindparam("user_ref")
    this_chat = and_(
        col(Conversation.channel) == channel, col(Conversation.chat_ref) == bindparam("chat_ref"), col(Conversation.user_ref) == user
    )
    query: Select[ChannelIdentity, Person, Agency, datetime | None, Conversation | None] = (
        # sqlmodel types select() for at most four columns
        select(ChannelIdentity, Person, Agency, elsewhere, Conversation)  # type: ignore[call-overload]
        .join(Person, Person.id == ChannelIdentity.person_id)
        .join(Agency, Agency.id == Person.agency_id)
        .outerjoin(Conversation, this_chat)
        .where(ChannelIdentity.channel == channel, ChannelIdentity.user_ref == user)
    )
    return query


WHO = _who_query()


def _who(session: Session, incoming: Incoming) -> Found:
    params = {"channel": incoming.channel, "user_ref": incoming.user_ref, "chat_ref": incoming.chat_ref}
    row = session.exec(WHO, params=params).first()
    return Found(row[0], row[1], row[2], row[3], row[4]) if row else Found()


def _mark_seen(found: Found, now: datetime) -> None:
    """Note when the account was used: at most every SEEN_EVERY, and at once when the
    person comes back from another channel, so 'the channel they last used' is right
    without a write per message."""
    identity = found.identity
    if identity is None:
        return
    switched = found.seen_elsewhere is not None and found.seen_elsewhere >= identity.last_seen_at
    if not identity.active or switched or now - identity.last_seen_at > SEEN_EVERY:
        identity.last_seen_at = now
        identity.active = True


def _in_language(replies: list[Reply], language: str) -> list[Reply]:
    """Replies to the speaker carry the language they were written in, so a channel can
    add its own words (numbered choices) in the same language."""
    return [reply if reply.language or reply.chat_ref else replace(reply, language=language) for reply in replies]


def route(ctx: Ctx) -> list[Reply]:
    forms.hold(ctx)
    replies = _dispatch(ctx)
    forms.settle(ctx)
    return replies


def _dispatch(ctx: Ctx) -> list[Reply]:
    incoming = ctx.incoming
    if incoming.unreadable is not None:
        return _unreadable(ctx, incoming.unreadable)
    if incoming.button is not None:
        return _on_button(ctx, incoming.button)
    text = (incoming.text or "").strip()
    if text.startswith("/"):
        return _on_command(ctx, text)
    flow = ctx.convo.flow if ctx.convo else None
    if flow and _waits_for_text(ctx, flow):
        return _on_answer(ctx, text)
    if flow:
        choice = forms.typed_choice(ctx.convo.data, text) if ctx.convo else None
        if choice is not None:
            return _resume(ctx, forms.Answer(choice=choice))
        forms.finish(ctx)
    if not ctx.private:
        return []
    return [ctx.say("attach.use_command" if incoming.file else "common.not_understood")]


def _waits_for_text(ctx: Ctx, flow: str) -> bool:
    """A form takes what is typed as its answer; a passive one (a list) only at a step that
    asks for text (a name to correct in /people)."""
    form = ctx.wiring.flow(flow)
    return not form.passive or (ctx.convo is not None and form.step(ctx.convo.step or form.first).free_text)


def _unreadable(ctx: Ctx, kind: str) -> list[Reply]:
    """What the bot reads; in the middle of a form, that its step still waits."""
    if not ctx.private:
        return [ctx.say("groups.mention_help")] if kind == "mention" else []
    waiting = ctx.convo is not None and ctx.convo.flow is not None and not ctx.wiring.flow(ctx.convo.flow).passive
    text = ctx.t(f"common.unreadable_{kind}") + " " + ctx.t("common.unreadable_in_form" if waiting else "common.reads")
    return [Reply(text)]


def _on_button(ctx: Ctx, button: str) -> list[Reply]:
    payload = forms.unsign(ctx, button)
    if payload is None:
        return [ctx.say("common.stale_button")]
    return _resume(ctx, forms.Answer(choice=payload))


def _on_answer(ctx: Ctx, text: str) -> list[Reply]:
    assert ctx.convo is not None
    choice = forms.typed_choice(ctx.convo.data, text) if text else None
    if choice is not None:
        return _resume(ctx, forms.Answer(choice=choice))
    return _resume(ctx, forms.Answer(text=text or None, file=ctx.incoming.file))


def _resume(ctx: Ctx, answer: forms.Answer) -> list[Reply]:
    """Answer the open form, if the speaker may still use the command that opened it: a
    person deactivated (or whose role changed) mid-form can change nothing more."""
    cmd = ctx.wiring.opener(ctx.convo.flow or "") if ctx.convo else None
    if cmd is not None and ctx.role not in cmd.roles:
        forms.finish(ctx)
        return [refusal(ctx, cmd)]
    return forms.resume(ctx, answer)


def _on_command(ctx: Ctx, text: str) -> list[Reply]:
    name, args = parse(text)
    flow = ctx.convo.flow if ctx.convo else None
    if name in ("cancel", "back") and flow:
        return forms.resume(ctx, forms.Answer(choice=forms.CANCEL if name == "cancel" else forms.BACK))
    if name == "cancel":
        return [ctx.say("form.nothing_to_cancel")]
    cmd = ctx.wiring.command(name)
    if cmd is None:
        return [ctx.say("command.unknown", command=name)] if ctx.private else []
    if ctx.role not in cmd.roles or (cmd.private_only and not ctx.private):
        return [refusal(ctx, cmd)]
    if flow and not ctx.wiring.flow(flow).passive:
        return _paused(ctx, cmd.handler, args)
    if flow:
        forms.finish(ctx)
    return cmd.handler(ctx, args)


def _paused(ctx: Ctx, handler: Callable[[Ctx, str], list[Reply]], args: str) -> list[Reply]:
    """A command typed in the middle of a form: answer it, then ask the form's step again
    with its answers kept; only a command that opens a form of its own replaces it."""
    convo = ctx.state()
    flow, kept = ctx.wiring.flow(convo.flow or ""), convo.data
    replies = handler(ctx, args)
    if ctx.convo is convo and convo.data is kept and convo.flow == flow.name:
        return [*replies, forms.render(ctx, problem=ctx.t("forms.paused"))]
    if ctx.memo.get(forms.CONTINUED):
        return replies
    return [replace(ctx.say(flow.replaced_key), language=ctx.lang), *replies]

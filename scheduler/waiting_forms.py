"""A form left unfinished for days: its person is told once that it still waits, with its
answers kept (the outbox key names the conversation and the moment it was last touched,
so a run that finds it again writes nothing, and a form answered later and left again is
reminded again)."""

from __future__ import annotations

from datetime import timedelta
from functools import partial
from typing import TYPE_CHECKING

from sqlmodel import col, select

from locales.formats import format_date
from models.conversations.tables import Conversation
from models.outbox.notify import Addressee, message
from models.people.tables import ChannelIdentity, Person

if TYPE_CHECKING:
    from scheduler.jobs import Run

WAITING_DAYS = 2
"""A form untouched this long gets its one reminder."""


def remind_waiting_forms(run: Run) -> None:
    """Forms in a private chat of a member of this programme, untouched for WAITING_DAYS;
    lists with pages (which wait for nothing) are left alone."""
    query = (
        select(Conversation, Person.id, Person.language)
        .join(
            ChannelIdentity,
            (col(ChannelIdentity.channel) == Conversation.channel)
            & (col(ChannelIdentity.user_ref) == Conversation.user_ref)
            & (col(ChannelIdentity.chat_ref) == Conversation.chat_ref),
        )
        .join(Person, col(Person.id) == ChannelIdentity.person_id)
        .where(
            col(Conversation.flow).is_not(None),
            col(Conversation.updated_at) <= run.now - timedelta(days=WAITING_DAYS),
            Person.programme_id == run.programme_id,
            Person.active == True,
            ChannelIdentity.active == True,
        )
    )
    for convo, person_id, language in run.session.exec(query):
        if not convo.data.get("_waits"):
            continue
        stamp = convo.updated_at.strftime("%Y%m%d%H%M%S")
        text = message("forms.waiting", since=partial(format_date, convo.updated_at.date()))
        to = Addressee(convo.channel, convo.chat_ref, language or run.language, None, person_id)
        run.send(f"form-waiting:{convo.id}:{stamp}", text, [to])

"""/mydata and /forgetme: a person sees what is stored about them, and erases it.

Both work for a former member too (an account whose person was deactivated still holds
their data). After /forgetme the account is a stranger's: nothing links it to anyone.
"""

from __future__ import annotations

import logging
from datetime import datetime

from sqlmodel import func, select

from handlers import forms
from handlers.basics import LANGUAGE_NAMES
from handlers.channels import channel_name
from handlers.commands import EVERYONE, MEMBERS, Command
from handlers.context import Ctx
from handlers.forms import Answer, Done, Flow, Outcome, Stay, Step
from handlers.tvpb import expert_profile
from handlers.types import Button, Reply
from locales.formats import format_moment
from models.people.privacy import PersonalData, erase, personal_data, role_label
from models.people.tables import Person, Role
from models.programme.tables import Agency

log = logging.getLogger(__name__)


def subject(ctx: Ctx) -> Person | None:
    """Whose data this account holds: the member, or the former member behind it."""
    if ctx.person is not None:
        return ctx.person
    if ctx.identity is not None:
        return ctx.session.get(Person, ctx.identity.person_id)
    return None


def my_data(ctx: Ctx, _args: str) -> list[Reply]:
    person = subject(ctx)
    if person is None:
        return [ctx.say("privacy.nothing_stored")]
    return [Reply(_describe(ctx, personal_data(ctx.session, person)))]


def _moment(ctx: Ctx, moment: datetime | None) -> str:
    return format_moment(moment.astimezone(ctx.now.tzinfo), ctx.lang) if moment is not None else "—"


def _describe(ctx: Ctx, found: PersonalData) -> str:
    person = found.person
    accounts = "\n".join(
        ctx.t(
            "privacy.account",
            channel=channel_name(a.channel),
            user=a.user_ref,
            since=_moment(ctx, a.created_at),
            seen=_moment(ctx, a.last_seen_at),
            state=ctx.t("privacy.account_active" if a.active else "privacy.account_inactive"),
        )
        for a in found.accounts
    )
    text = ctx.t(
        "privacy.mydata",
        name=person.full_name,
        agency=found.agency.name,
        role=ctx.t(f"role.{person.role}"),
        language=LANGUAGE_NAMES.get(person.language, person.language),
        status=ctx.t("privacy.status_active" if person.active else "privacy.status_inactive"),
        consent=_moment(ctx, person.consent_at),
        version=person.consent_version,
        channel=channel_name(person.preferred_channel) if person.preferred_channel else ctx.t("privacy.channel_auto"),
        seen=_moment(ctx, found.last_seen),
        accounts=accounts or ctx.t("register.none"),
        groups=", ".join(found.groups_bound) or ctx.t("register.none"),
        activities=found.activities,
        submissions=found.submissions,
        reviews=found.reviews,
        tasks=found.tasks_done,
        attachments=found.attachments,
        invites=found.invites_made,
        pending=found.pending_messages,
        entries=found.log_entries,
    )
    return text + expert_profile(ctx, person) + "\n\n" + _what_forgetme_does(ctx, person, found.agency.name)


def _what_forgetme_does(ctx: Ctx, person: Person, agency_name: str) -> str:
    return ctx.t("privacy.forget_explained", label=role_label(person.role, agency_name, ctx.lang))


def forget_me(ctx: Ctx, _args: str) -> list[Reply]:
    if subject(ctx) is None:
        return [ctx.say("privacy.nothing_stored")]
    return forms.begin(ctx, "forgetme")


def _last_admin(ctx: Ctx, person: Person) -> bool:
    if person.role is not Role.ADMIN or not person.active:
        return False
    admins = select(func.count()).where(Person.programme_id == person.programme_id, Person.role == Role.ADMIN, Person.active == True)
    return ctx.session.exec(admins.select_from(Person)).one() == 1


def _confirm_prompt(ctx: Ctx) -> Reply:
    person = subject(ctx)
    assert person is not None
    agency = ctx.session.get(Agency, person.agency_id)
    assert agency is not None
    text = ctx.t("privacy.forget_confirm") + "\n\n" + _what_forgetme_does(ctx, person, agency.name)
    if _last_admin(ctx, person):
        text += "\n\n" + ctx.t("privacy.last_admin", agency=agency.code)
    return Reply(text, ((Button(ctx.t("privacy.erase"), "erase"),),))


def _confirm_accept(ctx: Ctx, answer: Answer) -> Outcome:
    if answer.choice != "erase":
        return Stay(ctx.t("form.pick_a_button"))
    person = subject(ctx)
    if person is None or person.id is None:
        return Done([ctx.say("privacy.nothing_stored")])
    last_admin = _last_admin(ctx, person)
    erased = erase(ctx.session, person.id, ctx.now, ctx.programme.programme.language)
    ctx.convo, ctx.speaker.person, ctx.speaker.identity, ctx.speaker.agency = None, None, None, None
    if erased is None:
        return Done([ctx.say("privacy.nothing_stored")])
    if last_admin:
        log.warning("the last active admin erased their data; name a new one with `phoihop invite`")
    return Done([ctx.say("privacy.erased")])


FORGETME_FORM = Flow(
    name="forgetme",
    first="confirm",
    steps={"confirm": Step(_confirm_prompt, _confirm_accept, back=False)},
    cancelled_key="privacy.forget_cancelled",
)

COMMANDS = (
    Command("mydata", my_data, EVERYONE, "help.mydata", help_for=MEMBERS),
    Command("forgetme", forget_me, EVERYONE, "help.forgetme", help_for=MEMBERS, forms=(FORGETME_FORM,)),
)

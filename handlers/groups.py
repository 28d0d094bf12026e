"""/bind AGENCY or /bind all, sent in a group: the group becomes that agency's group, or
the group of all focal points, and receives its announcements, reminders and digests."""

from __future__ import annotations

from handlers.commands import ADMINS, Command
from handlers.context import Ctx
from handlers.invite import find_agency
from handlers.types import Reply
from models.errors import RuleError
from models.outbox.groups import bind_group, group_at
from models.programme.tables import Agency

ALL = "all"


def _target(ctx: Ctx, group_agency_id: int | None) -> str:
    agency = ctx.session.get(Agency, group_agency_id) if group_agency_id else None
    return agency.name if agency else ctx.t("bind.all_focal_points")


def _status(ctx: Ctx) -> list[Reply]:
    group = group_at(ctx.session, ctx.incoming.channel, ctx.incoming.chat_ref)
    current = ctx.t("bind.current", target=_target(ctx, group.agency_id)) if group and group.active else ctx.t("bind.current_none")
    return [Reply(current + "\n\n" + ctx.t("bind.usage"))]


def bind(ctx: Ctx, args: str) -> list[Reply]:
    if ctx.private:
        return [ctx.say("bind.group_only")]
    wanted = args.strip()
    if not wanted:
        return _status(ctx)
    assert ctx.person is not None
    incoming = ctx.incoming
    try:
        agency = None if wanted.lower() == ALL else find_agency(ctx, wanted)
        bound = bind_group(
            ctx.session, ctx.programme_id, (incoming.channel, incoming.chat_ref, incoming.chat_title), agency, ctx.person, ctx.now
        )
    except RuleError as error:
        return [Reply(ctx.error(error))]
    text = ctx.t("bind.done_agency", agency=agency.name) if agency else ctx.t("bind.done_all")
    if bound.was_bound and bound.previous_agency_id != bound.group.agency_id:
        text += "\n" + ctx.t("bind.replaced", previous=_target(ctx, bound.previous_agency_id))
    return [Reply(text)]

COMMANDS = (
    Command("bind", bind, ADMINS, "help.bind", private_only=False),
)

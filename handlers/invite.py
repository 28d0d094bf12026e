"""/invite AGENCY ROLE: an admin makes a single-use, expiring invite code."""

from __future__ import annotations

from sqlmodel import select

from handlers.commands import ADMINS, Command
from handlers.context import Ctx
from handlers.types import Reply
from locales.formats import format_moment
from models.errors import RuleError
from models.people.invites import IssuedInvite, issue, parse_role
from models.people.roster import overflow
from models.people.seats import open_invites
from models.people.tables import Invite
from models.programme.tables import Agency


def find_agency(ctx: Ctx, code: str) -> Agency:
    query = select(Agency).where(Agency.programme_id == ctx.programme_id, Agency.code == code.upper())
    agency = ctx.session.exec(query).first()
    if agency is None:
        raise RuleError("invite.unknown_agency", agency=code)
    return agency


def make_invite(ctx: Ctx, args: str) -> list[Reply]:
    code, _, role_text = args.partition(" ")
    if not code or not role_text.strip():
        return [ctx.say("invite.usage")]
    try:
        issued = issue(ctx.session, find_agency(ctx, code), parse_role(role_text.strip()), ctx.now, ctx.policy.invite_days, ctx.person)
    except RuleError as error:
        return [Reply(ctx.error(error))]
    return [invite_reply(ctx, issued)]


def invite_reply(ctx: Ctx, issued: IssuedInvite) -> Reply:
    """The code made, with whom it will replace and the invites for the seat still open."""
    invite = issued.invite
    text = ctx.t(
        "invite.made",
        code=invite.code,
        agency=issued.agency.name,
        role=ctx.t(f"role.{invite.role}"),
        expires=expiry(ctx, invite),
    )
    notes = invite_notes(ctx, issued)
    return Reply("\n\n".join([text, *notes]), invite_code=invite.code, language=ctx.lang)


def invite_notes(ctx: Ctx, issued: IssuedInvite) -> list[str]:
    """Whom the invite will replace in a full seat, and the seat's other invites still open."""
    invite = issued.invite
    notes = []
    replaced = overflow(issued.holders, ctx.programme.focal_points, invite.role)
    if replaced:
        notes.append(ctx.t("invite.will_replace", names=", ".join(person.full_name for person in replaced)))
    still_open = open_invites(ctx.session, invite, ctx.now)
    if still_open:
        codes = ", ".join(f"{other.code} ({expiry(ctx, other)})" for other in still_open)
        notes.append(ctx.t("invite.still_open", count=len(still_open), codes=codes))
    return notes


def expiry(ctx: Ctx, invite: Invite) -> str:
    return format_moment(invite.expires_at.astimezone(ctx.now.tzinfo), ctx.lang)

COMMANDS = (
    Command("invite", make_invite, ADMINS, "help.invite"),
)

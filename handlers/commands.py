"""A command: who may run it, where, and the forms it opens; the polite refusals."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from handlers.context import Ctx
from handlers.forms import Flow
from handlers.types import Reply
from models.people.tables import Role

Handler = Callable[[Ctx, str], list[Reply]]

STRANGER = None
EVERYONE: frozenset[Role | None] = frozenset({STRANGER, *Role})
MEMBERS: frozenset[Role | None] = frozenset(Role)
FOCAL_AND_ADMIN: frozenset[Role | None] = frozenset({Role.LEADER, Role.SPECIALIST, Role.ADMIN})
ADMINS: frozenset[Role | None] = frozenset({Role.ADMIN})
AGENCY_READERS: frozenset[Role | None] = FOCAL_AND_ADMIN | {Role.AGENCY_VIEWER}
"""Who may read their own agency's activities and dues: its focal points, its viewers, the office."""


@dataclass(frozen=True)
class Command:
    """A command as its conversation module declares it: who may run it (`roles`), where
    (`private_only`), the forms it opens (`forms`, declared here so that the engine knows
    which command an open form answers to), and `help_for`, who sees it in /help when that
    is narrower than `roles`. `uploads` says it builds a document, so channels show
    'sending a file' meanwhile."""

    name: str
    handler: Handler
    roles: frozenset[Role | None]
    help_key: str
    private_only: bool = True
    help_for: frozenset[Role | None] | None = None
    uploads: bool = False
    forms: tuple[Flow, ...] = ()

    @property
    def listed_for(self) -> frozenset[Role | None]:
        """Who sees the command in /help (and in Telegram's menus)."""
        return self.roles if self.help_for is None else self.help_for


def parse(text: str) -> tuple[str, str]:
    """'/Invite@phoihop_bot SYT leader' -> ('invite', 'SYT leader')."""
    head, _, rest = text.strip().partition(" ")
    name = head[1:].split("@", 1)[0].lower()
    return name, rest.strip()


def refusal(ctx: Ctx, cmd: Command) -> Reply:
    """A polite no that says why."""
    if not ctx.private and cmd.private_only and ctx.role in cmd.roles:
        return ctx.say("command.private_only", command=cmd.name)
    if ctx.person is None:
        return ctx.say("command.join_first" if not ctx.speaker.former_member else "command.deactivated")
    if cmd.roles == ADMINS:
        return ctx.say("command.admins_only", command=cmd.name)
    return ctx.say("command.not_for_role", command=cmd.name, role=ctx.t(f"role.{ctx.role}"))

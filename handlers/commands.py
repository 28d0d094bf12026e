"""The command table: who may run each command, and where."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from handlers.context import Ctx
from handlers.types import Reply
from models.people.tables import Role

Handler = Callable[[Ctx, str], list[Reply]]

STRANGER = None
EVERYONE: frozenset[Role | None] = frozenset({STRANGER, *Role})
MEMBERS: frozenset[Role | None] = frozenset(Role)
FOCAL_AND_ADMIN: frozenset[Role | None] = frozenset({Role.LEADER, Role.SPECIALIST, Role.ADMIN})
ADMINS: frozenset[Role | None] = frozenset({Role.ADMIN})


@dataclass(frozen=True)
class Command:
    name: str
    handler: Handler
    roles: frozenset[Role | None]
    private_only: bool
    help_key: str
    listed_for: frozenset[Role | None]
    uploads: bool = False


COMMANDS: dict[str, Command] = {}
HELP_ORDER = (
    "start",
    "help",
    "lang",
    "link",
    "channel",
    "register",
    "activities",
    "attach",
    "due",
    "report",
    "done",
    "status",
    "missing",
    "review",
    "chase",
    "broadcast",
    "targets",
    "tasks",
    "agencies",
    "people",
    "export",
    "mydata",
    "forgetme",
    "invite",
    "bind",
)


def command(
    name: str,
    roles: frozenset[Role | None],
    help_key: str,
    private_only: bool = True,
    listed_for: frozenset[Role | None] | None = None,
    uploads: bool = False,
) -> Callable[[Handler], Handler]:
    """Register a command; `listed_for` narrows who sees it in /help (default: `roles`);
    `uploads` says it builds a document, so channels show 'sending a file' meanwhile."""

    def register(handler: Handler) -> Handler:
        COMMANDS[name] = Command(name, handler, roles, private_only, help_key, listed_for or roles, uploads)
        return handler

    return register


def parse(text: str) -> tuple[str, str]:
    """'/Invite@phoihop_bot SYT leader' -> ('invite', 'SYT leader')."""
    head, _, rest = text.strip().partition(" ")
    name = head[1:].split("@", 1)[0].lower()
    return name, rest.strip()


def listed(ctx: Ctx) -> list[Command]:
    """The commands /help shows this person here, in the order of HELP_ORDER."""
    usable = [cmd for cmd in COMMANDS.values() if ctx.role in cmd.listed_for and (ctx.private or not cmd.private_only)]
    rank = {name: index for index, name in enumerate(HELP_ORDER)}
    return sorted(usable, key=lambda cmd: rank.get(cmd.name, len(rank)))


def refusal(ctx: Ctx, cmd: Command) -> Reply:
    """A polite no that says why."""
    if not ctx.private and cmd.private_only and ctx.role in cmd.roles:
        return ctx.say("command.private_only", command=cmd.name)
    if ctx.person is None:
        return ctx.say("command.join_first" if not ctx.former_member else "command.deactivated")
    if cmd.roles == ADMINS:
        return ctx.say("command.admins_only", command=cmd.name)
    return ctx.say("command.not_for_role", command=cmd.name, role=ctx.t(f"role.{ctx.role}"))

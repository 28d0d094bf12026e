"""The conversations the engine serves, put together from one explicit list of modules.

Each conversation module declares `COMMANDS`, its commands with the forms they open;
nothing registers itself on import. The list's order is the order of /help and of the
channels' command menus.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from typing import Protocol, TypeVar

from handlers.commands import Command, parse
from handlers.forms import Flow
from models.people.tables import Role

T = TypeVar("T")


class ConversationModule(Protocol):
    """A conversation module: what it adds to the bot."""

    @property
    def COMMANDS(self) -> tuple[Command, ...]: ...


@dataclass(frozen=True)
class Wiring:
    """Every command by name (in list order), every form by name, and the command that opens
    each form (whose roles an answer to the form is checked against)."""

    commands: dict[str, Command]
    flows: dict[str, Flow]
    openers: dict[str, Command]
    unlisted: frozenset[str] = frozenset()
    """Commands left out of /help and the menus (they still answer): /link and /channel
    when only one messenger is served."""

    @classmethod
    def of(cls, conversations: Iterable[ConversationModule]) -> Wiring:
        """The wiring of `conversations`; a command or form name given twice is an error."""
        commands: dict[str, Command] = {}
        flows: dict[str, Flow] = {}
        openers: dict[str, Command] = {}
        for module in conversations:
            for cmd in module.COMMANDS:
                _add(commands, cmd.name, cmd, "command")
                for flow in cmd.forms:
                    _add(flows, flow.name, flow, "form")
                    openers[flow.name] = cmd
        return cls(commands, flows, openers)

    def command(self, name: str) -> Command | None:
        return self.commands.get(name)

    def flow(self, name: str) -> Flow:
        return self.flows[name]

    def opener(self, flow_name: str) -> Command | None:
        return self.openers.get(flow_name)

    def listed(self, roles: Iterable[Role | None], private: bool) -> list[Command]:
        """The commands /help shows any of `roles` in a private chat or a group, in list order."""
        wanted = set(roles)
        return [
            cmd
            for cmd in self.commands.values()
            if wanted & cmd.listed_for and (private or not cmd.private_only) and cmd.name not in self.unlisted
        ]

    def unlisting(self, names: Iterable[str]) -> Wiring:
        return replace(self, unlisted=self.unlisted | frozenset(names))

    def uploads(self, text: str) -> bool:
        """Whether `text` runs a command that builds a document (channels show 'sending a file')."""
        if not text.strip().startswith("/"):
            return False
        cmd = self.commands.get(parse(text)[0])
        return cmd is not None and cmd.uploads


def _add(table: dict[str, T], name: str, value: T, kind: str) -> None:
    if name in table:
        raise ValueError(f"the {kind} {name!r} is wired twice")
    table[name] = value

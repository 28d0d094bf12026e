"""Who may run what: every command in the table × every role, in a private chat. Each
cell says whether the role may use the command; a refusal must be the polite one that
says why."""

from __future__ import annotations

import pytest

from handlers.commands import COMMANDS
from locales.catalogue import t

STRANGER, SPECIALIST, LEADER, VIEWER, ADMIN = "stranger", "syt-specialist", "syt-leader", "snv-viewer", "lhh-admin"
ROLE_NAMES = {SPECIALIST: "specialist", LEADER: "leader", VIEWER: "viewer"}
EVERYONE = {STRANGER, SPECIALIST, LEADER, VIEWER, ADMIN}
MEMBERS = {SPECIALIST, LEADER, VIEWER, ADMIN}
WORKERS = {SPECIALIST, LEADER, ADMIN}
OVERSIGHT = {VIEWER, ADMIN}

MAY = {
    "start": EVERYONE,
    "help": EVERYONE,
    "lang": EVERYONE,
    "link": MEMBERS,
    "channel": MEMBERS,
    "register": WORKERS,
    "activities": WORKERS,
    "attach": WORKERS,
    "due": WORKERS,
    "report": WORKERS,
    "done": WORKERS,
    "status": OVERSIGHT,
    "missing": OVERSIGHT,
    "targets": OVERSIGHT,
    "tasks": OVERSIGHT,
    "agencies": OVERSIGHT,
    "people": OVERSIGHT,
    "export": OVERSIGHT,
    "review": {ADMIN},
    "chase": {ADMIN},
    "broadcast": {ADMIN},
    "invite": {ADMIN},
    "bind": {ADMIN},
    "mydata": EVERYONE,
    "forgetme": EVERYONE,
}


def refusals(command: str, who: str) -> set[str]:
    role = ROLE_NAMES.get(who)
    texts = {t("command.join_first", "vi"), t("command.admins_only", "vi", command=command)}
    if role:
        texts.add(t("command.not_for_role", "vi", command=command, role=t(f"role.{role}", "vi")))
    return texts


def test_the_table_names_every_command() -> None:
    assert set(MAY) == set(COMMANDS)


@pytest.mark.parametrize("command", sorted(MAY))
def test_each_command_for_each_role(chat, command: str) -> None:  # type: ignore[no-untyped-def]
    for who in sorted(EVERYONE):
        person = chat(who)
        person.send(f"/{command}")
        refused = bool(person.last) and person.last[0].text in refusals(command, who)
        assert refused == (who not in MAY[command]), (command, who, person.text[:120])

"""Who may run what: every command the engine is wired with × every role, in a private
chat, as the one command table (tests/support/command_table.py) says. A refusal must be
the polite one that says why."""

from __future__ import annotations

import pytest

from handlers.conversations import WIRING
from locales.catalogue import t
from tests.support.command_table import PEOPLE, TABLE, may


def refusals(command: str, role: str) -> set[str]:
    texts = {t("command.join_first", "vi"), t("command.admins_only", "vi", command=command)}
    if role in ("specialist", "leader", "viewer", "agency_viewer", "expert"):
        texts.add(t("command.not_for_role", "vi", command=command, role=t(f"role.{role}", "vi")))
    return texts


def test_the_table_names_every_command() -> None:
    assert set(TABLE) == set(WIRING.commands)


@pytest.mark.parametrize("command", sorted(TABLE))
def test_each_command_for_each_role(chat, command: str) -> None:  # type: ignore[no-untyped-def]
    for role, who in sorted(PEOPLE.items(), key=lambda item: item[1]):
        person = chat(who)
        person.send(f"/{command}")
        refused = bool(person.last) and person.last[0].text in refusals(command, role)
        assert refused == (not may(command, role)), (command, who, person.text[:120])

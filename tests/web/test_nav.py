"""The navigation shows each person exactly the pages they may open: each link is read from
its route's `page(command)`, so a link shown answers 200 and a page not shown answers 403,
for every role of the chat's table."""

from __future__ import annotations

import re

import pytest

from tests.support.command_table import ROLES, may

NAV = re.compile(r"<nav>(.*?)</nav>", re.S)
HREF = re.compile(r'href="([^"]+)"')
SHOWN = {  # role -> the links its navigation holds, in order
    "specialist": ["/report", "/tvpb"],
    "leader": ["/report", "/tvpb"],
    "viewer": ["/", "/review", "/targets", "/people", "/exports", "/calendar", "/tvpb", "/experts", "/assess"],
    "agency_viewer": ["/tvpb"],
    "admin": ["/", "/review", "/targets", "/people", "/exports", "/calendar", "/report", "/tvpb", "/experts", "/assess"],
    "expert": ["/tvpb"],
}


def links(html: str) -> list[str]:
    found = NAV.search(html)
    assert found, html[:300]
    return HREF.findall(found.group(1))


@pytest.mark.parametrize("role", [role for role in ROLES if role != "stranger"])
def test_the_navigation_shows_exactly_the_pages_the_role_may_open(client_as, app, role) -> None:  # type: ignore[no-untyped-def]
    client = client_as(role)
    every = [entry.path for entry in app.state.nav]
    for start in ("/calendar", "/people"):
        assert links(client.get(start).text) == SHOWN[role], (role, start)
    assert SHOWN[role] == [entry.path for entry in app.state.nav if may(entry.command, role) and role not in entry.hidden_from]
    for path in every:
        assert client.get(path).status_code == (200 if path in SHOWN[role] else 403), (role, path)


def test_who_is_not_signed_in_sees_no_navigation(client_as) -> None:  # type: ignore[no-untyped-def]
    assert "<nav>" not in client_as("stranger").get("/people").text

"""The web app over the sample programme, and people signed in by the link /web sends."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from starlette.applications import Starlette
from starlette.testclient import TestClient

from bot.web.app import WebConfig, build_app
from handlers.engine import ConversationEngine
from sqlalchemy.engine import Engine as Database
from tests.conftest import Chat, Clock
from tests.support.command_table import PEOPLE

PUBLIC_URL = "https://phoihop.example.vn"
SECRET_KEY = "k" * 40
LINK = re.compile(r"https?://\S+/signin/(\S+)")


@pytest.fixture
def web_engine(db: Database, loaded: int, clock: Clock) -> ConversationEngine:
    return ConversationEngine(db, clock, "lao-cai-31-2015", web_url=PUBLIC_URL)


@pytest.fixture
def app(web_engine: ConversationEngine) -> Starlette:
    return build_app(web_engine, WebConfig(PUBLIC_URL, SECRET_KEY))


def sign_in_path(engine: ConversationEngine, role: str) -> str:
    """The path of a fresh sign-in link, asked for with /web by the sample person in `role`."""
    return sign_in_path_of(engine, PEOPLE[role])


def sign_in_path_of(engine: ConversationEngine, user: str) -> str:
    """The path of a fresh sign-in link, asked for with /web by the chat user `user`."""
    replies = Chat(engine, user).send("/web")
    found = LINK.search(replies[0].text)
    assert found, replies[0].text
    return f"/signin/{found.group(1)}"


@pytest.fixture
def client_as(app: Starlette, web_engine: ConversationEngine) -> Callable[[str], TestClient]:
    """A client signed in as the sample person in `role` ('stranger': not signed in)."""

    def make(role: str) -> TestClient:
        client = TestClient(app, base_url=PUBLIC_URL, follow_redirects=False)
        if role != "stranger":
            answer = client.get(sign_in_path(web_engine, role))
            assert answer.status_code == 303, answer.text
        return client

    return make


def csrf_of(html: str) -> str:
    found = re.search(r'name="csrf" value="([^"]+)"', html)
    assert found
    return found.group(1)

"""The Telegram Mini App's entry over HTTP: valid initData of a known Telegram account signs
its person in and opens the one-page report; forged, stale, missing, or an unknown account:
401 and no session."""

from __future__ import annotations

from datetime import timedelta

from starlette.applications import Starlette
from starlette.testclient import TestClient

from bot.web.security import SESSION_COOKIE
from tests.conftest import Clock, local
from tests.support.harness import link_sample
from tests.support.mini_app import TOKEN as BOT_TOKEN
from tests.support.mini_app import telegram_init_data
from tests.web.conftest import PUBLIC_URL

TELEGRAM_ID = "4242"


def mini_app(app: Starlette, db, clock: Clock) -> TestClient:  # type: ignore[no-untyped-def]
    app.state.telegram_token = BOT_TOKEN
    link_sample(db, "syt-specialist", ("telegram", TELEGRAM_ID, TELEGRAM_ID), clock())
    return TestClient(app, base_url=PUBLIC_URL, follow_redirects=False)


def test_valid_init_data_signs_the_person_in_and_opens_the_report(app: Starlette, db, clock: Clock) -> None:  # type: ignore[no-untyped-def]
    clock.moment = local(2026, 12, 16, 9)
    client = mini_app(app, db, clock)
    entry = client.get("/miniapp")
    assert entry.status_code == 200 and 'action="/miniapp/session"' in entry.text
    assert "frame-ancestors https://web.telegram.org" in entry.headers["content-security-policy"]
    answer = client.post("/miniapp/session", data={"init_data": telegram_init_data(auth_date=clock() - timedelta(minutes=30))})
    assert answer.status_code == 303 and answer.headers["location"] == "/report"
    cookie = answer.headers["set-cookie"]
    assert SESSION_COOKIE in cookie and "HttpOnly" in cookie and "Secure" in cookie and "samesite=none" in cookie.lower()
    assert client.get("/report").status_code == 200


def test_forged_stale_or_missing_init_data_gets_401(app: Starlette, db, clock: Clock) -> None:  # type: ignore[no-untyped-def]
    client = mini_app(app, db, clock)
    forged = telegram_init_data(auth_date=clock()).replace("4242", "4243")
    stale = telegram_init_data(auth_date=clock() - timedelta(hours=1, minutes=1))
    other_bot = telegram_init_data(token="999:other", auth_date=clock())
    for init_data in (forged, stale, other_bot, ""):
        answer = client.post("/miniapp/session", data={"init_data": init_data})
        assert answer.status_code == 401 and "set-cookie" not in answer.headers
        assert "Không xác thực được dữ liệu Mini App" in answer.text
    assert client.get("/report").status_code == 401


def test_an_unknown_telegram_account_gets_401(app: Starlette, db, clock: Clock) -> None:  # type: ignore[no-untyped-def]
    app.state.telegram_token = BOT_TOKEN
    client = TestClient(app, base_url=PUBLIC_URL, follow_redirects=False)
    answer = client.post("/miniapp/session", data={"init_data": telegram_init_data(auth_date=clock())})
    assert answer.status_code == 401 and "chưa tham gia" in answer.text


def test_without_telegram_there_is_no_mini_app(app: Starlette) -> None:
    client = TestClient(app, base_url=PUBLIC_URL)
    assert client.get("/miniapp").status_code == 404
    assert client.post("/miniapp/session", data={"init_data": "x"}).status_code == 404


def test_the_freshness_comes_from_the_setting(app: Starlette, db, clock: Clock) -> None:  # type: ignore[no-untyped-def]
    client = mini_app(app, db, clock)
    app.state.mini_app_max_age = timedelta(minutes=10)
    old = telegram_init_data(auth_date=clock() - timedelta(minutes=11))
    assert client.post("/miniapp/session", data={"init_data": old}).status_code == 401
    fresh = telegram_init_data(auth_date=clock() - timedelta(minutes=9))
    assert client.post("/miniapp/session", data={"init_data": fresh}).status_code == 303

"""`phoihop run` with a Telegram token: the real process against the fake Bot API, the
start-up refusals (webhook without a secret, a refused token, an unreachable server), and
the token kept out of logs, errors and the terminal."""

from __future__ import annotations

import asyncio
import io
import logging
import signal
import traceback
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from sqlmodel import select

from bot.redaction import MASK, Redactor, protect_logs
from bot.runner import RunError, build_engine
from bot.settings import Settings
from bot.telegram.service import StartFailed, TelegramOptions, serve
from bot.telegram.setup import TELEGRAM
from models.db.engine import session_scope
from models.outbox.notify import enqueue
from models.outbox.tables import OutboxMessage, OutboxStatus
from models.reporting.tables import Period
from tests.fakes.telegram_api import FakeTelegram, User
from tests.support.harness import free_port
from tests.support.processes import RUN_STARTS, environment, run_command
from tests.support.telegram_harness import link, running_bot

pytestmark = pytest.mark.slow

TOKEN_REFUSED = "Telegram không chấp nhận TELEGRAM_BOT_TOKEN. Hãy kiểm tra lại token do @BotFather cấp."


def settings(**values: str) -> Settings:
    return Settings(_env_file=None, **values)  # type: ignore[call-arg]


@pytest.fixture
def captured() -> Iterator[logging.StreamHandler[io.StringIO]]:
    """A handler on the root logger that records everything from DEBUG up."""
    root, quiet = logging.getLogger(), logging.getLogger("httpx")
    handler = logging.StreamHandler(io.StringIO())
    levels = root.level, quiet.level
    root.addHandler(handler)
    root.setLevel(logging.DEBUG)
    yield handler
    root.removeHandler(handler)
    root.setLevel(levels[0])
    quiet.setLevel(levels[1])


def test_the_redactor_scrubs_messages_arguments_and_tracebacks() -> None:
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    redactor = Redactor(["123:SECRET", None, ""])
    handler.addFilter(redactor)
    logger = logging.getLogger("tests.redaction")
    logger.addHandler(handler)
    try:
        logger.warning("GET https://api.telegram.org/bot%s/getMe", "123:SECRET")
        try:
            raise ValueError("The token `123:SECRET` was rejected by the server.")
        except ValueError:
            logger.exception("start-up failed")
    finally:
        logger.removeHandler(handler)
    text = stream.getvalue()
    assert "SECRET" not in text
    assert f"https://api.telegram.org/bot{MASK}/getMe" in text and f"The token `{MASK}` was rejected" in text


async def test_no_token_in_the_logs_of_a_whole_conversation(engine, db, clock, captured) -> None:  # type: ignore[no-untyped-def]
    user = User(3001, "Mai")
    link(db, "syt-specialist", user, clock())
    async with FakeTelegram() as fake:
        protect_logs([fake.token], [captured])
        assert logging.getLogger("httpx").level == logging.WARNING
        async with running_bot(engine, fake) as bot:
            await bot.say(user, "/help")
    text = captured.stream.getvalue()
    assert "Set Bot API URL" in text and MASK in text
    assert fake.token not in text and fake.token.split(":")[1] not in text


async def test_a_refused_token_stops_start_up_without_naming_it(engine) -> None:  # type: ignore[no-untyped-def]
    async with FakeTelegram() as fake:
        wrong = TelegramOptions(token="999:WrongTokenNeverShown", api_base_url=fake.url)
        with pytest.raises(StartFailed) as raised:
            await serve(engine, wrong, asyncio.Event())
    assert raised.value.key == "cli.telegram_token_refused"
    assert "WrongTokenNeverShown" not in "".join(traceback.format_exception(raised.value))
    assert "WrongTokenNeverShown" not in repr(wrong)


async def test_an_unreachable_server_stops_start_up(engine) -> None:  # type: ignore[no-untyped-def]
    nowhere = TelegramOptions(token="1:x", api_base_url=f"http://127.0.0.1:{free_port()}")
    with pytest.raises(StartFailed) as raised:
        await serve(engine, nowhere, asyncio.Event())
    assert raised.value.key == "cli.telegram_unreachable" and raised.value.params["url"].startswith("http://127.0.0.1:")


def test_webhook_mode_needs_an_https_url_and_a_secret() -> None:
    token = {"TELEGRAM_BOT_TOKEN": "1:abc"}
    for values, url, key in [
        (token, "https://bot.example.vn/hook", "cli.webhook_needs_secret"),
        ({**token, "WEBHOOK_SECRET": "có dấu"}, "https://bot.example.vn/hook", "cli.webhook_needs_secret"),
        ({**token, "WEBHOOK_SECRET": "s" * 257}, "https://bot.example.vn/hook", "cli.webhook_needs_secret"),
        ({**token, "WEBHOOK_SECRET": "ok_secret-1"}, "http://bot.example.vn/hook", "cli.webhook_url_invalid"),
        ({"WEBHOOK_SECRET": "ok_secret-1"}, "https://bot.example.vn/hook", "cli.webhook_needs_token"),
    ]:
        with pytest.raises(RunError) as raised:
            TELEGRAM.options(settings(**values), url)
        assert raised.value.key == key, values
    options = TELEGRAM.options(settings(**token, WEBHOOK_SECRET="ok_secret-1", WEBHOOK_PORT="9000"), "https://bot.example.vn/tg/hook")
    assert (options.webhook_secret, options.webhook_path, options.port, options.api_url) == (
        "ok_secret-1",
        "tg/hook",
        9000,
        "https://api.telegram.org/bot",
    )
    assert TELEGRAM.options(settings(**token, WEBHOOK_SECRET="ok_secret-1"), None).webhook_secret is None


def test_the_engine_needs_a_migrated_database_with_one_programme(new_database, db, loaded) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(RunError) as raised:
        build_engine(settings(DATABASE_URL=new_database(migrated=False)))
    assert raised.value.key == "cli.not_migrated"
    with pytest.raises(RunError) as raised:
        build_engine(settings(DATABASE_URL=str(db.url), PHOIHOP_PROGRAMME="ha-giang-2021-2026"))
    assert raised.value.key == "cli.programme_not_loaded"
    assert raised.value.params == {"code": "ha-giang-2021-2026", "codes": "lao-cai-31-2015"}
    engine = build_engine(settings(DATABASE_URL=str(db.url), PHOIHOP_FILE_LIMIT_MB="5"))
    assert engine.policy.file_limit == 5 * 1024 * 1024


async def test_phoihop_run_serves_telegram_until_interrupted(tmp_path: Path, db, loaded) -> None:  # type: ignore[no-untyped-def]
    stranger = User(7001, "Lan")
    async with FakeTelegram() as fake:
        env = environment(TELEGRAM_BOT_TOKEN=fake.token, TELEGRAM_API_BASE_URL=fake.url, DATABASE_URL=str(db.url))
        process = await asyncio.create_subprocess_exec(
            *run_command(), cwd=tmp_path, env=env, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE
        )
        try:
            ready = await asyncio.wait_for(process.stdout.readline(), 30)  # type: ignore[union-attr]
            assert ready.decode().strip() == "Bot Telegram @PhoiHopTestBot đang chạy (long polling). Nhấn Ctrl+C để dừng."
            fake.says(stranger, "/help")
            await fake.wait_for(lambda: bool(fake.sent_to(stranger.id)), timeout=10)
            assert fake.sent_to(stranger.id)[0].text.startswith("Đây là trợ lý điều phối quy chế phối hợp")
        finally:
            process.send_signal(signal.SIGINT)
            out, err = await asyncio.wait_for(process.communicate(), 20)
    assert process.returncode == 0, err.decode()
    assert fake.token not in (ready + out + err).decode()
    assert {"getMe", "setMyCommands", "deleteWebhook", "getUpdates", "sendMessage"} <= {call.method for call in fake.calls}


async def test_phoihop_run_refuses_a_webhook_without_a_secret(tmp_path: Path) -> None:
    env = environment(TELEGRAM_BOT_TOKEN="1:abc", DATABASE_URL=f"sqlite:///{tmp_path / 'x.sqlite3'}")
    process = await asyncio.create_subprocess_exec(
        *run_command("--webhook", "https://bot.example.vn/hook"),
        cwd=tmp_path,
        env=env,
        stderr=asyncio.subprocess.PIPE,
    )
    _, err = await asyncio.wait_for(process.communicate(), 30)
    assert process.returncode == 2
    assert err.decode().startswith("Chế độ webhook cần WEBHOOK_SECRET: 1–256 ký tự gồm A–Z, a–z, 0–9, _ và -.")


async def _periods_made(db, within: float) -> None:  # type: ignore[no-untyped-def]
    for _ in range(int(within / 0.1)):
        with session_scope(db) as session:
            if session.exec(select(Period)).first() is not None:
                return
        await asyncio.sleep(0.1)


async def test_phoihop_run_delivers_the_outbox_and_runs_the_catch_up(tmp_path: Path, db, loaded) -> None:  # type: ignore[no-untyped-def]
    with session_scope(db) as session:
        enqueue(session, "test:hello", "telegram", "7002", "Xin chào từ hộp thư đi", RUN_STARTS - timedelta(minutes=1))
    async with FakeTelegram() as fake:
        env = environment(TELEGRAM_BOT_TOKEN=fake.token, TELEGRAM_API_BASE_URL=fake.url, DATABASE_URL=str(db.url))
        process = await asyncio.create_subprocess_exec(
            *run_command(), cwd=tmp_path, env=env, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE
        )
        try:
            await asyncio.wait_for(process.stdout.readline(), 30)  # type: ignore[union-attr]
            await fake.wait_for(lambda: bool(fake.sent_to(7002)), timeout=15)
            await _periods_made(db, within=15)  # the catch-up runs beside the sender
        finally:
            process.send_signal(signal.SIGINT)
            _, err = await asyncio.wait_for(process.communicate(), 20)
    assert process.returncode == 0, err.decode()
    assert [m.text for m in fake.sent_to(7002)] == ["Xin chào từ hộp thư đi"]
    with session_scope(db) as session:
        assert session.exec(select(OutboxMessage).where(OutboxMessage.key == "test:hello")).one().status is OutboxStatus.SENT
        assert session.exec(select(Period)).first() is not None

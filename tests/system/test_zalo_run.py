"""`phoihop run` with a Zalo token: the real process against the fake Zalo Bot API, alone
and beside Telegram (one database, one scheduler, one outbox sender for both); the
start-up refusals; and the token and the webhook secret kept out of logs and errors."""

from __future__ import annotations

import asyncio
import logging
import signal
import traceback
from datetime import timedelta
from pathlib import Path

import pytest
from sqlmodel import select

from bot.channels.setup import StartFailed
from bot.redaction import MASK, protect_logs
from bot.runner import ChannelRun, RunError, planned_channels, serve_channels
from bot.sender import Limits
from bot.settings import Settings
from bot.zalo.service import ZaloOptions, serve
from bot.zalo.outgoing import split_message
from bot.zalo.setup import ZALO
from models.db.engine import session_scope
from models.outbox.notify import enqueue
from models.outbox.tables import OutboxMessage, OutboxStatus
from models.people.tables import ChannelIdentity
from tests.conftest import local
from tests.fakes.telegram_api import FakeTelegram
from tests.fakes.telegram_api import User as TelegramUser
from tests.fakes.zalo_api import FakeZalo, User
from tests.support.fake_channel import FakeChannel
from tests.support.fake_time import FakeTime
from tests.support.harness import free_port
from tests.support.processes import RUN_STARTS, environment, run_command
from tests.support.zalo_harness import WEBHOOK_SECRET, link_zalo, running_zalo
from tests.system.test_telegram_run import captured  # noqa: F401, F811  (the fixture)

pytestmark = pytest.mark.slow

STRANGER = User("77aa88bb99cc00dd11ee", "Lan")
READY_ZALO = "Bot Zalo Bot Phối hợp Lào Cai đang chạy (long polling). Nhấn Ctrl+C để dừng."
READY_TELEGRAM = "Bot Telegram @PhoiHopTestBot đang chạy (long polling). Nhấn Ctrl+C để dừng."


def settings(**values: str) -> Settings:
    return Settings(_env_file=None, **values)  # type: ignore[call-arg]


async def start(tmp_path: Path, env: dict[str, str]) -> asyncio.subprocess.Process:
    return await asyncio.create_subprocess_exec(
        *run_command(), cwd=tmp_path, env=env, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE
    )


async def stop(process: asyncio.subprocess.Process) -> tuple[bytes, bytes]:
    process.send_signal(signal.SIGINT)
    return await asyncio.wait_for(process.communicate(), 20)


async def test_phoihop_run_serves_zalo_alone_with_the_scheduler_and_the_outbox(tmp_path: Path, db, loaded) -> None:  # type: ignore[no-untyped-def]
    with session_scope(db) as session:
        enqueue(session, "test:zalo", "zalo", "6ede9afa66b88fe6d6a9", "Xin chào từ hộp thư đi", RUN_STARTS - timedelta(minutes=1))
    async with FakeZalo() as fake:
        process = await start(tmp_path, environment(ZALO_BOT_TOKEN=fake.token, ZALO_API_BASE_URL=fake.url, DATABASE_URL=str(db.url)))
        try:
            ready = await asyncio.wait_for(process.stdout.readline(), 30)  # type: ignore[union-attr]
            assert ready.decode().strip() == READY_ZALO
            fake.says(STRANGER, "/help")
            await fake.wait_for(lambda: bool(fake.sent_to(STRANGER.id)) and bool(fake.sent_to("6ede9afa66b88fe6d6a9")), timeout=15)
            assert fake.sent_to(STRANGER.id)[0].text.startswith("Đây là trợ lý điều phối quy chế phối hợp")
        finally:
            out, err = await stop(process)
    assert process.returncode == 0, err.decode()
    assert fake.token not in (ready + out + err).decode()
    assert {"getMe", "deleteWebhook", "getUpdates", "sendMessage"} <= {call.method for call in fake.calls}
    with session_scope(db) as session:
        assert session.exec(select(OutboxMessage).where(OutboxMessage.key == "test:zalo")).one().status is OutboxStatus.SENT


async def test_phoihop_run_serves_telegram_and_zalo_in_one_process(tmp_path: Path, db, loaded) -> None:  # type: ignore[no-untyped-def]
    now = RUN_STARTS - timedelta(minutes=1)
    with session_scope(db) as session:
        enqueue(session, "test:tg", "telegram", "7002", "Nhắc trên Telegram", now)
        enqueue(session, "test:zalo", "zalo", "6ede9afa66b88fe6d6a9", "Nhắc trên Zalo", now)
    async with FakeTelegram() as telegram, FakeZalo() as zalo:
        env = environment(
            TELEGRAM_BOT_TOKEN=telegram.token,
            TELEGRAM_API_BASE_URL=telegram.url,
            ZALO_BOT_TOKEN=zalo.token,
            ZALO_API_BASE_URL=zalo.url,
            DATABASE_URL=str(db.url),
        )
        process = await start(tmp_path, env)
        try:
            lines = [await asyncio.wait_for(process.stdout.readline(), 30) for _ in range(2)]  # type: ignore[union-attr]
            assert sorted(line.decode().strip() for line in lines) == [READY_TELEGRAM, READY_ZALO]
            telegram.says(TelegramUser(7001, "Lan"), "/help")
            zalo.says(STRANGER, "/help")
            await zalo.wait_for(lambda: len(zalo.sent) == 2, timeout=15)
            await telegram.wait_for(lambda: len(telegram.sent) == 2, timeout=15)
        finally:
            out, err = await stop(process)
    assert process.returncode == 0, err.decode()
    assert [m.text for m in telegram.sent_to(7002)] == ["Nhắc trên Telegram"]
    assert [m.text for m in zalo.sent_to("6ede9afa66b88fe6d6a9")] == ["Nhắc trên Zalo"]
    assert telegram.token not in (out + err).decode() and zalo.token not in (out + err).decode()


def test_zalo_webhook_mode_needs_an_https_url_its_own_secret_and_its_own_port() -> None:
    token = {"ZALO_BOT_TOKEN": "1:abc"}
    for values, url, key in [
        (token, "https://bot.example.vn/zalo", "cli.zalo_webhook_needs_secret"),
        ({**token, "WEBHOOK_SECRET": "telegram_secret-1"}, "https://bot.example.vn/zalo", "cli.zalo_webhook_needs_secret"),
        ({**token, "ZALO_WEBHOOK_SECRET": "short"}, "https://bot.example.vn/zalo", "cli.zalo_webhook_needs_secret"),
        ({**token, "ZALO_WEBHOOK_SECRET": "có dấu thì không"}, "https://bot.example.vn/zalo", "cli.zalo_webhook_needs_secret"),
        ({**token, "ZALO_WEBHOOK_SECRET": "ok_secret-1"}, "http://bot.example.vn/zalo", "cli.zalo_webhook_url_invalid"),
        ({"ZALO_WEBHOOK_SECRET": "ok_secret-1"}, "https://bot.example.vn/zalo", "cli.zalo_webhook_needs_token"),
    ]:
        with pytest.raises(RunError) as raised:
            ZALO.options(settings(**values), url)
        assert raised.value.key == key, values
    values = {**token, "ZALO_WEBHOOK_SECRET": "ok_secret-1", "ZALO_WEBHOOK_PORT": "9001", "ZALO_API_BASE_URL": "http://127.0.0.1:1"}
    options = ZALO.options(settings(**values), "https://bot.example.vn/zalo/hook")
    assert (options.webhook_secret, options.webhook_path, options.port, options.api_base_url) == (
        "ok_secret-1",
        "zalo/hook",
        9001,
        "http://127.0.0.1:1",
    )
    assert ZALO.options(settings(**token), None).api_base_url == "https://bot-api.zaloplatforms.com"
    assert "1:abc" not in repr(options)

    both = {**values, "TELEGRAM_BOT_TOKEN": "2:def", "WEBHOOK_SECRET": "tg_secret", "WEBHOOK_PORT": "9001"}
    with pytest.raises(RunError) as raised:
        planned_channels(settings(**both), {"telegram": "https://bot.example.vn/tg", "zalo": "https://bot.example.vn/zalo"})
    assert raised.value.key == "cli.webhook_ports_clash" and raised.value.params == {"port": 9001}
    runs = planned_channels(
        settings(**{**both, "WEBHOOK_PORT": "9000"}), {"telegram": "https://bot.example.vn/tg", "zalo": "https://bot.example.vn/zalo"}
    )
    assert [(run.channel, run.secrets) for run in runs] == [("telegram", ("2:def", "tg_secret")), ("zalo", ("1:abc", "ok_secret-1"))]
    assert [run.channel for run in planned_channels(settings(**token), {})] == ["zalo"]


async def test_phoihop_run_refuses_a_zalo_webhook_without_a_secret(tmp_path: Path) -> None:
    env = environment(ZALO_BOT_TOKEN="1:abc", DATABASE_URL=f"sqlite:///{tmp_path / 'x.sqlite3'}")
    command = run_command("--zalo-webhook", "https://bot.example.vn/zalo")
    process = await asyncio.create_subprocess_exec(*command, cwd=tmp_path, env=env, stderr=asyncio.subprocess.PIPE)
    _, err = await asyncio.wait_for(process.communicate(), 30)
    assert process.returncode == 2
    assert err.decode().startswith("Chế độ webhook của Zalo cần ZALO_WEBHOOK_SECRET: 8–256 ký tự")


async def test_a_refused_token_or_an_unreachable_server_stops_start_up(engine) -> None:  # type: ignore[no-untyped-def]
    async with FakeZalo() as fake:
        wrong = ZaloOptions(token="999:WrongZaloTokenNeverShown", api_base_url=fake.url)
        with pytest.raises(StartFailed) as raised:
            await serve(engine, wrong, asyncio.Event())
    assert raised.value.key == "cli.zalo_token_refused"
    assert "WrongZaloTokenNeverShown" not in "".join(traceback.format_exception(raised.value))
    nowhere = ZaloOptions(token="1:x", api_base_url=f"http://127.0.0.1:{free_port()}")
    with pytest.raises(StartFailed) as raised:
        await serve(engine, nowhere, asyncio.Event())
    assert raised.value.key == "cli.zalo_unreachable" and raised.value.params["url"].startswith("http://127.0.0.1:")


async def test_the_scheduler_and_the_sender_start_once_with_every_channel(engine, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    started: list[tuple[list[str], list[str]]] = []

    async def cycles(_engine, _settings, senders, limits, stop) -> None:  # type: ignore[no-untyped-def]
        started.append((sorted(senders), sorted(limits)))
        await stop.wait()

    def channel(name: str) -> ChannelRun:
        async def serve(_engine, _stop, ready, beside) -> None:  # type: ignore[no-untyped-def]
            ready(name)
            await beside(FakeChannel(name, FakeTime(local(2027, 6, 4, 8))))

        return ChannelRun(name, serve, Limits(), ())

    monkeypatch.setattr("bot.runner.run_cycles", cycles)
    stop, announced = asyncio.Event(), []
    runs = [channel("telegram"), channel("zalo")]
    serving = asyncio.create_task(serve_channels(engine, runs, settings(), stop, lambda *a: announced.append(a)))
    await asyncio.sleep(0.05)
    assert started == [(["telegram", "zalo"], ["telegram", "zalo"])] and not serving.done()
    stop.set()
    await asyncio.wait_for(serving, 5)
    assert sorted(announced) == [("telegram", "telegram"), ("zalo", "zalo")] and len(started) == 1


async def test_a_channel_that_cannot_start_stops_the_others(engine) -> None:  # type: ignore[no-untyped-def]
    async with FakeTelegram() as telegram, FakeZalo() as zalo:
        values = {"TELEGRAM_BOT_TOKEN": telegram.token, "TELEGRAM_API_BASE_URL": telegram.url}
        runs = planned_channels(settings(**values, ZALO_BOT_TOKEN="999:Wrong", ZALO_API_BASE_URL=zalo.url), {})
        announced: list[tuple[str, str]] = []
        with pytest.raises(StartFailed) as raised:
            await asyncio.wait_for(serve_channels(engine, runs, settings(), asyncio.Event(), lambda *a: announced.append(a)), 10)
    assert raised.value.key == "cli.zalo_token_refused"
    assert announced in ([], [("telegram", "PhoiHopTestBot")])


async def test_no_secret_in_the_logs_of_a_conversation_on_zalo(engine, db, clock, captured) -> None:  # type: ignore[no-untyped-def]
    focal = User("0a1b2c3d4e5f6a7b8c9d", "Mai")
    link_zalo(db, "syt-specialist", focal, clock())
    async with FakeZalo() as fake:
        protect_logs([fake.token, WEBHOOK_SECRET], [captured])
        assert logging.getLogger("httpx").level == logging.WARNING
        async with running_zalo(engine, fake, webhook=True) as bot:
            await bot.say(focal, "/help")
            assert await bot.post({"ok": True, "result": {}}, "wrong-secret") == 403
            fake.fail("sendMessage", 500, "Internal error", times=3)
            fake.fail("sendMessage", 500, f"Internal error near /bot{fake.token}/sendMessage")
            assert await bot.say(focal, "/help") == []
    text = captured.stream.getvalue()
    assert "a Zalo answer is kept for the outbox sender" in text and MASK in text
    assert fake.token not in text and fake.token.split(":")[1] not in text and WEBHOOK_SECRET not in text


LONG = "\n".join(f"{n:03d}. Hội thảo khoa học về chuyển đổi số trong nông nghiệp, tỉnh Lào Cai" for n in range(60))


async def test_phoihop_run_retries_a_403_and_delivers_every_piece_once(tmp_path: Path, db, loaded) -> None:  # type: ignore[no-untyped-def]
    """Zalo's 403 is a server error: an answer is retried and nobody deactivated; a long
    reminder in pieces with a fault on its first, second or third piece arrives whole, once."""
    focal = User("0a1b2c3d4e5f6a7b8c9d", "Mai")
    link_zalo(db, "syt-specialist", focal, RUN_STARTS - timedelta(days=1))
    pieces = split_message(LONG)
    chats = ["c1c1c1c1c1c1c1c1c1c1", "c2c2c2c2c2c2c2c2c2c2", "c3c3c3c3c3c3c3c3c3c3"]
    with session_scope(db) as session:
        for chat in chats:
            enqueue(session, f"test:long:{chat}", "zalo", chat, LONG, RUN_STARTS - timedelta(minutes=1))
    async with FakeZalo(errors_over_http_200=True) as fake:
        fake.fail("sendMessage", 403, "Internal server error", times=2, chat_id=focal.id)
        for chat, piece, status in zip(chats, pieces, [500, 403, 408], strict=True):
            fake.fail("sendMessage", status, "Internal server error", times=1, chat_id=chat, text=piece)
        process = await start(tmp_path, environment(ZALO_BOT_TOKEN=fake.token, ZALO_API_BASE_URL=fake.url, DATABASE_URL=str(db.url)))
        try:
            await asyncio.wait_for(process.stdout.readline(), 30)  # type: ignore[union-attr]
            fake.says(focal, "/help")
            await fake.wait_for(lambda: bool(fake.sent_to(focal.id)) and all(len(fake.sent_to(chat)) == 3 for chat in chats), timeout=30)
        finally:
            out, err = await stop(process)
    assert process.returncode == 0, err.decode()
    assert [m.text for m in fake.sent_to(focal.id)][0].startswith("Các lệnh")
    assert all([m.text for m in fake.sent_to(chat)] == pieces for chat in chats) and fake.duplicates() == 0
    with session_scope(db) as session:
        identity = session.exec(select(ChannelIdentity).where(ChannelIdentity.user_ref == focal.id)).one()
        keys = [row.key for row in session.exec(select(OutboxMessage))]
    assert identity.active and not [key for key in keys if key.startswith(("unreachable:", "undelivered:", "reply:"))]


async def test_phoihop_run_answers_a_voice_message(tmp_path: Path, db, loaded) -> None:  # type: ignore[no-untyped-def]
    async with FakeZalo() as fake:
        process = await start(tmp_path, environment(ZALO_BOT_TOKEN=fake.token, ZALO_API_BASE_URL=fake.url, DATABASE_URL=str(db.url)))
        try:
            await asyncio.wait_for(process.stdout.readline(), 30)  # type: ignore[union-attr]
            fake.push(fake.voice_update(STRANGER))
            await fake.wait_for(lambda: bool(fake.sent_to(STRANGER.id)), timeout=15)
        finally:
            out, err = await stop(process)
    assert process.returncode == 0, err.decode()
    [answer] = fake.sent_to(STRANGER.id)
    assert answer.text.startswith("Tôi chưa nghe được tin nhắn thoại.") and "/help" in answer.text

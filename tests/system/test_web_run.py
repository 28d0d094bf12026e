"""`phoihop run` with the web on, as a real process on an injected day: the Telegram webhook
on the web's port, /web in the chat gives a sign-in link, opening it signs in (a cookie), the
board answers; a webhook call without the secret gets 403 and nothing is processed; and
`run` will not start the web without WEB_SECRET_KEY (its message names no secret)."""

from __future__ import annotations

import asyncio
import re
import signal
from pathlib import Path

import httpx
import pytest

from bot.telegram.service import SECRET_HEADER

from tests.fakes.telegram_api import FakeTelegram, User
from tests.support.harness import free_port
from tests.support.processes import RUN_STARTS, environment, run_command
from tests.support.telegram_harness import WEBHOOK_SECRET, link

pytestmark = pytest.mark.slow

KEY = "web-key-never-in-any-output-0123456789"
HOOK = "https://bot.example.vn/telegram/hook"
SIGN_IN = re.compile(r"http://127\.0\.0\.1:\d+(/signin/\S+)")
NO_KEY = "Trang web cần WEB_SECRET_KEY (ít nhất 32 ký tự) để ký phiên đăng nhập"


async def _ready(process: asyncio.subprocess.Process) -> list[str]:
    """The lines `run` prints until the Telegram bot is up (the web's comes first)."""
    lines: list[str] = []
    while not any(line.startswith("Bot Telegram") for line in lines):
        line = await asyncio.wait_for(process.stdout.readline(), 30)  # type: ignore[union-attr]
        assert line, "phoihop run ended before it was ready"
        lines.append(line.decode().strip())
    return lines


async def test_phoihop_run_serves_the_web_beside_the_bot(tmp_path: Path, db, loaded) -> None:  # type: ignore[no-untyped-def]
    admin = User(7101, "Hà", language_code="vi")
    link(db, "lhh-admin", admin, RUN_STARTS)
    port = free_port()
    public = f"http://127.0.0.1:{port}"
    async with FakeTelegram() as fake:
        env = environment(
            TELEGRAM_BOT_TOKEN=fake.token, TELEGRAM_API_BASE_URL=fake.url, DATABASE_URL=str(db.url), WEBHOOK_SECRET=WEBHOOK_SECRET,
            WEB_LISTEN="127.0.0.1", WEB_PORT=str(port), WEB_SECRET_KEY=KEY, PUBLIC_URL=public,
        )
        process = await asyncio.create_subprocess_exec(
            *run_command("--webhook", HOOK), cwd=tmp_path, env=env, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE
        )
        try:
            lines = await _ready(process)
            assert lines[0] == f"Trang web đang chạy tại {public} (lắng nghe 127.0.0.1:{port})."
            async with httpx.AsyncClient(base_url=public, follow_redirects=False) as web:
                forged = fake.message_update(admin, "/help")
                assert (await web.post("/telegram/hook", json=forged)).status_code == 403
                assert (await web.post("/telegram/hook", json=forged, headers={SECRET_HEADER: "wrong-secret"})).status_code == 403
                asked = await web.post("/telegram/hook", json=fake.message_update(admin, "/web"), headers={SECRET_HEADER: WEBHOOK_SECRET})
                assert asked.status_code == 200
                await fake.wait_for(lambda: bool(fake.sent_to(admin.id)), timeout=15)
                replies = fake.sent_to(admin.id)
                assert len(replies) == 1, [reply.text for reply in replies]
                found = SIGN_IN.search(replies[0].text)
                assert found, replies[0].text
                assert (await web.get("/")).status_code == 401
                signed_in = await web.get(found.group(1))
                assert signed_in.status_code == 303 and "HttpOnly" in signed_in.headers["set-cookie"]
                board = await web.get("/")
                assert board.status_code == 200 and "Liên hiệp" in board.text
                assert (await web.get(found.group(1))).status_code == 410
        finally:
            process.send_signal(signal.SIGINT)
            out, err = await asyncio.wait_for(process.communicate(), 20)
    assert process.returncode == 0, err.decode()
    output = "\n".join(lines) + (out + err).decode()
    assert KEY not in output and fake.token not in output and WEBHOOK_SECRET not in output
    assert [call.params["url"] for call in fake.calls if call.method == "setWebhook"] == [HOOK]


@pytest.mark.parametrize("key", [None, "short-key-never-shown"])
async def test_phoihop_run_refuses_the_web_without_a_secret_key(tmp_path: Path, key: str | None) -> None:
    values = {"TELEGRAM_BOT_TOKEN": "1:abc", "DATABASE_URL": f"sqlite:///{tmp_path / 'x.sqlite3'}", "PUBLIC_URL": "https://phoihop.example.vn"}
    env = {name: value for name, value in environment(**values).items() if not name.startswith("WEB_")}
    if key is not None:
        env["WEB_SECRET_KEY"] = key
    process = await asyncio.create_subprocess_exec(*run_command(), cwd=tmp_path, env=env, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE)
    out, err = await asyncio.wait_for(process.communicate(), 30)
    assert process.returncode == 2
    assert err.decode().startswith(NO_KEY) and "bỏ PUBLIC_URL" in err.decode()
    assert key is None or key not in (out + err).decode()

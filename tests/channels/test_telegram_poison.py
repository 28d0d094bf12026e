"""One update python-telegram-bot cannot read, between good ones in the same getUpdates
answer, is skipped alone: the updates around it and after it are answered, the offset moves
past it, and the log holds its update_id and the kind of error, never its text, the
sender's name or the invite code in it. The same on the webhook."""

from __future__ import annotations

import logging

import pytest

from bot.redaction import protect_logs
from bot.telegram import updates
from tests.fakes.telegram_api import FakeTelegram, User
from tests.support.telegram_harness import WEBHOOK_SECRET, link, running_bot

FOCAL = User(3101, "Mai", language_code="vi")
STRANGER = User(3102, "Trần Thị Bí Mật", language_code="vi")
CODE = "K7QX2PMA"
GOOD_CODE = "ZX9QK2WM"
HELP = "Các lệnh anh/chị có thể dùng:"


def poison(fake: FakeTelegram) -> dict:  # type: ignore[type-arg]
    """A message whose date is not a number: python-telegram-bot cannot read it."""
    update = fake.message_update(STRANGER, f"/start {CODE}")
    update["message"]["date"] = "hôm qua"
    return update


@pytest.fixture(autouse=True)
def fresh_record(monkeypatch: pytest.MonkeyPatch) -> updates.SkippedUpdates:
    record = updates.SkippedUpdates()
    monkeypatch.setattr(updates, "SKIPPED", record)
    monkeypatch.setattr(updates.readable, "__defaults__", (record,))
    monkeypatch.setattr(updates.read_posted, "__defaults__", (record,))
    return record


def verbose_logs(caplog: pytest.LogCaptureFixture) -> None:
    """Every logger at DEBUG, through the filter `phoihop run` puts on every log handler."""
    protect_logs([], [caplog.handler])
    caplog.set_level(logging.DEBUG)


def logged(caplog: pytest.LogCaptureFixture) -> str:
    """What the handler wrote (its filters applied), not every record it was offered."""
    return caplog.text


def assert_no_contents(caplog: pytest.LogCaptureFixture) -> None:
    text = logged(caplog)
    assert "Getting updates" in text or "Webhook" in text or "Application" in text, "the log was at DEBUG"
    for needle in (CODE, STRANGER.first_name, "hôm qua", GOOD_CODE):
        assert needle not in text, needle


async def test_a_poison_update_between_good_ones_is_skipped_alone(engine, db, clock, caplog, fresh_record) -> None:  # type: ignore[no-untyped-def]
    verbose_logs(caplog)
    link(db, "syt-specialist", FOCAL, clock())
    async with FakeTelegram() as fake, running_bot(engine, fake) as bot:
        before = fake.message_update(FOCAL, f"/start {GOOD_CODE}")
        bad, after = poison(fake), fake.message_update(FOCAL, "/help")
        mark = len(fake.sent)
        for update in (before, bad, after):
            fake.push(update)
        await bot.handled_times(after["update_id"])
        answers = [m.text.splitlines()[0] for m in fake.sent[mark:]]
        assert len(answers) == 3 and answers[1:] == [HELP, HELP], "before (already a member, then help) and after"
        last_bad = poison(fake)
        fake.push(last_bad)
        for _ in range(3):
            fake.push(poison(fake))
        for _ in range(2):
            assert [m.text.splitlines()[0] for m in await bot.say(FOCAL, "/help")] == [HELP]
        assert fresh_record.recorded[0] == (bad["update_id"], "TypeError") and len(fresh_record.recorded) == 5
        assert max(int(c.params.get("offset") or 0) for c in fake.calls_to("getUpdates")) > last_bad["update_id"]
    skipped = [r for r in caplog.records if r.name == updates.log.name]
    assert not [r for r in caplog.records if r.name.startswith("telegram") and r.levelno >= logging.ERROR]
    assert len(skipped) == 1 and str(bad["update_id"]) in skipped[0].getMessage()
    assert_no_contents(caplog)


async def test_a_poison_update_on_the_webhook_is_skipped(engine, db, clock, caplog, fresh_record) -> None:  # type: ignore[no-untyped-def]
    verbose_logs(caplog)
    link(db, "syt-specialist", FOCAL, clock())
    async with FakeTelegram() as fake, running_bot(engine, fake, webhook=True) as bot:
        bad = poison(fake)
        assert await bot.post(bad, WEBHOOK_SECRET) == 200
        assert await bot.post(["not", "an", "update"], WEBHOOK_SECRET) == 400
        assert [m.text.splitlines()[0] for m in await bot.say(FOCAL, "/help")] == [HELP]
        assert fresh_record.recorded[0] == (bad["update_id"], "TypeError")
    assert_no_contents(caplog)

"""The fake Bot API itself, as the benchmark relies on it: rate limits that answer 429 with
retry_after and count them, duplicate counting, getUpdates offsets and redelivery, files."""

from __future__ import annotations

import pytest
from telegram import Bot
from telegram.error import InvalidToken, RetryAfter

from tests.fakes.telegram_api import FakeTelegram, Limits, RateLimiter, User

pytestmark = pytest.mark.filterwarnings("ignore:.*attribute `retry_after`:DeprecationWarning")


class Ticks:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_the_limits_per_second_per_chat_and_per_group() -> None:
    ticks = Ticks()
    limiter = RateLimiter(Limits(global_per_second=3, chat_per_second=1, group_per_minute=20), ticks)
    assert [limiter.admit(chat) for chat in (1, 2, 1)] == [None, None, 1]
    assert limiter.admit(3) is None
    assert limiter.admit(4) == 1
    ticks.now += 1.0
    assert limiter.admit(1) is None
    ticks.now += 1.0
    groups = RateLimiter(Limits(group_per_minute=20), ticks)
    assert all(groups.admit(-100) is None for _ in range(20))
    assert groups.admit(-100) == 60 and groups.admit(-200) is None
    ticks.now += 30
    assert groups.admit(-100) == 30
    assert RateLimiter(Limits(), ticks).admit(1) is None


async def test_rate_limits_answer_429_and_are_counted() -> None:
    async with FakeTelegram(limits=Limits(chat_per_second=1)) as fake, Bot(fake.token, base_url=fake.api_url) as bot:
        await bot.send_message(chat_id=10, text="nhắc hạn")
        with pytest.raises(RetryAfter) as raised:
            await bot.send_message(chat_id=10, text="nhắc hạn")
        await bot.send_message(chat_id=11, text="nhắc hạn")
        await bot.send_message(chat_id=11 + 1, text="khác")
    assert raised.value.retry_after == 1
    assert fake.too_many_requests == 1
    assert [(m.chat_id, m.text) for m in fake.sent] == [(10, "nhắc hạn"), (11, "nhắc hạn"), (12, "khác")]
    assert fake.duplicates() == 0


async def test_duplicates_offsets_redelivery_and_files() -> None:
    user = User(5, "An")
    async with FakeTelegram() as fake, Bot(fake.token, base_url=fake.api_url, base_file_url=fake.file_url) as bot:
        for _ in range(3):
            await bot.send_message(chat_id=7, text="cùng một tin")
        assert fake.duplicates() == 2
        first, second = fake.says(user, "/help"), fake.says(user, "/due")
        assert [u.update_id for u in await bot.get_updates(offset=0)] == [first, second]
        assert [u.update_id for u in await bot.get_updates(offset=second)] == [second]
        fake.push(fake.message_update(user, "/help") | {"update_id": first}, redeliver=True)
        assert [u.update_id for u in await bot.get_updates(offset=second + 1)] == [first]
        assert await bot.get_updates(offset=second + 1) == ()
        message = await bot.send_document(chat_id=7, document=b"%PDF-1.4 bien ban", filename="bien-ban.pdf")
        assert message.document is not None
        file = await bot.get_file(message.document.file_id)
        assert bytes(await file.download_as_bytearray()) == b"%PDF-1.4 bien ban"
    async with FakeTelegram() as fake:
        with pytest.raises(InvalidToken):
            await Bot("1:not-the-token", base_url=fake.api_url).get_me()
    assert [(call.method, call.status) for call in fake.calls] == [("getMe", 401)]

"""python-telegram-bot's requests on aiohttp (`bot/telegram/http.py`): JSON bodies and
multipart uploads reach the Bot API as python-telegram-bot's own would, a read that takes
too long is `TimedOut`, a server gone is a `NetworkError` without the token."""

from __future__ import annotations

import pytest
from telegram import InputFile
from telegram.error import NetworkError, TimedOut
from telegram.request import RequestData
from telegram.request._requestparameter import RequestParameter

from bot.channels.delivery import Transient
from bot.telegram.http import AiohttpRequest
from bot.telegram.outgoing import TelegramSender, call, keyboard
from bot.telegram.updates import reading_bot
from handlers.types import Button, Reply
from tests.fakes.telegram_api import FakeTelegram

CHAT = 4343


async def test_json_bodies_and_uploads_reach_the_bot_api() -> None:
    markup = keyboard(Reply("Chọn", ((Button("Hội thảo", "abcd:t:HT"),),)))
    async with FakeTelegram() as fake, reading_bot(fake.token, fake.api_url, fake.file_url) as bot:
        answer = await call(bot, "sendMessage", chat_id=str(CHAT), text="Chọn loại hoạt động", reply_markup=markup)
        await bot.send_document(chat_id=CHAT, document=InputFile(b"PK\x03\x04 docx", filename="bao-cao.docx"), caption="Báo cáo")
    text, document = fake.sent_to(CHAT)
    assert answer["message_id"] == text.message_id and (text.text, text.labels()) == ("Chọn loại hoạt động", [["Hội thảo"]])
    assert (document.filename, document.content, document.text) == ("bao-cao.docx", b"PK\x03\x04 docx", "Báo cáo")


async def test_a_slow_answer_times_out() -> None:
    request = AiohttpRequest(1)
    await request.initialize()
    try:
        async with FakeTelegram(hold=0.5) as fake:
            waiting = RequestData([RequestParameter.from_input("timeout", 5)])
            with pytest.raises(TimedOut):
                await request.post(f"{fake.api_url}{fake.token}/getUpdates", waiting, read_timeout=0.05)
    finally:
        await request.shutdown()


async def test_a_server_gone_is_a_network_error_without_the_token() -> None:
    async with FakeTelegram() as fake:
        bot = reading_bot(fake.token, fake.api_url, fake.file_url)
        await bot.initialize()
        await fake.stop()
        with pytest.raises(NetworkError) as raised:
            await call(bot, "sendMessage", chat_id=str(CHAT), text="Nhắc hạn")
        assert fake.token not in str(raised.value)
        with pytest.raises(Transient):
            await TelegramSender(bot).send_text(str(CHAT), "Nhắc hạn")
        await bot.shutdown()

"""Fewer messages on Telegram (issue 15, point 5): a form lives in one message edited step by
step — a press costs one answerCallbackQuery and one edit, a tick edits the keyboard instead
of sending it again, a new message comes only when the person typed; a chart's caption is
not sent again as a text, and /status is one message plus its two charts."""

from __future__ import annotations

from tests.fakes.telegram_api import FakeTelegram, Sent, User
from tests.support.harness import only
from tests.support.telegram_harness import RunningBot, link, running_bot

FOCAL = User(7101, "Lan", "Đỗ Thị", language_code="en")
ADMIN = User(7102, "Hà", "Trần Thị Thu", language_code="en")
QUIET = frozenset({"getUpdates", "sendChatAction", "getMe", "setMyCommands", "deleteMyCommands", "getMyCommands", "deleteWebhook"})


def api_calls(fake: FakeTelegram, since: int) -> list[str]:
    """The Bot API methods called since `since`, without polling and chat actions."""
    return [call.method for call in fake.calls[since:] if call.method not in QUIET]


async def press(bot: RunningBot, message: Sent, label: str) -> tuple[Sent, list[str]]:
    mark = len(bot.fake.calls)
    answer = only(await bot.press(FOCAL, message, label), FOCAL.id)
    return answer, api_calls(bot.fake, mark)


async def say(bot: RunningBot, text: str) -> tuple[Sent, list[str]]:
    mark = len(bot.fake.calls)
    answer = only(await bot.say(FOCAL, text), FOCAL.id)
    return answer, api_calls(bot.fake, mark)


PRESS = ["answerCallbackQuery", "editMessageText"]


async def test_a_form_is_one_message_edited_press_by_press(engine, db, clock) -> None:  # type: ignore[no-untyped-def]
    link(db, "syt-specialist", FOCAL, clock())
    async with FakeTelegram() as fake, running_bot(engine, fake) as bot:
        types, calls = await say(bot, "/register")
        assert calls == ["sendMessage"]
        title, calls = await press(bot, types, "Hội thảo khoa học")
        assert calls == PRESS and title.message_id == types.message_id and title.text.startswith("Bước 2/7.")
        assert title.labels() == [["◀ Quay lại", "✖ Hủy"]]

        _, calls = await say(bot, "Hội thảo chuyển đổi số trong y tế cơ sở")
        assert calls == ["sendMessage"]
        await say(bot, "10/12/2026")
        partners, calls = await say(bot, "Hội trường Sở Y tế")
        assert calls == ["sendMessage"] and partners.text.startswith("Bước 5/7.")

        assert partners.labels()[0] == ["✓ Liên hiệp các Hội Khoa học và Kỹ thuật tỉnh Lào Cai (LHH)"]  # pre-ticked
        ticked, calls = await press(bot, partners, "Sở Tài chính")
        assert calls == PRESS and ticked.message_id == partners.message_id
        assert "✓ Sở Tài chính (STC)" in [label for row in ticked.labels() for label in row]
        turned, calls = await press(bot, ticked, "Trang sau")
        assert calls == PRESS and turned.message_id == partners.message_id and turned.labels() != ticked.labels()
        asked, calls = await press(bot, turned, "Xong")
        assert calls == PRESS and asked.text.startswith("Bước 6/7.")
        confirm, calls = await press(bot, asked, "Bỏ qua")
        assert calls == PRESS and confirm.text.startswith("Bước 7/7.")
        saved, calls = await press(bot, confirm, "Lưu")
        assert calls == PRESS and saved.text.startswith("Đã lưu hoạt động số") and saved.reply_markup is None
        assert saved.message_id == partners.message_id
        assert len(fake.calls_to("sendMessage")) == 4 and len(fake.calls_to("editMessageText")) == 6


async def test_a_press_that_changes_nothing_costs_no_new_message(engine, db, clock) -> None:  # type: ignore[no-untyped-def]
    """A stale keyboard pressed again edits to the same words: Telegram refuses the edit
    ('not modified') and nothing else is sent."""
    link(db, "syt-specialist", FOCAL, clock())
    async with FakeTelegram() as fake, running_bot(engine, fake) as bot:
        types, _ = await say(bot, "/register")
        title, _ = await press(bot, types, "Tập huấn kỹ thuật")
        again, calls = await press(bot, types, "Hội thảo khoa học")
        assert calls[0] == "answerCallbackQuery" and "sendMessage" not in calls[:2], calls
        assert again.message_id == types.message_id and again.text != title.text


async def test_status_is_one_message_and_its_charts_without_repeated_captions(engine, db, clock) -> None:  # type: ignore[no-untyped-def]
    link(db, "lhh-admin", ADMIN, clock())
    async with FakeTelegram() as fake, running_bot(engine, fake) as bot:
        mark = len(fake.calls)
        shown = await bot.say(ADMIN, "/status")
        assert [m.filename for m in shown] == [None, "tien-do.png", "hoat-dong.png"]
        assert api_calls(fake, mark) == ["sendMessage", "sendPhoto", "sendPhoto"]
        assert shown[1].text and shown[1].text not in {m.text for m in fake.sent if m.content is None}

"""Updates of different chats are handled at the same time, those of one chat in the order
they came: in the update processor itself, and end to end when a whole batch arrives in one
getUpdates."""

from __future__ import annotations

import asyncio

from telegram import Update

from bot.telegram.ordering import PerChatOrder
from tests.fakes.telegram_api import FakeTelegram, User
from tests.support.telegram_harness import link, running_bot

MAI = User(3101, "Mai", language_code="vi")
HUNG = User(3102, "Hùng", language_code="vi")


async def test_one_chat_waits_its_turn_and_other_chats_go_ahead() -> None:
    fake = FakeTelegram()
    plan = [(MAI, 0.06), (HUNG, 0.0), (MAI, 0.0), (HUNG, 0.03), (MAI, 0.01)]
    updates = [Update.de_json(fake.message_update(user, f"#{n}"), None) for n, (user, _) in enumerate(plan)]
    events: list[tuple[str, int]] = []

    async def work(number: int, pause: float) -> None:
        events.append(("start", number))
        await asyncio.sleep(pause)
        events.append(("end", number))

    processor = PerChatOrder(concurrent=4)
    tasks = [asyncio.create_task(processor.process_update(u, work(n, pause))) for n, (u, (_, pause)) in enumerate(zip(updates, plan))]
    await asyncio.gather(*tasks)

    for chat in ({0, 2, 4}, {1, 3}):
        mine = [(kind, number) for kind, number in events if number in chat]
        assert mine == [(kind, number) for number in sorted(chat) for kind in ("start", "end")], events
    assert events.index(("start", 1)) < events.index(("end", 0))
    assert processor.chats_waiting == 0


async def test_a_batch_from_two_people_is_answered_in_each_ones_order(engine, db, clock) -> None:  # type: ignore[no-untyped-def]
    link(db, "syt-specialist", MAI, clock())
    link(db, "snnptnt-leader", HUNG, clock())
    said = {MAI: ["/due", "/help", "/activities", "/cancel"], HUNG: ["/activities", "/due", "/help"]}
    async with FakeTelegram() as fake, running_bot(engine, fake) as bot:
        alone = {user: [(await bot.say(user, text))[0].text for text in texts] for user, texts in said.items()}
        fake.sent.clear()
        pushed = [
            fake.says(user, text) for number in range(4) for user, texts in said.items() if number < len(texts) for text in [texts[number]]
        ]
        for update_id in pushed:
            await bot.handled_times(update_id)
    for user in said:
        assert [message.text for message in fake.sent_to(user.id)] == alone[user]


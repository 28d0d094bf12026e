"""The base every channel is built on (`bot/channels/`): replies as plain text for channels
without buttons, one chat's updates in turn while other chats go ahead, the delivery loop
(a chat that answers 403 is reported once and not tried again), chat events through the
engine's unit of work, once per update, and the command line's view of each channel."""

from __future__ import annotations

import asyncio
from datetime import datetime
from types import SimpleNamespace

from sqlmodel import select

from bot.channels.adapter import ChannelAdapter
from bot.channels.delivery import Transient, Unreachable
from bot.channels.ordering import ChatTurns
from bot.cli import parser
from bot.console import render as console_render
from bot.runner import CHANNELS
from bot.settings import Settings
from bot.telegram.setup import TELEGRAM
from bot.zalo.outgoing import render as zalo_render
from bot.zalo.setup import ZALO
from handlers.chat_events import BotAdded, ChatEvent, ChatGone
from handlers.engine import ConversationEngine
from handlers.types import Button, Document, Incoming, Reply
from models.db.engine import session_scope
from models.outbox.tables import GroupChat, OutboxMessage
from tests.conftest import local

CHOICES = (Button("Lưu", "save"), Button("Sửa", "edit")), (Button("✖ Hủy", "cancel"),)


def test_buttons_become_numbered_choices_and_how_to_answer() -> None:
    reply = Reply("Xác nhận?", buttons=CHOICES)
    assert zalo_render(reply, "vi") == (
        "Xác nhận?\n\n1. Lưu\n2. Sửa\n3. ✖ Hủy\nTrả lời 1, 2 hoặc 3 (hoặc gõ tên lựa chọn, có dấu hay không dấu đều được)."
    )
    assert console_render(reply, "vi") == "Xác nhận?\n  1. Lưu\n  2. Sửa\n  3. ✖ Hủy\n(Trả lời bằng số từ 1 đến 3)"
    assert console_render(reply, "en").endswith("(Answer with a number from 1 to 3)")


def test_a_typed_answer_lists_its_buttons_as_words_and_a_document_is_named() -> None:
    typed = Reply("Số người tham dự:", buttons=((Button("Bỏ qua", "skip"),),), expects_text=True)
    assert zalo_render(typed, "vi") == "Số người tham dự:\n\n(Gõ câu trả lời, hoặc một trong các lựa chọn: Bỏ qua)"
    assert console_render(typed, "vi") == "Số người tham dự:\n(Gõ câu trả lời, hoặc: Bỏ qua)"
    report = Reply("Báo cáo", document=Document("bao-cao.docx", b"x" * 2048, "application/msword"))
    assert console_render(report, "vi") == "Báo cáo\n[Tệp đính kèm: bao-cao.docx, 2.048 byte]"
    assert zalo_render(report, "vi").startswith("Báo cáo\n\n📄 Tệp «bao-cao.docx» (2 KB)")
    assert zalo_render(Reply("Chỉ chữ"), "vi") == console_render(Reply("Chỉ chữ"), "vi") == "Chỉ chữ"


async def test_one_chat_waits_its_turn_and_other_chats_go_ahead() -> None:
    turns, events = ChatTurns(), []

    async def update(chat: str, number: int, pause: float) -> None:
        async with turns.turn(chat):
            events.append(("start", number))
            await asyncio.sleep(pause)
            events.append(("end", number))

    plan = [("mai", 0.05), ("hung", 0.0), ("mai", 0.0), ("hung", 0.02), ("mai", 0.01)]
    await asyncio.gather(*(update(chat, number, pause) for number, (chat, pause) in enumerate(plan)))
    for mine in ({0, 2, 4}, {1, 3}):
        assert [event for event in events if event[1] in mine] == [(kind, n) for n in sorted(mine) for kind in ("start", "end")]
    assert events.index(("start", 1)) < events.index(("end", 0))
    assert turns.chats_waiting == 0


class StubEngine:
    """What the base asks of the engine, with the chat events recorded."""

    db = SimpleNamespace(dialect=SimpleNamespace(name="sqlite"))

    def __init__(self) -> None:
        self.events: list[ChatEvent] = []

    def clock(self) -> datetime:
        return local(2027, 6, 4)

    def handle(self, incoming: Incoming) -> list[Reply]:
        return [Reply(f"re: {incoming.text}"), Reply("to the group", chat_ref="group"), Reply("again", chat_ref="group")]

    def chat_event(self, event: ChatEvent) -> list[Reply]:
        self.events.append(event)
        return []


class RecordingChannel(ChannelAdapter):
    """A channel made of the two methods a channel writes; 'group' answers 403, 'flaky' 5xx."""

    channel = "test"

    def __init__(self, engine: StubEngine) -> None:
        super().__init__(engine)  # type: ignore[arg-type]
        self.sent: list[tuple[str, str]] = []

    async def send_reply(self, chat_ref: str, reply: Reply) -> None:
        if chat_ref == "group":
            raise Unreachable("blocked")
        if chat_ref == "flaky":
            raise Transient("502")
        self.sent.append((chat_ref, reply.text))

    async def show_working(self, incoming: Incoming) -> None:
        """Never asked: the stub engine answers at once."""


async def test_a_chat_that_answers_403_is_reported_once_and_the_others_still_get_theirs() -> None:
    engine = StubEngine()
    channel = RecordingChannel(engine)
    try:
        await channel.converse(Incoming(channel="test", user_ref="u1", chat_ref="u1", text="hi"))
        await channel.deliver("u1", [Reply("a", chat_ref="flaky"), Reply("b", chat_ref="flaky"), Reply("c")])
    finally:
        channel.close()
    assert channel.sent == [("u1", "re: hi"), ("u1", "c")]
    assert engine.events == [ChatGone("test", "group")]


def test_a_chat_event_is_handled_once_per_update(engine: ConversationEngine, db, loaded, clock) -> None:  # type: ignore[no-untyped-def]
    added = BotAdded("telegram", "-100777", update_ref="41")
    (hello,) = engine.chat_event(added)
    assert hello.text.startswith("Xin chào! Tôi là trợ lý điều phối") and hello.chat_ref is None
    assert engine.chat_event(added) == []
    with session_scope(db) as session:
        session.add(GroupChat(programme_id=loaded, channel="telegram", chat_ref="-100777", bound_at=clock()))
    engine.chat_event(ChatGone("telegram", "-100777", update_ref="42"))
    engine.chat_event(ChatGone("telegram", "-100777", update_ref="42"))
    with session_scope(db) as session:
        group = session.exec(select(GroupChat).where(GroupChat.chat_ref == "-100777")).one()
        assert not group.active and group.deactivated_at is not None


def test_the_command_line_knows_each_channel_through_its_setup() -> None:
    settings = Settings(_env_file=None, ZALO_WEBHOOK_PORT="9001")  # type: ignore[call-arg]
    assert [(setup.channel, setup.webhook_option) for setup in CHANNELS] == [("telegram", "--webhook"), ("zalo", "--zalo-webhook")]
    assert (
        TELEGRAM.ready_line(settings, "PhoiHopTestBot", None)
        == "Bot Telegram @PhoiHopTestBot đang chạy (long polling). Nhấn Ctrl+C để dừng."
    )
    assert ZALO.ready_line(settings, "Bot Phối hợp", "https://bot.example.vn/zalo") == (
        "Bot Zalo Bot Phối hợp đang chạy (webhook https://bot.example.vn/zalo, nghe tại 127.0.0.1:9001). Nhấn Ctrl+C để dừng."
    )
    args = parser().parse_args(["run", "--webhook", "https://bot.example.vn/tg"])
    assert {setup.channel: getattr(args, setup.webhook_dest) for setup in CHANNELS} == {
        "telegram": "https://bot.example.vn/tg",
        "zalo": None,
    }


def test_blocking_and_unblocking_over_and_over_tells_the_office_once_a_day(engine, db, clock, chat) -> None:  # type: ignore[no-untyped-def]
    person = chat("syt-specialist")

    def office_notices() -> int:
        with session_scope(db) as session:
            rows = session.exec(select(OutboxMessage).where(OutboxMessage.key.startswith("unreachable:"))).all()  # type: ignore[attr-defined]
            return len(rows)

    clock.moment = local(2026, 11, 24, 23, 50)
    for cycle in range(4):
        engine.chat_event(ChatGone("console", "syt-specialist", update_ref=f"gone-{cycle}"))
        clock.advance(minutes=1)
        person.send("/help")
        assert person.text.startswith("Các lệnh anh/chị có thể dùng:")
        clock.advance(minutes=1)
    assert office_notices() == 2, "one notice to each of the two admins on 24/11"
    clock.advance(minutes=5)
    engine.chat_event(ChatGone("console", "syt-specialist", update_ref="gone-next-day"))
    assert office_notices() == 4, "and again on 25/11 (local day, not UTC)"

"""Sending on Zalo: buttons rendered as numbered choices, long texts split at 2,000,
documents as a text summary, the API's errors mapped for the outbox sender, and the
sender's pace on Zalo taken from the settings."""

from __future__ import annotations

import asyncio
from collections import defaultdict

import pytest
from sqlmodel import select

from bot.channels.delivery import Rejected, RetryLater, Transient
from bot.sender import OutboxSender
from bot.settings import Settings
from bot.splitting import utf16_length
from bot.zalo.client import DEFAULT_RETRY_AFTER, ZaloClient
from bot.zalo.outgoing import MESSAGE_LIMIT, ZaloSender, render, split_message
from bot.zalo.setup import ZALO
from handlers.types import Button, Document, Reply
from locales.catalogue import t
from models.db.engine import session_scope
from models.outbox.notify import enqueue
from models.outbox.tables import OutboxMessage, OutboxStatus
from models.people.tables import ChannelIdentity
from tests.conftest import local
from tests.fakes.zalo_api import FakeZalo, User
from tests.support.fake_channel import FakeChannel
from tests.support.fake_time import FakeTime
from tests.support.harness import free_port
from tests.support.zalo_harness import link_zalo

CHAT = "6ede9afa66b88fe6d6a9"


def buttons(*labels: str) -> tuple[tuple[Button, ...], ...]:
    return tuple((Button(label, f"n:{label}"),) for label in labels)


def test_buttons_become_numbered_choices() -> None:
    one = Reply("Xác nhận?", buttons("Lưu"))
    assert render(one, "vi") == "Xác nhận?\n\n1. Lưu\nTrả lời 1 (hoặc gõ tên lựa chọn, có dấu hay không dấu đều được)."
    three = Reply("Chọn:", ((Button("Có", "y"), Button("Không", "n")), (Button("Hủy", "c"),)))
    assert render(three, "en") == "Chọn:\n\n1. Có\n2. Không\n3. Hủy\nReply 1, 2 or 3 (or type the choice's name, with or without accents)."
    many = Reply("Loại:", buttons(*(f"Loại {n}" for n in range(1, 7))))
    assert render(many, "vi").endswith("\n6. Loại 6\nTrả lời một số từ 1 đến 6 (hoặc gõ tên lựa chọn, có dấu hay không dấu đều được).")
    typed = Reply("Số người tham dự:", buttons("Bỏ qua", "◀ Quay lại"), expects_text=True)
    assert render(typed, "vi") == "Số người tham dự:\n\n(Gõ câu trả lời, hoặc một trong các lựa chọn: Bỏ qua · ◀ Quay lại)"
    assert render(Reply("Xin chào"), "vi") == "Xin chào"


def test_a_document_becomes_a_text_summary() -> None:
    docx = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    report = Document("bao-cao-6-thang-2027.docx", b"x" * 35_840, docx, "Báo cáo 6 tháng")
    text = render(Reply("Báo cáo đã sẵn sàng.", document=report), "vi")
    assert text.startswith("Báo cáo đã sẵn sàng.\n\nBáo cáo 6 tháng\n📄 Tệp «bao-cao-6-thang-2027.docx» (35 KB) không gửi được qua Zalo")
    assert "/link" in text
    chart = Document("bieu-do.png", b"x" * 1536, "image/png")
    assert render(Reply("", document=chart), "en").startswith("📄 The file «bieu-do.png» (1.5 KB) cannot be sent on Zalo")


def test_long_texts_are_split_within_2000_characters() -> None:
    lines = [f"{n:03d}. Hội thảo khoa học 🎓 về chuyển đổi số trong nông nghiệp" for n in range(120)]
    text = "\n".join(lines)
    pieces = split_message(text)
    assert len(pieces) > 2 and all(utf16_length(piece) <= MESSAGE_LIMIT for piece in pieces)
    assert "\n".join(pieces) == text
    assert split_message("x" * 4500) == ["x" * 2000, "x" * 2000, "x" * 500]


async def test_the_sender_splits_and_maps_the_api_errors() -> None:
    async with FakeZalo() as fake, ZaloClient(fake.token, fake.url) as client:
        sender = ZaloSender(client)
        assert sender.channel == "zalo"
        first = await sender.send_text(CHAT, "Nhắc hạn báo cáo")
        assert first == fake.sent_to(CHAT)[-1].message_id
        last = await sender.send_text(CHAT, "\n".join(f"Dòng {n}: " + "chữ " * 40 for n in range(30)))
        assert len(fake.sent_to(CHAT)) == 4 and last == fake.sent_to(CHAT)[-1].message_id
        assert all(len(message.text) <= 2000 for message in fake.sent)

        cases = [
            (429, "Quota exceeded", 7, RetryLater),
            (429, "Quota exceeded", None, RetryLater),
            (502, "Bad Gateway", None, Transient),
            (408, "Request timeout", None, Transient),
            (403, "Internal server error", None, Transient),
            (400, "Bad request", None, Rejected),
            (404, "Not found", None, Rejected),
        ]
        for status, description, retry_after, expected in cases:
            fake.fail("sendMessage", status, description, retry_after=retry_after)
            with pytest.raises(expected) as raised:
                await sender.send_text(CHAT, "Nhắc hạn báo cáo")
            if expected is RetryLater:
                assert raised.value.seconds == (retry_after or DEFAULT_RETRY_AFTER)
        with pytest.raises(Rejected):
            await sender.send_text(CHAT, "   ")
    async with ZaloClient("1:x", f"http://127.0.0.1:{free_port()}") as nowhere:
        with pytest.raises(Transient) as raised:
            await ZaloSender(nowhere).send_text(CHAT, "Nhắc hạn")
        assert "1:x" not in str(raised.value)


async def test_the_outbox_sender_waits_out_quota_and_retries_a_403(db, loaded, clock) -> None:  # type: ignore[no-untyped-def]
    blocked = "b10c4ed0b10c4ed0b10c"
    link_zalo(db, "syt-specialist", User(blocked, "Mai"), clock())
    time = FakeTime(local(2027, 6, 4, 8))
    with session_scope(db) as session:
        enqueue(session, "test:quota", "zalo", CHAT, "Nhắc hạn báo cáo", time.wall())
        enqueue(session, "test:blocked", "zalo", blocked, "Nhắc hạn báo cáo", time.wall())
    async with FakeZalo() as fake, ZaloClient(fake.token, fake.url) as client:
        fake.fail("sendMessage", 429, "Quota exceeded", chat_id=CHAT, retry_after=20)
        fake.fail("sendMessage", 403, "Internal server error", times=2, chat_id=blocked)
        sender = OutboxSender(db, {"zalo": ZaloSender(client)}, time.wall, sleep=time.sleep, monotonic=time.monotonic)
        await sender.drain()
        assert fake.sent == []
        time.advance(21)
        await sender.drain()
        assert [message.chat_id for message in fake.sent] == [CHAT]
        time.advance(5)
        await sender.drain()
        assert [message.chat_id for message in fake.sent] == [CHAT, blocked]
    with session_scope(db) as session:
        rows = {row.key: row for row in session.exec(select(OutboxMessage).where(OutboxMessage.key.startswith("test:")))}
        identity = session.exec(select(ChannelIdentity).where(ChannelIdentity.channel == "zalo")).one()
    assert rows["test:quota"].status is OutboxStatus.SENT and rows["test:quota"].attempts == 2
    assert rows["test:blocked"].status is OutboxStatus.SENT and rows["test:blocked"].attempts == 3 and identity.active


def test_the_pace_on_zalo_comes_from_the_settings(db) -> None:  # type: ignore[no-untyped-def]
    limits = ZALO.limits(Settings(_env_file=None, ZALO_RATE_PER_SECOND="4"))  # type: ignore[call-arg]
    assert (limits.per_second, limits.per_chat_per_second, limits.per_group_per_minute) == (4, 1, 10)
    assert ZALO.limits(Settings(_env_file=None)).per_second == 5  # type: ignore[call-arg]
    time = FakeTime(local(2027, 6, 4, 8))
    with session_scope(db) as session:
        for number in range(60):
            enqueue(session, f"pace:{number}", "zalo", f"chat-{number % 12}", f"message {number}", time.wall())
    channel = FakeChannel("zalo", time)
    sender = OutboxSender(db, {"zalo": channel}, time.wall, {"zalo": limits}, sleep=time.sleep, monotonic=time.monotonic)
    asyncio.run(sender.drain())
    moments = [delivery.at for delivery in channel.delivered]
    assert len(moments) == 60
    assert all(later - earlier >= 1 / 4 - 1e-9 for earlier, later in zip(moments, moments[1:], strict=False))
    per_chat: dict[str, list[float]] = defaultdict(list)
    for delivery in channel.delivered:
        per_chat[delivery.chat_ref].append(delivery.at)
    assert all(b - a >= 1 - 1e-9 for times in per_chat.values() for a, b in zip(times, times[1:], strict=False))


def test_a_chart_summary_says_its_caption_once() -> None:
    chart = Reply("Tiến độ nộp báo cáo", document=Document("tien-do.png", b"\x89PNG" * 300, "image/png", "Tiến độ nộp báo cáo"))
    assert render(chart, "vi").count("Tiến độ nộp báo cáo") == 1
    export = Reply("Báo cáo tổng hợp", document=Document("bao-cao.docx", b"x" * 2048, "application/x", "Báo cáo năm 2026 (Word)"))
    assert render(export, "vi").count("Báo cáo năm 2026 (Word)") == 1


def test_a_long_broadcast_keeps_its_header_with_the_body() -> None:
    body = " ".join(["Kính mời các cơ quan cử đại diện dự hội nghị tổng kết công tác phối hợp năm 2026."] * 40)
    text = t("outreach.broadcast_text", "vi", sender="Liên hiệp hội", text=body)
    pieces = split_message(text)
    assert len(pieces) == 2 and pieces[0].startswith("📣 Thông báo của Liên hiệp hội:\nKính mời")
    assert utf16_length(pieces[0]) > MESSAGE_LIMIT - 100
    assert " ".join(piece.replace("\n", " ") for piece in pieces).split() == text.split()


def test_no_piece_begins_or_ends_with_a_blank_line() -> None:
    paragraphs = "\n\n".join(f"Mục {n}. " + "nội dung " * 30 for n in range(40))
    pieces = split_message(paragraphs)
    assert len(pieces) > 2 and all(piece == piece.strip("\n") and "\n\n\n" not in piece for piece in pieces)

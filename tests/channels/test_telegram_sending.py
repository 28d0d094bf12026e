"""Sending on Telegram: long texts split at 4096 on line ends, inline keyboards on the last
piece, documents with the upload_document action, the outbox sender's error mapping, and
the command menus published per language and scope."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st
from telegram import Bot

from bot.channels.delivery import Rejected, RetryLater, Transient, Unreachable
from bot.splitting import split_text, utf16_length
from bot.telegram.adapter import chat_action
from bot.telegram.incoming import addressed_to
from bot.telegram.outgoing import TelegramSender, keyboard, send_reply
from handlers.conversations import WIRING
from handlers.types import Button, Document, Incoming, Reply
from models.db.engine import session_scope
from models.people.tables import Person
from tests.fakes.telegram_api import FakeTelegram, User
from tests.support.telegram_harness import link, running_bot

pytestmark = pytest.mark.filterwarnings("ignore:.*attribute `retry_after`:DeprecationWarning")

CHAT = 4242


def line(number: int) -> str:
    return f"{number:04d} " + "Báo cáo kết quả phối hợp 🙂 " * 3


@given(st.text(alphabet=st.sampled_from("ab c\nđ🙂"), max_size=400), st.integers(min_value=3, max_value=40))
def test_split_keeps_every_character_and_respects_the_limit(text: str, limit: int) -> None:
    pieces = split_text(text, limit, utf16_length)
    assert all(utf16_length(piece) <= limit for piece in pieces)
    assert "".join("".join(pieces).split()) == "".join(text.split())


def test_split_cuts_at_line_ends_and_long_lines_at_spaces() -> None:
    text = "\n".join(line(n) for n in range(300))
    pieces = split_text(text, 4096, utf16_length)
    assert len(pieces) > 1 and "\n".join(pieces) == text
    assert all(piece.startswith(line(int(piece[:4]))) for piece in pieces)
    assert split_text("mot hai ba bon nam", 8) == ["mot hai", "ba bon", "nam"]
    assert split_text("x" * 10, 4) == ["xxxx", "xxxx", "xx"]
    assert split_text("a\n\n\nb", 1) == ["a", "b"]
    assert utf16_length("🙂") == 2 and utf16_length("Đ") == 1


def test_groups_hear_only_commands_addressed_to_the_bot() -> None:
    assert addressed_to("/bind SYT", "PhoiHopBot")
    assert addressed_to("/bind@phoihopbot SYT", "PhoiHopBot")
    assert not addressed_to("/bind@OtherBot SYT", "PhoiHopBot")
    assert not addressed_to("chào cả nhóm", "PhoiHopBot")
    assert not addressed_to(None, "PhoiHopBot")


def test_callback_data_over_64_bytes_is_refused() -> None:
    assert keyboard(Reply("x")) is None
    with pytest.raises(ValueError, match="64 bytes"):
        keyboard(Reply("x", ((Button("Sở", "abcd:" + "đ" * 30),),)))


async def test_a_long_reply_is_split_with_the_keyboard_on_the_last_piece() -> None:
    text = "\n".join(line(n) for n in range(60))
    async with FakeTelegram() as fake, Bot(fake.token, base_url=fake.api_url) as bot:
        await send_reply(bot, str(CHAT), Reply(text, ((Button("Trang sau ▶", "abcd:pg:1"),),)))
    pieces = fake.sent_to(CHAT)
    assert len(pieces) == 2 and "\n".join(p.text for p in pieces) == text
    assert all(utf16_length(p.text) <= 4096 for p in pieces)
    assert [p.labels() for p in pieces] == [[], [["Trang sau ▶"]]]


async def test_a_document_goes_with_the_upload_action() -> None:
    document = Document(
        "bao-cao-6-thang.docx",
        b"PK\x03\x04 fake docx",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "Báo cáo",
    )
    async with FakeTelegram() as fake, Bot(fake.token, base_url=fake.api_url) as bot:
        await send_reply(bot, str(CHAT), Reply("Báo cáo đã sẵn sàng.", document=document))
    assert [call.method for call in fake.calls if call.method != "getMe"] == ["sendMessage", "sendChatAction", "sendDocument"]
    assert fake.calls_to("sendChatAction")[0].params["action"] == "upload_document"
    sent = fake.sent_to(CHAT)[-1]
    assert (sent.filename, sent.content, sent.text) == ("bao-cao-6-thang.docx", b"PK\x03\x04 fake docx", "Báo cáo")


async def test_a_chart_goes_as_a_photo() -> None:
    png = b"\x89PNG\r\n\x1a\n" + b"0" * 64
    async with FakeTelegram() as fake, Bot(fake.token, base_url=fake.api_url) as bot:
        await send_reply(bot, str(CHAT), Reply("Tiến độ", document=Document("tien-do.png", png, "image/png", "Tiến độ nộp báo cáo")))
    assert [call.method for call in fake.calls if call.method != "getMe"] == ["sendMessage", "sendChatAction", "sendPhoto"]
    assert fake.calls_to("sendChatAction")[0].params["action"] == "upload_photo"
    sent = fake.sent_to(CHAT)[-1]
    assert (sent.filename, sent.content, sent.text) == ("tien-do.png", png, "Tiến độ nộp báo cáo")


async def test_an_export_command_shows_upload_document_while_it_works() -> None:
    assert chat_action(Incoming("telegram", "1", "1", text="/export 2027-H1"), WIRING) == "upload_document"
    assert chat_action(Incoming("telegram", "1", "1", text="/status"), WIRING) == "typing"
    assert chat_action(Incoming("telegram", "1", "1", text="xin chào"), WIRING) == "typing"


async def test_the_outbox_sender_maps_telegram_errors() -> None:
    async with FakeTelegram() as fake, Bot(fake.token, base_url=fake.api_url) as bot:
        sender = TelegramSender(bot)
        assert sender.channel == "telegram"
        first = await sender.send_text(str(CHAT), "Nhắc hạn báo cáo")
        assert first == str(fake.sent_to(CHAT)[-1].message_id)
        long_id = await sender.send_text(str(CHAT), "\n".join(line(n) for n in range(60)))
        assert len(fake.sent_to(CHAT)) == 3 and long_id == str(fake.sent_to(CHAT)[-1].message_id)
        expected = [
            (429, "Too Many Requests: retry after 7", RetryLater),
            (403, "Forbidden: bot was blocked by the user", Unreachable),
            (400, "Bad Request: chat not found", Unreachable),
            (400, "Bad Request: message text is empty", Rejected),
            (502, "Bad Gateway", Transient),
            (500, "Internal Server Error", Transient),
        ]
        for status, description, error in expected:
            fake.fail("sendMessage", status, description, retry_after=7 if status == 429 else None)
            with pytest.raises(error) as raised:
                await sender.send_text(str(CHAT), "Nhắc hạn báo cáo")
            if error is RetryLater:
                assert raised.value.seconds == 7  # type: ignore[attr-defined]
        assert len(fake.calls_to("sendMessage")) == 3 + len(expected)
        await fake.stop()
        with pytest.raises(Transient):
            await sender.send_text(str(CHAT), "Nhắc hạn báo cáo")


async def test_menus_per_language_and_scope(engine, db, clock) -> None:  # type: ignore[no-untyped-def]
    admin, former_admin = User(1001, "Hà"), User(1002, "Vinh")
    link(db, "lhh-admin", admin, clock(), language="en")
    former = link(db, "lhh-admin2", former_admin, clock())
    with session_scope(db) as session:
        session.get(Person, former).active = False  # type: ignore[union-attr]
    async with FakeTelegram() as fake, running_bot(engine, fake):
        menus = {key: [(c["command"], c["description"]) for c in commands] for key, commands in fake.commands.items()}
    assert set(menus) == {("default", ""), ("default", "en"), ("all_group_chats", ""), ("all_group_chats", "en"), ("chat:1001", "")}
    default = [name for name, _ in menus[("default", "")]]
    assert default[:9] == ["start", "help", "lang", "link", "channel", "register", "activities", "activity", "attach"]
    assert "invite" not in default and "bind" not in default
    assert ("register", "đăng ký hoạt động phối hợp") in menus[("default", "")]
    assert ("register", "register a coordination activity") in menus[("default", "en")]
    assert [name for name, _ in menus[("all_group_chats", "")]] == ["help", "bind"]
    admin_menu = [name for name, _ in menus[("chat:1001", "")]]
    assert admin_menu[:8] == ["help", "lang", "link", "channel", "register", "activities", "activity", "attach"]
    assert admin_menu[-2:] == ["invite", "bind"]
    assert ("invite", "make an invite: /invite AGENCY ROLE") in menus[("chat:1001", "")]

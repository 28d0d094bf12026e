"""The first dialogue on the real python-telegram-bot application, against the fake Bot API:
an admin makes an invite (code and deep link), a newcomer joins by the deep link, consents,
registers an activity with inline buttons and lists it — in Vietnamese and in English."""

from __future__ import annotations

import re
import time

from sqlmodel import select

from models.db.engine import session_scope
from models.people.tables import ChannelIdentity, Person
from tests.fakes.telegram_api import FakeTelegram, Sent, User
from tests.support.harness import only
from tests.support.telegram_harness import link, running_bot

ADMIN = User(1001, "Hà", "Trần Thị Thu", language_code="vi")
NEWCOMER = User(5001, "Hằng", "Phan Thị", language_code="vi")
SIGNED = re.compile(r"^[a-z2-9]{4}:[a-z0-9:_-]+$")


def invite_code(message: Sent) -> str:
    match = re.search(r"Mã mời: ([A-Z2-9]{8})|Invite code: ([A-Z2-9]{8})", message.text)
    assert match, message.text
    return match.group(1) or match.group(2)


def assert_signed(message: Sent) -> None:
    for data in message.data():
        assert SIGNED.match(data) and len(data.encode()) <= 64, data


async def test_invite_join_register_and_list_in_vietnamese(engine, db, clock) -> None:  # type: ignore[no-untyped-def]
    link(db, "lhh-admin", ADMIN, clock())
    async with FakeTelegram() as fake, running_bot(engine, fake) as bot:
        invite = only(await bot.say(ADMIN, "/invite SCT specialist"), ADMIN.id)
        code = invite_code(invite)
        assert invite.text.endswith(
            f"/start {code}\nMã chỉ dùng được một lần.\n\n"
            f"Hoặc gửi đường dẫn Telegram này, người được mời chỉ cần mở để tham gia:\nhttps://t.me/PhoiHopTestBot?start={code}"
        )
        assert invite.reply_markup is None

        notice = only(await bot.say(NEWCOMER, f"/start {code}"), NEWCOMER.id)
        assert notice.text.startswith(
            "THÔNG BÁO XỬ LÝ DỮ LIỆU CÁ NHÂN\n\nAnh/chị được mời tham gia với vai trò chuyên viên đầu mối của Sở Công Thương."
        )
        assert notice.labels() == [["✅ Tôi đồng ý", "Không đồng ý"], ["English"], ["✖ Hủy"]]
        assert_signed(notice)

        ask_name = only(await bot.press(NEWCOMER, notice, "Tôi đồng ý"), NEWCOMER.id)
        assert ask_name.text == "Cảm ơn anh/chị. Xin cho biết họ và tên đầy đủ (ví dụ: Nguyễn Thị Hoa):"
        assert ask_name.labels() == [["◀ Quay lại", "✖ Hủy"]]
        edit = fake.calls_to("editMessageText")[-1].params
        assert (edit["chat_id"], edit["message_id"]) == (NEWCOMER.id, notice.message_id) == (ask_name.chat_id, ask_name.message_id)
        assert edit["text"] == ask_name.text
        assert len(fake.calls_to("answerCallbackQuery")) == 1

        welcome = await bot.say(NEWCOMER, "Phan Thị Hằng")
        assert [m.text.splitlines()[0] for m in welcome] == [
            "Chào mừng Phan Thị Hằng! Anh/chị đã tham gia với vai trò chuyên viên đầu mối của Sở Công Thương.",
            "Các lệnh anh/chị có thể dùng:",
        ]
        assert "/register — đăng ký hoạt động phối hợp" in welcome[1].text and "/invite" not in welcome[1].text

        types = only(await bot.say(NEWCOMER, "/register"), NEWCOMER.id)
        assert types.text == "Đăng ký hoạt động phối hợp (bước 1/7).\nChọn loại hoạt động:"
        assert types.labels()[1] == ["Hội thảo khoa học"] and types.labels()[-1] == ["✖ Hủy"]
        assert_signed(types)
        title = only(await bot.press(NEWCOMER, types, "Hội thảo khoa học"), NEWCOMER.id)
        assert title.text == "Bước 2/7. Nhập tên hoạt động (5–300 ký tự):"
        await bot.say(NEWCOMER, "Hội thảo ứng dụng thương mại điện tử cho hợp tác xã")
        await bot.say(NEWCOMER, "10/12/2026")
        partners = only(await bot.say(NEWCOMER, "Hội trường Sở Công Thương"), NEWCOMER.id)
        assert partners.text.startswith("Bước 5/7. Chọn các cơ quan phối hợp")
        assert partners.text.endswith("Đã chọn: Liên hiệp các Hội Khoa học và Kỹ thuật tỉnh Lào Cai")  # the LHH, pre-ticked
        assert partners.labels()[0] == ["✓ Liên hiệp các Hội Khoa học và Kỹ thuật tỉnh Lào Cai (LHH)"]
        assert partners.labels()[-3:] == [["Trang sau ▶"], ["✔ Xong"], ["◀ Quay lại", "✖ Hủy"]]
        participants = only(await bot.press(NEWCOMER, partners, "Xong"), NEWCOMER.id)
        assert participants.labels() == [["Bỏ qua"], ["◀ Quay lại", "✖ Hủy"]]
        confirm = only(await bot.say(NEWCOMER, "80"), NEWCOMER.id)
        assert confirm.text == (
            "Bước 7/7. Kiểm tra lại và chọn «Lưu»:\n\nLoại: Hội thảo khoa học\nTên: Hội thảo ứng dụng thương mại điện tử cho hợp tác xã\n"
            "Ngày: 10/12/2026\nĐịa điểm: Hội trường Sở Công Thương\n"
            "Cơ quan phối hợp: Liên hiệp các Hội Khoa học và Kỹ thuật tỉnh Lào Cai\nSố người tham dự: 80"
        )
        assert confirm.labels() == [["💾 Lưu"], ["◀ Quay lại", "✖ Hủy"]]
        saved = only(await bot.press(NEWCOMER, confirm, "Lưu"), NEWCOMER.id)
        number = re.match(r"Đã lưu hoạt động số (\d+)\.", saved.text)
        assert number and saved.reply_markup is None

        listing = only(await bot.say(NEWCOMER, "/activities"), NEWCOMER.id)
        assert listing.text == (
            "Hoạt động phối hợp của Sở Công Thương: 1 hoạt động (trang 1/1), mới nhất trước.\n\n"
            f"#{number.group(1)} · 10/12/2026 · dự kiến\nHội thảo khoa học: Hội thảo ứng dụng thương mại điện tử cho hợp tác xã\n"
            "Địa điểm: Hội trường Sở Công Thương · Người tham dự: 80\n"
            "Chủ trì: Sở Công Thương · Phối hợp: Liên hiệp các Hội Khoa học và Kỹ thuật tỉnh Lào Cai"
        )
        assert [[b["text"] for b in row] for row in listing.reply_markup["inline_keyboard"]] == [[f"Mở hoạt động số {number.group(1)}"]]

    with session_scope(db) as session:
        person = session.exec(select(Person).join(ChannelIdentity).where(ChannelIdentity.user_ref == str(NEWCOMER.id))).one()
        identity = session.exec(select(ChannelIdentity).where(ChannelIdentity.person_id == person.id)).one()
    assert (person.full_name, person.language, identity.channel, identity.chat_ref) == ("Phan Thị Hằng", "vi", "telegram", str(NEWCOMER.id))


async def test_the_same_in_english(engine, db, clock) -> None:  # type: ignore[no-untyped-def]
    admin = User(1002, "Vinh", language_code="en")
    newcomer = User(6001, "John", "Nguyen", language_code="en-US")
    link(db, "lhh-admin2", admin, clock(), language="en")
    async with FakeTelegram() as fake, running_bot(engine, fake) as bot:
        invite = only(await bot.say(admin, "/invite SXD leader"), admin.id)
        code = invite_code(invite)
        assert invite.text.startswith(f"Invite code: {code}\nFor: leader in charge (focal point) of Sở Xây dựng")
        assert invite.text.endswith(f"Or send this Telegram link; the invitee joins by opening it:\nhttps://t.me/PhoiHopTestBot?start={code}")

        notice = only(await bot.say(newcomer, f"/start {code}"), newcomer.id)
        assert notice.text.startswith("THÔNG BÁO XỬ LÝ DỮ LIỆU CÁ NHÂN"), "an app in English still gets Vietnamese first"
        mark = len(fake.calls)
        notice = only(await bot.press(newcomer, notice, "English"), newcomer.id)
        assert [call.method for call in fake.calls[mark:] if call.method in ("answerCallbackQuery", "editMessageText", "sendMessage")] == [
            "answerCallbackQuery",
            "editMessageText",
        ]
        assert notice.text.startswith("PERSONAL DATA NOTICE")
        assert notice.labels() == [["✅ I agree", "I do not agree"], ["Tiếng Việt"], ["✖ Cancel"]]
        await bot.press(newcomer, notice, "I agree")
        welcome = await bot.say(newcomer, "John Nguyen")
        assert welcome[0].text == "Welcome, John Nguyen! You have joined as leader in charge (focal point) of Sở Xây dựng."
        types = only(await bot.say(newcomer, "/register"), newcomer.id)
        assert types.text == "Register a coordination activity (step 1/7).\nChoose the type of activity:"
        await bot.press(newcomer, types, "Technical training")
        await bot.say(newcomer, "Training on construction quality inspection")
        await bot.say(newcomer, "2026-12-05")
        await bot.say(newcomer, "Lào Cai city")
        participants = only(await bot.say(newcomer, "LHH, SKHCN"), newcomer.id)
        assert participants.labels() == [["Skip"], ["◀ Back", "✖ Cancel"]]
        confirm = only(await bot.press(newcomer, participants, "Skip"), newcomer.id)
        assert "Type: Technical training" in confirm.text and "Participants: none" in confirm.text
        saved = only(await bot.press(newcomer, confirm, "Save"), newcomer.id)
        assert saved.text.startswith("Activity no. ")
        listing = only(await bot.say(newcomer, "/activities"), newcomer.id)
        assert listing.text.startswith("Coordination activities of Sở Xây dựng: 2 in all (page 1/1), newest first.")
        assert "5 December 2026 · planned\nTechnical training: Training on construction quality inspection" in listing.text


async def test_a_slow_answer_shows_typing(engine, db, clock, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr("bot.channels.adapter.TYPING_AFTER", 0.3)
    quick = engine.handle

    def slow(incoming):  # type: ignore[no-untyped-def]
        if incoming.text == "/due":
            time.sleep(1.0)
        return quick(incoming)

    monkeypatch.setattr(engine, "handle", slow)
    link(db, "syt-specialist", NEWCOMER, clock())
    async with FakeTelegram() as fake, running_bot(engine, fake) as bot:
        await bot.say(NEWCOMER, "/help")
        assert fake.calls_to("sendChatAction") == []
        assert (await bot.say(NEWCOMER, "/due"))[0].text.startswith("Việc phải làm của Sở Y tế")
        assert [(c.params["chat_id"], c.params["action"]) for c in fake.calls_to("sendChatAction")] == [(NEWCOMER.id, "typing")]

"""The first dialogue on Zalo, against the fake Zalo Bot API, by long polling and through
the webhook: an admin makes an invite, a newcomer joins, consents by typing the choice
without diacritics, registers an activity by numbered choices and lists it. Then what
else a chat on Zalo meets: answers that are not a choice, the same message delivered twice,
a group, a photo for /attach, a 403 (a server error: retried, and an answer still refused
kept for the outbox)."""

from __future__ import annotations

import re

import pytest
from sqlmodel import func, select

from models.activities.tables import Attachment
from models.conversations.tables import ProcessedUpdate
from models.db.engine import session_scope
from models.outbox.tables import GroupChat, OutboxMessage
from models.people.tables import ChannelIdentity, Person
from tests.fakes.zalo_api import UNSUPPORTED, FakeZalo, Sent, User, group
from bot.zalo.outgoing import REPLY_WAITS
from tests.support.harness import only
from tests.support.zalo_harness import link_zalo, running_zalo

ADMIN = User("a1b2c3d4e5f6a7b8c9d0", "Trần Thị Thu Hà")
NEWCOMER = User("f0e1d2c3b4a5f6e7d8c9", "Phan Thị Hằng")
FOCAL = User("0a1b2c3d4e5f6a7b8c9d", "Mai")
THREE = "Trả lời 1, 2 hoặc 3 (hoặc gõ tên lựa chọn, có dấu hay không dấu đều được)."


def invite_code(message: Sent) -> str:
    match = re.search(r"Mã mời: ([A-Z2-9]{8})", message.text)
    assert match, message.text
    return match.group(1)


def zalo_identity(db, user: User) -> ChannelIdentity:  # type: ignore[no-untyped-def]
    with session_scope(db) as session:
        return session.exec(select(ChannelIdentity).where(ChannelIdentity.channel == "zalo", ChannelIdentity.user_ref == user.id)).one()


@pytest.mark.parametrize("webhook", [False, True], ids=["polling", "webhook"])
async def test_invite_join_register_and_list_by_numbered_choices(engine, db, clock, webhook: bool) -> None:  # type: ignore[no-untyped-def]
    link_zalo(db, "lhh-admin", ADMIN, clock())
    async with FakeZalo() as fake, running_zalo(engine, fake, webhook=webhook) as bot:
        invite = only(await bot.say(ADMIN, "/invite SCT specialist"), ADMIN.id)
        code = invite_code(invite)
        assert invite.text.endswith(f"/start {code}\nMã chỉ dùng được một lần.")

        notice = only(await bot.say(NEWCOMER, f"/start {code}"), NEWCOMER.id)
        assert notice.text.startswith("THÔNG BÁO XỬ LÝ DỮ LIỆU CÁ NHÂN\n\nAnh/chị được mời tham gia với vai trò chuyên viên")
        assert notice.text.endswith(
            "không có thông tin nào được lưu.\n\n1. ✅ Tôi đồng ý\n2. Không đồng ý\n3. English\n4. ✖ Hủy\n"
            "Trả lời 1, 2, 3 hoặc 4 (hoặc gõ tên lựa chọn, có dấu hay không dấu đều được)."
        )

        ask_name = only(await bot.say(NEWCOMER, "Toi dong y"), NEWCOMER.id)
        assert ask_name.text == (
            "Cảm ơn anh/chị. Xin cho biết họ và tên đầy đủ (ví dụ: Nguyễn Thị Hoa):\n\n"
            "(Gõ câu trả lời, hoặc một trong các lựa chọn: ◀ Quay lại · ✖ Hủy)"
        )
        welcome = await bot.say(NEWCOMER, "Phan Thị Hằng")
        assert welcome[0].text.startswith("Chào mừng Phan Thị Hằng!") and "/link — " in welcome[1].text

        types = only(await bot.say(NEWCOMER, "/register"), NEWCOMER.id)
        assert types.text.startswith("Đăng ký hoạt động phối hợp (bước 1/7).\nChọn loại hoạt động:\n\n1. Tư vấn, phản biện")
        assert "\n2. Hội thảo khoa học\n" in types.text
        assert types.text.endswith("\n18. ✖ Hủy\nTrả lời một số từ 1 đến 18 (hoặc gõ tên lựa chọn, có dấu hay không dấu đều được).")
        title = only(await bot.say(NEWCOMER, "2"), NEWCOMER.id)
        assert title.text.startswith("Bước 2/7. Nhập tên hoạt động (5–300 ký tự):")
        await bot.say(NEWCOMER, "Hội thảo ứng dụng thương mại điện tử cho hợp tác xã")
        await bot.say(NEWCOMER, "10/12/2026")
        partners = only(await bot.say(NEWCOMER, "Hội trường Sở Công Thương"), NEWCOMER.id)
        assert "\n1. ✓ Liên hiệp các Hội Khoa học và Kỹ thuật tỉnh Lào Cai (LHH)\n" in partners.text  # pre-ticked
        assert "Đã chọn: Liên hiệp các Hội Khoa học và Kỹ thuật tỉnh Lào Cai" in partners.text
        assert "\n9. Trang sau ▶\n10. ✔ Xong\n11. ◀ Quay lại\n12. ✖ Hủy\n" in partners.text
        participants = only(await bot.say(NEWCOMER, "xong"), NEWCOMER.id)
        assert participants.text.endswith("(Gõ câu trả lời, hoặc một trong các lựa chọn: Bỏ qua · ◀ Quay lại · ✖ Hủy)")
        confirm = only(await bot.say(NEWCOMER, "80"), NEWCOMER.id)
        assert "\nSố người tham dự: 80\n\n1. 💾 Lưu\n2. ◀ Quay lại\n3. ✖ Hủy\n" in confirm.text
        saved = only(await bot.say(NEWCOMER, "1"), NEWCOMER.id)
        number = re.match(r"Đã lưu hoạt động số (\d+)\.", saved.text)
        assert number

        listing = only(await bot.say(NEWCOMER, "/activities"), NEWCOMER.id)
        assert listing.text == (
            "Hoạt động phối hợp của Sở Công Thương: 1 hoạt động (trang 1/1), mới nhất trước.\n\n"
            f"#{number.group(1)} · 10/12/2026 · dự kiến\nHội thảo khoa học: Hội thảo ứng dụng thương mại điện tử cho hợp tác xã\n"
            "Địa điểm: Hội trường Sở Công Thương · Người tham dự: 80\n"
            "Chủ trì: Sở Công Thương · Phối hợp: Liên hiệp các Hội Khoa học và Kỹ thuật tỉnh Lào Cai\n\n"
            f"1. Mở hoạt động số {number.group(1)}\n"
            "Trả lời 1 (hoặc gõ tên lựa chọn, có dấu hay không dấu đều được)."
        )
        assert all(len(message.text) <= 2000 for message in fake.sent)
        assert bool(fake.calls_to("getUpdates")) is not webhook

    identity = zalo_identity(db, NEWCOMER)
    with session_scope(db) as session:
        person = session.get(Person, identity.person_id)
    assert (person.full_name, identity.chat_ref) == ("Phan Thị Hằng", NEWCOMER.id)  # type: ignore[union-attr]


async def test_labels_without_diacritics_count_and_anything_else_shows_the_choices_again(engine, db, clock) -> None:  # type: ignore[no-untyped-def]
    link_zalo(db, "syt-specialist", FOCAL, clock())
    async with FakeZalo() as fake, running_zalo(engine, fake) as bot:
        choose = only(await bot.say(FOCAL, "/lang"), FOCAL.id)
        choices = "1. Tiếng Việt\n2. English\n3. ✖ Hủy\n" + THREE
        assert choose.text == "Chọn ngôn ngữ:\n\n" + choices
        for wrong in ("4", "tieng anh", "Tiếng Việt Nam"):
            again = only(await bot.say(FOCAL, wrong), FOCAL.id)
            assert again.text == "Vui lòng chọn một trong các lựa chọn bên dưới.\n\nChọn ngôn ngữ:\n\n" + choices
        assert only(await bot.say(FOCAL, "english"), FOCAL.id).text == "Language set to English."
        choose = only(await bot.say(FOCAL, "/lang"), FOCAL.id)
        assert choose.text.endswith("3. ✖ Cancel\nReply 1, 2 or 3 (or type the choice's name, with or without accents).")
        assert only(await bot.say(FOCAL, "TIENG VIET"), FOCAL.id).text == "Đã chuyển ngôn ngữ sang Tiếng Việt."


async def test_a_message_delivered_twice_is_handled_once_and_one_without_id_still_is(engine, db, clock) -> None:  # type: ignore[no-untyped-def]
    link_zalo(db, "syt-specialist", FOCAL, clock())
    async with FakeZalo() as fake, running_zalo(engine, fake) as bot:
        update = fake.message_update(FOCAL, "/help")
        assert len(await bot.deliver(update)) == 1
        assert await bot.deliver(update) == []
        bare = fake.message_update(FOCAL, "/help")
        del bare["message"]["message_id"]
        assert len(await bot.deliver(bare)) == 1
    with session_scope(db) as session:
        refs = session.exec(select(ProcessedUpdate.update_ref).where(ProcessedUpdate.channel == "zalo")).all()
    assert refs == [update["message"]["message_id"]]


async def test_in_a_group_commands_count_and_a_mention_without_one_says_what_the_bot_does_there(engine, db, clock) -> None:  # type: ignore[no-untyped-def]
    link_zalo(db, "lhh-admin", ADMIN, clock())
    link_zalo(db, "syt-specialist", FOCAL, clock())
    chat = group("9f8e7d6c5b4a39281706")
    async with FakeZalo() as fake, running_zalo(engine, fake) as bot:
        mentioned = only(await bot.say(ADMIN, "@Bot Phối hợp cảm ơn bot nhé", chat), chat["id"])
        assert mentioned.text.startswith("Trong nhóm, tôi chỉ nhận lệnh khi được nhắc tên") and "/bind" in mentioned.text
        bound = only(await bot.say(ADMIN, "@Bot Phối hợp /bind SYT", chat), chat["id"])
        assert bound.text.startswith("Đã gắn nhóm này với Sở Y tế")
        refused = only(await bot.say(FOCAL, "@Bot Phối hợp /register", chat), chat["id"])
        assert "/register" in refused.text and "riêng" in refused.text
    with session_scope(db) as session:
        bound_group = session.exec(select(GroupChat).where(GroupChat.channel == "zalo")).one()
    assert bound_group.chat_ref == chat["id"] and bound_group.active


async def test_a_photo_is_attached_to_an_activity(engine, db, clock) -> None:  # type: ignore[no-untyped-def]
    link_zalo(db, "syt-specialist", FOCAL, clock())
    async with FakeZalo() as fake, running_zalo(engine, fake) as bot:
        listing = only(await bot.say(FOCAL, "/activities"), FOCAL.id)
        number = re.search(r"#(\d+) ·", listing.text).group(1)  # type: ignore[union-attr]
        ask = only(await bot.say(FOCAL, f"/attach {number}"), FOCAL.id)
        assert ask.text.startswith(f"Gửi tệp cho hoạt động #{number}")
        url = "https://photo-stal.zadn.vn/2026/bien-ban-hoi-thao.jpg"
        saved = only(await bot.deliver(fake.photo_update(FOCAL, url, caption="Biên bản")), FOCAL.id)
        assert saved.text.startswith("Đã lưu tệp")
    with session_scope(db) as session:
        attachment = session.exec(select(Attachment).where(Attachment.channel == "zalo")).one()
    assert (attachment.file_ref, attachment.activity_id) == (url, int(number))


async def test_voice_stickers_and_the_unsupported_are_answered_also_in_the_middle_of_attach(engine, db, clock) -> None:  # type: ignore[no-untyped-def]
    link_zalo(db, "syt-specialist", FOCAL, clock())
    async with FakeZalo() as fake, running_zalo(engine, fake) as bot:
        voice = only(await bot.deliver(fake.voice_update(FOCAL)), FOCAL.id)
        assert voice.text.startswith("Tôi chưa nghe được tin nhắn thoại.") and "chữ và ảnh" in voice.text
        sticker = only(await bot.deliver(fake.sticker_update(FOCAL)), FOCAL.id)
        assert sticker.text.startswith("Tôi chưa hiểu được nhãn dán")
        other = fake.message_update(FOCAL, None, None, UNSUPPORTED)
        assert only(await bot.deliver(other), FOCAL.id).text.startswith("Tôi chưa đọc được loại tin nhắn này.")
        listing = only(await bot.say(FOCAL, "/activities"), FOCAL.id)
        number = re.search(r"#(\d+) ·", listing.text).group(1)  # type: ignore[union-attr]
        only(await bot.say(FOCAL, f"/attach {number}"), FOCAL.id)
        waiting = only(await bot.deliver(fake.without_event_name(fake.voice_update(FOCAL))), FOCAL.id)
        assert waiting.text.startswith("Tôi chưa nghe được") and "vẫn chờ" in waiting.text
        url = "https://photo-stal-1.zdn.vn/2026/5f1e2d3c/bien-ban.jpg?sig=abc"
        saved = only(await bot.deliver(fake.without_event_name(fake.photo_update(FOCAL, url, field="photo_url"))), FOCAL.id)
        assert saved.text.startswith("Đã lưu tệp")
        typed = only(await bot.deliver(fake.without_event_name(fake.message_update(FOCAL, "/help"))), FOCAL.id)
        assert typed.text.startswith("Các lệnh")
    with session_scope(db) as session:
        attachment = session.exec(select(Attachment).where(Attachment.channel == "zalo")).one()
    assert (attachment.file_ref, attachment.name) == (url, "bien-ban.jpg")


async def test_a_403_on_an_answer_is_retried_and_deactivates_nobody(engine, db, clock) -> None:  # type: ignore[no-untyped-def]
    link_zalo(db, "syt-specialist", FOCAL, clock())
    async with FakeZalo(errors_over_http_200=True) as fake, running_zalo(engine, fake) as bot:
        fake.fail("sendMessage", 403, "Internal server error", times=2, chat_id=FOCAL.id)
        answer = only(await bot.say(FOCAL, "/help"), FOCAL.id)
        assert answer.text.startswith("Các lệnh")
        assert [call.status for call in fake.calls_to("sendMessage")] == [403, 403, 200]
    assert zalo_identity(db, FOCAL).active
    with session_scope(db) as session:
        assert session.exec(select(func.count()).select_from(OutboxMessage)).one() == 0


async def test_an_answer_zalo_keeps_refusing_goes_to_the_outbox_and_nobody_is_deactivated(engine, db, clock) -> None:  # type: ignore[no-untyped-def]
    link_zalo(db, "syt-specialist", FOCAL, clock())
    async with FakeZalo() as fake, running_zalo(engine, fake) as bot:
        fake.block(FOCAL.id)
        assert await bot.say(FOCAL, "/help") == []
        assert [call.status for call in fake.calls_to("sendMessage")] == [403] * (len(REPLY_WAITS) + 1)
    assert zalo_identity(db, FOCAL).active
    with session_scope(db) as session:
        kept = session.exec(select(OutboxMessage)).one()
    assert kept.key.startswith(f"reply:zalo:{FOCAL.id}:") and kept.chat_ref == FOCAL.id and kept.text.startswith("Các lệnh")


async def test_errors_that_come_with_http_200_are_read_from_the_envelope(engine, db, clock) -> None:  # type: ignore[no-untyped-def]
    """Zalo may answer an error with HTTP 200: the 408 of an empty getUpdates is still "no
    update", and polling goes on."""
    async with FakeZalo(errors_over_http_200=True, hold=0.2) as fake, running_zalo(engine, fake) as bot:
        await fake.wait_for(lambda: sum(call.status == 408 for call in fake.calls_to("getUpdates")) >= 2, timeout=5)
        answer = only(await bot.say(NEWCOMER, "/help"), NEWCOMER.id)
    assert answer.text.startswith("Đây là trợ lý")

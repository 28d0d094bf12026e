"""The whole first dialogue through the engine: an admin makes an invite, a newcomer joins
with it, consents, registers an activity with buttons and lists it — in Vietnamese and in
English — and the ways joining can go wrong."""

from __future__ import annotations

import re

from sqlmodel import select

from models.conversations.tables import Conversation
from models.db.engine import session_scope
from models.people.tables import ChannelIdentity, Invite, Person, ProcessingLog, Role
from models.programme.tables import Agency
from tests.conftest import Chat

CODE = re.compile(r"/start ([A-Z2-9]{8})")


def invite_code(admin: Chat, agency: str = "SCT", role: str = "specialist") -> str:
    admin.send(f"/invite {agency} {role}")
    match = CODE.search(admin.text)
    assert match, admin.text
    return match.group(1)


def test_join_register_and_list_in_vietnamese(chat, db) -> None:  # type: ignore[no-untyped-def]
    admin = chat("lhh-admin")
    code = invite_code(admin)
    assert "chuyên viên đầu mối của Sở Công Thương" in admin.text
    assert admin.last[0].invite_code == code

    newcomer = chat("tg-5001")
    newcomer.send(f"/start {code}")
    assert "THÔNG BÁO XỬ LÝ DỮ LIỆU CÁ NHÂN" in newcomer.text
    assert "91/2025/QH15" in newcomer.text
    assert [b.label for b in newcomer.last[0].choices()] == ["✅ Tôi đồng ý", "Không đồng ý", "English", "✖ Hủy"]
    with session_scope(db) as session:
        assert session.exec(select(Person).where(Person.full_name == "Phan Thị Hằng")).first() is None

    newcomer.press("Tôi đồng ý")
    assert "họ và tên đầy đủ" in newcomer.text
    newcomer.send("  Phan   Thị Hằng ")
    assert "Chào mừng Phan Thị Hằng! Anh/chị đã tham gia với vai trò chuyên viên đầu mối của Sở Công Thương." in newcomer.text
    assert "/register — đăng ký hoạt động phối hợp" in newcomer.text
    assert "/invite" not in newcomer.text

    newcomer.send("/register")
    assert "Chọn loại hoạt động" in newcomer.text
    newcomer.press("Hội thảo khoa học")
    assert "Bước 2/7" in newcomer.text
    newcomer.send("Hội thảo ứng dụng thương mại điện tử cho hợp tác xã")
    newcomer.send("10/12/2026")
    newcomer.send("Hội trường Sở Công Thương")
    assert "Trang 1/6" in newcomer.text
    assert "Đã chọn: Liên hiệp các Hội Khoa học và Kỹ thuật tỉnh Lào Cai" in newcomer.text  # the first suggestion, ticked
    newcomer.press("Trang sau")
    newcomer.press("Sở Thông tin và Truyền thông")
    newcomer.press("Xong")
    newcomer.send("80")
    assert "Bước 7/7" in newcomer.text
    summary = newcomer.text
    assert "Loại: Hội thảo khoa học" in summary
    assert "Ngày: 10/12/2026" in summary
    assert "Cơ quan phối hợp: Liên hiệp các Hội Khoa học và Kỹ thuật tỉnh Lào Cai, Sở Thông tin và Truyền thông" in summary
    assert "Số người tham dự: 80" in summary
    newcomer.press("Lưu")
    assert newcomer.text.startswith("Đã lưu hoạt động số ")
    number = int(newcomer.text.removeprefix("Đã lưu hoạt động số ").partition(".")[0])

    newcomer.send("/activities")
    listing = newcomer.text
    assert "Hoạt động phối hợp của Sở Công Thương: 1 hoạt động (trang 1/1)" in listing
    assert "10/12/2026 · dự kiến" in listing
    assert "Hội thảo khoa học: Hội thảo ứng dụng thương mại điện tử cho hợp tác xã" in listing
    assert (
        "Chủ trì: Sở Công Thương · Phối hợp: Liên hiệp các Hội Khoa học và Kỹ thuật tỉnh Lào Cai, Sở Thông tin và Truyền thông" in listing
    )

    with session_scope(db) as session:
        person = session.exec(select(Person).where(Person.full_name == "Phan Thị Hằng")).one()
        assert person.role is Role.SPECIALIST and person.language == "vi" and person.consent_version == "2026-01"
        assert session.exec(select(Invite).where(Invite.code == code)).one().used_by_person_id == person.id
        actions = [row.action for row in session.exec(select(ProcessingLog).where(ProcessingLog.person_id == person.id))]
        assert actions == ["consent_given"]
        listed = session.exec(select(Conversation).where(Conversation.user_ref == "tg-5001")).one()
        # the one-page list waits only for an «Open» press (a passive form: any text or command goes through)
        assert listed.flow == "activities" and [label for label, _ in listed.data["_choices"]] == [f"Mở hoạt động số {number}"]


def test_join_register_and_list_in_english(chat) -> None:  # type: ignore[no-untyped-def]
    admin = chat("lhh-admin")
    code = invite_code(admin, "SXD", "leader")
    newcomer = chat("tg-6001", language_code="en-US")
    newcomer.send(f"/start {code}")
    assert "THÔNG BÁO XỬ LÝ DỮ LIỆU CÁ NHÂN" in newcomer.text, "the app's English is not followed"
    newcomer.press("English")
    assert "PERSONAL DATA NOTICE" in newcomer.text
    assert [b.label for b in newcomer.last[0].choices()] == ["✅ I agree", "I do not agree", "Tiếng Việt", "✖ Cancel"]
    assert "You are invited to join as leader in charge (focal point) of Sở Xây dựng." in newcomer.text
    newcomer.press("I agree")
    newcomer.send("John Nguyen")
    assert "Welcome, John Nguyen! You have joined as leader in charge (focal point) of Sở Xây dựng." in newcomer.text
    newcomer.send("/register")
    newcomer.press("Technical training")
    newcomer.send("Training on construction quality inspection")
    newcomer.send("2026-12-05")
    newcomer.send("Lào Cai city")
    newcomer.send("LHH, SKHCN")
    newcomer.press("Skip")
    assert "Type: Technical training" in newcomer.text
    assert "Participants: none" in newcomer.text
    newcomer.press("Save")
    assert newcomer.text.startswith("Activity no. ")
    newcomer.send("/activities")
    assert "Coordination activities of Sở Xây dựng: 2 in all (page 1/1), newest first." in newcomer.text
    assert "5 December 2026 · planned" in newcomer.text
    assert "Technical training: Training on construction quality inspection" in newcomer.text


def test_declining_consent_stores_nothing(chat, db) -> None:  # type: ignore[no-untyped-def]
    code = invite_code(chat("lhh-admin"))
    newcomer = chat("tg-7001")
    newcomer.send(f"/start {code}")
    newcomer.press("Không đồng ý")
    assert f"không có thông tin nào được lưu. Khi sẵn sàng, hãy gửi lại: /start {code}" in newcomer.text
    with session_scope(db) as session:
        assert session.exec(select(ChannelIdentity).where(ChannelIdentity.user_ref == "tg-7001")).first() is None
        assert session.exec(select(Conversation).where(Conversation.user_ref == "tg-7001")).first() is None
        assert session.exec(select(Invite).where(Invite.code == code)).one().used_at is None


def test_invite_is_single_use(chat) -> None:  # type: ignore[no-untyped-def]
    code = invite_code(chat("lhh-admin"))
    first = chat("tg-8001")
    first.send(f"/start {code}")
    first.press("Tôi đồng ý")
    first.send("Lương Văn Tâm")
    second = chat("tg-8002")
    second.send(f"/start {code}")
    assert "Mã mời này đã được sử dụng" in second.text


def test_invite_expires(chat, clock) -> None:  # type: ignore[no-untyped-def]
    code = invite_code(chat("lhh-admin"))
    clock.advance(days=7, seconds=1)
    newcomer = chat("tg-8101")
    newcomer.send(f"/start {code.lower()}")
    assert "Mã mời này đã hết hạn" in newcomer.text


def test_invite_used_while_another_reads_the_notice(chat) -> None:  # type: ignore[no-untyped-def]
    code = invite_code(chat("lhh-admin"))
    slow, fast = chat("tg-8201"), chat("tg-8202")
    slow.send(f"/start {code}")
    fast.send(f"/start {code}")
    fast.press("Tôi đồng ý")
    fast.send("Đinh Thị Hoa")
    slow.press("Tôi đồng ý")
    assert slow.text.startswith("Mã mời vừa được người khác sử dụng."), slow.text
    slow.send(f"/start {code}")
    assert "Mã mời này đã được sử dụng" in slow.text


def test_unknown_and_missing_codes(chat) -> None:  # type: ignore[no-untyped-def]
    stranger = chat("tg-8301")
    stranger.send("/start ZZZZ9999")
    assert "Mã mời không đúng" in stranger.text
    stranger.send("/start")
    assert "hãy gửi mã mời" in stranger.text
    stranger.send("/register")
    assert "Anh/chị chưa tham gia hệ thống" in stranger.text


def test_consent_typed_in_words_and_a_wrong_answer_does_not_repeat_the_notice(chat) -> None:  # type: ignore[no-untyped-def]
    admin = chat("lhh-admin")
    for number, word in enumerate(["có", "Đồng ý", "ok"]):
        newcomer = chat(f"tg-85{number:02d}")
        newcomer.send(f"/start {invite_code(admin)}")
        newcomer.send("để tôi xem")
        assert newcomer.text == "Xin trả lời «có» nếu đồng ý, hoặc «không» nếu không đồng ý (thông báo ở tin nhắn trên)."
        assert "THÔNG BÁO XỬ LÝ DỮ LIỆU CÁ NHÂN" not in newcomer.text
        newcomer.send(word)
        assert "họ và tên đầy đủ" in newcomer.text
    refuser = chat("tg-8599")
    refuser.send(f"/start {invite_code(admin)}")
    refuser.send("không")
    assert "không có thông tin nào được lưu" in refuser.text


def test_name_is_validated_and_asked_again(chat) -> None:  # type: ignore[no-untyped-def]
    code = invite_code(chat("lhh-admin"))
    newcomer = chat("tg-8401")
    newcomer.send(f"/start {code}")
    newcomer.press("Tôi đồng ý")
    newcomer.send("Nguyễn Văn 123")
    assert "không được chứa chữ số" in newcomer.text
    assert "họ và tên đầy đủ" in newcomer.text
    newcomer.send("A")
    assert "từ 2 đến 120 ký tự" in newcomer.text
    newcomer.send("Nguyễn Văn An")
    assert "Chào mừng Nguyễn Văn An!" in newcomer.text


def test_new_specialist_replaces_the_old_one(chat, db) -> None:  # type: ignore[no-untyped-def]
    admin = chat("lhh-admin")
    code = invite_code(admin, "SYT", "specialist")
    assert "vị trí này đang do Nguyễn Thị Mai đảm nhiệm" in admin.text
    newcomer = chat("tg-8501")
    newcomer.send(f"/start {code}")
    newcomer.press("Tôi đồng ý")
    newcomer.send("Trịnh Văn Bình")
    assert "Anh/chị thay cho: Nguyễn Thị Mai" in newcomer.text
    old = chat("syt-specialist")
    old.send("/due")
    assert "Tài khoản của anh/chị đã ngừng hoạt động" in old.text
    with session_scope(db) as session:
        agency = session.exec(select(Agency).where(Agency.code == "SYT")).one()
        active = session.exec(
            select(Person).where(Person.agency_id == agency.id, Person.role == Role.SPECIALIST, Person.active == True)
        ).all()
        assert [p.full_name for p in active] == ["Trịnh Văn Bình"]


def test_member_using_start_again(chat) -> None:  # type: ignore[no-untyped-def]
    member = chat("syt-leader")
    member.send("/start ABCD2345")
    assert "Anh/chị đã tham gia với vai trò lãnh đạo phụ trách (đầu mối) của Sở Y tế" in member.text
    member.send("/start")
    assert "Chào Đỗ Văn Hùng!" in member.text

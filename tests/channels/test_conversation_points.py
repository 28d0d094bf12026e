"""Issue 15, points 1, 4, 6 and 7 as a person sees them through the real Telegram adapter
(buttons, a press edits the message pressed) and the real Zalo adapter (numbered choices,
nothing edited): an activity's type and partners changed; the LHH the first, pre-ticked
partner; "15/1" read as the next 15 January where the step wants a day to come; English
plurals; Vietnamese menus by default; a deactivated person restored later from /people
with agencies named, not coded."""

from __future__ import annotations

from datetime import date

from sqlmodel import select

from models.activities.tables import Activity
from models.db.engine import session_scope
from models.people.tables import Person
from tests.conftest import local
from tests.channels.test_activity_channels import planned_activity
from tests.fakes.telegram_api import FakeTelegram
from tests.fakes.telegram_api import User as TelegramUser
from tests.fakes.zalo_api import FakeZalo
from tests.fakes.zalo_api import User as ZaloUser
from tests.support.harness import only
from tests.support.telegram_harness import link, running_bot
from tests.support.zalo_harness import link_zalo, running_zalo

ON_TELEGRAM = TelegramUser(2101, "Lan", "Nguyễn Thị", language_code="en")
ON_ZALO = ZaloUser("1a2b3c4d5e6f7a8b9c0d", "Mai")
ADMIN_ON_ZALO = ZaloUser("9f8e7d6c5b4a39281706", "Trần Thị Thu Hà")
LHH = "Liên hiệp các Hội Khoa học và Kỹ thuật tỉnh Lào Cai"


def partner_names(db, number: int) -> list[str]:  # type: ignore[no-untyped-def]
    from models.activities.life import partners_of

    with session_scope(db) as session:
        return [agency.code for agency in partners_of(session, number)]


async def test_telegram_type_and_partners_changed_by_presses_edited_in_place(engine, db, clock) -> None:  # type: ignore[no-untyped-def]
    number = planned_activity(db).id
    assert "SNV" not in partner_names(db, number)
    link(db, "syt-specialist", ON_TELEGRAM, clock())
    async with FakeTelegram() as fake, running_bot(engine, fake) as bot:
        card = only(await bot.say(ON_TELEGRAM, f"/activity {number}"), ON_TELEGRAM.id)
        assert "Loại hoạt động: " in card.text and "Đơn vị phối hợp: " in card.text
        kinds = only(await bot.press(ON_TELEGRAM, card, "Sửa loại hoạt động"), ON_TELEGRAM.id)
        assert kinds.message_id == card.message_id and kinds.text == "Chọn loại mới của hoạt động:"
        saved = only(await bot.press(ON_TELEGRAM, kinds, "Tập huấn kỹ thuật"), ON_TELEGRAM.id)
        assert saved.text.startswith(f"Đã cập nhật hoạt động số {number}.") and "Loại hoạt động: Tập huấn kỹ thuật" in saved.text

        card = only(await bot.say(ON_TELEGRAM, f"/activity {number}"), ON_TELEGRAM.id)
        picker = only(await bot.press(ON_TELEGRAM, card, "Sửa đơn vị phối hợp"), ON_TELEGRAM.id)
        assert picker.text.startswith("Chọn các đơn vị phối hợp của hoạt động")
        ticked = only(await bot.press(ON_TELEGRAM, picker, "Sở Nội vụ (SNV)"), ON_TELEGRAM.id)
        assert ticked.message_id == picker.message_id and any(label == "✓ Sở Nội vụ (SNV)" for row in ticked.labels() for label in row)
        done = only(await bot.press(ON_TELEGRAM, ticked, "Xong"), ON_TELEGRAM.id)
        assert done.text.startswith(f"Đã cập nhật hoạt động số {number}.") and "Sở Nội vụ" in done.text.split("Đơn vị phối hợp: ")[1]
    assert "SNV" in partner_names(db, number)


async def test_zalo_partner_removed_by_number_and_the_card_says_so(engine, db, clock) -> None:  # type: ignore[no-untyped-def]
    number = planned_activity(db).id
    before = partner_names(db, number)
    assert before, "the sample activity names a partner"
    link_zalo(db, "syt-specialist", ON_ZALO, clock())
    async with FakeZalo() as fake, running_zalo(engine, fake) as bot:
        card = only(await bot.say(ON_ZALO, f"/activity {number}"), ON_ZALO.id)
        assert "\n5. Sửa đơn vị phối hợp\n" in card.text
        picker = only(await bot.say(ON_ZALO, "5"), ON_ZALO.id)
        ticked = [line for line in picker.text.splitlines() if ". ✓ " in line]
        assert ticked, picker.text
        untick = ticked[0].split(".")[0]
        again = only(await bot.say(ON_ZALO, untick), ON_ZALO.id)
        assert ". ✓ " not in next(line for line in again.text.splitlines() if line.startswith(f"{untick}. "))
        done = only(await bot.say(ON_ZALO, "xong"), ON_ZALO.id)
        assert done.text.startswith(f"Đã cập nhật hoạt động số {number}.") and "bấm" not in done.text
    assert len(partner_names(db, number)) == len(before) - 1


async def test_telegram_register_in_december_lhh_pre_ticked_and_15_1_next_january(engine, db, clock) -> None:  # type: ignore[no-untyped-def]
    clock.moment = local(2026, 12, 16, 9)
    link(db, "syt-specialist", ON_TELEGRAM, clock())
    async with FakeTelegram() as fake, running_bot(engine, fake) as bot:
        kinds = only(await bot.say(ON_TELEGRAM, "/register"), ON_TELEGRAM.id)
        await bot.press(ON_TELEGRAM, kinds, "Hội thảo khoa học")
        await bot.say(ON_TELEGRAM, "Hội thảo y học cổ truyền vùng cao")
        await bot.say(ON_TELEGRAM, "15/1")
        partners = only(await bot.say(ON_TELEGRAM, "Hội trường Sở Y tế"), ON_TELEGRAM.id)
        assert partners.labels()[0][0] == f"✓ {LHH} (LHH)" and partners.text.endswith(f"Đã chọn: {LHH}")
        skip = only(await bot.press(ON_TELEGRAM, partners, "Xong"), ON_TELEGRAM.id)
        summary = only(await bot.press(ON_TELEGRAM, skip, "Bỏ qua"), ON_TELEGRAM.id)
        assert "Ngày: 15/01/2027" in summary.text and f"Cơ quan phối hợp: {LHH}" in summary.text
        saved = only(await bot.press(ON_TELEGRAM, summary, "Lưu"), ON_TELEGRAM.id)
        assert saved.text.startswith("Đã lưu hoạt động số ")
    with session_scope(db) as session:
        activity = session.exec(select(Activity).where(Activity.title == "Hội thảo y học cổ truyền vùng cao")).one()
        assert activity.planned_date == date(2027, 1, 15)


async def test_zalo_reschedule_15_1_in_december_is_next_january(engine, db, clock) -> None:  # type: ignore[no-untyped-def]
    number = planned_activity(db).id
    clock.moment = local(2026, 12, 5, 9)
    link_zalo(db, "syt-specialist", ON_ZALO, clock())
    async with FakeZalo() as fake, running_zalo(engine, fake) as bot:
        card = only(await bot.say(ON_ZALO, f"/activity {number}"), ON_ZALO.id)
        assert "\n6. Dời lịch\n" in card.text
        await bot.say(ON_ZALO, "6")
        moved = only(await bot.say(ON_ZALO, "15/1"), ON_ZALO.id)
        assert moved.text.startswith(f"Đã dời lịch hoạt động số {number}.") and "Ngày: 15/01/2027" in moved.text


async def test_telegram_menus_vietnamese_by_default_and_english_plurals(engine, db, clock) -> None:  # type: ignore[no-untyped-def]
    clock.moment = local(2026, 12, 19, 9)
    link(db, "syt-specialist", ON_TELEGRAM, clock(), language="en")
    async with FakeTelegram() as fake, running_bot(engine, fake) as bot:
        due = only(await bot.say(ON_TELEGRAM, "/due"), ON_TELEGRAM.id)
        assert "1 day left" in due.text and "1 days" not in due.text
    languages = {language for scope, language in fake.commands if scope in ("default", "all_group_chats")}
    assert languages == {"", "en"}
    default = {command["command"]: command["description"] for command in fake.commands[("default", "")]}
    english = {command["command"]: command["description"] for command in fake.commands[("default", "en")]}
    assert default["register"].startswith("đăng ký") and english["register"].startswith("register")


async def test_zalo_people_restored_later_by_numbers_with_agencies_named(engine, db, clock) -> None:  # type: ignore[no-untyped-def]
    link_zalo(db, "lhh-admin", ADMIN_ON_ZALO, clock())
    with session_scope(db) as session:
        person = session.exec(select(Person).where(Person.full_name == "Đỗ Văn Hùng")).one()
        person.active = False
    async with FakeZalo() as fake, running_zalo(engine, fake) as bot:
        listed = only(await bot.say(ADMIN_ON_ZALO, "/people"), ADMIN_ON_ZALO.id)
        assert ", Sở Y tế · kênh: " in listed.text and ", SYT · " not in listed.text
        choice = next(line for line in listed.text.splitlines() if line.endswith("Người đã ngừng hoạt động"))
        inactive = only(await bot.say(ADMIN_ON_ZALO, choice.split(".")[0]), ADMIN_ON_ZALO.id)
        assert inactive.text.startswith("1 người dùng đã ngừng hoạt động (trang 1/1); chọn một người để khôi phục:")
        hung = next(line for line in inactive.text.splitlines() if "Đỗ Văn Hùng ·" in line and line[0].isdigit())
        card = only(await bot.say(ADMIN_ON_ZALO, hung.split(".")[0]), ADMIN_ON_ZALO.id)
        assert "Tình trạng: ngừng hoạt động" in card.text
        restore = next(line for line in card.text.splitlines() if "Khôi phục" in line and line[0].isdigit())
        done = only(await bot.say(ADMIN_ON_ZALO, restore.split(".")[0]), ADMIN_ON_ZALO.id)
        assert done.text.startswith("Đã khôi phục tài khoản Đỗ Văn Hùng (Sở Y tế)")
    with session_scope(db) as session:
        assert session.exec(select(Person).where(Person.full_name == "Đỗ Văn Hùng")).one().active


async def test_zalo_an_ambiguous_figure_asked_back_then_held_to_its_bound_by_numbers(db, clock, loaded) -> None:  # type: ignore[no-untyped-def]
    from handlers.engine import ConversationEngine
    from tests.conversations.test_report_bounds import bounded_chat

    clock.moment = local(2026, 12, 16, 9)
    bounded_chat(db, clock, {"kinh-phi": 1000})
    engine = ConversationEngine(db, clock, "lao-cai-31-2015")
    link_zalo(db, "syt-specialist", ON_ZALO, clock())
    async with FakeZalo() as fake, running_zalo(engine, fake) as bot:
        periods = only(await bot.say(ON_ZALO, "/report"), ON_ZALO.id)
        annual = next(line for line in periods.text.splitlines() if "Báo cáo năm kết quả thực hiện chương trình phối hợp — năm 2026" in line)
        await bot.say(ON_ZALO, annual.split(".")[0])
        await bot.say(ON_ZALO, "xong")
        for _ in range(7):
            await bot.say(ON_ZALO, "bo qua")
        asked = only(await bot.say(ON_ZALO, "1,234"), ON_ZALO.id)
        assert asked.text.startswith("«1,234» là 1.234 hay 1,234 triệu đồng?")
        assert "\n1. 1.234 triệu đồng\n2. 1,234 triệu đồng\n3. Nhập lại\n" in asked.text
        above = only(await bot.say(ON_ZALO, "1"), ON_ZALO.id)
        assert above.text.startswith("1.234 triệu đồng cao hơn nhiều so với mức thường gặp (1.000)")
        assert "\n1. Đúng, 1.234 triệu đồng\n" in above.text
        recorded = only(await bot.say(ON_ZALO, "1"), ON_ZALO.id)
        assert recorded.text.startswith("Nội dung ")


async def test_telegram_consent_typed_in_words(engine, db, clock) -> None:  # type: ignore[no-untyped-def]
    admin = TelegramUser(2102, "Hà", "Trần Thị Thu", language_code="vi")
    newcomer = TelegramUser(8102, "Hằng", "Phan Thị", language_code="en")
    link(db, "lhh-admin", admin, clock())
    async with FakeTelegram() as fake, running_bot(engine, fake) as bot:
        made = only(await bot.say(admin, "/invite SCT specialist"), admin.id)
        code = made.text.split("Mã mời: ")[1][:8]
        notice = only(await bot.say(newcomer, f"/start {code}"), newcomer.id)
        assert notice.text.startswith("THÔNG BÁO XỬ LÝ DỮ LIỆU CÁ NHÂN")
        unclear = only(await bot.say(newcomer, "để tôi xem"), newcomer.id)
        assert not unclear.text.startswith("THÔNG BÁO XỬ LÝ DỮ LIỆU CÁ NHÂN") and len(unclear.text) < len(notice.text)
        asked = only(await bot.say(newcomer, "Đồng ý"), newcomer.id)
        assert "họ và tên" in asked.text.lower()

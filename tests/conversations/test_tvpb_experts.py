"""The expert bank through the engine: an expert joins by invite and consents (nothing
stored before), gives their fields, the office finds them by field, a council is formed,
the expert accepts and declines in the chat, /tvpb shows each role only its tasks, and
/forgetme of an expert who served leaves the seat with the role, not the name."""

from __future__ import annotations

import re
from datetime import date

import pytest
from sqlmodel import select

from models.db.engine import session_scope
from models.errors import RuleError
from models.outbox.tables import OutboxMessage
from models.people.tables import Person
from models.programme.tables import Agency
from models.tvpb import experts, services
from models.tvpb.tables import CouncilSeat, Expert, SchemeKind, SeatStatus, Stage, TvpbTask
from tests.conftest import Chat, local

CODE = re.compile(r"/start ([A-Z2-9]{8})")


def join_as_expert(chat, db) -> Chat:  # type: ignore[no-untyped-def]
    admin = chat("lhh-admin")
    admin.send("/invite LHH chuyengia")
    code = CODE.search(admin.text)
    assert code, admin.text
    expert = chat("tg-7001")
    expert.send(f"/start {code.group(1)}")
    assert "91/2025/QH15" in expert.text
    with session_scope(db) as session:
        assert [e.full_name for e in session.exec(select(Expert))] == ["Nguyễn Văn Khoa"], "the sample's expert only: nothing before consent"
    expert.press("Tôi đồng ý")
    expert.send("Trần Văn Bình")
    assert "chuyên gia (ngân hàng chuyên gia)" in expert.text
    return expert


def open_task(db, lao_cai, loaded) -> int:  # type: ignore[no-untyped-def]
    with session_scope(db) as session:
        syt = session.exec(select(Agency).where(Agency.code == "SYT")).one()
        opened = services.open_task(
            session,
            lao_cai,
            loaded,
            syt,
            "Đề án phát triển y tế cơ sở",
            SchemeKind.DE_AN,
            ["y-te"],
            date(2027, 4, 9),
            None,
            local(2027, 3, 1),
        )
        return opened.task.id


def test_the_expert_bank_from_invite_to_forgetme(db, loaded, lao_cai, clock, chat) -> None:  # type: ignore[no-untyped-def]
    clock.moment = local(2027, 3, 1, 10)
    expert = join_as_expert(chat, db)
    expert.send("/chuyengia linhvuc 9")
    assert "Gõ /chuyengia linhvuc" in expert.text
    expert.send("/chuyengia linhvuc 5,7")
    assert expert.text == "Đã lưu lĩnh vực chuyên môn của anh/chị: Y tế, Khoa học, công nghệ, chuyển đổi số."
    expert.send("/chuyengia")
    assert expert.text == "Anh/chị chưa được mời vào Hội đồng phản biện nào."

    admin = chat("lhh-admin")
    admin.send("/chuyengia")
    assert "5. Y tế" in admin.text
    admin.send("/chuyengia 5")
    assert "Trần Văn Bình" in admin.text and "đã tham gia 0 Hội đồng" in admin.text
    admin.send("/chuyengia 1")
    assert "chưa có ai thuộc lĩnh vực «Kinh tế, tài chính»" in admin.text

    task_id = open_task(db, lao_cai, loaded)
    with session_scope(db) as session:
        task = session.get(TvpbTask, task_id)
        bank = experts.search(session, loaded, "y-te")
        assert [e.full_name for e in bank] == ["Trần Văn Bình"] and task is not None
        experts.invite(session, task, bank[0], local(2027, 3, 1, 11))
        with pytest.raises(RuleError, match="tvpb.already_invited"):
            experts.invite(session, task, bank[0], local(2027, 3, 1, 11))
        paper = experts.record_on_paper(
            session, loaded, "TS. Lê Thị Hoa", date(2027, 2, 20), ["y-te"], local(2027, 3, 1, 11), affiliation="Bệnh viện tỉnh"
        )
        experts.invite(session, task, paper, local(2027, 3, 1, 11))
        assert session.exec(select(OutboxMessage).where(OutboxMessage.key == f"tvpb:{task_id}:seat:1:p{bank[0].person_id}")).one()
    admin.send("/chuyengia them ThS. Đỗ An | 1/3/2027")
    assert admin.text.startswith("Gõ: /chuyengia them Họ tên")
    admin.send("/chuyengia them ThS. Đỗ An | 2/3/2027 | 5")
    assert admin.text == "Ngày đồng ý trên giấy không được ở tương lai."
    admin.send("/chuyengia them ThS. Đỗ An | 1/3/2027 | 5")
    assert "đồng ý bằng văn bản giấy ngày 01/03/2027" in admin.text
    expert.send("/chuyengia them ThS. Đỗ An | 1/3/2027 | 5")
    assert "Để trả lời, gõ" in expert.text
    chat("snv-viewer").send("/chuyengia them ThS. Đỗ An | 1/3/2027 | 5")
    admin.send("/chuyengia 5")
    assert "ThS. Đỗ An" in admin.text and "TS. Lê Thị Hoa" in admin.text and "đồng ý bằng văn bản giấy ngày 20/02/2027" in admin.text

    expert.send("/chuyengia")
    assert f"Số {task_id}. Đề án phát triển y tế cơ sở — chờ trả lời" in expert.text
    expert.send(f"/chuyengia nhan {task_id}")
    assert "Cảm ơn anh/chị đã nhận lời" in expert.text
    expert.send(f"/chuyengia nhan {task_id}")
    assert expert.text == "Anh/chị đã trả lời như vậy rồi."
    expert.send(f"/chuyengia tuchoi {task_id}")
    assert "từ chối" in expert.text
    expert.send(f"/chuyengia nhan {task_id}")
    expert.send("/chuyengia nhan 999")
    assert "Không có nhiệm vụ số «999»" in expert.text
    with session_scope(db) as session:
        seat = session.exec(select(CouncilSeat).where(CouncilSeat.expert_id == bank[0].id)).one()
        assert [entry["status"] for entry in seat.history] == ["accepted", "declined", "accepted"]
        task = session.get(TvpbTask, task_id)
        assert task is not None
        task.stage = Stage.DOSSIER
        services.council_formed(session, task, date(2027, 3, 31), None, local(2027, 3, 1, 12))

    expert.send("/tvpb")
    assert "Đề án phát triển y tế cơ sở" in expert.text and "đã thành lập Hội đồng" in expert.text
    expert.send(f"/tvpb {task_id}")
    assert "Tờ trình: chưa nhận" in expert.text
    for who, sees in (("syt-specialist", True), ("snnptnt-leader", False), ("snv-viewer", True), ("skhcn-viewer", False)):
        reader = chat(who)
        reader.send("/tvpb")
        assert ("Đề án phát triển y tế cơ sở" in reader.text) is sees, who
        reader.send(f"/tvpb {task_id}")
        assert ("Không có nhiệm vụ số" in reader.text) is not sees, who
    admin.send("/tvpb")
    assert "Theo bước" in admin.text and "Sở Y tế: 1" in admin.text

    expert.send("/mydata")
    assert "Hồ sơ trong ngân hàng chuyên gia: Trần Văn Bình" in expert.text and "Y tế" in expert.text
    expert.send("/forgetme")
    expert.press("Xóa dữ liệu")
    with session_scope(db) as session:
        forgotten = session.get(Expert, bank[0].id)
        assert forgotten is not None and forgotten.erased_at is not None
        assert forgotten.full_name == "chuyên gia (ngân hàng chuyên gia)" and forgotten.contact == ""
        assert session.exec(select(CouncilSeat).where(CouncilSeat.expert_id == forgotten.id)).one().status is SeatStatus.ACCEPTED
        assert not session.exec(select(Person).where(Person.full_name == "Trần Văn Bình")).first()
        assert [e.full_name for e in experts.search(session, loaded, "y-te")] == ["TS. Lê Thị Hoa", "ThS. Đỗ An"]

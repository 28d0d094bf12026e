"""An expert's profile edited in the chat: the expert themselves (title and degree,
affiliation, contact, fields) and the office (`/chuyengia sua E …`, any expert of the bank,
one recorded on paper too); every bad input gets a sentence in the person's language; a
viewer edits nothing; a forgotten expert's profile takes no new details."""

from __future__ import annotations

from datetime import date

from sqlmodel import select

from models.db.engine import session_scope
from models.tvpb import experts
from models.tvpb.tables import Expert
from tests.conftest import local
from tests.support.authz_world import changes, described, snapshot


def profile(db, name: str) -> Expert:  # type: ignore[no-untyped-def]
    with session_scope(db) as session:
        return session.exec(select(Expert).where(Expert.full_name == name)).one()


def test_the_expert_edits_their_own_profile(chat, db, clock) -> None:  # type: ignore[no-untyped-def]
    clock.moment = local(2027, 3, 1, 10)
    expert = chat("lhh-expert")
    said = {
        "/chuyengia hocham PGS.TS.   Kinh tế": "Đã lưu học hàm, học vị của Nguyễn Văn Khoa: PGS.TS. Kinh tế.",
        "/chuyengia hocham": "Xin gõ nội dung cần lưu sau «hocham», ví dụ: /chuyengia hocham PGS.TS. Kinh tế.",
        "/chuyengia donvi " + "Đ" * 201: "Nội dung quá dài: cơ quan công tác tối đa 200 ký tự (anh/chị gõ 201).",
        "/chuyengia donvi Trường\u200bĐại học": "Nội dung có ký tự ẩn hoặc ký tự điều khiển; xin gõ lại bằng chữ thường.",
        "/chuyengia donvi Trường Đại học Lào Cai": "Đã lưu cơ quan công tác của Nguyễn Văn Khoa: Trường Đại học Lào Cai.",
        "/chuyengia lienhe gọi tôi": "«gọi tôi» không phải số điện thoại hay địa chỉ thư điện tử. Ví dụ: 0912.345.678 hoặc ten@donvi.gov.vn.",
        "/chuyengia lienhe 12345": "«12345» không phải số điện thoại hay địa chỉ thư điện tử. Ví dụ: 0912.345.678 hoặc ten@donvi.gov.vn.",
        "/chuyengia lienhe khoa@dhlc": "«khoa@dhlc» không phải số điện thoại hay địa chỉ thư điện tử. Ví dụ: 0912.345.678 hoặc ten@donvi.gov.vn.",
        "/chuyengia lienhe 0912 345 678": "Đã lưu thông tin liên hệ của Nguyễn Văn Khoa: 0912 345 678.",
        "/chuyengia linhvuc 5, 7": "Đã lưu lĩnh vực chuyên môn của anh/chị: Y tế, Khoa học, công nghệ, chuyển đổi số.",
    }
    for typed, answer in said.items():
        assert expert.send(typed)[0].text == answer, typed
    assert expert.send("/chuyengia linhvuc 99")[0].text.startswith("Gõ /chuyengia linhvuc và số các lĩnh vực")
    assert expert.send("/chuyengia sua 1 donvi Bệnh viện")[0].text.startswith("Để trả lời, gõ"), "an expert edits no one else"
    stored = profile(db, "Nguyễn Văn Khoa")
    assert (stored.title, stored.affiliation, stored.contact, stored.fields) == (
        "PGS.TS. Kinh tế", "Trường Đại học Lào Cai", "0912 345 678", ["y-te", "khcn"]
    )  # fmt: skip
    expert.send("/mydata")
    assert "PGS.TS. Kinh tế" in expert.text and "Trường Đại học Lào Cai" in expert.text and "0912 345 678" in expert.text

    expert.send("/lang en")
    assert expert.send("/chuyengia lienhe call me")[0].text == (
        "«call me» is neither a phone number nor an email address. E.g. 0912.345.678 or name@agency.gov.vn."
    )
    assert expert.send("/chuyengia lienhe khoa@dhlc.edu.vn")[0].text == "Saved the contact of Nguyễn Văn Khoa: khoa@dhlc.edu.vn."
    assert expert.send("/chuyengia donvi")[0].text == "Please type what to save after «donvi», e.g. /chuyengia donvi Trường Đại học Lào Cai."


def test_the_office_edits_any_expert_and_a_viewer_none(chat, db, clock, loaded) -> None:  # type: ignore[no-untyped-def]
    clock.moment = local(2027, 3, 1, 10)
    with session_scope(db) as session:
        paper = experts.record_on_paper(session, loaded, "TS. Lê Thị Hoa", date(2027, 2, 20), ["y-te"], clock())
        paper_id = paper.id
    admin, viewer = chat("lhh-admin"), chat("snv-viewer")
    before = snapshot(db)
    for typed in (f"/chuyengia sua {paper_id} donvi Bệnh viện tỉnh", "/chuyengia them Ông A | 1/3/2027 | 5"):
        assert viewer.send(typed)[0].text == "Chỉ Văn phòng Liên hiệp hội ghi và sửa hồ sơ chuyên gia trong ngân hàng chuyên gia."
    assert described(changes(before, snapshot(db))) == []
    assert admin.send("/chuyengia sua")[0].text.startswith("Gõ: /chuyengia sua SỐ-CHUYÊN-GIA")
    assert admin.send(f"/chuyengia sua {paper_id} diachi Lào Cai")[0].text.startswith("Gõ: /chuyengia sua SỐ-CHUYÊN-GIA")
    assert admin.send("/chuyengia sua 99999 donvi Bệnh viện")[0].text == "Không tìm thấy chuyên gia này trong ngân hàng chuyên gia."
    assert admin.send(f"/chuyengia sua {paper_id} donvi Bệnh viện Đa khoa tỉnh")[0].text == (
        "Đã lưu cơ quan công tác của TS. Lê Thị Hoa: Bệnh viện Đa khoa tỉnh."
    )
    assert admin.send(f"/chuyengia sua {paper_id} lienhe không có")[0].text.startswith("«không có» không phải số điện thoại")
    assert admin.send(f"/chuyengia sua {paper_id} linhvuc 1,5")[0].text == "Đã lưu lĩnh vực chuyên môn của TS. Lê Thị Hoa: Kinh tế, tài chính, Y tế."
    assert admin.send(f"/chuyengia sua {paper_id} hocham")[0].text.startswith("Xin gõ nội dung cần lưu sau «hocham»")
    stored = profile(db, "TS. Lê Thị Hoa")
    assert (stored.affiliation, stored.fields, stored.contact) == ("Bệnh viện Đa khoa tỉnh", ["kinh-te", "y-te"], "")

    expert = chat("lhh-expert")
    sample = profile(db, "Nguyễn Văn Khoa")
    expert.send("/forgetme")
    expert.press("Xóa dữ liệu")
    assert admin.send(f"/chuyengia sua {sample.id} donvi Trường Đại học")[0].text == "Không tìm thấy chuyên gia này trong ngân hàng chuyên gia."

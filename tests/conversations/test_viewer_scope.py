"""What a viewer reads: a viewer of the LHH or of an oversight body (Sở Nội vụ, seed 000
Điều 11.1: `oversight` in the programme file) reads every agency's roster, status and
exports; a viewer attached to another agency (`/invite SYT viewer`) reads only their own
agency's activities and dues, and is refused the office's views of all agencies."""

from __future__ import annotations

from locales.catalogue import t
from tests.conversations.test_join_flow import invite_code

OFFICE_VIEWS = ("status", "missing", "targets", "tasks", "agencies", "people", "export")
AGENCY_VIEWER = t("role.agency_viewer", "vi")


def joined_viewer(chat, agency: str, user: str):  # type: ignore[no-untyped-def]
    code = invite_code(chat("lhh-admin"), agency, "viewer")
    viewer = chat(user)
    viewer.send(f"/start {code}")
    viewer.press("Tôi đồng ý")
    viewer.send("Vũ Thị Thanh")
    assert viewer.text.startswith("Chào mừng Vũ Thị Thanh!")
    return viewer


def test_a_viewer_of_an_agency_reads_only_that_agency(chat) -> None:  # type: ignore[no-untyped-def]
    viewer = joined_viewer(chat, "SYT", "syt-viewer")
    assert "/activities" in viewer.text and "/status" not in viewer.text and "/people" not in viewer.text
    for command in OFFICE_VIEWS:
        viewer.send(f"/{command}")
        assert viewer.text == t("command.not_for_role", "vi", command=command, role=AGENCY_VIEWER), command
    viewer.send("/activities")
    assert viewer.text.startswith("Hoạt động phối hợp của Sở Y tế:")
    assert "Phổ biến kiến thức phòng chống dịch" in viewer.text
    viewer.send("/due")
    assert "Sở Y tế" in viewer.last[0].text
    for command in ("register", "report", "attach", "done"):
        viewer.send(f"/{command}")
        assert viewer.text == t("command.not_for_role", "vi", command=command, role=AGENCY_VIEWER), command
    viewer.send("/mydata")
    assert "Vũ Thị Thanh" in viewer.text


def test_a_viewer_of_the_lhh_or_of_sở_nội_vụ_reads_every_agency(chat) -> None:  # type: ignore[no-untyped-def]
    for viewer in (joined_viewer(chat, "LHH", "lhh-viewer"), chat("snv-viewer")):
        viewer.send("/status")
        assert "41 cơ quan" in viewer.last[0].text
        viewer.send("/people")
        assert "Nguyễn Thị Mai" in viewer.text
        viewer.send("/activities")
        assert viewer.text == t("command.not_for_role", "vi", command="activities", role=t("role.viewer", "vi"))

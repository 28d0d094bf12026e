"""The TVPB pages and the office's assessment in a real Chromium: the office opens a task
from the list and moves it on (council formed, workshop held), a viewer reads the same
record with no button, the assessment saved on the web is in the .docx downloaded from
the exports page (python-docx); the pages fit a 360 px phone. Screenshots of the pages go
to PHOIHOP_SCREENSHOTS (docs/screenshots for the README)."""

from __future__ import annotations

import io
import os
from pathlib import Path

from docx import Document
from playwright.sync_api import Page, expect

from handlers.engine import ConversationEngine
from tests.conftest import Chat
from tests.web.conftest import sign_in_path_of
from tests.web.test_browser import browser, page, site  # noqa: F401  (fixtures)
from tests.web.test_report_browser import PHONE, phone  # noqa: F401  (fixture)
from tests.web.test_webviews_routes import _record_rest_of_dossier
from tests.web.webviews_world import DIFFICULTY, USERS, World, fill_bank, open_late_task, world  # noqa: F401  (fixture)

DESK = {"width": 1100, "height": 900}


def sign_in(page: Page, site: tuple[str, ConversationEngine], role: str) -> None:  # noqa: F811
    url, engine = site
    page.goto(url + sign_in_path_of(engine, USERS[role]))


def shots() -> Path | None:
    folder = os.environ.get("PHOIHOP_SCREENSHOTS")
    return Path(folder) if folder else None


def test_the_office_opens_a_task_and_moves_it_on_a_viewer_sees_no_button(page, browser, site, world, db, lao_cai, clock) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    _record_rest_of_dossier(db, lao_cai, world, clock)
    Chat(site[1], USERS["expert"]).send(f"/chuyengia nhan {world.ours}")
    page.set_viewport_size(DESK)
    sign_in(page, site, "admin")
    page.click("nav >> text=Tư vấn, phản biện")
    page.click(f"a[href='/tvpb/{world.ours}']")
    expect(page.locator("#stage")).to_have_text("đã nhận hồ sơ")
    assert "chưa đầy đủ" in page.inner_text("#dossier") and "70 ngày" in page.inner_text("#council-days")
    page.fill("#form-council input[name=workshop_on]", "2027-01-08")
    page.click("#form-council button")
    assert f"Nhiệm vụ số {world.ours}: đã thành lập Hội đồng" in page.inner_text(".message")
    page.click("text=Quay lại")
    expect(page.locator("#stage")).to_have_text("đã thành lập Hội đồng")
    folder = shots()
    if folder is not None:
        page.screenshot(path=str(folder / "tvpb-task.png"), full_page=True)
    page.click("#next button")
    assert "đã tổ chức hội nghị phản biện" in page.inner_text(".message")
    page.click("text=Quay lại")
    expect(page.locator("#stage")).to_have_text("đã tổ chức hội nghị phản biện")
    assert page.locator("#log li").count() == 4

    viewer = browser.new_page()
    sign_in(viewer, site, "viewer")
    viewer.goto(f"{site[0]}/tvpb/{world.ours}")
    expect(viewer.locator("#stage")).to_have_text("đã tổ chức hội nghị phản biện")
    assert viewer.locator("#actions").count() == 0 and viewer.locator("main button").count() == 0
    viewer.close()


def test_the_assessment_saved_on_the_web_is_in_the_downloaded_docx(page, site, world) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    page.set_viewport_size(DESK)
    sign_in(page, site, "admin")
    page.click("#assess-link")
    assert DIFFICULTY in page.input_value("#f-shortcomings") and page.locator("textarea.suggested").count() == 2
    folder = shots()
    if folder is not None:
        page.screenshot(path=str(folder / "assess.png"), full_page=True)
    page.fill("#f-assessment", "Các cơ quan, đơn vị phối hợp chặt chẽ, đúng kế hoạch.")
    page.fill("#f-shortcomings", "Một số đơn vị gửi hồ sơ tư vấn, phản biện chậm.")
    page.fill("#f-signer_name", "Nguyễn Văn An")
    page.click("#assess button[type=submit]")
    assert "Đã lưu nội dung của Văn phòng" in page.inner_text("#saved")
    page.click("#saved a")
    with page.expect_download() as download:
        page.click("a[href='/exports/dv-nam/2026.docx']")
    document = Document(io.BytesIO(Path(download.value.path()).read_bytes()))
    texts = [p.text for p in document.paragraphs]
    assert "Các cơ quan, đơn vị phối hợp chặt chẽ, đúng kế hoạch." in texts
    assert "Một số đơn vị gửi hồ sơ tư vấn, phản biện chậm." in texts


def test_the_pages_fit_a_phone(phone, page, site, world, db, lao_cai, loaded, clock) -> None:  # type: ignore[no-untyped-def]
    open_late_task(db, lao_cai, loaded, clock)
    fill_bank(db, loaded, world.expert, clock)
    sign_in(phone, site, "admin")
    for path in ("/tvpb", f"/tvpb/{world.ours}", "/experts", "/assess"):
        phone.goto(site[0] + path)
        assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], path
    folder = shots()
    if folder is None:
        return
    phone.goto(f"{site[0]}/tvpb/{world.ours}")
    phone.screenshot(path=str(folder / "tvpb-task-360.png"), full_page=False)
    page.set_viewport_size(DESK)
    sign_in(page, site, "admin")
    for name, path in (("tvpb", "/tvpb"), ("experts", "/experts")):
        page.goto(site[0] + path)
        page.screenshot(path=str(folder / f"{name}.png"), full_page=True)

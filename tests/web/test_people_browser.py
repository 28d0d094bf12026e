"""The people and targets pages in a real Chromium at a phone's 360 px: an admin
deactivates a person once confirmed and undoes it, issues a fresh invite and copies its
code; a viewer sees no action; the targets page with its pace chart (Hà Giang's targets).
PHOIHOP_SCREENSHOTS=docs/screenshots keeps the two pages' screenshots (the README shows them)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy.engine import Engine as Database
from sqlmodel import select
from starlette.applications import Starlette

from bot.web.app import WebConfig, build_app
from handlers.engine import ConversationEngine
from models.db.engine import session_scope
from models.people.tables import Invite, Person
from models.programme.schema import load_programme
from tests.conftest import PROGRAMMES, Chat, Clock, local
from tests.conversations.test_office_commands import ha_giang_admin
from tests.web.browser import served
from tests.web.conftest import LINK, SECRET_KEY
from tests.web.test_browser import browser, page, sign_in, site  # noqa: F401  (fixtures)

PHONE = {"width": 360, "height": 740}


def fits(page: Page) -> None:
    """Nothing wider than the phone's screen (no sideways scrolling)."""
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], page.url


def screenshot(page: Page, name: str, tmp_path: Path) -> None:
    folder = Path(os.environ.get("PHOIHOP_SCREENSHOTS") or tmp_path)
    page.set_viewport_size({"width": 1100, "height": 800})
    page.screenshot(path=str(folder / f"{name}.png"), full_page=False)
    assert (folder / f"{name}.png").read_bytes().startswith(b"\x89PNG")


def test_an_admin_deactivates_undoes_and_reinvites_on_a_phone(page, site, db, tmp_path) -> None:  # type: ignore[no-untyped-def]
    url, _engine = site
    page.set_viewport_size(PHONE)
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=url)
    sign_in(page, site, "admin")
    page.click("nav >> text=Người dùng")
    expect(page.locator("#roster-count")).to_contain_text("42 cơ quan, đơn vị (trang 1/3)")
    fits(page)
    page.click("#agency-SYT >> text=Nguyễn Thị Mai")
    assert "Chuyên viên đầu mối" in page.locator("dl.card").inner_text()
    page.click("#deactivate")
    assert "Ngừng hoạt động tài khoản Nguyễn Thị Mai" in page.locator(".confirm").inner_text()
    fits(page)
    page.click("#confirm button")
    expect(page.locator("#note")).to_contain_text("Đã ngừng hoạt động tài khoản Nguyễn Thị Mai (Sở Y tế)")
    assert page.locator("#person-status").inner_text().startswith("ngừng hoạt động")
    with session_scope(db) as session:
        assert session.exec(select(Person.active).where(Person.full_name == "Nguyễn Thị Mai")).one() is False
    page.click("#reactivate button")
    expect(page.locator("#note")).to_contain_text("Đã khôi phục tài khoản Nguyễn Thị Mai")
    assert page.locator("#person-status").inner_text() == "đang hoạt động"
    page.click("#reinvite button")
    code = page.locator("#invite-code").inner_text()
    with session_scope(db) as session:
        invite = session.exec(select(Invite).where(Invite.code == code)).one()
        assert invite.used_at is None and invite.role.value == "specialist"
    assert "Lưu ý: vị trí này đang do Nguyễn Thị Mai đảm nhiệm." in page.locator(".warning").first.inner_text()
    fits(page)
    page.click("button[data-copy=invite-code]")
    expect(page.locator("button[data-copy=invite-code]")).to_have_text("Đã sao chép")
    assert page.evaluate("navigator.clipboard.readText()") == code
    page.screenshot(path=str(Path(os.environ.get("PHOIHOP_SCREENSHOTS") or tmp_path) / "invite-360.png"))
    page.goto(url + "/people")
    screenshot(page, "people", tmp_path)


def test_a_viewer_sees_the_roster_without_any_action_button(page, site, db) -> None:  # type: ignore[no-untyped-def]
    sign_in(page, site, "viewer")
    page.goto(site[0] + "/people?kind=so")
    expect(page.locator("#roster-count")).to_contain_text("16 cơ quan, đơn vị")
    assert page.locator("#roster button").count() == 0 and page.locator("form[action^='/people/']").count() == 0
    page.click("#agency-SYT >> text=Nguyễn Thị Mai")
    assert "Chuyên viên đầu mối" in page.locator("dl.card").inner_text()
    assert page.locator("#deactivate, #reactivate, #reinvite").count() == 0
    assert page.locator("nav a", has_text="Người dùng").count() == 1


@pytest.fixture
def ha_giang_site(db: Database, clock: Clock) -> Iterator[tuple[str, ConversationEngine]]:
    """Hà Giang's programme (ten term targets) served for real, with TVPB activities done."""
    clock.moment = local(2024, 6, 1, 9)
    ha_giang_admin(db, clock, load_programme(PROGRAMMES / "ha-giang-2021-2026.toml"), (date(2022, 5, 1), date(2023, 9, 1), date(2024, 3, 1)))
    engines: list[ConversationEngine] = []

    def app_at(url: str) -> Starlette:
        engines.append(ConversationEngine(db, clock, "ha-giang-2021-2026", web_url=url))
        return build_app(engines[0], WebConfig(url, SECRET_KEY))

    with served(app_at) as url:
        yield url, engines[0]


def test_the_targets_page_with_its_pace_chart_on_a_phone(page, ha_giang_site, tmp_path) -> None:  # type: ignore[no-untyped-def]
    url, engine = ha_giang_site
    page.set_viewport_size(PHONE)
    found = LINK.search(Chat(engine, "hg-admin").send("/web")[0].text)
    assert found
    page.goto(f"{url}/signin/{found.group(1)}")
    page.click("nav >> text=Chỉ tiêu")
    assert page.locator("h1").inner_text().startswith("Chỉ tiêu nhiệm kỳ 2021–2026 (tính đến 01/06/2024)")
    expect(page.locator("section.target")).to_have_count(10)
    tvpb = page.locator("#target-tvpb").inner_text()
    assert "3/25 nhiệm vụ (12%) · đang dự kiến 0" in tvpb and "đến nay cần khoảng 14,2 nhiệm vụ" in tvpb
    assert "Năm\t2021\t2022\t2023\t2024\nĐã thực hiện\t0\t1\t1\t1" in tvpb and "Mỗi năm cần khoảng 4,2 nhiệm vụ." in tvpb
    chart = page.locator("#pace-chart")
    loaded = "() => { const chart = document.getElementById('pace-chart'); return chart.complete && chart.naturalWidth > 0; }"
    page.wait_for_function(loaded, timeout=30_000)  # matplotlib draws it on request: seconds on a loaded machine
    expect(chart).to_be_visible()
    assert page.evaluate("document.getElementById('pace-chart').naturalWidth") > 300
    fits(page)
    screenshot(page, "targets", tmp_path)
    chart.screenshot(path=str(tmp_path / "chart.png"))
    if os.environ.get("PHOIHOP_SCREENSHOTS"):
        chart.screenshot(path=str(Path(os.environ["PHOIHOP_SCREENSHOTS"]) / "targets-chart.png"))

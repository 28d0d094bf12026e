"""The office's pages in a real Chromium: sign in by the link /web sends, the board, accept
and return a report, download the .docx (opened with python-docx), a viewer without the
review buttons, an expired and a reused link."""

from __future__ import annotations

import io
import re
import os
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from docx import Document
from playwright.sync_api import Browser, Page, expect, sync_playwright
from starlette.applications import Starlette

from sqlalchemy.engine import Engine as Database

from bot.web.app import WebConfig, build_app
from handlers.engine import ConversationEngine
from scheduler.calendar_text import render as calendar_text
from scheduler.plan import calendar
from tests.conftest import Clock
from tests.web.browser import CHROMIUM, CHROMIUM_ARGS, served
from tests.web.conftest import SECRET_KEY, sign_in_path
from tests.web.test_web_routes import submission_id  # noqa: F401  (fixture)

@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    """One Chromium for all the browser tests (they are all here). Not for the session:
    Playwright's sync API keeps an event loop running in the main thread while it is up,
    which asyncio tests after it cannot share."""
    assert CHROMIUM.exists(), "Debian's chromium is not installed: scripts/test installs it (apt-get install chromium)"
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def site(db: Database, loaded: int, clock: Clock) -> Iterator[tuple[str, ConversationEngine]]:
    """The web served for real; PUBLIC_URL is where it listens, so the links point at it."""
    engines: list[ConversationEngine] = []

    def app_at(url: str) -> Starlette:
        engines.append(ConversationEngine(db, clock, "lao-cai-31-2015", web_url=url))
        return build_app(engines[0], WebConfig(url, SECRET_KEY))

    with served(app_at) as url:
        yield url, engines[0]


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(accept_downloads=True)
    yield context.new_page()
    context.close()


def sign_in(page: Page, site: tuple[str, ConversationEngine], role: str) -> None:
    url, engine = site
    page.goto(url + sign_in_path(engine, role))


def test_an_admin_signs_in_sees_the_board_and_accepts_a_report(page, site, submission_id) -> None:  # type: ignore[no-untyped-def]
    sign_in(page, site, "admin")
    assert page.locator("h1").inner_text().startswith("Báo cáo năm")
    assert page.locator("#board tbody tr").count() == 41
    assert "1/41" in page.locator("#rates").inner_text()
    page.select_option("select[name=status]", "submitted")
    page.click("form.filters button")
    expect(page).to_have_url(re.compile(r"status=submitted"))
    page.wait_for_load_state()
    expect(page.locator("#board tbody tr")).to_have_count(1)
    page.click("text=Duyệt báo cáo")
    page.click("#queue a")
    page.click("#accept button")
    assert "Đã tiếp nhận" in page.locator(".message").inner_text()
    page.goto(site[0] + "/")
    assert "Đã tiếp nhận" in page.locator("#board").inner_text()


def test_an_admin_returns_a_report_with_a_reason(page, site, submission_id) -> None:  # type: ignore[no-untyped-def]
    sign_in(page, site, "admin")
    page.goto(f"{site[0]}/reports/{submission_id}")
    page.fill("#return textarea", "Thiếu số liệu hội thảo tháng 11")
    page.click("#return button")
    assert "trả lại" in page.locator(".message").inner_text().lower()


def test_the_docx_downloads_and_opens(page, site, submission_id) -> None:  # type: ignore[no-untyped-def]
    sign_in(page, site, "admin")
    page.click("text=Xuất báo cáo tổng hợp")
    with page.expect_download() as download:
        page.click("a[href='/exports/dv-nam/2026.docx']")
    content = open(download.value.path(), "rb").read()
    document = Document(io.BytesIO(content))
    assert any("2026" in paragraph.text for paragraph in document.paragraphs)


def test_a_viewer_reads_the_report_without_review_buttons(page, site, submission_id) -> None:  # type: ignore[no-untyped-def]
    sign_in(page, site, "viewer")
    assert page.locator("#board tbody tr").count() == 41
    page.goto(f"{site[0]}/reports/{submission_id}")
    assert page.locator(".summary").count() == 1
    assert page.locator("#accept").count() == 0 and page.locator("#return").count() == 0


def test_a_reused_and_an_expired_link_say_so(page, site, clock) -> None:  # type: ignore[no-untyped-def]
    url, engine = site
    path = sign_in_path(engine, "admin")
    page.goto(url + path)
    page.context.clear_cookies()
    page.goto(url + path)
    assert "đã được sử dụng" in page.locator(".message").inner_text()
    late = sign_in_path(engine, "admin")
    clock.moment += timedelta(minutes=11)
    page.goto(url + late)
    assert "hết hạn" in page.locator(".message").inner_text()


def test_screenshots_of_the_main_pages(page, site, submission_id, tmp_path) -> None:  # type: ignore[no-untyped-def]
    """PHOIHOP_SCREENSHOTS=docs/screenshots keeps them (the README shows them)."""
    folder = Path(os.environ.get("PHOIHOP_SCREENSHOTS") or tmp_path)
    page.set_viewport_size({"width": 1100, "height": 800})
    sign_in(page, site, "admin")
    shots = {"board": "/", "review": f"/reports/{submission_id}", "exports": "/exports"}
    for name, path in shots.items():
        page.goto(site[0] + path)
        page.screenshot(path=str(folder / f"{name}.png"))
        assert (folder / f"{name}.png").read_bytes().startswith(b"\x89PNG")


def test_the_calendar_its_ics_and_an_agency_from_the_board(page, site, clock, lao_cai) -> None:  # type: ignore[no-untyped-def]
    """The calendar is `phoihop schedule`'s plan for the year and its .ics holds one event per
    entry; an agency opened from the board names its focal points and their roles in words."""
    url, engine = site
    sign_in(page, site, "admin")
    page.click("nav a[href='/calendar']")
    year = clock().year
    plan = calendar(lao_cai, year)
    assert page.locator("#calendar").inner_text().strip() == calendar_text(lao_cai, plan, year, "vi").strip()
    with page.expect_download() as download:
        page.click("#ics")
    ics = open(download.value.path(), encoding="utf-8").read()
    assert ics.startswith("BEGIN:VCALENDAR") and ics.rstrip().endswith("END:VCALENDAR")
    assert ics.count("BEGIN:VEVENT") == ics.count("END:VEVENT") == len(plan) > 0
    page.goto(url + "/")
    page.click("#board a[href='/agencies/SYT']")
    focal = page.locator("#focal-points").inner_text()
    assert "Lãnh đạo phụ trách" in focal and "Chuyên viên đầu mối" in focal and "leader" not in focal

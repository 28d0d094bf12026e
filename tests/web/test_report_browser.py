"""The one-page report in a real Chromium at a phone's 360 px: fill and submit it; the
Telegram Mini App page with valid initData (signed in, Telegram's colours) and forged."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from urllib.parse import quote

import pytest
from playwright.sync_api import Browser, Page
from sqlalchemy.engine import Engine as Database
from sqlmodel import select
from starlette.applications import Starlette

from bot.web.app import WebConfig, build_app
from handlers.engine import ConversationEngine
from models.db.engine import session_scope
from models.reporting.tables import ReportItem, Submission, SubmissionStatus
from tests.conftest import Clock, local
from tests.support.harness import link_sample
from tests.support.mini_app import TOKEN, telegram_init_data
from tests.web.browser import served
from tests.web.conftest import SECRET_KEY, sign_in_path
from tests.web.test_browser import browser  # noqa: F401  (fixture)

SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
PHONE = {"width": 360, "height": 780}
THEME = '{"bg_color":"#17212b","text_color":"#f5f5f5","hint_color":"#708499","button_color":"#5288c1","button_text_color":"#ffffff"}'


@pytest.fixture
def site(db: Database, loaded: int, clock: Clock) -> Iterator[tuple[str, ConversationEngine]]:
    clock.moment = local(2026, 12, 16, 9)
    engines: list[ConversationEngine] = []

    def app_at(url: str) -> Starlette:
        engines.append(ConversationEngine(db, clock, "lao-cai-31-2015", web_url=url))
        app = build_app(engines[0], WebConfig(url, SECRET_KEY))
        app.state.telegram_token = TOKEN
        return app

    with served(app_at) as url:
        yield url, engines[0]


@pytest.fixture
def phone(browser: Browser) -> Iterator[Page]:  # noqa: F811
    context = browser.new_context(viewport=PHONE, device_scale_factor=2, is_mobile=True, has_touch=True)
    yield context.new_page()
    context.close()


def test_a_focal_point_fills_and_submits_the_report_on_a_phone(phone: Page, site, db) -> None:  # type: ignore[no-untyped-def]
    url, engine = site
    phone.goto(url + sign_in_path(engine, "specialist") + "?next=/report")
    phone.click("text=Báo cáo năm kết quả thực hiện chương trình phối hợp — năm 2026")
    assert phone.input_value("#f-hoi-thao") == "1"
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    phone.fill("#f-kinh-phi", "mười")
    phone.click("button[value=save]")
    assert "«mười» không phải là một số" in phone.inner_text("main")
    phone.fill("#f-kinh-phi", "12,5")
    phone.fill("#f-n\\:pbkt", "Tổ chức 2 hội thảo phổ biến kiến thức phòng chống dịch")
    phone.click("button[value=save]")
    assert "Đã lưu bản nháp" in phone.inner_text("#notice")
    SCREENSHOTS.mkdir(exist_ok=True)
    phone.screenshot(path=str(SCREENSHOTS / "report-360.png"), full_page=False)
    phone.click("button[value=submit]")
    assert "Đã nộp Báo cáo năm" in phone.inner_text("#notice")
    with session_scope(db) as session:
        submission = session.exec(select(Submission).where(Submission.status == SubmissionStatus.SUBMITTED)).one()
        kinh_phi = session.exec(select(ReportItem).where(ReportItem.submission_id == submission.id, ReportItem.code == "kinh-phi")).one()
    assert kinh_phi.value == 12.5


def test_the_mini_app_signs_in_with_valid_init_data_and_refuses_forged(phone: Page, site, db, clock: Clock) -> None:  # type: ignore[no-untyped-def]
    url, _ = site
    link_sample(db, "syt-specialist", ("telegram", "4242", "4242"), clock())
    valid = telegram_init_data(auth_date=clock() - timedelta(minutes=5))
    phone.goto(f"{url}/miniapp#tgWebAppData={quote(valid)}&tgWebAppThemeParams={quote(THEME)}")
    phone.wait_for_url(f"{url}/report")
    assert "Báo cáo năm" in phone.inner_text("main")
    assert phone.evaluate("getComputedStyle(document.body).backgroundColor") == "rgb(23, 33, 43)"

    forged = valid.replace("4242", "4243")
    answer = phone.goto(f"{url}/miniapp#tgWebAppData={quote(forged)}")
    phone.wait_for_load_state()
    phone.wait_for_function("document.querySelector('#miniapp') === null")
    assert "Không xác thực được dữ liệu Mini App" in phone.inner_text("main")
    assert answer is not None

"""The targets page: the figures of the chat's /targets (term, pace by today, year by year)
on Hà Giang's term targets, and the pace chart as a PNG; refused as /targets is refused."""

from __future__ import annotations

import html
import re
from datetime import date

import pytest
from starlette.testclient import TestClient

from bot.web.app import WebConfig, build_app
from handlers.engine import ConversationEngine
from models.programme.schema import load_programme
from tests.conftest import PROGRAMMES, Chat, local
from tests.conversations.test_office_commands import ha_giang_admin
from tests.web.conftest import LINK, PUBLIC_URL, SECRET_KEY

SECTION = re.compile(r'<section class="target" id="target-([^"]+)">(.*?)</section>', re.S)
TVPB_DAYS = (date(2022, 5, 1), date(2023, 9, 1), date(2024, 3, 1), date(2019, 1, 1))


def signed_in(engine: ConversationEngine, user: str) -> TestClient:
    client = TestClient(build_app(engine, WebConfig(PUBLIC_URL, SECRET_KEY)), base_url=PUBLIC_URL, follow_redirects=False)
    found = LINK.search(Chat(engine, user).send("/web")[0].text)
    assert found
    assert client.get(f"/signin/{found.group(1)}").status_code == 303
    return client


@pytest.fixture
def ha_giang(db, clock) -> tuple[Chat, TestClient]:  # type: ignore[no-untyped-def]
    programme = load_programme(PROGRAMMES / "ha-giang-2021-2026.toml")
    clock.moment = local(2024, 1, 1, 9)
    talk = ha_giang_admin(db, clock, programme, TVPB_DAYS)
    return talk, signed_in(ConversationEngine(db, clock, programme.code, web_url=PUBLIC_URL), "hg-admin")


def text_of(fragment: str) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", fragment)).split())


def test_the_page_shows_the_figures_of_the_chats_targets(ha_giang) -> None:  # type: ignore[no-untyped-def]
    talk, client = ha_giang
    page = client.get("/targets")
    assert page.status_code == 200
    talk.send("/targets")
    chat = talk.last[0].text
    sections = dict(SECTION.findall(page.text))
    assert len(sections) == chat.count("\n• ") == 10, chat
    for code, section in sections.items():
        words = text_of(section)
        name = text_of(re.search(r"<h2>(.*?)</h2>", section, re.S).group(1))  # type: ignore[union-attr]
        done, goal = re.search(r'class="done">(\d+)</strong>/<span class="goal">(\d+)', section).groups()  # type: ignore[union-attr]
        percent = re.search(r'class="percent">(\d+)%', section).group(1)  # type: ignore[union-attr]
        planned = re.search(r"đang dự kiến (\d+)", words).group(1)  # type: ignore[union-attr]
        line = next(line for line in chat.split("\n\n") if line.startswith(f"• {name}:"))
        assert f": đã thực hiện {done}/{goal} " in line and f"({percent}%), đang dự kiến {planned}" in line, (code, line, words)
        pace = re.search(r"cần khoảng ([\d,]+)", line)
        if pace:
            assert f"Theo tiến độ đều của nhiệm kỳ, đến nay cần khoảng {pace.group(1)}" in words
        years = re.findall(r"(\d{4}): (\d+)", line.split("theo từng năm")[1])
        header = re.findall(r"<th>(\d{4})</th>", section)
        cells = re.findall(r"<td>(\d+)</td>", section)
        assert list(zip(header, cells, strict=True)) == years, (code, years)
        share = re.search(r"mỗi năm cần khoảng ([\d,]+)", line)
        assert share and f"Mỗi năm cần khoảng {share.group(1)} " in words
    tvpb = text_of(sections["tvpb"])
    assert "2 / 25 nhiệm vụ ( 8% )" in tvpb and "Theo tiến độ đều của nhiệm kỳ, đến nay cần khoảng 12,5 nhiệm vụ" in tvpb
    assert '<img id="pace-chart" src="/targets/pace.png"' in page.text


def test_the_pace_chart_is_a_png_served_with_the_page(ha_giang) -> None:  # type: ignore[no-untyped-def]
    _talk, client = ha_giang
    chart = client.get("/targets/pace.png")
    assert chart.status_code == 200 and chart.headers["content-type"] == "image/png" and chart.content.startswith(b"\x89PNG")
    assert "frame-ancestors 'none'" in chart.headers["content-security-policy"]


def test_without_targets_the_page_says_so_and_serves_no_chart(client_as) -> None:  # type: ignore[no-untyped-def]
    admin = client_as("admin")
    page = admin.get("/targets")
    assert page.status_code == 200 and "Chương trình này không đặt chỉ tiêu nhiệm kỳ." in page.text and "pace-chart" not in page.text
    assert admin.get("/targets/pace.png").status_code == 404
    assert client_as("specialist").get("/targets/pace.png").status_code == 403
    assert client_as("stranger").get("/targets/pace.png").status_code == 401

"""The people page over HTTP: the roster by agency and seat, paged and by agency kind; an
admin deactivates a person once confirmed and undoes it, or issues a fresh invite for a
seat (its code, join link and warnings), exactly as the chat's /people and /invite do — the
same log, the same outbox rows; every action refused as the chat refuses it; viewers read."""

from __future__ import annotations

import re

import pytest
from sqlmodel import func, select

from models.db.engine import session_scope
from models.outbox.tables import OutboxMessage
from models.people.tables import Invite, Person, ProcessingLog, Role
from tests.conversations.test_people_and_words import join
from tests.support.command_table import ROLES
from tests.web.conftest import csrf_of
from tests.web.test_web_routes import expected

ACTIONS = {  # path -> the chat command whose roles it has
    "/people/{person}/deactivate": "invite",
    "/people/{person}/reactivate": "invite",
    "/people/invite": "invite",
}
CODE_ON_PAGE = re.compile(r'<code id="invite-code">([A-Z0-9]{8})</code>')


def person_id(db, name: str) -> int:  # type: ignore[no-untyped-def]
    with session_scope(db) as session:
        return session.exec(select(Person.id).where(Person.full_name == name)).one()


def state(db, person: int) -> tuple[bool, int, int, int]:  # type: ignore[no-untyped-def]
    """The person's active flag, and how many invites, outbox rows and log rows there are."""
    with session_scope(db) as session:
        found = session.get(Person, person)
        assert found is not None
        counts = [session.exec(select(func.count()).select_from(table)).one() for table in (Invite, OutboxMessage, ProcessingLog)]
        return (found.active, *counts)  # type: ignore[return-value]


def csrf_for(client, role: str) -> str:  # type: ignore[no-untyped-def]
    return "x" if role == "stranger" else csrf_of(client.get("/people").text)


@pytest.mark.parametrize("role", ROLES)
def test_every_people_action_refuses_who_the_chat_refuses_and_changes_nothing(client_as, chat, db, role) -> None:  # type: ignore[no-untyped-def]
    mai = person_id(db, "Nguyễn Thị Mai")
    chat("lhh-admin").send("/invite SXD leader")
    with session_scope(db) as session:
        invite = session.exec(select(Invite.id)).one()
    before = state(db, mai)
    client = client_as(role)
    assert client.get(f"/people/invites/{invite}").status_code == expected("invite", role)
    csrf = csrf_for(client, role)
    for path, command in ACTIONS.items():
        answer = client.post(path.format(person=mai), data={"csrf": csrf, "agency": "SYT", "role": "specialist"})
        assert answer.status_code == (303 if expected(command, role) == 200 else expected(command, role)), (path, role, answer.text[:300])
    assert client.get(f"/people/{mai}/deactivate").status_code == expected("invite", role)
    if role == "admin":
        assert state(db, mai)[:2] == (True, before[1] + 1)
    else:
        assert state(db, mai) == before


def test_a_post_without_the_right_csrf_token_changes_nothing(client_as, db) -> None:  # type: ignore[no-untyped-def]
    mai = person_id(db, "Nguyễn Thị Mai")
    before = state(db, mai)
    admin = client_as("admin")
    stolen = csrf_of(client_as("admin").get("/people").text)
    for data in ({}, {"csrf": "forged"}, {"csrf": stolen}):
        assert admin.post(f"/people/{mai}/deactivate", data=data).status_code == 403
        assert admin.post("/people/invite", data={**data, "agency": "SYT", "role": "specialist"}).status_code == 403
    assert state(db, mai) == before


def test_deactivate_asks_first_can_be_undone_and_does_what_the_chat_does(client_as, chat, db) -> None:  # type: ignore[no-untyped-def]
    """The web stops Nguyễn Thị Mai as the chat stops Đỗ Văn Hùng: one log row each, alike,
    and the same outbox rows (the chat writes none for it)."""
    mai, hung = person_id(db, "Nguyễn Thị Mai"), person_id(db, "Đỗ Văn Hùng")
    admin = client_as("admin")
    card = admin.get(f"/people/{mai}")
    assert 'id="deactivate"' in card.text and "Chuyên viên đầu mối" in card.text
    confirm = admin.get(f"/people/{mai}/deactivate")
    assert "Ngừng hoạt động tài khoản Nguyễn Thị Mai, chuyên viên đầu mối của Sở Y tế?" in confirm.text
    assert state(db, mai)[0] is True
    before = state(db, mai)
    done = admin.post(f"/people/{mai}/deactivate", data={"csrf": csrf_of(confirm.text)})
    assert done.status_code == 303 and done.headers["location"] == f"/people/{mai}?done=deactivated"
    after = admin.get(done.headers["location"])
    assert "Đã ngừng hoạt động tài khoản Nguyễn Thị Mai (Sở Y tế)" in after.text and 'id="reactivate"' in after.text
    assert "ngừng hoạt động" in after.text and 'id="deactivate"' not in after.text
    web_delta = [a - b for a, b in zip(state(db, mai)[1:], before[1:], strict=True)]

    talk = chat("lhh-admin")
    talk.send("/people")
    talk.press("Đỗ Văn Hùng")
    talk.press("Ngừng hoạt động")
    before_chat = state(db, hung)
    talk.press("Xác nhận")
    chat_delta = [a - b for a, b in zip(state(db, hung)[1:], before_chat[1:], strict=True)]
    assert web_delta == chat_delta == [0, 0, 1]
    with session_scope(db) as session:
        logs = {row.person_id: row for row in session.exec(select(ProcessingLog).where(ProcessingLog.action == "deactivated"))}
        admin_id = session.exec(select(Person.id).where(Person.role == Role.ADMIN).order_by(Person.id)).first()
    assert logs[mai].detail == logs[hung].detail == {"reason": "deactivated_by_admin"}
    assert logs[mai].actor_person_id == logs[hung].actor_person_id == admin_id

    undone = admin.post(f"/people/{mai}/reactivate", data={"csrf": csrf_of(after.text)})
    assert undone.status_code == 303
    assert "Đã khôi phục tài khoản Nguyễn Thị Mai (Sở Y tế)" in admin.get(undone.headers["location"]).text
    assert state(db, mai)[0] is True


def test_an_admin_cannot_stop_themselves(client_as, db) -> None:  # type: ignore[no-untyped-def]
    admin = client_as("admin")
    with session_scope(db) as session:
        me = session.exec(select(Person.id).where(Person.role == Role.ADMIN).order_by(Person.id)).first()
    page = admin.get(f"/people/{me}")
    assert 'id="deactivate"' not in page.text
    refused = admin.post(f"/people/{me}/deactivate", data={"csrf": csrf_of(page.text)})
    assert refused.status_code == 400 and "không thể tự ngừng hoạt động" in refused.text
    assert state(db, me)[0] is True  # type: ignore[arg-type]


def test_undo_is_refused_once_the_seat_is_taken(client_as, chat, db) -> None:  # type: ignore[no-untyped-def]
    mai = person_id(db, "Nguyễn Thị Mai")
    admin = client_as("admin")
    csrf = csrf_of(admin.get("/people").text)
    admin.post(f"/people/{mai}/deactivate", data={"csrf": csrf})
    shown = admin.get(admin.post("/people/invite", data={"csrf": csrf, "agency": "SYT", "role": "specialist"}).headers["location"])
    code = CODE_ON_PAGE.search(shown.text)
    assert code, shown.text
    join(chat, code.group(1), "tg-7101", "Lê Thu Hà")
    refused = admin.post(f"/people/{mai}/reactivate", data={"csrf": csrf})
    assert refused.status_code == 409 and "vị trí này đã có người khác đảm nhiệm" in refused.text
    assert state(db, mai)[0] is False


def test_a_fresh_invite_shows_its_code_its_link_and_the_warnings_of_the_chat(client_as, app, db) -> None:  # type: ignore[no-untyped-def]
    app.state.bot_names["telegram"] = "phoihop_test_bot"
    admin = client_as("admin")
    csrf = csrf_of(admin.get("/people").text)
    first = admin.post("/people/invite", data={"csrf": csrf, "agency": "SYT", "role": "specialist"})
    assert first.status_code == 303 and first.headers["location"].startswith("/people/invites/")
    page = admin.get(first.headers["location"])
    code = CODE_ON_PAGE.search(page.text)
    assert code
    with session_scope(db) as session:
        invite = session.exec(select(Invite).where(Invite.code == code.group(1))).one()
        assert invite.role is Role.SPECIALIST and invite.used_at is None
    assert f"https://t.me/phoihop_test_bot?start={code.group(1)}" in page.text and f"/start {code.group(1)}" in page.text
    assert "Lưu ý: vị trí này đang do Nguyễn Thị Mai đảm nhiệm." in page.text and "còn" not in page.text.split("Nguyễn Thị Mai đảm nhiệm")[1][:200]
    assert 'src="/static/copy.js"' in page.text and "data-copy=\"invite-code\"" in page.text
    second = admin.get(admin.post("/people/invite", data={"csrf": csrf, "agency": "SYT", "role": "specialist"}).headers["location"])
    assert f"Lưu ý: vị trí này còn 1 mã mời trước chưa dùng: {code.group(1)} (" in second.text
    app.state.bot_names.clear()
    assert "t.me" not in admin.get(first.headers["location"]).text
    assert admin.post("/people/invite", data={"csrf": csrf, "agency": "NOPE", "role": "specialist"}).status_code == 404
    lhh = admin.post("/people/invite", data={"csrf": csrf, "agency": "LHH", "role": "specialist"})
    assert lhh.status_code == 400


def test_the_invite_page_is_the_chats_invite_for_the_seat(client_as, chat, db) -> None:  # type: ignore[no-untyped-def]
    """The chat's /invite for the same seat now warns of the web's invite, as of its own."""
    admin = client_as("admin")
    csrf = csrf_of(admin.get("/people").text)
    page = admin.get(admin.post("/people/invite", data={"csrf": csrf, "agency": "SXD", "role": "leader"}).headers["location"])
    code = CODE_ON_PAGE.search(page.text)
    assert code
    talk = chat("lhh-admin")
    talk.send("/invite SXD leader")
    assert f"còn 1 mã mời trước chưa dùng: {code.group(1)}" in talk.text


def test_the_roster_by_agency_and_seat_paged_and_by_kind(client_as, db) -> None:  # type: ignore[no-untyped-def]
    viewer = client_as("viewer")
    first = viewer.get("/people")
    assert "42 cơ quan, đơn vị (trang 1/3)" in first.text
    assert first.text.index('id="agency-LHH"') < first.text.index('id="agency-SYT"')
    syt = first.text.split('id="agency-SYT"')[1].split("</section>")[0]
    assert "Lãnh đạo phụ trách" in syt and "Đỗ Văn Hùng" in syt and "Chuyên viên đầu mối" in syt and "Nguyễn Thị Mai" in syt
    assert "· Console · từ " in syt
    departments = viewer.get("/people?kind=so")
    assert "16 cơ quan, đơn vị (trang 1/1)" in departments.text and 'id="agency-LHH"' not in departments.text
    assert departments.text.count('class="agency-seats"') == 16
    last = viewer.get("/people?page=99")
    assert "(trang 3/3)" in last.text and last.text.count('class="agency-seats"') == 2
    assert viewer.get("/people?kind=nothing").text.count('class="agency-seats"') == 20


def test_a_viewer_reads_the_roster_and_a_card_without_any_action(client_as, db) -> None:  # type: ignore[no-untyped-def]
    viewer = client_as("viewer")
    mai = person_id(db, "Nguyễn Thị Mai")
    for path in ("/people", f"/people/{mai}"):
        page = viewer.get(path)
        assert page.status_code == 200 and "Nguyễn Thị Mai" in page.text
        assert 'action="/people/' not in page.text and 'id="deactivate"' not in page.text, path
    assert 'action="/people/invite"' in client_as("admin").get("/people").text
    assert viewer.get("/people/999999").status_code == 404


def test_the_agency_page_names_the_roles_in_words(client_as) -> None:  # type: ignore[no-untyped-def]
    page = client_as("admin").get("/agencies/SYT")
    assert "Nguyễn Thị Mai (Chuyên viên đầu mối)" in page.text and "Đỗ Văn Hùng (Lãnh đạo phụ trách)" in page.text
    assert "(specialist)" not in page.text and "(leader)" not in page.text


def test_the_roster_reads_three_statements_at_any_page(client_as, db) -> None:  # type: ignore[no-untyped-def]
    from bench.sql_per_update import StatementLog

    viewer = client_as("viewer")
    log = StatementLog(db)
    counts = []
    for path in ("/people", "/people?page=2", "/people?kind=hoi"):
        with log.count() as statements:
            assert viewer.get(path).status_code == 200
        counts.append(len(statements))
    assert len(set(counts)) == 1, counts



async def test_the_telegram_bots_name_once_announced_makes_the_invite_link(engine, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    """`run` keeps the name each channel announces on the web app: Telegram's username is
    what the invite page's t.me link needs."""
    import asyncio

    from bot import runner
    from bot.channels.setup import ChannelRun
    from bot.sender import Limits
    from bot.settings import Settings
    from bot.web.app import WebConfig
    from tests.support.harness import free_port
    from tests.web.conftest import PUBLIC_URL, SECRET_KEY

    built = []
    real_build = runner.build_app
    monkeypatch.setattr(runner, "build_app", lambda *args, **kwargs: built.append(real_build(*args, **kwargs)) or built[-1])

    async def serve(_engine, stop, on_ready, _beside) -> None:  # type: ignore[no-untyped-def]
        on_ready("phoihop_test_bot")
        stop.set()

    announced: list[tuple[str, str]] = []
    settings = Settings(_env_file=None, web_listen="127.0.0.1", web_port=free_port())  # type: ignore[call-arg]
    run = ChannelRun("telegram", serve, Limits(), ())
    await runner.serve_with_web(engine, [run], settings, asyncio.Event(), lambda *said: announced.append(said), WebConfig(PUBLIC_URL, SECRET_KEY))
    assert built[0].state.bot_names == {"telegram": "phoihop_test_bot"}
    assert ("telegram", "phoihop_test_bot") in announced


def test_the_card_says_what_was_done_only_while_it_holds(client_as, db) -> None:  # type: ignore[no-untyped-def]
    mai = person_id(db, "Nguyễn Thị Mai")
    admin = client_as("admin")
    assert "Đã ngừng hoạt động tài khoản" not in admin.get(f"/people/{mai}?done=deactivated").text
    assert "Đã khôi phục tài khoản Nguyễn Thị Mai" in admin.get(f"/people/{mai}?done=reactivated").text

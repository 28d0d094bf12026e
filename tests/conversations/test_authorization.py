"""The authorisation matrix, and no access across agencies.

TABLE (tests/support/command_table.py) says, for every command the engine is wired with,
what each role gets in a private chat and in a group chat: the command's own answer (OK,
recognised by the catalogue text of that command's first reply) or one of the polite
refusals. The group half is checked
in a group that is not bound, one bound to the speaker's agency and one bound to another
agency: commands never look at the binding (only /bind reports it), and everything but /help
and /bind asks for a private chat, so the cells are the same in all three. Refused cells
must change nothing, and /help lists what works in that chat, in the wiring's order.

Then a focal point of the Sở Y tế (A) goes for the Sở Nông nghiệp's (B) data on every path
the engine has: buttons copied from B's or the office's prompts, pressed in another chat, or
forged with A's own nonce; ids, numbers, labels and codes typed into commands and forms;
lists, paging, /due, /done, /report, /attach; review notices and group notices. B's rows stay
as they were and nothing private to B (marked MARK_B) reaches A. A person deactivated while
a form is open can write nothing more through it. Last, a viewer runs everything, with
arguments, and changes nothing but their own settings.

By design, and so not attacks: an activity A is a partner in is A's too (listed as
registered by its lead, attachable, counted in A's report once A ticks it there); the
all-focal-points group hears about every agency. Snapshots leave
out bookkeeping (tests/support/authz_world.py).
"""

from __future__ import annotations

import re
from string import Formatter

import pytest
from sqlmodel import select

from handlers.conversations import WIRING
from handlers.types import ChatKind, FileRef, Reply
from locales.catalogue import catalogue, t
from models.db.engine import session_scope
from models.outbox.tables import OutboxMessage
from models.people.roster import deactivate
from models.people.tables import Person
from models.programme.tables import Agency
from scheduler.jobs import run_jobs
from tests.conftest import Chat, local
from tests.support.authz_world import (
    GROUP_A,
    GROUP_B,
    GROUP_FREE,
    MARK_A,
    MARK_B,
    Change,
    World,
    build_world,
    changes,
    described,
    rows_of,
    snapshot,
)
from tests.support.command_table import ADMIN, BACK, GROUP, JOIN, NOTHING, OK, PEOPLE, PRIVATE, ROLE, ROLES, TABLE, listed

AGENCY_OF = {"specialist": "SYT", "leader": "SYT", "viewer": "SNV", "agency_viewer": "SKHCN", "admin": "LHH"}
WORKS = frozenset({OK, BACK})

CONTEXTS = {  # chat -> (chat_ref, agency the group is bound to)
    "private": (None, None),
    "group, not bound": (GROUP_FREE, None),
    "group of the speaker's agency": (GROUP_A, "SYT"),
    "group of another agency": (GROUP_B, "SNNPTNT"),
}
STALE = t("common.stale_button", "vi")


@pytest.fixture
def world(db, loaded, lao_cai, clock) -> World:  # type: ignore[no-untyped-def]
    return build_world(db, lao_cai, loaded, clock())


def pattern(key: str, **known: str) -> re.Pattern[str]:
    """The Vietnamese text of `key` as a pattern: placeholders given in `known` literally,
    the others as any text."""
    parts = []
    for literal, field, _, _ in Formatter().parse(catalogue("vi").get(key, key)):
        parts.append(re.escape(literal))
        if field is not None:
            parts.append(re.escape(known[field]) if field in known else ".+?")
    return re.compile("".join(parts), re.DOTALL)


def agency_names(db) -> dict[str, str]:  # type: ignore[no-untyped-def]
    with session_scope(db) as session:
        return {agency.code: agency.name for agency in session.exec(select(Agency))}


def expected_answer(command: str, role: str, outcome: str, bound_to: str | None, names: dict[str, str]) -> re.Pattern[str]:
    answer = "join.welcome_back" if outcome == BACK else TABLE[command].answer
    if command == "bind":
        return pattern("bind.current", target=names[bound_to]) if bound_to else pattern("bind.current_none")
    if isinstance(answer, dict):
        answer = answer.get(role) or answer.get("stranger" if role == "stranger" else "member", "")
    scoped = answer in ("activities.title", "activities.none_to_read", "due.title", "join.welcome_back", "privacy.mydata")
    scoped = scoped and role in AGENCY_OF
    known = {"agency": names[AGENCY_OF[role]]} if scoped else {}
    return pattern(answer, **known)


def refusal(outcome: str, command: str, role: str) -> str:
    return {
        JOIN: lambda: t("command.join_first", "vi"),
        ROLE: lambda: t("command.not_for_role", "vi", command=command, role=t(f"role.{role}", "vi")),
        ADMIN: lambda: t("command.admins_only", "vi", command=command),
        PRIVATE: lambda: t("command.private_only", "vi", command=command),
        GROUP: lambda: t("bind.group_only", "vi"),
        NOTHING: lambda: t("privacy.nothing_stored", "vi"),
    }[outcome]()


def cell_problem(command: str, role: str, outcome: str, replies: list[Reply], answer: re.Pattern[str]) -> str | None:
    first = replies[0].text if replies else ""
    if outcome not in WORKS:
        wanted = refusal(outcome, command, role)
        return None if [r.text for r in replies] == [wanted] else f"wanted {outcome}, got {first[:90]!r}"
    if not answer.match(first):
        return f"wanted OK /{command} ({answer.pattern[:40]}…), got {first[:90]!r}"
    if command == "export" and [r.document.filename.rsplit(".", 1)[1] for r in replies if r.document] != ["docx", "xlsx"]:
        return "wanted the Word and Excel files"
    return None


def shown(text: str) -> list[str]:
    return re.findall(r"^/(\w+) — ", text, re.MULTILINE)


def test_the_table_names_every_command_once() -> None:
    assert set(TABLE) == set(WIRING.commands), set(TABLE) ^ set(WIRING.commands)
    assert all(len(row.cells) == 2 * len(ROLES) for row in TABLE.values())


@pytest.mark.parametrize("where", sorted(CONTEXTS))
def test_each_command_for_each_role(chat, db, world, where: str) -> None:  # type: ignore[no-untyped-def]
    """Refused cells first (the database must not change), then the OK cells; /help must
    list what works there and nothing that is refused."""
    chat_ref, bound_to = CONTEXTS[where]
    column = 0 if chat_ref is None else len(ROLES)
    kind = ChatKind.PRIVATE if chat_ref is None else ChatKind.GROUP
    names = agency_names(db)
    people = {role: chat(PEOPLE[role], chat=chat_ref, kind=kind) for role in ROLES}
    cells = [(command, role, row.cells[column + i]) for command, row in sorted(TABLE.items()) for i, role in enumerate(ROLES)]
    wrong = []
    before = snapshot(db)
    for command, role, outcome in sorted(cells, key=lambda cell: cell[2] in WORKS):
        if outcome in WORKS and before is not None:
            assert described(changes(before, snapshot(db))) == [], f"a refused command changed data ({where})"
            before = None
        person = people[role]
        replies = person.send(f"/{command}")
        problem = cell_problem(command, role, outcome, replies, expected_answer(command, role, outcome, bound_to, names))
        if problem:
            wrong.append(f"/{command} · {role} · {where}: {problem}")
        if outcome == OK and person.last and (person.last[-1].buttons or person.last[-1].expects_text):
            person.send("/cancel")
    assert wrong == []
    for role in ROLES:
        assert shown(people[role].send("/help")[0].text) == listed(role, private=chat_ref is None), (role, where)


def test_unknown_commands_and_chatter_in_a_group_get_no_answer(chat) -> None:  # type: ignore[no-untyped-def]
    for who in ("stranger-1", "syt-specialist", "lhh-admin"):
        member = chat(who, chat=GROUP_A, kind=ChatKind.GROUP)
        assert member.send("/khongco") == [] and member.send("chào cả nhóm") == [] and member.send("1") == []
        alone = chat(who)
        assert alone.send("/khongco")[0].text == t("command.unknown", "vi", command="khongco")


# --- one agency against another -------------------------------------------------------


def texts(person: Chat) -> str:
    """The replies' texts and button labels."""
    return "\n".join([reply.text for reply in person.last] + [b.label for reply in person.last for b in reply.choices()])


def walk_pages(person: Chat, command: str) -> str:
    """Send `command` and press 'next page' until the last page; everything shown."""
    person.send(command)
    seen = [texts(person)]
    following = t("form.next_page", "vi")
    while any(b.label == following for b in person.last[-1].choices()):
        person.press(following)
        seen.append(texts(person))
    return "\n".join(seen)


def open_annual_report(person: Chat) -> None:
    person.send("/report")
    person.press("Báo cáo năm kết quả thực hiện chương trình phối hợp — năm 2026")


def nonce(person: Chat) -> str:
    return next(b.data for r in reversed(person.last) for b in r.choices()).partition(":")[0]


def payloads(person: Chat) -> list[str]:
    return [b.data for reply in person.last for b in reply.choices()]


def said(person: Chat, text: str) -> str:
    person.send(text)
    return texts(person)


def test_lists_and_forms_show_a_focal_point_only_their_own_agency(chat, world) -> None:  # type: ignore[no-untyped-def]
    for who in ("syt-specialist", "syt-leader"):
        person = chat(who)
        shown = {
            "/activities": walk_pages(person, "/activities"),
            "/attach": walk_pages(person, "/attach"),
            "/due": said(person, "/due"),
            "/done": said(person, "/done"),
        }
        person.send("/cancel")
        open_annual_report(person)
        shown["/report"] = texts(person)
        person.send("/cancel")
        for command, text in shown.items():
            assert MARK_A in text and MARK_B not in text and "Séng Cù" not in text, (who, command, text)
    control = chat("snnptnt-specialist")
    assert MARK_B in walk_pages(control, "/activities") and MARK_B in said(control, "/due")


def test_buttons_from_another_agency_another_chat_or_forged_are_refused(chat, db, world) -> None:  # type: ignore[no-untyped-def]
    theirs = chat("snnptnt-specialist")
    stolen = []
    for command in ("/attach", "/done", "/report"):
        theirs.send(command)
        stolen += payloads(theirs)
    theirs.send("/cancel")
    assert any(p.endswith(f":a:{world.b_activity}") for p in stolen) and any(p.endswith(f":t:{world.b_task}") for p in stolen)
    office = chat("lhh-admin")
    office.send("/review")
    stolen += payloads(office)
    office.press("SNNPTNT")
    stolen += payloads(office)
    office.send("/people")
    stolen += payloads(office)

    person = chat("syt-specialist")
    open_annual_report(person)  # A's own draft exists before the snapshot; reopening it writes nothing
    person.send("/cancel")
    before, b_before = snapshot(db), rows_of(snapshot(db), world, "SNNPTNT")
    answers = [person.press_data(data) for data in stolen]  # A has no form open
    mine = {}
    for command in ("/attach", "/done", "/activities"):
        person.send(command)
        mine[command] = payloads(person)
        own = nonce(person)
        forged = [f"{own}:a:{world.b_activity}", f"{own}:t:{world.b_task}", f"{own}:note:{world.b_task}", f"{own}:pg:99"]
        answers += [person.press_data(data) for data in stolen + forged]
    open_annual_report(person)
    own = nonce(person)
    answers += [person.press_data(f"{own}:a:{world.b_activity}"), person.press_data(f"{own}:s:{world.b_submitted}")]
    in_group = chat("syt-specialist", chat=GROUP_B, kind=ChatKind.GROUP)
    answers += [in_group.press_data(data) for data in stolen + mine["/attach"] + mine["/done"]]
    same_id_other_channel = chat("syt-specialist", channel="zalo")
    answers += [same_id_other_channel.press_data(data) for data in mine["/attach"]]
    assert all([reply.text for reply in replies] == [STALE] for replies in answers), [r[0].text[:60] for r in answers]
    assert described(changes(before, snapshot(db))) == []
    assert rows_of(snapshot(db), world, "SNNPTNT") == b_before
    assert not any(MARK_B in reply.text for replies in answers for reply in replies)


def test_numbers_and_ids_typed_by_a_focal_point_reach_only_their_own_agency(chat, db, world) -> None:  # type: ignore[no-untyped-def]
    theirs = chat("snnptnt-leader")
    theirs.send("/link")
    b_link = re.search(r"/link (\S+)", theirs.text).group(1)  # type: ignore[union-attr]
    b_invite = chat("lhh-admin").send("/invite SNNPTNT specialist")[0].invite_code
    person, on_zalo = chat("syt-leader"), chat("syt-leader-zalo", channel="zalo")
    person.send("/link")
    on_zalo.send("/link " + re.search(r"/link (\S+)", person.text).group(1))  # type: ignore[union-attr]
    before = snapshot(db)
    assert on_zalo.send(f"/link {b_link}")[0].text == t("link.account_taken", "vi")
    role, agency = t("role.leader", "vi"), agency_names(db)["SYT"]
    assert person.send(f"/start {b_invite}")[0].text == t("join.already_member", "vi", role=role, agency=agency)
    not_yours = t("attach.not_yours", "vi", number=world.b_activity)
    for typed in (f"/attach {world.b_activity}", f"/attach #{world.b_activity}"):
        assert person.send(typed)[0].text == not_yours
    assert person.send("/attach 999999")[0].text == t("attach.unknown_activity", "vi", number=999999)
    person.send("/attach")
    for typed in (str(world.b_activity), f"#{world.b_activity}", f"a:{world.b_activity}"):
        assert person.send(typed)[0].text.startswith(t("attach.bad_number", "vi", text=typed) if ":" in typed else not_yours)
    person.send("/done")
    assert next(b.label for b in person.last[-1].choices()).startswith("[NV-A1]")
    for typed in ("9", f"t:{world.b_task}", f"[NV-B1] Rà soát hồ sơ giống cây trồng {MARK_B}"):
        assert person.send(typed)[0].text.startswith(t("form.pick_a_button", "vi")), typed
    person.send("1")
    assert MARK_A in person.text and MARK_B not in person.text
    person.send("/cancel")
    person.send(f"/report {world.b_submitted}")
    assert person.text == t("report.choose_period", "vi")
    person.send("/activities")
    assert person.send("99")[0].text == t("common.not_understood", "vi")
    assert described(changes(before, snapshot(db))) == []


def test_own_attachments_reports_and_reviews_leave_the_other_agency_untouched(chat, db, world) -> None:  # type: ignore[no-untyped-def]
    b_before, a_before = rows_of(snapshot(db), world, "SNNPTNT"), rows_of(snapshot(db), world, "SYT")
    person = chat("syt-specialist")
    person.send(f"/attach {world.a_activity}")
    person.send_file(FileRef("file-a", "bien-ban-a.pdf", "application/pdf", 2000, "unique-a"))
    assert person.text.startswith("Đã lưu tệp «bien-ban-a.pdf»"), person.text
    open_annual_report(person)
    for _ in range(40):
        labels = [b.label for b in person.last[-1].choices()]
        if any("Nộp báo cáo" in label for label in labels):
            break
        person.press("Xong" if "✔ Xong" in labels else "Không có nội dung khác" if "Không có nội dung khác" in labels else "Bỏ qua")
    person.press("Nộp báo cáo")
    assert person.text.startswith(t("report.submitted", "vi").split("{")[0])
    assert rows_of(snapshot(db), world, "SNNPTNT") == b_before

    office = chat("lhh-admin")
    office.send("/review")
    office.press("SNNPTNT")
    assert MARK_B in office.text
    office.press("Trả lại")
    office.send("Thiếu số liệu, đề nghị bổ sung.")
    assert rows_of(snapshot(db), world, "SYT") != a_before  # A's own report and file
    with session_scope(db) as session:
        told = session.exec(select(OutboxMessage).where(OutboxMessage.key.startswith(f"review:{world.b_submitted}:"))).all()  # type: ignore[attr-defined]
    assert sorted(n.chat_ref for n in told) == ["snnptnt-leader", "snnptnt-specialist"]
    a_rows = rows_of(snapshot(db), world, "SYT")
    assert not any(MARK_B in repr(row) for rows in a_rows.values() for row in rows.values())


def test_group_notices_reach_only_the_bound_agency(chat, db, world, lao_cai, loaded, clock) -> None:  # type: ignore[no-untyped-def]
    office = chat("lhh-admin")
    for code in ("SYT", "SNNPTNT"):
        office.send(f"/broadcast {code} Kính mời dự họp giao ban tháng 12 {code}")
        office.press("Gửi")
    clock.moment = local(2026, 12, 16, 9)
    with session_scope(db) as session:
        run_jobs(session, lao_cai, loaded, clock(), ("digest",))
        rows = session.exec(select(OutboxMessage).where(OutboxMessage.group_id.is_not(None)).order_by(OutboxMessage.id)).all()  # type: ignore[union-attr]
    by_group: dict[str, list[str]] = {}
    for row in rows:
        by_group.setdefault(row.chat_ref, []).append(row.text)
    assert set(by_group) == {GROUP_A, GROUP_B}
    broadcast, digest = by_group[GROUP_A]
    assert "họp giao ban tháng 12 SYT" in broadcast and "SNNPTNT" not in digest
    assert set(re.findall(r"Còn thiếu: (.+)$", digest, re.MULTILINE)) == {"SYT"}, digest
    assert by_group[GROUP_B] == [
        t("outreach.broadcast_text", "vi", sender=lao_cai.coordinator.short_name, text="Kính mời dự họp giao ban tháng 12 SNNPTNT")
    ]


def test_a_focal_point_removed_mid_form_can_change_nothing_more(chat, db, world, clock) -> None:  # type: ignore[no-untyped-def]
    """Whoever is deactivated (replaced by a new focal point, removed by the office) while a
    form is open must not go on writing through it: the role is checked again on every
    answer, not only when the command starts the form."""
    clock.moment = local(2026, 12, 16, 9)
    person = chat("syt-specialist")
    open_annual_report(person)
    person.press("Xong")
    while "Nội dung 2/" not in person.text:
        person.press("Bỏ qua")
    office = chat("lhh-admin2")
    office.send("/broadcast all Kính mời dự hội nghị tổng kết năm")
    with session_scope(db) as session:
        for key in ("syt-specialist", "lhh-admin2"):
            gone = session.get(Person, world.person[key])
            assert gone is not None
            deactivate(session, gone, clock(), "deactivated_by_admin", world.person["lhh-admin"])
    before = snapshot(db)
    deactivated = [t("command.deactivated", "vi")]
    narrative, confirm = person.last[-1], office.last[-1]
    answers = [
        person.send("Tường thuật gửi sau khi đã rời cơ quan."),
        person.press("Bỏ qua", narrative),
        office.press("Gửi", confirm),
    ]
    assert described(changes(before, snapshot(db))) == []
    said = [[reply.text for reply in replies] for replies in answers]
    assert said[0] == said[2] == deactivated and said[1] in (deactivated, [STALE]), said


# --- viewers read ----------------------------------------------------------------------

VIEWER_TRIES = (
    "/start", "/start ABCD2345", "/help", "/lang", "/cancel", "/lang en", "/lang vi", "/link", "/link ABCD2345", "/channel",
    "/channel auto", "/channel zalo", "/register", "/activities", "/attach", "/attach {a}", "/due", "/report", "/report {s}",
    "/done", "/status dv-nam/2026", "/missing", "/missing 2026", "/targets", "/tasks", "/agencies",
    "/people", "/export 2026-H1", "/review", "/chase all", "/chase SYT", "/broadcast all Kính mời dự họp",
    "/invite SYT specialist", "/bind SNV", "/bind all", "/mydata", "/forgetme", "/cancel", "1", "2", "Tiếp nhận",
)  # fmt: skip
SELF_SERVICE = {"person": {"language", "preferred_channel"}}


def self_service_only(found: list[Change], person_id: int) -> list[Change]:
    """The changes that are not the viewer's own settings, link codes or log lines about them."""
    allowed = []
    for change in found:
        row = change.after or change.before or {}
        if change.table in ("link_code", "processing_log") and row.get("person_id") == person_id:
            allowed.append(change)
        elif change.table == "person" and change.key == (person_id,) and change.before and change.after:
            moved = {name for name in change.after if change.after[name] != change.before[name]}
            if moved <= SELF_SERVICE["person"]:
                allowed.append(change)
    return [change for change in found if change not in allowed]


def test_a_viewer_changes_nothing_but_their_own_settings(chat, db, world) -> None:  # type: ignore[no-untyped-def]
    office = chat("lhh-admin")
    office.send("/review")
    office.press("SNNPTNT")
    stolen = payloads(office)
    office.send("/people")
    stolen += payloads(office)
    before = snapshot(db)
    for where in (None, GROUP_A):
        viewer = chat("snv-viewer", chat=where, kind=ChatKind.GROUP if where else ChatKind.PRIVATE)
        for text in VIEWER_TRIES:
            viewer.send(text.format(a=world.a_activity, s=world.b_submitted))
        viewer.send("/people")
        people_buttons = payloads(viewer)
        assert all(p.partition(":")[2].split(":")[0] in ("pg", "cancel") for p in people_buttons), people_buttons
        own = nonce(viewer) if people_buttons else "x"
        for data in stolen + [f"{own}:p:{world.person['syt-specialist']}", f"{own}:deactivate", f"{own}:accept"]:
            assert [r.text for r in viewer.press_data(data)] == [STALE]
        walk_pages(viewer, "/agencies")
    found = changes(before, snapshot(db))
    assert self_service_only(found, world.person["snv-viewer"]) == []
    assert {change.table for change in found} == {"link_code", "processing_log"}

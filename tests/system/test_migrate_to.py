"""Moving an installation from SQLite to PostgreSQL with `phoihop db migrate-to URL`."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import func
from sqlmodel import select

from handlers.engine import ConversationEngine
from locales.formats import format_number
from models.activities.tables import Activity
from models.db.engine import make_engine, session_scope
from models.db.transfer import tables
from tests.conftest import Chat, Clock, local
from tests.support.postgres import TemporaryPostgres
from tests.system.test_cli import phoihop

pytestmark = pytest.mark.slow


def counts(url: str) -> dict[str, int]:
    engine = make_engine(url)
    with engine.connect() as connection:
        found = {table.name: int(connection.execute(select(func.count()).select_from(table)).scalar_one()) for table in tables()}
    engine.dispose()
    return found


def activities_of(url: str, clock: Clock) -> tuple[str, ConversationEngine]:
    engine = ConversationEngine(make_engine(url), clock, "lao-cai-31-2015")
    return Chat(engine, "syt-specialist").send("/activities")[0].text, engine


def test_a_sqlite_install_moves_to_postgresql(tmp_path: Path, postgres: TemporaryPostgres) -> None:
    source = f"sqlite:///{tmp_path / 'bot.sqlite3'}"
    assert phoihop("db", "upgrade", cwd=tmp_path, DATABASE_URL=source).returncode == 0
    filled = phoihop("sample-data", cwd=tmp_path, DATABASE_URL=source)
    assert filled.returncode == 0, filled.stderr
    target = postgres.create_database("moved_here")

    moved = phoihop("db", "migrate-to", target, cwd=tmp_path, DATABASE_URL=source)

    assert moved.returncode == 0, moved.stderr
    before, after = counts(source), counts(target)
    assert before == after and before["activity"] > 100 and before["submission"] > 0
    assert f"activity: {before['activity']} dòng" in moved.stdout
    assert f"Đã chép {len(before)} bảng, {format_number(sum(before.values()), 'vi')} dòng" in moved.stdout
    clock = Clock(local(2026, 11, 23))
    listed_before, _ = activities_of(source, clock)
    listed_after, engine = activities_of(target, clock)
    assert listed_after == listed_before
    with session_scope(engine.db) as session:
        highest = session.exec(select(func.max(Activity.id))).one()
        copy = Activity(**session.exec(select(Activity)).first().model_dump(exclude={"id"}))  # type: ignore[union-attr]
        session.add(copy)
        session.flush()
        assert copy.id == highest + 1, "the sequences must start after the copied ids"


def test_a_target_with_data_is_refused_and_left_alone(tmp_path: Path, postgres: TemporaryPostgres, db, loaded) -> None:  # type: ignore[no-untyped-def]
    source = db.url.render_as_string(hide_password=False)
    target = postgres.create_database("already_used")
    assert phoihop("db", "migrate-to", target, cwd=tmp_path, DATABASE_URL=source).returncode == 0
    before = counts(target)

    again = phoihop("db", "migrate-to", target, cwd=tmp_path, DATABASE_URL=source)

    assert again.returncode == 2
    assert "Cơ sở dữ liệu đích đã có dữ liệu (bảng: " in again.stderr and "không có gì được chép" in again.stderr
    assert counts(target) == before
    same = phoihop("db", "migrate-to", source, cwd=tmp_path, DATABASE_URL=source)
    assert same.returncode == 2 and "trùng với cơ sở dữ liệu đang dùng" in same.stderr

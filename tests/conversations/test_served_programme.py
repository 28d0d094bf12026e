"""The served programme: looked up once, shared, and picked up again after a reload."""

from __future__ import annotations

from zoneinfo import ZoneInfo

import pytest
from sqlmodel import select

from models.db.engine import session_scope
from locales.catalogue import t
from models.programme.served import PROGRAMME_RECHECK, NoProgramme, ServedProgramme
from models.programme.tables import ProgrammeRecord


class Ticks:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_a_reloaded_programme_is_picked_up_after_the_recheck(db, loaded) -> None:  # type: ignore[no-untyped-def]
    ticks = Ticks()
    served = ServedProgramme("lao-cai-31-2015", monotonic=ticks)
    with session_scope(db) as session:
        first = served(session)
        assert (first.id, first.zone) == (loaded, ZoneInfo("Asia/Ho_Chi_Minh"))
        session.exec(select(ProgrammeRecord)).one().source_hash = "reloaded"
    with session_scope(db) as session:
        assert served(session) is first
        ticks.now += PROGRAMME_RECHECK
        again = served(session)
    assert again is not first and again.source_hash == "reloaded" and again.id == first.id


def test_the_settings_zone_wins_and_an_unknown_programme_is_refused(db, loaded) -> None:  # type: ignore[no-untyped-def]
    with session_scope(db) as session:
        assert ServedProgramme(None, "Asia/Bangkok")(session).zone == ZoneInfo("Asia/Bangkok")
        with pytest.raises(NoProgramme) as refused:
            ServedProgramme("ha-giang-2021-2026")(session)
    assert t(refused.value.key, "vi", **refused.value.params) == (
        "Chương trình «ha-giang-2021-2026» (--programme hoặc PHOIHOP_PROGRAMME) chưa được nạp. Các chương trình đã nạp: lao-cai-31-2015"
    )

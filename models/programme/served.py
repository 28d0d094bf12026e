"""The programme a running process serves: looked up once at start-up, shared by the engine,
the scheduler and the channels, and picked up again when the programme file is reloaded."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from sqlmodel import Session, select

from models.programme.loader import programme_of
from models.programme.schema import Programme
from models.programme.tables import ProgrammeRecord

PROGRAMME_RECHECK = 10.0
"""Seconds between two looks at whether a new version of the programme was loaded."""


class NoProgramme(Exception):
    """No programme is loaded, or the one asked for is not (or more than one, and none was
    named); `loaded` holds the codes that are, for the message."""

    def __init__(self, wanted: str, loaded: list[str]) -> None:
        super().__init__(wanted)
        self.wanted = wanted
        self.loaded = loaded

    @property
    def key(self) -> str:
        return "cli.programme_not_loaded" if self.wanted else "cli.which_programme"

    @property
    def params(self) -> dict[str, str]:
        return {"code": self.wanted, "codes": ", ".join(self.loaded) or "—"}


def zone_of(programme: Programme, timezone: str | None = None) -> ZoneInfo:
    """The zone local times are read in: the settings' `timezone` if given, else the programme's."""
    return ZoneInfo(timezone) if timezone else programme.zone


@dataclass(frozen=True)
class Served:
    """One loaded version of the served programme: its row, its parsed file and its zone."""

    id: int
    programme: Programme
    zone: ZoneInfo
    source_hash: str


class ServedProgramme:
    """The served programme (the one named `code`, else the only one loaded), parsed once per
    loaded version; whether a new version was loaded is looked up at most every
    PROGRAMME_RECHECK seconds, not on every update."""

    def __init__(
        self,
        code: str | None = None,
        timezone: str | None = None,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self.code = code
        self.timezone = timezone
        self.monotonic = monotonic
        self._served: Served | None = None
        self._checked_at = float("-inf")

    def __call__(self, session: Session) -> Served:
        if self._served is not None and self.monotonic() - self._checked_at < PROGRAMME_RECHECK:
            return self._served
        query = select(ProgrammeRecord)
        if self.code:
            query = query.where(ProgrammeRecord.code == self.code)
        records = list(session.exec(query.limit(2)))
        if len(records) != 1:
            raise NoProgramme(self.code or "", sorted(session.exec(select(ProgrammeRecord.code))))
        record = records[0]
        assert record.id is not None
        if self._served is None or self._served.source_hash != record.source_hash:
            programme = programme_of(record)
            self._served = Served(record.id, programme, zone_of(programme, self.timezone), record.source_hash)
        self._checked_at = self.monotonic()
        return self._served

"""A period's reporting rate and on-time rate, as DHIS2 defines them: reports received ÷
reports expected, and reports received by the deadline ÷ reports expected. Expected: every
agency on the board; received: a report submitted (late or not) or accepted (a returned
report is back with the agency, not received)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from models.office.board import ARRIVED, Board


@dataclass(frozen=True)
class Rates:
    expected: int
    received: int
    on_time: int

    @property
    def reporting_rate(self) -> float | None:
        return self.received / self.expected if self.expected else None

    @property
    def on_time_rate(self) -> float | None:
        return self.on_time / self.expected if self.expected else None


def _by_deadline(submitted_at: datetime | None, due: date, zone: ZoneInfo) -> bool:
    return submitted_at is not None and submitted_at.astimezone(zone).date() <= due


def rates(status_board: Board, zone: ZoneInfo) -> Rates:
    received = [row for row in status_board.rows if row.status in ARRIVED]
    on_time = sum(1 for row in received if _by_deadline(row.submitted_at, status_board.period.info.due, zone))
    return Rates(len(status_board.rows), len(received), on_time)

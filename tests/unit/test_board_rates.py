"""Unit tests for the board's pure parts (models/office/board.py, rates.py): a submission's
state as the board's status, and a period's reporting rate (received ÷ expected) and on-time
rate (received by the deadline, in the programme's zone ÷ expected), as DHIS2 defines them."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest

from models.office.board import AgencyLine, Board, BoardRow, BoardStatus, board_status
from models.office.rates import Rates, rates
from models.programme.cycles import period_info
from models.programme.periods import parse_period_code
from models.reporting.period_book import LivePeriod
from models.reporting.tables import Period, SubmissionStatus
from tests.unit.test_cycles import make_cycle

ZONE = ZoneInfo("Asia/Ho_Chi_Minh")


def period() -> LivePeriod:
    cycle = make_cycle()
    info = period_info(cycle, parse_period_code("2027-H1"))
    assert info.due == date(2027, 6, 20)
    span = info.window
    row = Period(
        id=1, programme_id=1, cycle_code=cycle.code, period_code="2027-H1", window_start=span.start, window_end=span.end, due_date=info.due
    )
    return LivePeriod(cycle, info, row)


def row(n: int, status: BoardStatus, submitted_at: datetime | None = None) -> BoardRow:
    return BoardRow(AgencyLine(n, f"CQ{n:04d}", f"Cơ quan {n}", "so", False), status, submitted_at)


@pytest.mark.parametrize(
    ("status", "late", "expected"),
    [
        (None, None, BoardStatus.NOT_STARTED),
        (SubmissionStatus.DRAFT, False, BoardStatus.DRAFT),
        (SubmissionStatus.SUBMITTED, False, BoardStatus.SUBMITTED),
        (SubmissionStatus.SUBMITTED, True, BoardStatus.LATE),
        (SubmissionStatus.RETURNED, True, BoardStatus.RETURNED),
        (SubmissionStatus.ACCEPTED, True, BoardStatus.ACCEPTED),
    ],
)
def test_a_submissions_state_is_one_board_status(status: SubmissionStatus | None, late: bool | None, expected: BoardStatus) -> None:
    assert board_status(status, late) is expected


def test_received_reports_count_once_and_on_time_by_the_deadline_in_the_programmes_zone() -> None:
    rows = [
        row(1, BoardStatus.SUBMITTED, datetime(2027, 6, 20, 16, 59, tzinfo=UTC)),  # 23:59 on the due day, local
        row(2, BoardStatus.LATE, datetime(2027, 6, 20, 17, 1, tzinfo=UTC)),  # 00:01 the next day, local
        row(3, BoardStatus.ACCEPTED, datetime(2027, 6, 1, 3, 0, tzinfo=UTC)),
        row(4, BoardStatus.RETURNED, datetime(2027, 6, 2, 3, 0, tzinfo=UTC)),
        row(5, BoardStatus.DRAFT),
        row(6, BoardStatus.NOT_STARTED),
        row(7, BoardStatus.SUBMITTED, None),
        row(8, BoardStatus.NOT_STARTED),
    ]
    found = rates(Board(period(), rows), ZONE)
    assert found == Rates(expected=8, received=4, on_time=2)
    assert found.reporting_rate == 0.5 and found.on_time_rate == 0.25


def test_a_board_without_agencies_has_no_rates() -> None:
    found = rates(Board(period(), []), ZONE)
    assert found == Rates(0, 0, 0) and found.reporting_rate is None and found.on_time_rate is None


def test_the_counts_and_the_missing_follow_the_rows() -> None:
    rows = [row(1, BoardStatus.SUBMITTED), row(2, BoardStatus.RETURNED), row(3, BoardStatus.NOT_STARTED), row(4, BoardStatus.LATE)]
    status_board = Board(period(), rows)
    assert status_board.counts == {BoardStatus.SUBMITTED: 1, BoardStatus.RETURNED: 1, BoardStatus.NOT_STARTED: 1, BoardStatus.LATE: 1}
    assert [r.agency.code for r in status_board.missing] == ["CQ0002", "CQ0003"]

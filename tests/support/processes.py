"""How tests start a real `phoihop run`: always on a chosen day (`--today`), never on the
machine's date, so what the scheduler owes at start-up is the same on every day of the year.
On RUN_DAY (a Wednesday in April) the Lào Cai programme owes no reminder and no notice."""

from __future__ import annotations

import os
import sys
from datetime import date, datetime, time
from pathlib import Path

from tests.conftest import ZONE

ROOT = Path(__file__).resolve().parents[2]
RUN_DAY = date(2027, 4, 14)
RUN_STARTS = datetime.combine(RUN_DAY, time(9, 0), tzinfo=ZONE)
"""The instant the subprocess's clock starts at (`--today` means 09:00 local)."""


def run_command(*options: str) -> tuple[str, ...]:
    return (sys.executable, "-m", "bot.cli", "run", "--today", RUN_DAY.isoformat(), *options)


def environment(**values: str) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if not key.startswith(("TELEGRAM_", "WEBHOOK_", "ZALO_", "DATABASE_URL"))}
    return {**env, "PHOIHOP_LANGUAGE": "vi", "PYTHONPATH": str(ROOT), **values}

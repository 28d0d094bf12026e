"""What the running bot loads at start: not the report's libraries (matplotlib, python-docx,
openpyxl: some 55 MB, loaded on the first chart or /export) nor alembic (with mako and
pygments) for the check that the database is migrated."""

from __future__ import annotations

import subprocess
import sys

import pytest
from alembic.script import ScriptDirectory

from models.db.migrate import alembic_config, head_revision

HEAVY = ("matplotlib", "numpy", "docx", "openpyxl", "PIL", "alembic", "mako")
"""Not pygments: httpx probes for its command-line client at import, which loads pygments
where both click (uvicorn's dependency) and pygments (pytest's) are installed, as in the
test environment; the bot itself never imports it."""


@pytest.mark.slow
def test_the_bot_starts_without_the_report_and_migration_libraries() -> None:
    code = (
        "import sys, bot.cli, bot.runner, handlers.office, handlers.export, handlers.people_admin\n"
        f"print(' '.join(name for name in {HEAVY!r} if name in sys.modules))"
    )
    loaded = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.split()
    assert loaded == []


def test_the_head_read_from_the_scripts_is_alembics() -> None:
    assert head_revision() == ScriptDirectory.from_config(alembic_config("sqlite://")).get_current_head()

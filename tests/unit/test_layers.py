"""The layering docs/ARCHITECTURE.md states, read from the source (every import statement,
those inside functions too): messenger libraries only in bot/'s channel adapters; models/
imports neither handlers/ nor bot/ nor scheduler/; handlers/ does not import bot/ or
scheduler/; scheduler/ does not import bot/ or handlers/; locales/ imports nothing of the
project."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from tests.conftest import ROOT
from tests.support.parsing import parsed

MESSENGER_LIBRARIES = {"telegram": ("bot/telegram/",), "httpx": ("bot/zalo/",), "tornado": ("bot/zalo/", "bot/telegram/"), "aiohttp": ("bot/telegram/",)}
PROJECT = {"bot", "handlers", "locales", "models", "scheduler"}
FORBIDDEN = {
    "models": {"bot", "handlers", "scheduler"},
    "handlers": {"bot", "scheduler"},
    "scheduler": {"bot", "handlers"},
    "locales": PROJECT - {"locales"},
}


def imported(tree: ast.AST) -> list[tuple[int, str]]:
    """(line, top-level package) of every import in a module."""
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name.split(".")[0]) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.append((node.lineno, node.module.split(".")[0]))
    return found


def violations(path: Path, source: str) -> list[str]:
    relative = path.as_posix()
    layer = relative.split("/")[0]
    found = []
    for line, package in imported(parsed(source)):
        allowed = MESSENGER_LIBRARIES.get(package)
        if allowed is not None and not relative.startswith(allowed):
            found.append(f"{relative}:{line} imports the messenger library {package}")
        if package in FORBIDDEN.get(layer, set()):
            found.append(f"{relative}:{line} ({layer}/) imports {package}/")
    return found


def sources() -> list[Path]:
    return sorted(path.relative_to(ROOT) for layer in PROJECT for path in (ROOT / layer).rglob("*.py"))


def test_every_layer_imports_only_what_lies_below_it() -> None:
    assert sources(), "no source found"
    problems = [problem for path in sources() for problem in violations(path, (ROOT / path).read_text(encoding="utf-8"))]
    assert problems == []


@pytest.mark.parametrize(
    ("path", "source", "problem"),
    [
        ("models/people/roster.py", "from bot.settings import Settings", "models/people/roster.py:1 (models/) imports bot/"),
        ("models/x.py", "def f():\n    import handlers.engine", "models/x.py:2 (models/) imports handlers/"),
        ("handlers/join.py", "from bot.clock import Clock", "handlers/join.py:1 (handlers/) imports bot/"),
        ("handlers/join.py", "import telegram", "handlers/join.py:1 imports the messenger library telegram"),
        ("scheduler/jobs.py", "from handlers.types import Reply", "scheduler/jobs.py:1 (scheduler/) imports handlers/"),
        ("locales/catalogue.py", "from models.programme.periods import PeriodKey", "locales/catalogue.py:1 (locales/) imports models/"),
        ("bot/sender.py", "import httpx", "bot/sender.py:1 imports the messenger library httpx"),
    ],
)
def test_a_violation_is_found(path: str, source: str, problem: str) -> None:
    assert violations(Path(path), source) == [problem]


def test_what_is_allowed_passes() -> None:
    assert violations(Path("bot/telegram/outgoing.py"), "from telegram import Bot\nfrom handlers.types import Reply") == []
    assert violations(Path("handlers/join.py"), "from models.people.roster import join\nfrom locales.catalogue import t") == []

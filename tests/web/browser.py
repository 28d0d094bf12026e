"""A real Chromium (Debian's, Playwright drives it) and the web app served by uvicorn on a
free port of 127.0.0.1, in a thread with its own event loop."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from starlette.applications import Starlette

from bot.web.server import serving_in_thread
from tests.support.harness import free_port

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@contextmanager
def served(make_app: Callable[[str], Starlette]) -> Iterator[str]:
    """The app `make_app(base URL)` listening on 127.0.0.1 until the block ends; the base URL."""
    port = free_port()
    with serving_in_thread(make_app(f"http://127.0.0.1:{port}"), "127.0.0.1", port):
        yield f"http://127.0.0.1:{port}"

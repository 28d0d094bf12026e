"""A real Chromium (Debian's, Playwright drives it) and the web app served by uvicorn on a
free port of 127.0.0.1, in a thread with its own event loop."""

from __future__ import annotations

import asyncio
import socket
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from starlette.applications import Starlette

from bot.web.server import serve_web

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


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@contextmanager
def served(make_app: Callable[[str], Starlette]) -> Iterator[str]:
    """The app `make_app(base URL)` listening on 127.0.0.1 until the block ends; the base URL."""
    port = free_port()
    app = make_app(f"http://127.0.0.1:{port}")
    loop = asyncio.new_event_loop()
    stop = asyncio.Event()
    up = threading.Event()

    async def main() -> None:
        ready = asyncio.Event()
        serving = asyncio.create_task(serve_web(app, "127.0.0.1", port, stop, ready))
        await ready.wait()
        up.set()
        await serving

    thread = threading.Thread(target=loop.run_until_complete, args=(main(),), daemon=True)
    thread.start()
    assert up.wait(10), "the web did not start"
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        loop.call_soon_threadsafe(stop.set)
        thread.join(10)
        loop.close()

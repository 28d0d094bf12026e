"""Serve the web app with uvicorn inside `phoihop run`'s event loop, until `stop` is set."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Generator

import uvicorn
from starlette.applications import Starlette


class _InLoop(uvicorn.Server):
    """A uvicorn server that leaves the signals to the runner (it sets `stop`)."""

    @contextlib.contextmanager
    def capture_signals(self) -> Generator[None, None, None]:
        yield


async def serve_web(app: Starlette, listen: str, port: int, stop: asyncio.Event, on_ready: asyncio.Event | None = None) -> None:
    """Listen on listen:port; OSError (a StartFailed upstream) if the port cannot be had."""
    config = uvicorn.Config(app, host=listen, port=port, lifespan="off", log_level="warning", access_log=False, server_header=False)
    server = _InLoop(config)
    serving = asyncio.create_task(server.serve())
    while not server.started and not serving.done():
        await asyncio.sleep(0.01)
    if serving.done():
        serving.result()
        raise OSError(f"cannot listen on {listen}:{port}")
    if on_ready is not None:
        on_ready.set()
    waiting = asyncio.create_task(stop.wait())
    await asyncio.wait({serving, waiting}, return_when=asyncio.FIRST_COMPLETED)
    server.should_exit = True
    waiting.cancel()
    await serving

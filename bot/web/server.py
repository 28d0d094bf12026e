"""Serve an ASGI app with uvicorn inside `phoihop run`'s event loop, until `stop` is set."""

from __future__ import annotations

import asyncio
import contextlib
import socket
import threading
from collections.abc import Generator

import uvicorn
from starlette.types import ASGIApp


class _InLoop(uvicorn.Server):
    """A uvicorn server that leaves the signals to the runner (it sets `stop`)."""

    @contextlib.contextmanager
    def capture_signals(self) -> Generator[None, None, None]:
        yield


def _bound(listen: str, port: int) -> socket.socket:
    """The listening socket, bound here so that a port already taken is an OSError. Its
    protocol is named (IPPROTO_TCP, not 0) because asyncio sets TCP_NODELAY only on
    connections of such a socket: without it Nagle's algorithm held a response's body until
    the client's delayed ACK of its headers, 40 ms on every small page."""
    family = socket.AF_INET6 if ":" in listen else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((listen, port))
    except OSError:
        sock.close()
        raise
    sock.set_inheritable(True)
    return sock


async def serve_web(app: ASGIApp, listen: str, port: int, stop: asyncio.Event, on_ready: asyncio.Event | None = None) -> None:
    """Listen on listen:port (OSError if it cannot be had) until `stop` is set."""
    sock = _bound(listen, port)
    config = uvicorn.Config(app, lifespan="off", log_level="warning", access_log=False, server_header=False)
    server = _InLoop(config)
    serving = asyncio.create_task(server.serve(sockets=[sock]))
    try:
        while not server.started and not serving.done():
            await asyncio.sleep(0.01)
        if serving.done():
            serving.result()
        if on_ready is not None:
            on_ready.set()
        waiting = asyncio.create_task(stop.wait())
        await asyncio.wait({serving, waiting}, return_when=asyncio.FIRST_COMPLETED)
        waiting.cancel()
    finally:
        server.should_exit = True
        await asyncio.gather(serving, return_exceptions=True)
        sock.close()


@contextlib.contextmanager
def serving_in_thread(app: ASGIApp, listen: str, port: int) -> Generator[None, None, None]:
    """The app served from a thread with its own event loop for the block (the terminal demo,
    whose console is synchronous; the browser tests). OSError if the port cannot be had."""
    loop = asyncio.new_event_loop()
    stop = asyncio.Event()
    up = threading.Event()
    failed: list[BaseException] = []

    async def main() -> None:
        ready = asyncio.Event()
        serving = asyncio.create_task(serve_web(app, listen, port, stop, ready))
        await asyncio.wait({serving, asyncio.create_task(ready.wait())}, return_when=asyncio.FIRST_COMPLETED)
        up.set()
        await serving

    def run() -> None:
        try:
            loop.run_until_complete(main())
        except BaseException as error:  # noqa: BLE001 - handed to the caller
            failed.append(error)
            up.set()

    thread = threading.Thread(target=run, name="web", daemon=True)
    thread.start()
    up.wait(10)
    if failed:
        thread.join(1)
        raise failed[0]
    try:
        yield
    finally:
        loop.call_soon_threadsafe(stop.set)
        thread.join(10)
        loop.close()

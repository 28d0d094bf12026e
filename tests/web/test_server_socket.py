"""The web's listening socket (bot/web/server.py): connections accepted on it have
TCP_NODELAY, which asyncio sets only on sockets whose protocol is named. Without it, Nagle's
algorithm held a response's body until the client acknowledged its headers: 40 ms of delayed
ACK on every small page."""

from __future__ import annotations

import asyncio
import socket

from bot.web.server import _bound


async def nodelay_of_an_accepted_connection() -> int:
    accepted: asyncio.Future[int] = asyncio.get_running_loop().create_future()

    class Peek(asyncio.Protocol):
        def connection_made(self, transport: asyncio.BaseTransport) -> None:
            accepted.set_result(transport.get_extra_info("socket").getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY))
            transport.close()

    listening = _bound("127.0.0.1", 0)
    server = await asyncio.get_running_loop().create_server(Peek, sock=listening)
    try:
        _, writer = await asyncio.open_connection("127.0.0.1", listening.getsockname()[1])
        value = await asyncio.wait_for(accepted, 5)
        writer.close()
        return value
    finally:
        server.close()
        await server.wait_closed()


def test_accepted_connections_send_without_waiting_for_acks() -> None:
    assert asyncio.run(nodelay_of_an_accepted_connection()) != 0

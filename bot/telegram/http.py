"""python-telegram-bot's HTTP layer on aiohttp instead of httpx.

python-telegram-bot keeps its part (the parameters, the status codes turned into
`TelegramError`s, the JSON answer); only the HTTP request is aiohttp's. On the throughput
benchmark httpx's client cost about 1 ms of CPU per call with 16 calls at once (its
connection pool looks over every connection for every request), aiohttp's about 0.1 ms.
Calls without a file go as a JSON body (the Bot API takes JSON, form or query alike), so
no form encoding; those with a file as multipart. Connections are kept alive and reused;
a proxy is taken from the environment (HTTPS_PROXY), as httpx did.

aiohttp has no write timeout of its own: a request is bounded by the sum of the connect,
pool, write and read timeouts in all, reading by the read timeout, connecting by the
connect one plus the wait for a free connection (the pool timeout).
"""

from __future__ import annotations

import asyncio
import json
from functools import partial
from typing import Any

import aiohttp
from telegram._utils.defaultvalue import DefaultValue
from telegram._utils.types import ODVInput
from telegram.error import NetworkError, TimedOut
from telegram.request import BaseRequest, RequestData

TIMEOUTS = {"read": 5.0, "write": 5.0, "connect": 5.0, "pool": 1.0}
MEDIA_WRITE_TIMEOUT = 20.0


def _chosen(value: ODVInput[float], default: float | None) -> float | None:
    return default if isinstance(value, DefaultValue) else value


def _total(*parts: float | None) -> float | None:
    return None if any(part is None for part in parts) else sum(part for part in parts if part is not None)


class AiohttpRequest(BaseRequest):
    """`telegram.request.BaseRequest` over one aiohttp session of at most `connections`."""

    __slots__ = ("_connections", "_session", "_timeouts")

    def __init__(self, connections: int = 256, **timeouts: float | None) -> None:
        self._connections = connections
        self._timeouts: dict[str, float | None] = {**TIMEOUTS, **timeouts}
        self._session: aiohttp.ClientSession | None = None

    @property
    def read_timeout(self) -> float | None:
        return self._timeouts["read"]

    async def initialize(self) -> None:
        if self._session is None or self._session.closed:
            connector = aiohttp.TCPConnector(limit=self._connections, limit_per_host=self._connections)
            headers = {"User-Agent": self.USER_AGENT}
            self._session = aiohttp.ClientSession(
                connector=connector, headers=headers, json_serialize=partial(json.dumps, ensure_ascii=False), trust_env=True
            )

    async def shutdown(self) -> None:
        if self._session is not None and not self._session.closed:
            await self._session.close()

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
        write_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
        connect_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
        pool_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
    ) -> tuple[int, bytes]:
        if self._session is None or self._session.closed:
            raise RuntimeError("This AiohttpRequest is not initialized!")
        files = request_data.multipart_data if request_data else None
        body: dict[str, Any] = {}
        if files:
            body["data"] = _multipart(request_data.json_parameters if request_data else {}, files)
        elif request_data is not None:
            body["json"] = request_data.parameters
        timeout = self._timeout(read_timeout, write_timeout, connect_timeout, pool_timeout, bool(files))
        try:
            async with self._session.request(method, url, timeout=timeout, **body) as response:
                return response.status, await response.read()
        except (TimeoutError, asyncio.TimeoutError) as error:
            raise TimedOut from error
        except (aiohttp.ClientError, OSError) as error:
            detail = str(error).replace(url, "the Bot API URL")  # the URL holds the token
            raise NetworkError(f"aiohttp.{type(error).__name__}: {detail}") from error

    def _timeout(
        self, read: ODVInput[float], write: ODVInput[float], connect: ODVInput[float], pool: ODVInput[float], upload: bool
    ) -> aiohttp.ClientTimeout:
        chosen_read = _chosen(read, self._timeouts["read"])
        chosen_write = _chosen(write, MEDIA_WRITE_TIMEOUT if upload else self._timeouts["write"])
        chosen_connect = _chosen(connect, self._timeouts["connect"])
        chosen_pool = _chosen(pool, self._timeouts["pool"])
        return aiohttp.ClientTimeout(
            total=_total(chosen_connect, chosen_pool, chosen_write, chosen_read),
            connect=_total(chosen_connect, chosen_pool),
            sock_connect=chosen_connect,
            sock_read=chosen_read,
        )


def _multipart(fields: dict[str, str], files: dict[str, Any]) -> aiohttp.FormData:
    form = aiohttp.FormData(quote_fields=False)
    for name, value in fields.items():
        form.add_field(name, value)
    for name, (filename, content, mime) in files.items():
        form.add_field(name, content, filename=filename, content_type=mime)
    return form

"""The webhook endpoint Telegram POSTs updates to (tornado, plain HTTP behind the reverse
proxy), instead of python-telegram-bot's, which reads up to 100 MB of a body before it
looks at the secret.

Nothing of a request is read before its secret header is right: the header and the declared
length are checked when the headers arrive, and the body is then read in chunks, at most
MAX_BODY bytes (a request past it, declared or streamed, is refused with 413). A request
refused before its body was read has its connection closed (tornado), so the rest is never
read. A wrong or missing secret is refused with 403. The body goes to the
channel's `accept`, which answers the JSON to send back, or None for 400.
"""

from __future__ import annotations

import hmac
from collections.abc import Callable
from typing import Any

from tornado.httpserver import HTTPServer
from tornado.web import Application, HTTPError, RequestHandler, stream_request_body

MAX_BODY = 1024 * 1024
Accept = Callable[[bytes], dict[str, Any] | None]


@stream_request_body
class _Hook(RequestHandler):
    SUPPORTED_METHODS = ("POST",)

    def initialize(self, header: str, secret: str, accept: Accept) -> None:
        self.header = header
        self.secret = secret.encode()
        self.accept = accept
        self.chunks: list[bytes] = []
        self.size = 0

    def prepare(self) -> None:
        given = self.request.headers.get(self.header, "").encode()
        if not hmac.compare_digest(given, self.secret):
            raise HTTPError(403)
        declared = self.request.headers.get("Content-Length", "0")
        if not declared.isdigit() or int(declared) > MAX_BODY:
            raise HTTPError(413)

    def data_received(self, chunk: bytes) -> None:
        self.size += len(chunk)
        if self.size > MAX_BODY:
            raise HTTPError(413)
        self.chunks.append(chunk)

    def post(self) -> None:
        answer = self.accept(b"".join(self.chunks))
        if answer is None:
            self.send_error(400)
            return
        self.write(answer)


def start_webhook(path: str, header: str, secret: str, accept: Accept, listen: str, port: int) -> HTTPServer:
    """Listen on listen:port for POSTs to /path; OSError if the port cannot be had."""
    application = Application([(f"/{path.strip('/')}/?", _Hook, {"header": header, "secret": secret, "accept": accept})])
    server = HTTPServer(application, max_body_size=MAX_BODY)
    server.listen(port, listen)
    return server


async def stop_webhook(server: HTTPServer) -> None:
    server.stop()
    await server.close_all_connections()

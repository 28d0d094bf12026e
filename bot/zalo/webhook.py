"""The webhook endpoint Zalo POSTs updates to (tornado, plain HTTP behind the reverse proxy).

Zalo sends the secret given to setWebhook in the X-Bot-Api-Secret-Token header of every
request. A request without it, or with another value, is refused with 403 and nothing in it
is looked at; an accepted update is answered 200 at once and handled in the background.
"""

from __future__ import annotations

import hmac
import json
from collections.abc import Callable

from tornado.httpserver import HTTPServer
from tornado.web import Application, RequestHandler

from bot.zalo.client import Json
from bot.zalo.incoming import unwrap

SECRET_HEADER = "X-Bot-Api-Secret-Token"
MAX_BODY = 1024 * 1024


class _Hook(RequestHandler):
    def initialize(self, secret: str, accept: Callable[[Json], None]) -> None:
        self.secret = secret.encode()
        self.accept = accept

    def post(self) -> None:
        given = self.request.headers.get(SECRET_HEADER, "").encode()
        if not hmac.compare_digest(given, self.secret):
            self.send_error(403)
            return
        try:
            update = unwrap(json.loads(self.request.body))
        except ValueError:
            update = None
        if update is None:
            self.send_error(400)
            return
        self.accept(update)
        self.write({"message": "Success"})


def start_webhook(path: str, secret: str, accept: Callable[[Json], None], listen: str, port: int) -> HTTPServer:
    """Listen on listen:port for POSTs to /path; OSError if the port cannot be had."""
    application = Application([(f"/{path.strip('/')}", _Hook, {"secret": secret, "accept": accept})])
    server = HTTPServer(application, max_body_size=MAX_BODY)
    server.listen(port, listen)
    return server


async def stop_webhook(server: HTTPServer) -> None:
    server.stop()
    await server.close_all_connections()

"""The web channel's ASGI app: pages, sign-in, and the messengers' webhooks on one port.

Layout (to add pages, add a module):
- `pages/<name>.py` each exposes `ROUTES: list[BaseRoute]`; `PAGE_MODULES` below lists them
  and `build_app` mounts them all, in order. A module's `NAV` (`NavLink`s) puts its pages in
  the navigation, in the same order, shown only to whom the route's `page(command)` answers.
- `pages/common.py`: `page(command)` wraps a route so it runs with a `Ctx` of the signed-in
  person, refuses who the chat command `command` refuses (same role rules), and checks the
  CSRF token of every POST; `current_session(request)`; `render(...)` with the base template.
- `security.py`: the signed session cookie, CSRF tokens, security headers (a route that
  must be framed, e.g. a Telegram Mini App, sets `request.state.frame_ancestors`).
- `webhooks.py`: the Telegram and Zalo webhooks, mounted on this app by the channels (`Webhooks`).
- templates in `templates/` (each extends `base.html`), static files in `static/`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType

from starlette.applications import Starlette
from starlette.datastructures import MutableHeaders
from starlette.middleware import Middleware
from starlette.routing import BaseRoute, Mount
from starlette.staticfiles import StaticFiles
from starlette.templating import Jinja2Templates
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from bot.web.pages import (
    agency,
    assess,
    board,
    calendar,
    exports,
    files,
    miniapp,
    people,
    report,
    review,
    signed,
    signin,
    targets,
    tvpb,
)
from bot.web.pages.common import nav_links
from bot.web.security import FRAME_NONE, Signer, security_headers
from bot.web.webhooks import Webhooks
from handlers.engine import ConversationEngine

HERE = Path(__file__).resolve().parent
PAGE_MODULES: tuple[ModuleType, ...] = (
    signin, board, agency, review, targets, people, exports, calendar, files, signed, report, miniapp, tvpb, assess,
)


@dataclass(frozen=True)
class WebConfig:
    """PUBLIC_URL (the base of every link) and WEB_SECRET_KEY (signs sessions)."""

    public_url: str
    secret_key: str

    @property
    def secure(self) -> bool:
        return self.public_url.startswith("https://")

    def link(self, path: str) -> str:
        return self.public_url.rstrip("/") + "/" + path.lstrip("/")

    def __repr__(self) -> str:
        return f"WebConfig(public_url={self.public_url!r})"


def build_app(
    engine: ConversationEngine, config: WebConfig, hooks: Webhooks | None = None, extra_modules: Sequence[ModuleType] = ()
) -> Starlette:
    """The pages of PAGE_MODULES and `extra_modules`; the channels' webhooks join `hooks`."""
    routes: list[BaseRoute] = []
    for module in (*PAGE_MODULES, *extra_modules):
        routes.extend(module.ROUTES)
    routes.append(Mount("/static", StaticFiles(directory=HERE / "static"), name="static"))
    app = Starlette(routes=routes, middleware=[Middleware(SecurityHeaders)])
    app.state.engine = engine
    app.state.config = config
    app.state.signer = Signer(config.secret_key.encode())
    app.state.templates = Jinja2Templates(directory=HERE / "templates")
    app.state.nav = nav_links((*PAGE_MODULES, *extra_modules))
    app.state.bot_names = {}
    app.state.file_fetchers = {}
    if hooks is not None:
        hooks.attach(app.router.routes)
    return app


class SecurityHeaders:
    """Adds `security_headers` to every HTTP response a route has not set them on."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def sending(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                state = scope.get("state", {})
                for name, value in security_headers(state.get("frame_ancestors", FRAME_NONE)).items():
                    headers.setdefault(name, value)
            await send(message)

        await self.app(scope, receive, sending)

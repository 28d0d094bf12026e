"""/web: a single-use sign-in link to the web pages, valid 10 minutes, for any member."""

from __future__ import annotations

from handlers.commands import MEMBERS, Command
from handlers.context import Ctx
from handlers.types import Reply
from models.web.signin import LINK_MINUTES, issue_link


def web_link(ctx: Ctx, _args: str) -> list[Reply]:
    if ctx.policy.web_url is None:
        return [ctx.say("web.off")]
    assert ctx.person is not None
    token = issue_link(ctx.session, ctx.person.id, ctx.now)
    return [ctx.say("web.link", url=f"{ctx.policy.web_url.rstrip('/')}/signin/{token}", minutes=LINK_MINUTES)]


COMMANDS = (Command("web", web_link, MEMBERS, "help.web"),)

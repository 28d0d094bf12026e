"""Guessing codes: wrong invite codes (/start) and wrong link codes (/link) share one count
per messenger account (`models/people/attempts`, in the database, keyed by a hash of the
account). Past the limit the account is refused for a while, and no code it sends, right
or wrong, is looked up."""

from __future__ import annotations

from datetime import datetime

from handlers.context import Ctx
from handlers.types import Reply
from locales.formats import format_moment
from models.errors import RuleError


def refused_for_now(ctx: Ctx) -> Reply | None:
    """The lockout notice if this account may not try a code now."""
    attempts = ctx.policy.code_attempts
    until = attempts.blocked_until(ctx.session, _account(ctx), ctx.now) if attempts is not None else None
    return _throttled(ctx, until) if until is not None else None


def counted(ctx: Ctx, error: RuleError, wrong: str, answer: Reply) -> Reply:
    """`answer` to a refused code; a code that matches nothing (`wrong`) is counted, and the
    lockout notice replaces `answer` when this one started it."""
    attempts = ctx.policy.code_attempts
    if attempts is None or error.key != wrong:
        return answer
    until = attempts.failed(ctx.session, _account(ctx), ctx.now)
    return _throttled(ctx, until) if until is not None else answer


def _account(ctx: Ctx) -> tuple[str, str]:
    return ctx.incoming.channel, ctx.incoming.user_ref


def _throttled(ctx: Ctx, until: datetime) -> Reply:
    until = until.astimezone(ctx.now.tzinfo)
    shown = f"{until:%H:%M}" if until.date() == ctx.now.date() else format_moment(until, ctx.lang)
    return ctx.say("join.throttled", time=shown)

"""The period a page is about, chosen among the office's live periods (`?period=CYCLE/CODE`,
else the one whose deadline is nearest), with the others to offer in a select."""

from __future__ import annotations

from dataclasses import dataclass

from handlers.context import Ctx
from handlers.office import period_title
from models.office.board import office_periods, pick_period
from models.reporting.period_book import LivePeriod


@dataclass(frozen=True)
class PeriodChoice:
    chosen: LivePeriod
    value: str
    """'CYCLE/CODE' of the chosen period."""
    title: str
    options: list[tuple[str, str]]
    """Every live period: its 'CYCLE/CODE' and its title."""


def value_of(period: LivePeriod) -> str:
    return f"{period.cycle.code}/{period.info.code}"


def choose(ctx: Ctx, wanted: str) -> PeriodChoice:
    """The periods read once; a RuleError if `wanted` names none of them."""
    live = office_periods(ctx.session, ctx.programme, ctx.programme_id, ctx.now)
    chosen = pick_period(ctx.programme, live, wanted, ctx.now)
    return PeriodChoice(chosen, value_of(chosen), period_title(ctx, chosen), [(value_of(p), period_title(ctx, p)) for p in live])

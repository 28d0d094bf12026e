"""One set of figures: for each indicator, what the agencies reported, what the registered
activities of the window count, and the difference.

The rule (written in the document's note): the reported figure is the sum of the reports
that arrived (sent, sent late or accepted; drafts and returned reports do not count); the
counted figure takes every registered activity dated in the window, not cancelled, ONCE,
for its lead agency, whoever joined it. A joint activity appears under each partner as
'phối hợp' and adds nothing to the province's count. An indicator no activity can count
(funding) has no counted figure."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from models.programme.schema import Indicator


@dataclass(frozen=True)
class Counted:
    """One activity of the window, as the counts need it."""

    type_code: str
    participants: int | None
    lead_id: int
    partner_ids: tuple[int, ...] = ()


@dataclass(frozen=True)
class Reconciled:
    indicator: Indicator
    reported: float
    reporting: int
    """How many arrived reports give the figure."""
    counted: float | None

    @property
    def difference(self) -> float | None:
        return None if self.counted is None else self.reported - self.counted


def counted_figure(indicator: Indicator, activities: list[Counted]) -> float | None:
    rule = indicator.from_activities
    if rule is None:
        return None
    chosen = [a for a in activities if a.type_code in rule.types]
    if rule.measure == "participants":
        return float(sum(a.participants or 0 for a in chosen))
    return float(len(chosen))


def reconcile(indicators: list[Indicator], reported: list[dict[str, float | None]], activities: list[Counted]) -> list[Reconciled]:
    """`reported`: each arrived report's figures by indicator code."""
    return [
        Reconciled(
            indicator,
            sum(values.get(indicator.code) or 0.0 for values in reported),
            sum(1 for values in reported if values.get(indicator.code) is not None),
            counted_figure(indicator, activities),
        )
        for indicator in indicators
    ]


@dataclass(frozen=True)
class AgencyActivities:
    agency_id: int
    led: int
    joined: int
    """Activities it took part in as a partner ('phối hợp'), counted for their lead."""


def by_agency(activities: list[Counted]) -> list[AgencyActivities]:
    """Each agency's activities of the window: those it led, and those it joined."""
    led: Counter[int] = Counter(a.lead_id for a in activities)
    joined: Counter[int] = Counter(p for a in activities for p in a.partner_ids if p != a.lead_id)
    return [AgencyActivities(agency, led[agency], joined[agency]) for agency in sorted(led.keys() | joined.keys())]

"""When an outbox row may go out (its `not_before`): the three rules the system uses.

A notice that answers what someone just did goes at once; what the office sends on
purpose waits out the quiet hours; what the scheduler writes waits for the sending hour of
a day on which messages may go. Pure: the moment the row is written is passed in, in the
programme's local time.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from models.programme.reminders import ReminderPolicy, deliver_at, next_sendable


class Rule(StrEnum):
    NOW = "now"
    OUT_OF_QUIET_HOURS = "out_of_quiet_hours"
    AT_SENDING_HOUR = "at_sending_hour"


@dataclass(frozen=True, slots=True)
class When:
    """A rule, and the programme's reminder policy for the rules that need one."""

    rule: Rule
    policy: ReminderPolicy | None = None

    def __post_init__(self) -> None:
        if self.rule is not Rule.NOW and self.policy is None:
            raise ValueError(f"{self.rule} needs the programme's reminder policy")

    @classmethod
    def out_of_quiet_hours(cls, policy: ReminderPolicy) -> When:
        return cls(Rule.OUT_OF_QUIET_HOURS, policy)

    @classmethod
    def at_sending_hour(cls, policy: ReminderPolicy) -> When:
        return cls(Rule.AT_SENDING_HOUR, policy)

    def moment(self, now: datetime) -> datetime:
        """The `not_before` of a row written at `now`."""
        if self.rule is Rule.NOW or self.policy is None:
            return now
        if self.rule is Rule.OUT_OF_QUIET_HOURS:
            return next_sendable(now, self.policy)
        return deliver_at(now, self.policy)


NOW = When(Rule.NOW)

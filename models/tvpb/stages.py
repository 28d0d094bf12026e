"""The order of a TVPB task's stages and what each one needs before it."""

from __future__ import annotations

from models.errors import RuleError
from models.tvpb.tables import Stage

ORDER = (Stage.REQUESTED, Stage.DOSSIER, Stage.COUNCIL, Stage.WORKSHOP, Stage.CRITIQUE_SENT, Stage.RESPONSE, Stage.CLOSED)
OPEN = frozenset(ORDER[:-1])


def next_stage(stage: Stage) -> Stage:
    if stage not in OPEN:
        raise RuleError("tvpb.already_ended", stage=stage.value)
    return ORDER[ORDER.index(stage) + 1]


def check_move(current: Stage, wanted: Stage) -> None:
    """Only to the next stage; a closed or cancelled task moves no more."""
    if next_stage(current) is not wanted:
        raise RuleError("tvpb.wrong_stage", stage=current.value, wanted=wanted.value)


def chased(stage: Stage) -> str | None:
    """Which deadline the drafting agency is chased for at this stage."""
    if stage is Stage.REQUESTED:
        return "dossier"
    if stage is Stage.CRITIQUE_SENT:
        return "response"
    return None

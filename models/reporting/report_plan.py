"""The order of a report's items and which of them the form asks: pure rules.

The summary numbers every item (the indicators, then the content areas' narratives, then
the counted activities), so "sửa 3" means the same item to the focal point and to the
office that flagged it. A narrative is asked on its own only for a content area one of
the counted, held activities belongs to (`ContentArea.activity_types`), pre-filled with
their titles; the other areas are offered together, to skip at once.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass

from models.programme.schema import ContentArea, Programme
from models.reporting.submissions import NARRATIVE_LENGTH, WindowActivity, narrative_code

ACTIVITIES_ITEM = "~activities"
"""The code that names the counted activities among a report's items (no item code has '~')."""
MORE = "more"
CONFIRM = "confirm"


@dataclass(frozen=True)
class Entry:
    """One numbered item of the summary: the form's step that asks it and its item code."""

    number: int
    step: str
    code: str

    def label(self, name: str) -> str:
        """How the item is named wherever it is numbered: "[3] Số lớp tập huấn kỹ thuật" (in
        brackets, apart from the numbered choices that follow a summary on Zalo)."""
        return f"[{self.number}] {name}"


def entries(programme: Programme) -> list[Entry]:
    """Every item of the report, numbered from 1 as the summary shows them."""
    steps = [(f"ind:{i}", indicator.code) for i, indicator in enumerate(programme.indicators)]
    steps += [(f"nar:{i}", narrative_code(area.code)) for i, area in enumerate(programme.content_areas)]
    steps.append(("activities", ACTIVITIES_ITEM))
    return [Entry(number, step, code) for number, (step, code) in enumerate(steps, start=1)]


def entry_numbered(programme: Programme, number: int) -> Entry | None:
    found = entries(programme)
    return found[number - 1] if 1 <= number <= len(found) else None


def steps_of(programme: Programme, codes: Iterable[str]) -> list[str]:
    """The form's steps that ask the items `codes`, in the summary's order."""
    wanted = set(codes)
    return [entry.step for entry in entries(programme) if entry.code in wanted]


def _tells(area: ContentArea, activity: WindowActivity) -> bool:
    return activity.held and activity.type_code in area.activity_types


def asked_areas(programme: Programme, counted: Iterable[WindowActivity]) -> list[int]:
    """The content areas (their positions) that some counted, held activity belongs to."""
    chosen = list(counted)
    return [i for i, area in enumerate(programme.content_areas) if any(_tells(area, a) for a in chosen)]


def prefill(area: ContentArea, counted: Iterable[WindowActivity]) -> str | None:
    """The titles of the counted, held activities of the area, as a narrative to keep, edit
    or replace; None when it has none."""
    titles = [" ".join(a.title.split()) for a in counted if _tells(area, a)]
    if not titles:
        return None
    return clipped("; ".join(titles) + ".", NARRATIVE_LENGTH[1])


def clipped(text: str, most: int) -> str:
    """`text` cut to `most` characters, with "…" when it was longer."""
    return text if len(text) <= most else text[: most - 1].rstrip() + "…"


def first_unanswered(programme: Programme, answered: Collection[str], asked: Callable[[], Collection[int]]) -> str:
    """The first step still owed: an indicator, an asked narrative, the other areas together
    (`MORE`), or the summary (`CONFIRM`). An item skipped is answered (its row exists).
    `asked` is called only once every indicator is answered (it reads the activities)."""
    for i, indicator in enumerate(programme.indicators):
        if indicator.code not in answered:
            return f"ind:{i}"
    areas, chosen = programme.content_areas, asked()
    for i in sorted(chosen):
        if narrative_code(areas[i].code) not in answered:
            return f"nar:{i}"
    if unasked_open(programme, answered, chosen):
        return MORE
    return CONFIRM


def unasked_open(programme: Programme, answered: Collection[str], asked: Collection[int]) -> list[int]:
    """The areas not asked on their own whose narrative is still owed."""
    return [
        i for i, area in enumerate(programme.content_areas) if i not in asked and narrative_code(area.code) not in answered
    ]

"""The report's plan, pure: items numbered as the summary shows them, the content areas
asked on their own (a counted, held activity of their types), their pre-filled titles,
and the first unanswered step."""

from __future__ import annotations

from datetime import date

from models.programme.schema import load_programme
from models.reporting.report_plan import ACTIVITIES_ITEM, asked_areas, entries, entry_numbered, first_unanswered, prefill, steps_of
from models.reporting.submissions import NARRATIVE_LENGTH, WindowActivity
from tests.conftest import LAO_CAI, PROGRAMMES

PROGRAMME = load_programme(LAO_CAI)


def held(number: int, type_code: str, title: str, done: bool = True) -> WindowActivity:
    return WindowActivity(number, type_code, title, date(2026, 5, number), 10, None, done)


UNLINKED = {("can-tho-958-2022.toml", "tap-hop")}
"""Seed 003, II.1 (vận động, tập hợp trí thức) names no activity type of its own."""


def test_every_shipped_programme_links_each_content_area_but_the_difficulties_to_activity_types() -> None:
    for path in sorted(PROGRAMMES.glob("*.toml")):
        programme = load_programme(path)
        types = {kind.code for kind in programme.activity_types}
        for area in programme.content_areas:
            assert set(area.activity_types) <= types, (path.name, area.code)
            linked = (path.name, area.code) not in UNLINKED and not area.difficulties
            assert bool(area.activity_types) == linked, (path.name, area.code)


def test_the_items_are_the_indicators_the_areas_then_the_activities() -> None:
    listed = entries(PROGRAMME)
    assert len(listed) == 8 + 7 + 1
    assert (listed[0].number, listed[0].step, listed[0].code) == (1, "ind:0", "hoi-thao")
    assert (listed[9].step, listed[9].code) == ("nar:1", "n:pbkt")
    assert (listed[-1].step, listed[-1].code) == ("activities", ACTIVITIES_ITEM)
    assert entry_numbered(PROGRAMME, 0) is None and entry_numbered(PROGRAMME, 17) is None
    assert listed[2].label("Số lớp tập huấn kỹ thuật") == "[3] Số lớp tập huấn kỹ thuật"
    assert steps_of(PROGRAMME, ["n:pbkt", "kinh-phi", "nope"]) == ["ind:7", "nar:1"]


def test_only_held_activities_ask_an_area_and_fill_it_with_their_titles() -> None:
    counted = [held(1, "hoi-thao", "Hội thảo  A"), held(2, "tvpb", "Phản biện B"), held(3, "de-tai", "Đề tài C", done=False)]
    assert asked_areas(PROGRAMME, counted) == [1, 3]
    areas = PROGRAMME.content_areas
    assert prefill(areas[1], counted) == "Hội thảo A."
    assert prefill(areas[2], counted) is None
    many = [held(1, "hoi-thao", "x" * 300) for _ in range(10)]
    text = prefill(areas[1], many)
    assert text is not None and len(text) == NARRATIVE_LENGTH[1] and text.endswith("…")


def test_the_first_unanswered_step() -> None:
    codes = [indicator.code for indicator in PROGRAMME.indicators]

    def never() -> list[int]:
        raise AssertionError("the areas are read only once every indicator is answered")

    assert first_unanswered(PROGRAMME, set(), never) == "ind:0"
    assert first_unanswered(PROGRAMME, set(codes[:3]), never) == "ind:3"
    assert first_unanswered(PROGRAMME, set(codes), lambda: [1, 3]) == "nar:1"
    assert first_unanswered(PROGRAMME, {*codes, "n:pbkt"}, lambda: [1, 3]) == "nar:3"
    assert first_unanswered(PROGRAMME, {*codes, "n:pbkt", "n:tvpb"}, lambda: [1, 3]) == "more"
    every = {*codes, *(f"n:{area.code}" for area in PROGRAMME.content_areas)}
    assert first_unanswered(PROGRAMME, every, lambda: [1, 3]) == "confirm"

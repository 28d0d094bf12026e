"""Which years /targets shows a target by, and what each year should bring."""

from __future__ import annotations

from datetime import date

from models.office.target_years import even_share, shown_years
from models.programme.schema import Programme, load_programme
from tests.conftest import PROGRAMMES


def ha_giang(end: date | None = date(2026, 12, 31)) -> Programme:
    programme = load_programme(PROGRAMMES / "ha-giang-2021-2026.toml")
    term = programme.programme.term.model_copy(update={"end": end})
    return programme.model_copy(update={"programme": programme.programme.model_copy(update={"term": term})})


def test_the_term_years_up_to_this_one_and_no_later_than_its_end() -> None:
    assert list(shown_years(ha_giang(), date(2024, 5, 1))) == [2021, 2022, 2023, 2024]
    assert list(shown_years(ha_giang(), date(2029, 5, 1))) == [2021, 2022, 2023, 2024, 2025, 2026]


def test_a_term_without_an_end_shows_the_last_six_years_and_no_share() -> None:
    open_ended = ha_giang(None)
    assert list(shown_years(open_ended, date(2030, 2, 1))) == [2025, 2026, 2027, 2028, 2029, 2030]
    term_target = next(target for target in open_ended.targets if target.per == "term")
    assert even_share(open_ended, term_target) is None
    assert even_share(open_ended, term_target.model_copy(update={"per": "year"})) == term_target.target


def test_a_term_target_shares_evenly_over_the_term_years() -> None:
    programme = ha_giang()
    target = next(target for target in programme.targets if target.target == 25)
    assert even_share(programme, target) == 25 / 6

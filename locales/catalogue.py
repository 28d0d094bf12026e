"""Every text a person reads comes from the gettext catalogues in `locales/` (Babel).

Message ids are symbolic keys ('join.welcome'); Vietnamese is the default language and
English the second. A language's catalogue is every `.po` file in its `LC_MESSAGES`
(`phoihop.po`, plus one file per larger domain such as `web.po`); a key defined in two
files is an error. Placeholders use str.format names, and the catalogue test checks
that both languages carry the same ones.
"""

from __future__ import annotations

import calendar
import string
from functools import cache
from pathlib import Path
from typing import Any

from babel.messages.pofile import read_po

LANGUAGES = ("vi", "en")
DEFAULT_LANGUAGE = "vi"
LOCALES = Path(__file__).resolve().parent
DOMAIN = "phoihop"


def catalogue_path(language: str) -> Path:
    return LOCALES / language / "LC_MESSAGES" / f"{DOMAIN}.po"


def catalogue_files(language: str) -> list[Path]:
    return sorted(catalogue_path(language).parent.glob("*.po"))


def read_catalogue_file(path: Path, language: str) -> dict[str, str]:
    with path.open("rb") as handle:
        messages = read_po(handle, locale=language, domain=DOMAIN)
    return {str(message.id): str(message.string) for message in messages if message.id and message.string}


@cache
def catalogue(language: str) -> dict[str, str]:
    merged: dict[str, str] = {}
    for path in catalogue_files(language):
        messages = read_catalogue_file(path, language)
        twice = sorted(messages.keys() & merged.keys())
        if twice:
            raise ValueError(f"{path.name} defines keys another catalogue file has: {', '.join(twice)}")
        merged.update(messages)
    return merged


def normalise_language(code: str | None) -> str | None:
    """'en-US' -> 'en'; None for languages without a catalogue."""
    if not code:
        return None
    short = code.split("-")[0].split("_")[0].lower()
    return short if short in LANGUAGES else None


PLURAL = "#other"
"""A key's form for a `count` other than 1 ('invite.still_open#other'), where the language
has one (English); Vietnamese nouns do not change with the number."""

QUANTITIES = frozenset(
    {"count", "days", "total", "people", "groups", "agencies", "joined", "done", "goal", "planned", "amount", "rows", "moved", "tables",
     "size", "councils", "length", "activities", "submissions", "tasks", "cycles", "reports", "arrived", "participants"}
)  # fmt: skip
"""Placeholders that hold a quantity: an int there is written with the language's thousands
separator ('4.940 ngày', '4,940 days'). Years, numbers and codes have other names."""


def t(key: str, language: str = DEFAULT_LANGUAGE, /, **params: Any) -> str:
    """The text for `key` in `language`, falling back to Vietnamese, then to the key; its
    plural form when `count` is not 1; quantities with thousands separators; a quantity
    written `{days:day|days}` is the number and the noun's form for it ('1 day', '4,940 days'),
    a month written `{month:month}` its English name ('December')."""
    chosen = catalogue(language) if language in LANGUAGES else {}
    if "count" in params and not _is_one(params["count"]) and key + PLURAL in chosen:
        key += PLURAL
    text = chosen.get(key) or catalogue(DEFAULT_LANGUAGE).get(key) or key
    if not params:
        return text
    values = _quantities(params, language)
    return _COUNTED.format(text, **values) if "|" in text or ":month}" in text else text.format(**values)


def _quantities(params: dict[str, Any], language: str) -> dict[str, Any]:
    return {name: _separated(value, language) if name in QUANTITIES else value for name, value in params.items()}


def _separated(value: Any, language: str) -> Any:
    return f"{value:,}".replace(",", "," if language == "en" else ".") if type(value) is int else value


def _is_one(value: Any) -> bool:
    return str(value).strip() in ("1", "1.0")


class _Counted(string.Formatter):
    """str.format, with `{name:one|many}`: the value, a space and the form its number takes;
    and `{month:month}`: the month's English name."""

    def format_field(self, value: Any, format_spec: str) -> Any:
        if format_spec == "month":
            return calendar.month_name[int(value)] if str(value).isdigit() and 1 <= int(value) <= 12 else str(value)
        if "|" not in format_spec:
            return super().format_field(value, format_spec)
        one, many = format_spec.split("|", 1)
        return f"{_separated(value, 'en')} {one if _is_one(value) else many}"


_COUNTED = _Counted()


def localised(vi: str, en: str, language: str) -> str:
    """A name the programme file gives in both languages."""
    return en if language == "en" else vi

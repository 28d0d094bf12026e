"""The gettext catalogues: every key the code uses exists in Vietnamese and English, with
the same placeholders, and the Vietnamese is really Vietnamese."""

from __future__ import annotations

import re
import string
from pathlib import Path

from locales.catalogue import LANGUAGES, PLURAL, catalogue, catalogue_files, read_catalogue_file, t
from locales.formats import format_date, format_number
from models.activities.tables import ActivityStatus
from models.people.tables import Role
from models.reporting.tables import SubmissionStatus

ROOT = Path(__file__).resolve().parents[2]
CODE_DIRS = ("bot", "handlers", "models", "scheduler")
LITERAL = re.compile(r"""["']([a-z_]+\.[a-z_]+)["']""")
SAME_IN_BOTH = {"due.event", "form.current"}


def placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def keys_in_code() -> set[str]:
    families = {key.split(".")[0] for key in catalogue("vi")}
    found = set()
    for folder in CODE_DIRS:
        for path in (ROOT / folder).rglob("*.py"):
            for key in LITERAL.findall(path.read_text(encoding="utf-8")):
                family, name = key.split(".")
                if family in families and name != "id":
                    found.add(key)
    return found


def test_both_languages_have_the_same_keys_and_placeholders() -> None:
    vi, en = catalogue("vi"), catalogue("en")
    plurals = {key for key in en if key.endswith(PLURAL)}
    assert vi.keys() == en.keys() - plurals and {key.removesuffix(PLURAL) for key in plurals} <= vi.keys()
    for key in plurals:
        assert placeholders(en[key]) == placeholders(en[key.removesuffix(PLURAL)]) and "{count}" in en[key], key
    for key in vi:
        assert placeholders(vi[key]) == placeholders(en[key]), key


def test_every_key_the_code_names_exists() -> None:
    used = keys_in_code()
    assert len(used) > 100
    missing = sorted(used - catalogue("vi").keys())
    assert missing == []


def test_keys_built_from_enums_exist() -> None:
    for language in LANGUAGES:
        messages = catalogue(language)
        for role in Role:
            assert f"role.{role}" in messages
        for status in ActivityStatus:
            assert f"activity_status.{status}" in messages
        for submission in SubmissionStatus:
            assert f"submission_status.{submission}" in messages
        assert "submission_status.none" in messages


def test_vietnamese_is_vietnamese_and_english_is_english() -> None:
    vi, en = catalogue("vi"), catalogue("en")
    marks = re.compile(r"[àáạảãâầấậẩẫăằắặẳẵèéẹẻẽêềếệểễìíịỉĩòóọỏõôồốộổỗơờớợởỡùúụủũưừứựửữỳýỵỷỹđ]", re.IGNORECASE)
    assert sum(bool(marks.search(text)) for text in vi.values()) > 0.9 * len(vi)
    assert not any("Anh/chị" in text or "Vui lòng" in text for text in en.values())
    assert [key for key in vi if vi[key] == en[key] and key not in SAME_IN_BOTH] == []


def test_formatting_helpers() -> None:
    from datetime import date

    assert t("lang.set", "vi", language="English") == "Đã chuyển ngôn ngữ sang English."
    assert t("lang.set", "xx", language="English") == "Đã chuyển ngôn ngữ sang English."
    assert t("no.such_key", "en") == "no.such_key"
    assert format_date(date(2027, 6, 5), "vi") == "05/06/2027"
    assert format_date(date(2027, 6, 5), "en") == "5 June 2027"
    assert format_number(1234567, "vi") == "1.234.567"
    assert format_number(1234.5, "en") == "1,234.5"


def test_each_language_has_the_same_catalogue_files_and_no_key_twice() -> None:
    names = {language: [path.name for path in catalogue_files(language)] for language in LANGUAGES}
    assert names["vi"] == names["en"] and "phoihop.po" in names["vi"]
    for language in LANGUAGES:
        per_file = [read_catalogue_file(path, language) for path in catalogue_files(language)]
        assert sum(len(messages) for messages in per_file) == len(catalogue(language))

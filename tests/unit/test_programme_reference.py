"""docs/programme-file.md is generated from the schema: it must say what the schema says."""

from __future__ import annotations

from pathlib import Path

from models.programme.reference import missing_examples, render_reference, sections
from models.programme.schema import Programme

DOCUMENT = Path(__file__).resolve().parents[2] / "docs" / "programme-file.md"


def test_the_document_is_what_the_schema_generates() -> None:
    assert DOCUMENT.read_text(encoding="utf-8") == render_reference(), "run: phoihop programme reference > docs/programme-file.md"


def test_every_key_is_documented_with_an_example_and_a_meaning() -> None:
    assert missing_examples() == []
    text = render_reference()
    for section in sections():
        assert f"## `{section.header}`" in text
    for model, path in [(Programme, ())] + [(section.model, section.path) for section in sections()]:
        for name, field in model.model_fields.items():
            assert f"| `{name}` |" in text, ".".join((*path, name))
            assert field.description or field.annotation in {section.model for section in sections()}, ".".join((*path, name))


def test_types_defaults_and_accepted_values_are_shown() -> None:
    text = render_reference()
    assert "| `periodicity` | text | yes |  | `monthly`, `quarterly`, `six_monthly`, `annual` |" in text
    assert "| `send_at` | time HH:MM:SS | no | `08:00:00` |" in text
    assert "| `due_day_of_month` | integer | no | none | ≥ 1, ≤ 31 |" in text
    assert "## `[[cycles]]`" in text and "## `[[reminders.overdue]]`" in text and "## `[programme.term]`" in text


def test_readme_links_it() -> None:
    assert "docs/programme-file.md" in (DOCUMENT.parents[1] / "README.md").read_text(encoding="utf-8")

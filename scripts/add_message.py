"""Add one message to both catalogues: python scripts/add_message.py KEY "tiếng Việt" "English".

It appends (never rewrites), so two people adding messages at once do not undo each other.
A literal \\n in the arguments becomes a line break.
"""

from __future__ import annotations

import sys
from pathlib import Path

from babel.messages.pofile import normalize, read_po

LOCALES = Path(__file__).resolve().parent.parent / "locales"


def add(key: str, texts: dict[str, str]) -> None:
    for language, text in texts.items():
        path = LOCALES / language / "LC_MESSAGES" / "phoihop.po"
        with path.open("rb") as handle:
            if key in read_po(handle):
                raise SystemExit(f"{key} is already in {path}")
        entry = f"\nmsgid {normalize(key, width=100)}\nmsgstr {normalize(text, width=100)}\n"
        with path.open("a", encoding="utf-8") as handle:
            handle.write(entry)


if __name__ == "__main__":
    if len(sys.argv) != 4:
        raise SystemExit(__doc__)
    add(sys.argv[1], {"vi": sys.argv[2].replace("\\n", "\n"), "en": sys.argv[3].replace("\\n", "\n")})

"""Characters a reader cannot see: bidirectional overrides (U+202E turns "gpj.exe" into
"exe.jpg"), zero-width spaces and joiners, the byte-order mark, line and paragraph
separators (U+2028, U+2029), NEL (U+0085) and the other control characters. Typed text and
file names holding one are refused, as names are, so no title, place, narrative or file
name shows one thing and stores another. Ordinary line breaks and tabs are let through
(and folded by the callers that keep one line)."""

from __future__ import annotations

import unicodedata

HIDDEN_CATEGORIES = frozenset({"Cc", "Cf", "Co", "Cn", "Cs", "Zl", "Zp"})
ORDINARY = frozenset("\n\r\t")


def has_hidden(text: str) -> bool:
    return any(ch not in ORDINARY and unicodedata.category(ch) in HIDDEN_CATEGORIES for ch in text)

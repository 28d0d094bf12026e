"""Errors raised by the pure rules.

A rule never formats text for people: it names a message key of the catalogues in
`locales/` and the values to put in it, and the edge translates them into the reader's
language.
"""

from __future__ import annotations

from typing import Any


class RuleError(ValueError):
    """A rule could not accept its input; `key` names the message in `locales/`."""

    def __init__(self, key: str, **params: Any) -> None:
        super().__init__(f"{key} {params}" if params else key)
        self.key = key
        self.params = params

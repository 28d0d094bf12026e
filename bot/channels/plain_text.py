"""Replies as plain text, for channels without buttons (Zalo, the terminal).

Buttons become numbered choices followed by how to answer; the engine maps a typed number,
or a label typed with or without diacritics, back to the button. A step that expects a
typed answer lists its buttons as words to type instead. A document becomes a line that
names it. Each channel words these in its own catalogue entries (`PlainText`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace

from handlers.types import Button, Document, Reply
from locales.catalogue import t

HowToAnswer = Callable[[int, str], str]
"""(number of choices, language) -> how to answer them."""
DocumentLine = Callable[[Document, str], str]


@dataclass(frozen=True)
class PlainText:
    """A channel's way of writing a reply as text: `or_type` is the catalogue key that lists
    the buttons of a typed answer (`{labels}`), `indent` starts each numbered choice, and
    `between` separates the message, its choices and its document."""

    or_type: str
    how_to_answer: HowToAnswer
    document: DocumentLine
    indent: str = ""
    between: str = "\n\n"

    def render(self, reply: Reply, language: str) -> str:
        """The whole reply as one text: the message, its choices, a line for its document."""
        parts = [reply.text]
        choices = reply.choices()
        if choices:
            parts.append(self.choices(choices, reply.expects_text, language))
        if reply.document is not None:
            parts.append(self.document(_uncaptioned(reply.document, reply.text), language))
        if reply.web_form is not None:
            parts.append(f"{reply.web_form.label}: {reply.web_form.link}")
        return self.between.join(part for part in parts if part)

    def choices(self, choices: list[Button], expects_text: bool, language: str) -> str:
        if expects_text:
            return t(self.or_type, language, labels=" · ".join(button.label for button in choices))
        lines = [f"{self.indent}{number}. {button.label}" for number, button in enumerate(choices, start=1)]
        return "\n".join([*lines, self.how_to_answer(len(choices), language)])


def _uncaptioned(document: Document, text: str) -> Document:
    """The document without the caption the message already says (a chart's title)."""
    return replace(document, caption="") if document.caption and document.caption.strip() in text else document

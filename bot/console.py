"""The terminal channel: the same conversations as Telegram and Zalo, typed in a terminal.

Replies are plain text, as on Zalo (`bot/channels/plain_text`): buttons become numbered
choices, and the engine maps a typed number or label back to the button. Lines can be
piped in, so scripts can drive it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TextIO

from bot.channels.plain_text import PlainText
from handlers.engine import ConversationEngine
from handlers.types import Document, Incoming, Reply
from locales.catalogue import t

CHANNEL = "console"


def _answer_number(count: int, language: str) -> str:
    return t("console.answer_number", language, last=count)


def _document(document: Document, language: str) -> str:
    return t("console.document", language, name=document.filename, size=len(document.content))


CONSOLE_TEXT = PlainText("console.or_type", _answer_number, _document, indent="  ", between="\n")


def render(reply: Reply, language: str) -> str:
    """A reply as terminal text: the message, then its choices."""
    return CONSOLE_TEXT.render(reply, language)


class Console:
    """`demo_command` may take a line before the engine does; `deliveries` gives what the
    outbox brought this person since the last line."""

    def __init__(
        self,
        engine: ConversationEngine,
        who: str,
        language: Callable[[str], str],
        demo_command: Callable[[str], str | None],
        deliveries: Callable[[], list[str]] = list,
    ) -> None:
        self.engine = engine
        self.who = who
        self.language = language
        self.demo_command = demo_command
        self.deliveries = deliveries

    def say(self, text: str) -> list[str]:
        """Everything printed in answer to one typed line."""
        handled = self.demo_command(text)
        if handled is not None:
            return [handled, *self.deliveries()]
        incoming = Incoming(channel=CHANNEL, user_ref=self.who, chat_ref=self.who, text=text)
        replies = [render(reply, self.language(self.who)) for reply in self.engine.handle(incoming)]
        return replies + self.deliveries()

    def loop(self, source: TextIO, sink: TextIO, echo: bool, prompt: Callable[[], str]) -> None:
        while True:
            sink.write(prompt())
            sink.flush()
            line = source.readline()
            if not line:
                sink.write("\n")
                return
            text = line.strip()
            if echo:
                sink.write(text + "\n")
            if text in ("/quit", "/exit"):
                return
            if text:
                for block in self.say(text):
                    sink.write("\n" + block + "\n\n")

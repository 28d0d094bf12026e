"""A channel that keeps messages in memory, per chat: the demo's stand-in for Telegram,
so reminders and notices written to the outbox can be shown in the terminal."""

from __future__ import annotations

from collections import defaultdict


class Inbox:
    def __init__(self, channel: str) -> None:
        self.channel = channel
        self.waiting: dict[str, list[str]] = defaultdict(list)
        self.count = 0

    def split(self, text: str) -> list[str]:
        return [text]

    async def send_text(self, chat_ref: str, text: str) -> str:
        self.waiting[chat_ref].append(text)
        self.count += 1
        return f"{self.channel}-{self.count}"

    async def send_document(self, chat_ref: str, file_ref: str, caption: str) -> str:
        return await self.send_text(chat_ref, f"{caption} [{file_ref}]")

    def take(self, chat_ref: str) -> list[str]:
        return self.waiting.pop(chat_ref, [])

    def others(self, chat_ref: str) -> int:
        return sum(len(texts) for chat, texts in self.waiting.items() if chat != chat_ref)

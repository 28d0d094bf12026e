"""What a channel hands to the handlers, and what they hand back.

Handlers see only these types: they never know whether a message came from Telegram, Zalo
or the terminal. Adapters in `bot/` turn updates into `Incoming` and `Reply` into messages
(inline keyboards on Telegram, numbered choices on Zalo and the console).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum


class ChatKind(StrEnum):
    PRIVATE = "private"
    GROUP = "group"


@dataclass(frozen=True)
class FileRef:
    """A file a person attached; `ref` is the channel's own id for it, `unique_ref` the
    channel's stable id of the same bytes (Telegram's file_unique_id), when it has one."""

    ref: str
    name: str | None = None
    mime: str | None = None
    size: int | None = None
    unique_ref: str | None = None


@dataclass(frozen=True)
class Incoming:
    """One update from a person. `received_at` is set when it is handled later than it came
    (kept while the database was down): the engine then takes it as the time of the update."""

    channel: str
    user_ref: str
    chat_ref: str
    chat_kind: ChatKind = ChatKind.PRIVATE
    text: str | None = None
    button: str | None = None
    file: FileRef | None = None
    update_ref: str | None = None
    display_name: str | None = None
    language_code: str | None = None
    chat_title: str | None = None
    received_at: datetime | None = None
    unreadable: str | None = None
    """A message the channel cannot hand over ('voice', 'sticker', 'other'): it is answered
    with what the bot reads, and a form waiting for an answer goes on waiting. 'mention': a
    group message addressed to the bot without a command (Zalo): what it does in a group."""


@dataclass(frozen=True)
class Button:
    label: str
    data: str
    keyboard_only: bool = False
    """A shortcut shown only where there are buttons (Telegram): channels that write choices
    as numbered text leave it out, and the reply's text says what to type instead."""


@dataclass(frozen=True)
class Document:
    """A file to send; with `file_ref`, one the channel already holds (its own file id, as
    stored with an attachment), re-sent by id, `content` then empty."""

    filename: str
    content: bytes
    mime: str
    caption: str = ""
    file_ref: str | None = None


@dataclass(frozen=True)
class WebForm:
    """A web page that does what a reply's form does (the report as one page): Telegram
    shows `label` as a button opening `mini_app` inside Telegram; channels without buttons
    print `label` with `link` (a single-use sign-in link that opens the page)."""

    label: str
    mini_app: str
    link: str


@dataclass(frozen=True)
class Reply:
    """One message. `chat_ref` None means the chat the incoming message came from;
    `invite_code` lets an adapter add a deep link to the code it announces, in `language`
    (the reader's, when the handler knows it); `expects_text` says the answer is typed, so
    buttons are not numbered choices; `menu_changed` that the reader's menus changed (they
    joined, perhaps taking another's seat), so an adapter with per-chat menus sets them now."""

    text: str
    buttons: tuple[tuple[Button, ...], ...] = ()
    document: Document | None = None
    chat_ref: str | None = None
    invite_code: str | None = None
    expects_text: bool = False
    language: str | None = None
    menu_changed: bool = False
    web_form: WebForm | None = None

    def choices(self) -> list[Button]:
        """The buttons in reading order: what numbered choices count through (not the
        keyboard-only shortcuts)."""
        return [button for row in self.buttons for button in row if not button.keyboard_only]

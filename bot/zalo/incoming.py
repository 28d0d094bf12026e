"""Zalo updates as the handlers' `Incoming`.

An update is `{"event_name": "message.text.received", "message": {...}}`; a webhook wraps
it as `{"ok": true, "result": update}`. One copy of the documentation shows getUpdates
results without `event_name`: the message's own fields (`text`, `photo`/`photo_url`,
`sticker`, `voice_url`) then say what it is. Updates carry no update id: the message's
`message_id` is what de-duplicates them. Voice messages, stickers and what Zalo calls
unsupported reach the engine as `unreadable`, so the person is told what the bot reads.
In a group the bot only hears messages that mention it or answer it: a command in such a
message passes, anything else is `unreadable` ("mention") and gets what the bot does there.
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlsplit

from bot.zalo import CHANNEL
from handlers.types import ChatKind, FileRef, Incoming

TEXT = "message.text.received"
IMAGE = "message.image.received"
STICKER = "message.sticker.received"
VOICE = "message.voice.received"
UNSUPPORTED = "message.unsupported.received"
UNREADABLE = {VOICE: "voice", STICKER: "sticker", UNSUPPORTED: "other"}
PHOTO_SUFFIXES = (".jpg", ".jpeg", ".png", ".gif", ".webp")
FILE_REF_LIMIT = 255
FILE_NAME_LIMIT = 120
COMMAND = re.compile(r"(?:^|\s)(/\w[\s\S]*)")
Json = dict[str, Any]


def unwrap(body: object) -> Json | None:
    """The update inside a webhook body; a bare update is accepted as well."""
    if not isinstance(body, dict):
        return None
    update = body.get("result", body)
    return update if isinstance(update, dict) else None


def command_in(text: str | None) -> str | None:
    """'@Bot Phối hợp /bind SYT' -> '/bind SYT': the command in a group message, if any."""
    match = COMMAND.search(text or "")
    return match.group(1).strip() if match else None


def photo_name(url: str, message_id: object) -> str:
    """The file name in the URL when it is a picture's, else one made of the message id."""
    last = urlsplit(url).path.rsplit("/", 1)[-1]
    if last.lower().endswith(PHOTO_SUFFIXES) and len(last) <= FILE_NAME_LIMIT:
        return last
    return f"zalo-photo-{str(message_id or 'image')[:40]}.jpg"


def _photo(message: Json) -> FileRef | None:
    url = message.get("photo") or message.get("photo_url")
    if not isinstance(url, str) or not url or len(url) > FILE_REF_LIMIT:
        return None
    return FileRef(url, name=photo_name(url, message.get("message_id")))


def event_of(update: Json, message: Json) -> str:
    """The update's event_name, or the one its message's fields stand for."""
    event = update.get("event_name")
    if isinstance(event, str) and event:
        return event
    if message.get("photo") or message.get("photo_url"):
        return IMAGE
    if message.get("voice_url") or message.get("voice"):
        return VOICE
    if message.get("sticker"):
        return STICKER
    return TEXT if isinstance(message.get("text"), str) else UNSUPPORTED


def _content(event: str, message: Json) -> tuple[str | None, FileRef | None]:
    if event == TEXT:
        return message.get("text"), None
    if event == IMAGE:
        return message.get("caption"), _photo(message)
    return None, None


def update_ref(update: Json) -> str | None:
    message = update.get("message")
    ref = message.get("message_id") if isinstance(message, dict) else None
    return str(ref) if ref else None


def to_incoming(update: Json) -> Incoming | None:
    """The update as `Incoming`, or None when the engine has nothing to do with it."""
    message = update.get("message")
    if not isinstance(message, dict):
        return None
    sender, chat = message.get("from") or {}, message.get("chat") or {}
    if sender.get("is_bot") or not sender.get("id") or not chat.get("id"):
        return None
    kind = ChatKind.GROUP if str(chat.get("chat_type", "")).upper() == "GROUP" else ChatKind.PRIVATE
    event = event_of(update, message)
    text, file = _content(event, message)
    unreadable = UNREADABLE.get(event, "other") if event not in (TEXT, IMAGE) else None
    if kind is ChatKind.GROUP:
        text, file = command_in(text), None
        unreadable = None if text else "mention"
    if not text and file is None and unreadable is None:
        return None
    return Incoming(
        channel=CHANNEL,
        user_ref=str(sender["id"]),
        chat_ref=str(chat["id"]),
        chat_kind=kind,
        text=text,
        file=file,
        update_ref=update_ref(update),
        display_name=sender.get("display_name") or sender.get("name"),
        unreadable=unreadable,
    )

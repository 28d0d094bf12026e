"""Telegram updates as the handlers' `Incoming`."""

from __future__ import annotations

from telegram import Chat, Message, Update, User

from bot.telegram import CHANNEL
from handlers.types import ChatKind, FileRef, Incoming


def addressed_to(text: str | None, username: str) -> bool:
    """In a group the bot answers only commands: bare ones, or '/cmd@ThisBot'."""
    if not text or not text.startswith("/"):
        return False
    _, _, mention = text.split(maxsplit=1)[0].partition("@")
    return not mention or mention.lower() == username.lower()


def file_of(message: Message) -> FileRef | None:
    """A document, or the largest size of a photo, or another medium with a file."""
    if message.document:
        doc = message.document
        return FileRef(doc.file_id, doc.file_name, doc.mime_type, doc.file_size, doc.file_unique_id)
    if message.photo:
        photo = message.photo[-1]
        return FileRef(photo.file_id, None, "image/jpeg", photo.file_size, photo.file_unique_id)
    for medium in (message.video, message.audio, message.voice):
        if medium is not None:
            return FileRef(medium.file_id, getattr(medium, "file_name", None), medium.mime_type, medium.file_size, medium.file_unique_id)
    return None


def _kind(chat: Chat) -> ChatKind:
    return ChatKind.PRIVATE if chat.type == Chat.PRIVATE else ChatKind.GROUP


def _incoming(
    update: Update, user: User, chat: Chat, text: str | None = None, button: str | None = None, file: FileRef | None = None
) -> Incoming:
    return Incoming(
        channel=CHANNEL,
        user_ref=str(user.id),
        chat_ref=str(chat.id),
        chat_kind=_kind(chat),
        update_ref=str(update.update_id),
        display_name=user.full_name,
        language_code=user.language_code,
        chat_title=chat.title,
        text=text,
        button=button,
        file=file,
    )


def to_incoming(update: Update, bot_username: str) -> Incoming | None:
    """The update as `Incoming`, or None when the engine has nothing to do with it."""
    query = update.callback_query
    if query is not None:
        if query.message is None or query.data is None:
            return None
        return _incoming(update, query.from_user, query.message.chat, button=query.data)
    message = update.message
    if message is None or message.from_user is None or message.from_user.is_bot:
        return None
    text = message.text or message.caption
    if _kind(message.chat) is ChatKind.GROUP and not addressed_to(text, bot_username):
        return None
    file = file_of(message)
    if text is None and file is None:
        return None
    return _incoming(update, message.from_user, message.chat, text=text, file=file)

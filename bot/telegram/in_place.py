"""A press answered in the message pressed: on Telegram a form lives in one message, edited
step by step, so a press costs one answerCallbackQuery and one edit, and the keyboard is
edited rather than sent again (a partner ticked, a page turned). A new message comes only
when the person typed, or when the answer cannot be an edit (a file, an invite, another chat)."""

from __future__ import annotations

from contextlib import suppress

from telegram import CallbackQuery, Message

from bot.channels.delivery import DeliveryError
from bot.splitting import utf16_length
from bot.telegram.outgoing import MESSAGE_LIMIT, Json, call, keyboard, with_retries
from handlers.types import Reply

UNCHANGED = "message is not modified"


async def acknowledge(query: CallbackQuery) -> None:
    """answerCallbackQuery: the app stops showing the press as pending."""
    await call(query.get_bot(), "answerCallbackQuery", callback_query_id=query.id)


async def edit(query: CallbackQuery, method: str, **params: Json | str | None) -> None:
    """Edit the pressed message (`editMessageText`, `editMessageReplyMarkup`), once."""
    message = query.message
    assert isinstance(message, Message)
    await with_retries(lambda: call(query.get_bot(), method, chat_id=message.chat.id, message_id=message.message_id, **params), tries=1)


def pressed_label(query: CallbackQuery) -> str | None:
    """The label of the button pressed, when the message offered it (forged data: None)."""
    message = query.message
    if not isinstance(message, Message) or message.reply_markup is None or not message.text:
        return None
    rows = message.reply_markup.inline_keyboard
    return next((button.text for row in rows for button in row if button.callback_data == query.data), None)


def editable(replies: list[Reply], chat_ref: str) -> tuple[Reply, int] | None:
    """The replies that can become the pressed message, merged into one, and how many they
    were: the leading ones to this chat without a file, an invite, a web form or a new menu, up to the first with
    buttons; None when the first cannot."""
    taken: list[Reply] = []
    for reply in replies:
        if reply.chat_ref not in (None, chat_ref) or reply.document is not None or reply.invite_code or reply.web_form is not None or reply.menu_changed or not reply.text:
            break
        taken.append(reply)
        if reply.buttons:
            break
    if not taken:
        return None
    merged = Reply("\n\n".join(reply.text for reply in taken), taken[-1].buttons, language=taken[-1].language)
    return (merged, len(taken)) if utf16_length(merged.text) <= MESSAGE_LIMIT else None


async def answer_in_place(query: CallbackQuery, replies: list[Reply], chat_ref: str) -> list[Reply]:
    """Edit the pressed message into the answer; the replies still to send as new messages.
    A press the message never offered leaves it alone; an answer that cannot be an edit
    marks the choice in the old message and takes its keyboard away."""
    label = pressed_label(query)
    if label is None:
        return replies
    fit = editable(replies, chat_ref)
    if fit is None:
        await mark_choice(query, label)
        return replies
    merged, count = fit
    try:
        await edit(query, "editMessageText", text=merged.text, reply_markup=keyboard(merged))
    except DeliveryError as error:
        if UNCHANGED not in str(error).lower():
            await mark_choice(query, label)
            return replies
    return replies[count:]


async def mark_choice(query: CallbackQuery, label: str) -> None:
    """Show which button was pressed and take the keyboard away, so it is not pressed twice."""
    message = query.message
    assert isinstance(message, Message) and message.text
    marked = f"{message.text}\n\n» {label}"
    with suppress(DeliveryError):
        if utf16_length(marked) <= MESSAGE_LIMIT:
            await edit(query, "editMessageText", text=marked)
        else:
            await edit(query, "editMessageReplyMarkup")

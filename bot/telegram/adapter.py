"""The conversation engine on a python-telegram-bot Application (`bot/channels/adapter`).

Messages and button presses become `Incoming` and go to the engine; its replies come back as
messages with inline keyboards. Updates of different chats are handled at once, those of one
chat in turn (`ordering.PerChatOrder`). The bot removed from a group or blocked by a user
deactivates the chat and tells the LHH office; a group upgraded to a supergroup is followed.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from contextlib import suppress

from telegram import Bot, Chat, ChatMember, Update
from telegram.constants import ChatAction
from telegram.error import TelegramError
from telegram.ext import (
    Application,
    CallbackQueryHandler,
    ChatMemberHandler,
    ContextTypes,
    MessageHandler,
    TypeHandler,
    filters,
)

from bot.channels.adapter import ChannelAdapter
from bot.telegram import CHANNEL, start_link
from bot.telegram.incoming import to_incoming
from bot.telegram.in_place import acknowledge, answer_in_place
from bot.telegram.menu import office_chats, publish_admin_menu
from bot.telegram.mini_app_menu import MiniAppMenus
from bot.telegram.outgoing import send_reply
from handlers.chat_events import BotAdded, ChatEvent, ChatGone, ChatMoved
from handlers.engine import ConversationEngine
from handlers.types import Incoming, Reply
from handlers.unavailable import unavailable
from handlers.wiring import Wiring
from locales.catalogue import DEFAULT_LANGUAGE, t

log = logging.getLogger(__name__)

ALLOWED_UPDATES = ["message", "callback_query", "my_chat_member"]
GONE = (ChatMember.LEFT, ChatMember.BANNED)
AFTER_ALL = 1
Context = ContextTypes.DEFAULT_TYPE


class TelegramAdapter(ChannelAdapter):
    channel = CHANNEL

    def __init__(self, engine: ConversationEngine, on_handled: Callable[[int], None] | None = None) -> None:
        """`on_handled(update_id)` is called once an update is fully handled, replies sent."""
        super().__init__(engine)
        self.on_handled = on_handled
        self.bot: Bot | None = None
        self.menus: MiniAppMenus | None = None
        """The focal points' Mini App menu buttons, when the web is on (https)."""

    def install(self, application: Application) -> None:  # type: ignore[type-arg]
        self.bot = application.bot
        application.add_handler(MessageHandler(filters.UpdateType.MESSAGE, self.on_message))
        application.add_handler(CallbackQueryHandler(self.on_button))
        application.add_handler(ChatMemberHandler(self.on_membership, ChatMemberHandler.MY_CHAT_MEMBER))
        if self.on_handled is not None:
            application.add_handler(TypeHandler(Update, self._handled), group=AFTER_ALL)
        application.add_error_handler(self.on_error)

    async def on_message(self, update: Update, context: Context) -> None:
        message = update.message
        assert message is not None
        if message.migrate_to_chat_id:
            await self.chat_event(ChatMoved(CHANNEL, str(message.chat.id), new_ref=str(message.migrate_to_chat_id)))
            return
        incoming = to_incoming(update, context.bot.username)
        if incoming is not None:
            await self.converse(incoming)

    async def on_button(self, update: Update, context: Context) -> None:
        query = update.callback_query
        assert query is not None
        with suppress(TelegramError):
            await acknowledge(query)
        incoming = to_incoming(update, context.bot.username)
        if incoming is None:
            return
        replies = await self.answer(incoming)
        if not unavailable(replies):
            replies = await answer_in_place(query, replies, incoming.chat_ref)
        await self.deliver(incoming.chat_ref, replies)

    async def on_membership(self, update: Update, _context: Context) -> None:
        change = update.my_chat_member
        assert change is not None
        await self.chat_event(membership(change.chat, change.old_chat_member.status, change.new_chat_member.status, update.update_id))

    async def on_error(self, update: object, context: Context) -> None:
        log.error("error while handling a Telegram update", exc_info=context.error)

    async def _handled(self, update: Update, _context: Context) -> None:
        if self.on_handled is not None:
            self.on_handled(update.update_id)

    async def send_reply(self, chat_ref: str, reply: Reply) -> None:
        assert self.bot is not None
        await send_reply(self.bot, chat_ref, reply, invite_link(self.bot, reply))
        if reply.menu_changed:
            await self.menus_changed(chat_ref, reply.language or DEFAULT_LANGUAGE)

    async def menus_changed(self, chat_ref: str, language: str) -> None:
        """Someone joined here: an admin's commands, a focal point's Mini App button (and the
        button taken from whoever lost the seat)."""
        assert self.bot is not None
        if chat_ref in {chat for chat, _language in await asyncio.to_thread(office_chats, self.engine)}:
            await publish_admin_menu(self.bot, self.engine.wiring, chat_ref, language)
        if self.menus is not None:
            await self.menus.sync()

    async def show_working(self, incoming: Incoming) -> None:
        assert self.bot is not None
        await self.bot.send_chat_action(chat_id=incoming.chat_ref, action=chat_action(incoming, self.engine.wiring))


def membership(chat: Chat, old: str, new: str, update_id: int) -> ChatEvent:
    """The bot left or banned: the chat is gone; the bot back in a group: it was added."""
    chat_ref, update_ref = str(chat.id), str(update_id)
    if new in GONE:
        return ChatGone(CHANNEL, chat_ref, update_ref)
    if chat.type != Chat.PRIVATE and old in GONE:
        return BotAdded(CHANNEL, chat_ref, update_ref)
    return ChatEvent(CHANNEL, chat_ref, update_ref)


def invite_link(bot: Bot, reply: Reply) -> str | None:
    """The deep link that sends '/start CODE' when the invitee taps it."""
    if not reply.invite_code or not bot.username:
        return None
    return t("telegram.invite_link", reply.language or DEFAULT_LANGUAGE, link=start_link(bot.username, reply.invite_code))


def chat_action(incoming: Incoming, wiring: Wiring) -> str:
    """'upload_document' for commands that build a document (the exports), else 'typing'."""
    return ChatAction.UPLOAD_DOCUMENT if wiring.uploads(incoming.text or "") else ChatAction.TYPING

"""The conversation engine on a python-telegram-bot Application.

Messages and button presses go to the engine (synchronous, so in a worker thread) through
`bot/holding.Holding`, which keeps them while the database is unavailable; its replies come
back as messages with inline keyboards. Updates of different chats are handled at once
(`ordering.PerChatOrder`), so one waits for the engine while another is sent; on SQLite,
which lets one writer in at a time, the engine has one thread, so its units of work queue
here instead of polling SQLite's lock. A 403 while answering, the bot removed from a group
or blocked by a user, deactivate the chat and tell the LHH office.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from contextlib import AbstractAsyncContextManager, suppress
from functools import partial

from telegram import Bot, CallbackQuery, Chat, ChatMember, Message, Update
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

from bot.channels import DeliveryError, Unreachable, while_working
from bot.chat_events import chat_gone, first_delivery, group_moved
from bot.holding import Holding
from bot.splitting import utf16_length
from bot.telegram import CHANNEL
from bot.telegram.incoming import to_incoming
from bot.telegram.outgoing import MESSAGE_LIMIT, send_reply, with_retries
from handlers.engine import ConversationEngine
from handlers.types import Incoming, Reply
from handlers.unavailable import unavailable
from handlers.wiring import Wiring
from locales.catalogue import DEFAULT_LANGUAGE, t

log = logging.getLogger(__name__)

ALLOWED_UPDATES = ["message", "callback_query", "my_chat_member"]
GONE = (ChatMember.LEFT, ChatMember.BANNED)
TYPING_AFTER = 1.0
TYPING_EVERY = 4.5
AFTER_ALL = 1
ENGINE_THREADS = 4
Context = ContextTypes.DEFAULT_TYPE


class TelegramAdapter:
    def __init__(self, engine: ConversationEngine, on_handled: Callable[[int], None] | None = None) -> None:
        """`on_handled(update_id)` is called once an update is fully handled, replies sent."""
        self.engine = engine
        self.on_handled = on_handled
        self.workers = ThreadPoolExecutor(engine_threads(engine), thread_name_prefix="engine")
        self.holding = Holding(self._run_engine, self._replayed, clock=engine.clock)
        self.bot: Bot | None = None

    def close(self) -> None:
        self.holding.close()
        self.workers.shutdown(wait=True)

    def install(self, application: Application) -> None:  # type: ignore[type-arg]
        self.bot = application.bot
        application.add_handler(MessageHandler(filters.UpdateType.MESSAGE, self.on_message))
        application.add_handler(CallbackQueryHandler(self.on_button))
        application.add_handler(ChatMemberHandler(self.on_membership, ChatMemberHandler.MY_CHAT_MEMBER))
        application.add_handler(TypeHandler(Update, self._handled), group=AFTER_ALL)
        application.add_error_handler(self.on_error)

    async def on_message(self, update: Update, context: Context) -> None:
        message = update.message
        assert message is not None
        if message.migrate_to_chat_id:
            await asyncio.to_thread(group_moved, self.engine, CHANNEL, str(message.chat.id), str(message.migrate_to_chat_id))
            return
        incoming = to_incoming(update, context.bot.username)
        if incoming is not None:
            await self.converse(context.bot, incoming)

    async def on_button(self, update: Update, context: Context) -> None:
        query = update.callback_query
        assert query is not None
        with suppress(TelegramError):
            await query.answer()
        incoming = to_incoming(update, context.bot.username)
        if incoming is not None:
            await self.converse(context.bot, incoming, pressed=query)

    async def on_membership(self, update: Update, context: Context) -> None:
        change = update.my_chat_member
        assert change is not None
        if not await asyncio.to_thread(first_delivery, self.engine, CHANNEL, str(update.update_id)):
            return
        chat_ref, status = str(change.chat.id), change.new_chat_member.status
        if status in GONE:
            await asyncio.to_thread(chat_gone, self.engine, CHANNEL, chat_ref)
        elif change.chat.type != Chat.PRIVATE and change.old_chat_member.status in GONE:
            await self.deliver(context.bot, chat_ref, [Reply(t("groups.added", DEFAULT_LANGUAGE))])

    async def on_error(self, update: object, context: Context) -> None:
        log.error("error while handling a Telegram update", exc_info=context.error)

    async def _handled(self, update: Update, _context: Context) -> None:
        if self.on_handled is not None:
            self.on_handled(update.update_id)

    async def converse(self, bot: Bot, incoming: Incoming, pressed: CallbackQuery | None = None) -> None:
        async with show_typing(bot, incoming.chat_ref, chat_action(incoming, self.engine.wiring)):
            replies = await self.holding.handle(incoming)
        if pressed is not None and not unavailable(replies):
            await close_keyboard(pressed)
        await self.deliver(bot, incoming.chat_ref, replies)

    async def _run_engine(self, incoming: Incoming) -> list[Reply]:
        return await asyncio.get_running_loop().run_in_executor(self.workers, self.engine.handle, incoming)

    async def _replayed(self, incoming: Incoming, replies: list[Reply]) -> None:
        """The replies to an update kept while the database was unavailable."""
        assert self.bot is not None
        await self.deliver(self.bot, incoming.chat_ref, replies)

    async def deliver(self, bot: Bot, chat_ref: str, replies: list[Reply]) -> None:
        """Send each reply; a chat that fails is not tried again for this update."""
        failed: set[str] = set()
        for reply in replies:
            target = reply.chat_ref or chat_ref
            if target in failed:
                continue
            try:
                await send_reply(bot, target, reply, invite_link(bot, reply))
            except Unreachable:
                failed.add(target)
                await asyncio.to_thread(chat_gone, self.engine, CHANNEL, target)
            except DeliveryError as error:
                failed.add(target)
                log.warning("a reply was not delivered (%s): %s", type(error).__name__, error)


def engine_threads(engine: ConversationEngine) -> int:
    return 1 if engine.db.dialect.name == "sqlite" else ENGINE_THREADS


def invite_link(bot: Bot, reply: Reply) -> str | None:
    """The deep link that sends '/start CODE' when the invitee taps it."""
    if not reply.invite_code or not bot.username:
        return None
    return t("telegram.invite_link", reply.language or DEFAULT_LANGUAGE, link=f"https://t.me/{bot.username}?start={reply.invite_code}")


async def close_keyboard(query: CallbackQuery) -> None:
    """Show which button was pressed and take the keyboard away, so it is not pressed twice.
    Data the message never offered (forged) leaves the message alone."""
    message = query.message
    if not isinstance(message, Message) or message.reply_markup is None or not message.text:
        return
    rows = message.reply_markup.inline_keyboard
    label = next((button.text for row in rows for button in row if button.callback_data == query.data), None)
    if label is None:
        return
    marked = f"{message.text}\n\n» {label}"
    with suppress(DeliveryError):
        if utf16_length(marked) <= MESSAGE_LIMIT:
            await with_retries(lambda: query.edit_message_text(marked), tries=1)
        else:
            await with_retries(lambda: query.edit_message_reply_markup(None), tries=1)


def chat_action(incoming: Incoming, wiring: Wiring) -> str:
    """'upload_document' for commands that build a document (the exports), else 'typing'."""
    return ChatAction.UPLOAD_DOCUMENT if wiring.uploads(incoming.text or "") else ChatAction.TYPING


def show_typing(bot: Bot, chat_ref: str, action: str = ChatAction.TYPING) -> AbstractAsyncContextManager[None]:
    """The chat action ('typing…', or 'sending a file…') while the engine takes longer than
    a moment."""
    return while_working(partial(bot.send_chat_action, chat_id=chat_ref, action=action), TYPING_AFTER, TYPING_EVERY)

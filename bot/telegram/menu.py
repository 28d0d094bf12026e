"""The command menus Telegram shows next to the text box (setMyCommands), built from the
engine's wiring: focal points' commands by default, group commands in groups, and the admin
commands as well in each admin's private chat. Vietnamese is the default, English is the
variant for Telegram apps set to English. The menu button (the Mini App for focal points)
is `mini_app_menu`'s."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Iterable

from telegram import (
    Bot,
    BotCommand,
    BotCommandScope,
    BotCommandScopeAllGroupChats,
    BotCommandScopeChat,
    BotCommandScopeDefault,
)
from telegram.error import TelegramError

from bot.telegram import CHANNEL
from handlers.commands import EVERYONE, STRANGER
from handlers.engine import ConversationEngine
from handlers.wiring import Wiring
from locales.catalogue import DEFAULT_LANGUAGE, LANGUAGES, t
from models.db.engine import session_scope
from models.people.roster import admin_chats
from models.people.tables import Role

log = logging.getLogger(__name__)

FOCAL_POINTS: tuple[Role | None, ...] = (STRANGER, Role.LEADER, Role.SPECIALIST)
ADMINS: tuple[Role | None, ...] = (Role.LEADER, Role.SPECIALIST, Role.ADMIN)


def menu(wiring: Wiring, language: str, roles: Iterable[Role | None], in_groups: bool = False) -> list[BotCommand]:
    """The commands any of `roles` sees in /help, in /help's order, described in `language`."""
    return [BotCommand(cmd.name, t(cmd.help_key, language)) for cmd in wiring.listed(roles, private=not in_groups)]


async def _publish(bot: Bot, commands: list[BotCommand], scope: BotCommandScope, language_code: str | None = None) -> bool:
    try:
        return await bot.set_my_commands(commands, scope=scope, language_code=language_code)
    except TelegramError as error:
        log.warning("setMyCommands (%s) failed: %s", scope.type, error.message)
        return False


async def publish_menus(bot: Bot, engine: ConversationEngine) -> int:
    """Set every menu; a failure is logged and skipped. Returns how many were set."""
    done = 0
    for language in LANGUAGES:
        code = None if language == DEFAULT_LANGUAGE else language
        done += await _publish(bot, menu(engine.wiring, language, FOCAL_POINTS), BotCommandScopeDefault(), code)
        done += await _publish(bot, menu(engine.wiring, language, EVERYONE, in_groups=True), BotCommandScopeAllGroupChats(), code)
    for chat_ref, language in await asyncio.to_thread(office_chats, engine):
        done += await publish_admin_menu(bot, engine.wiring, chat_ref, language)
    return done


async def publish_admin_menu(bot: Bot, wiring: Wiring, chat_ref: str, language: str) -> bool:
    """An admin's own menu, with the office's commands: at start, and the moment they join."""
    return await _publish(bot, menu(wiring, language, ADMINS), BotCommandScopeChat(int(chat_ref)))


def office_chats(engine: ConversationEngine) -> list[tuple[str, str]]:
    """(private chat, language) of the admins reachable on Telegram."""
    with session_scope(engine.db) as session:
        return admin_chats(session, engine.served(session).id, CHANNEL)

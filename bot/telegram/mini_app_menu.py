"""The menu button of each focal point's private chat opens the one-page report as a Mini
App (setChatMenuButton with its chat_id); every other chat keeps the commands menu, the
default. The chats are read from the roster at start, again when someone joins (their seat
may have been taken from another, who loses the button), and every `SYNC_EVERY` seconds, so
a focal point deactivated on /people loses it within minutes; only the changes are sent."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from contextlib import suppress
from dataclasses import dataclass, field

from telegram import Bot, MenuButton, MenuButtonCommands, MenuButtonWebApp, WebAppInfo
from telegram.error import TelegramError

from bot.telegram import CHANNEL
from handlers.engine import ConversationEngine
from locales.catalogue import t
from models.db.engine import session_scope
from models.people.roster import role_chats
from models.people.tables import Role

log = logging.getLogger(__name__)

FOCAL_ROLES = (Role.LEADER, Role.SPECIALIST)
SYNC_EVERY = 300.0


def mini_app_url(web_url: str | None) -> str | None:
    """The Mini App's address; Telegram takes only https."""
    if web_url is None or not web_url.startswith("https://"):
        return None
    return web_url.rstrip("/") + "/miniapp"


@dataclass
class MiniAppMenus:
    bot: Bot
    engine: ConversationEngine
    url: str
    shown: dict[str, str] = field(default_factory=dict)
    """Chat -> the language its Mini App button was set in."""
    lock: asyncio.Lock = field(default_factory=asyncio.Lock)

    async def start(self) -> int:
        """The default back to the commands menu (an older version set the Mini App for
        every chat), then each focal point's button. How many calls were answered."""
        done = await self._set(MenuButtonCommands())
        return done + await self.sync()

    async def sync(self) -> int:
        """Set the button where a focal point now is, take it away where none is."""
        async with self.lock:
            wanted = dict(await asyncio.to_thread(self._focal_chats))
            done = 0
            for chat_ref, language in wanted.items():
                if self.shown.get(chat_ref) != language and await self._set(self._button(language), chat_ref):
                    self.shown[chat_ref] = language
                    done += 1
            for chat_ref in [chat for chat in self.shown if chat not in wanted]:
                if await self._set(MenuButtonCommands(), chat_ref):
                    del self.shown[chat_ref]
                    done += 1
            return done

    async def run(self, stop: asyncio.Event, every: float = SYNC_EVERY, first: Callable[[], Awaitable[int]] | None = None) -> None:
        """`first` (the start), then a sync every `every` seconds, in the background: a
        province's focal points take a few hundred calls, and updates need not wait for them."""
        if first is not None:
            try:
                await first()
            except Exception:
                log.exception("the Mini App menu buttons were not set")
        while not stop.is_set():
            with suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), timeout=every)
            if not stop.is_set():
                try:
                    await self.sync()
                except Exception:
                    log.exception("the Mini App menu buttons were not synchronised")

    def _button(self, language: str) -> MenuButton:
        return MenuButtonWebApp(t("webfiles.open_form", language), WebAppInfo(self.url))

    def _focal_chats(self) -> list[tuple[str, str]]:
        with session_scope(self.engine.db) as session:
            return role_chats(session, self.engine.served(session).id, CHANNEL, FOCAL_ROLES)

    async def _set(self, button: MenuButton, chat_ref: str | None = None) -> bool:
        try:
            return await self.bot.set_chat_menu_button(chat_id=int(chat_ref) if chat_ref else None, menu_button=button)
        except TelegramError as error:
            log.warning("setChatMenuButton failed: %s", error.message)
            return False

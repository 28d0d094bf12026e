"""Fetching again a file a person sent the bot through a messenger: the bot keeps only the
messenger's file id, so a page that offers the file asks the channel that received it
(`app.state.file_fetchers[channel]`, set by `bot.runner` for the channels that can: Telegram's
getFile). Zalo's Bot API delivers no files, only links and photos, which open as links."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

FileFetcher = Callable[[str], Awaitable[bytes]]
"""A channel's: the file id it gave -> the file's bytes, or FileUnavailable."""


class FileUnavailable(Exception):
    """The messenger would not give the file back (gone, too large, unreachable)."""

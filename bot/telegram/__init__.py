"""The Telegram channel, on python-telegram-bot: the only package that imports it.

Built on `bot/channels`: `incoming` turns updates into `Incoming`, `outgoing` sends
replies (inline keyboards, long texts split, documents) and maps the library's errors to
`bot.channels.delivery`, `menu` publishes the command lists, `adapter` joins the
application to the base's conversation loop, `ordering` puts the base's per-chat order in
the application, `service` builds and runs it in polling or webhook mode, `setup` says how
the settings configure it.
"""

CHANNEL = "telegram"


def start_link(username: str, code: str) -> str:
    """The deep link that opens the bot and sends '/start CODE' when tapped."""
    return f"https://t.me/{username}?start={code}"

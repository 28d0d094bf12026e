"""The Telegram channel, on python-telegram-bot: the only package that imports it.

`incoming` turns updates into `Incoming`, `outgoing` sends replies (inline keyboards,
long texts split, documents) and maps the library's errors to `bot.channels`, `menu`
publishes the command lists, `adapter` wires the conversation engine to the application,
`service` builds and runs it in polling or webhook mode.
"""

CHANNEL = "telegram"

"""The Zalo channel, on the Zalo Bot API over httpx: the only package that speaks to Zalo.

Built on `bot/channels`: `client` is a thin async client of the Bot API, `incoming` turns
updates into `Incoming`, `outgoing` renders replies as plain text (buttons as numbered
choices, long texts split, documents as a text summary) and maps the API's errors to
`bot.channels.delivery`, `adapter` hands the updates to the base's conversation loop,
`webhook` receives them behind a secret, `service` runs it all, `setup` says how the
settings configure it. See docs/zalo.md for what was confirmed about the API, and where.
"""

CHANNEL = "zalo"

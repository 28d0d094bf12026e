"""The Zalo channel, on the Zalo Bot API over httpx: the only package that speaks to Zalo.

`client` is a thin async client of the Bot API, `incoming` turns updates into `Incoming`,
`outgoing` renders replies (buttons as numbered choices, long texts split, documents as a
text summary) and maps the API's errors to `bot.channels`, `adapter` wires the engine to
the updates, `webhook` receives them behind a secret, `service` runs it all. See
docs/zalo.md for what was confirmed about the API, and where.
"""

CHANNEL = "zalo"

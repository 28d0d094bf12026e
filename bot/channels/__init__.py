"""The base every channel is built on; a channel package adds only what is its own.

- `adapter.ChannelAdapter`: the conversation loop — the engine in worker threads through
  `bot/holding` (updates kept while the database is down), 'typing…' while it works, each
  reply delivered to its chat, a 403 reported to the engine as `ChatGone`, chat events
  (`handlers/chat_events`) through the engine, updates handled in background tasks;
- `ordering.ChatTurns`: updates of different chats at once, those of one chat in turn;
- `plain_text.PlainText`: replies as text for channels without buttons (numbered choices
  and how to answer, a line for a document);
- `delivery`: the errors a channel maps its failures to, the retry of an answer, and the
  `ChannelSender` the outbox sender needs;
- `setup.ChannelSetup`: how a channel is configured from `Settings` (token, webhook
  address and secret checks, the sender's pace, secrets to keep out of logs) and served;
  `bot/runner.py` serves every channel in `CHANNELS` through it.

Telegram (`bot/telegram/`) and Zalo (`bot/zalo/`) are built this way. A third channel —
the web, say — needs only its incoming, outgoing and client; what joins them to the base is
a few lines:

    bot/web/incoming.py   a request -> `Incoming` (or None)
    bot/web/outgoing.py   `Reply` -> what the page shows (`PlainText`, or buttons of its
                          own), its errors mapped to `delivery`, a `ChannelSender`
    bot/web/client.py     the server it talks through
    bot/web/adapter.py    `class WebAdapter(ChannelAdapter)`: `send_reply` and
                          `show_working` over the client; each request handed on as
                          `in_background(self.converse_in_turn(incoming))`
    bot/web/setup.py      `WEB = ChannelSetup(...)`, listed in `bot/runner.CHANNELS`; its
                          `serve` starts the client and ends with `until_stopped`
"""

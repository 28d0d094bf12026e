"""The Telegram and Zalo adapters against the fake Bot API servers, and the outbox sender."""

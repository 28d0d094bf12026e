"""The Telegram Mini App: its initData checked as Telegram documents it."""

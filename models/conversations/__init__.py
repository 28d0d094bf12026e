"""Where each chat stands in a conversation, and which updates were already handled."""

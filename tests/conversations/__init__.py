"""The core through the conversation engine (the in-memory `chat` driver) and its services, on a database."""

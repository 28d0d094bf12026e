"""The web channel: one Starlette app in `phoihop run`'s event loop (see `app.py`)."""

"""The web's pages, one module each exposing `ROUTES` (see `bot/web/app.py`)."""

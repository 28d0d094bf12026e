"""The web is on when PUBLIC_URL is set, and `run` will not start it without a long enough
WEB_SECRET_KEY; the key never shows in the config's repr."""

from __future__ import annotations

import pytest

from bot.runner import RunError, web_config
from bot.settings import Settings


def settings(**values: str) -> Settings:
    return Settings(_env_file=None, **{name.lower(): value for name, value in values.items()})  # type: ignore[call-arg]


def test_the_web_is_off_without_public_url_and_refused_without_its_key() -> None:
    assert web_config(settings()) is None
    for key in ("", "short"):
        with pytest.raises(RunError) as refused:
            web_config(settings(PUBLIC_URL="https://phoihop.example.vn", WEB_SECRET_KEY=key))
        assert refused.value.key == "cli.web_no_secret"
    config = web_config(settings(PUBLIC_URL="https://phoihop.example.vn", WEB_SECRET_KEY="s" * 32))
    assert config is not None and config.secure and "s" * 32 not in repr(config)
    assert web_config(settings(PUBLIC_URL="http://127.0.0.1:8080", WEB_SECRET_KEY="s" * 32)).secure is False  # type: ignore[union-attr]

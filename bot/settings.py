"""Settings from the environment or `.env`. Secrets are SecretStr: they never print."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_file=".env", env_file_encoding="utf-8", extra="ignore")

    database_url: str = Field("sqlite:///phoihop.sqlite3", validation_alias="DATABASE_URL")
    programme: str | None = Field(None, validation_alias="PHOIHOP_PROGRAMME")
    language: str = Field("vi", validation_alias="PHOIHOP_LANGUAGE", pattern="^(vi|en)$")
    timezone: str | None = Field(None, validation_alias="PHOIHOP_TIMEZONE")
    invite_days: int = Field(7, validation_alias="PHOIHOP_INVITE_DAYS", ge=1, le=90)
    file_limit_mb: int = Field(20, validation_alias="PHOIHOP_FILE_LIMIT_MB", ge=1, le=2000)
    invite_attempts: int = Field(5, validation_alias="PHOIHOP_INVITE_ATTEMPTS", ge=1, le=100)
    invite_attempts_minutes: int = Field(15, validation_alias="PHOIHOP_INVITE_ATTEMPTS_MINUTES", ge=1, le=1440)
    invite_lockout_minutes: int = Field(15, validation_alias="PHOIHOP_INVITE_LOCKOUT_MINUTES", ge=1, le=1440)
    telegram_bot_token: SecretStr | None = Field(None, validation_alias="TELEGRAM_BOT_TOKEN")
    telegram_api_base_url: str = Field("https://api.telegram.org", validation_alias="TELEGRAM_API_BASE_URL")
    webhook_secret: SecretStr | None = Field(None, validation_alias="WEBHOOK_SECRET")
    webhook_listen: str = Field("127.0.0.1", validation_alias="WEBHOOK_LISTEN")
    webhook_port: int = Field(8443, validation_alias="WEBHOOK_PORT", ge=1, le=65535)
    telegram_rate_per_second: float = Field(30, validation_alias="TELEGRAM_RATE_PER_SECOND", gt=0)
    telegram_rate_per_chat_per_second: float = Field(1, validation_alias="TELEGRAM_RATE_PER_CHAT_PER_SECOND", gt=0)
    telegram_rate_per_group_per_minute: float = Field(20, validation_alias="TELEGRAM_RATE_PER_GROUP_PER_MINUTE", gt=0)
    zalo_bot_token: SecretStr | None = Field(None, validation_alias="ZALO_BOT_TOKEN")
    zalo_api_base_url: str = Field("https://bot-api.zaloplatforms.com", validation_alias="ZALO_API_BASE_URL")
    zalo_webhook_secret: SecretStr | None = Field(None, validation_alias="ZALO_WEBHOOK_SECRET")
    zalo_webhook_port: int = Field(8444, validation_alias="ZALO_WEBHOOK_PORT", ge=1, le=65535)
    zalo_rate_per_second: float = Field(5, validation_alias="ZALO_RATE_PER_SECOND", gt=0)
    zalo_rate_per_chat_per_second: float = Field(1, validation_alias="ZALO_RATE_PER_CHAT_PER_SECOND", gt=0)
    zalo_rate_per_group_per_minute: float = Field(10, validation_alias="ZALO_RATE_PER_GROUP_PER_MINUTE", gt=0)
    public_url: str | None = Field(None, validation_alias="PUBLIC_URL")
    """The web's address as people reach it (behind the reverse proxy): set, the web is on."""
    web_secret_key: SecretStr | None = Field(None, validation_alias="WEB_SECRET_KEY")
    web_listen: str = Field("127.0.0.1", validation_alias="WEB_LISTEN")
    web_port: int = Field(8080, validation_alias="WEB_PORT", ge=1, le=65535)
    file_link_hours: int = Field(24, validation_alias="WEB_FILE_LINK_HOURS", ge=1, le=168)
    """How long a signed link to a document or chart sent on Zalo works."""
    file_log_days: int = Field(365, validation_alias="WEB_FILE_LOG_DAYS", ge=1, le=3650)
    """How long who opened a signed link, and when, is kept (the processing log); the
    file's bytes go as soon as its link expires."""
    mini_app_max_age_minutes: int = Field(60, validation_alias="MINI_APP_MAX_AGE_MINUTES", ge=1, le=1440)
    """How old a Telegram Mini App's initData (its auth_date) may be."""
    undelivered_notice_days: int = Field(3, validation_alias="UNDELIVERED_NOTICE_DAYS", ge=1)

    @field_validator(
        "telegram_bot_token", "zalo_bot_token", "webhook_secret", "zalo_webhook_secret", "programme", "timezone", "public_url", "web_secret_key", mode="before"
    )
    @classmethod
    def _blank_is_unset(cls, value: object) -> object:
        return None if isinstance(value, str) and not value.strip() else value

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str | None) -> str | None:
        if value is not None:
            ZoneInfo(value)
        return value

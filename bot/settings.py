"""Settings from the environment or `.env`. Secrets are SecretStr: they never print."""

from __future__ import annotations

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_file=".env", env_file_encoding="utf-8", extra="ignore")

    database_url: str = Field("sqlite:///phoihop.sqlite3", validation_alias="DATABASE_URL")
    programme: str | None = Field(None, validation_alias="PHOIHOP_PROGRAMME")
    language: str = Field("vi", validation_alias="PHOIHOP_LANGUAGE", pattern="^(vi|en)$")
    timezone: str | None = Field(None, validation_alias="PHOIHOP_TIMEZONE")
    invite_days: int = Field(7, validation_alias="PHOIHOP_INVITE_DAYS", ge=1, le=90)
    telegram_bot_token: SecretStr | None = Field(None, validation_alias="TELEGRAM_BOT_TOKEN")
    zalo_bot_token: SecretStr | None = Field(None, validation_alias="ZALO_BOT_TOKEN")

    @field_validator("telegram_bot_token", "zalo_bot_token", "programme", "timezone", mode="before")
    @classmethod
    def _blank_is_unset(cls, value: object) -> object:
        return None if isinstance(value, str) and not value.strip() else value

"""Configuration from the environment (12-factor). The token never appears in a repr."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field

from bot.i18n import DEFAULT_LOCALE, negotiate
from bot.store import DEFAULT_PATH

DEFAULT_API_URL = "https://api.telegram.org"


@dataclass(frozen=True)
class Settings:
    token: str | None = field(default=None, repr=False)
    database: str = DEFAULT_PATH
    api_url: str = DEFAULT_API_URL
    webhook_url: str | None = None
    webhook_secret: str | None = field(default=None, repr=False)
    port: int = 8080
    default_locale: str = DEFAULT_LOCALE
    log_level: str = "INFO"

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> Settings:
        env = os.environ if env is None else env
        return cls(
            token=env.get("BOT_TOKEN") or None,
            database=env.get("CANASTA_DB") or DEFAULT_PATH,
            api_url=(env.get("TELEGRAM_API_URL") or DEFAULT_API_URL).rstrip("/"),
            webhook_url=env.get("WEBHOOK_URL") or None,
            webhook_secret=env.get("WEBHOOK_SECRET") or None,
            port=int(env.get("PORT") or 8080),
            default_locale=negotiate(env.get("DEFAULT_LOCALE"), DEFAULT_LOCALE),
            log_level=(env.get("LOG_LEVEL") or "INFO").upper(),
        )

    @property
    def bot_api_base(self) -> str:
        """Root of the Bot API methods; PTB appends the token."""
        return f"{self.api_url}/bot"

    @property
    def bot_file_base(self) -> str:
        return f"{self.api_url}/file/bot"

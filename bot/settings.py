"""Configuration from the environment (12-factor). The token never appears in a repr."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field

from bot.i18n import DEFAULT_LOCALE, negotiate
from bot.store import DEFAULT_PATH

DEFAULT_API_URL = "https://api.telegram.org"
# Where people who use the bot over a network get its source (AGPL-3.0 §13); the same address
# as `[project.urls] Source` in pyproject.toml (a test checks).
DEFAULT_SOURCE_URL = "https://github.com/canasta-bot/canasta"
LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")
LOG_FORMATS = ("text", "json")


class SettingsError(ValueError):
    """A variable set to something Canasta cannot use; its message names the variable."""


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
    log_format: str = "text"
    source_url: str = DEFAULT_SOURCE_URL
    health_port: int | None = None
    reminder_seconds: float = 300
    """How often the reminders job looks for what is due."""

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> Settings:
        env = os.environ if env is None else env
        return cls(
            token=env.get("BOT_TOKEN") or None,
            database=env.get("CANASTA_DB") or DEFAULT_PATH,
            api_url=(env.get("TELEGRAM_API_URL") or DEFAULT_API_URL).rstrip("/"),
            webhook_url=env.get("WEBHOOK_URL") or None,
            webhook_secret=env.get("WEBHOOK_SECRET") or None,
            port=_port(env, "PORT") or 8080,
            default_locale=negotiate(env.get("DEFAULT_LOCALE"), DEFAULT_LOCALE),
            log_level=_choice(env, "LOG_LEVEL", LOG_LEVELS, "INFO"),
            log_format=_choice(env, "LOG_FORMAT", LOG_FORMATS, "text"),
            source_url=env.get("SOURCE_URL") or DEFAULT_SOURCE_URL,
            health_port=_port(env, "HEALTH_PORT"),
            reminder_seconds=_seconds(env, "REMINDER_SECONDS", 300),
        )

    @property
    def bot_api_base(self) -> str:
        """Root of the Bot API methods; PTB appends the token."""
        return f"{self.api_url}/bot"

    @property
    def bot_file_base(self) -> str:
        return f"{self.api_url}/file/bot"


def _seconds(env: Mapping[str, str], name: str, default: float) -> float:
    raw = (env.get(name) or "").strip()
    if not raw:
        return default
    try:
        value = float(raw)
    except ValueError:
        value = 0
    if not 0.1 <= value <= 86_400:
        raise SettingsError(f"{name}={raw!r} must be a number of seconds from 0.1 to 86400")
    return value


def _choice(env: Mapping[str, str], name: str, allowed: tuple[str, ...], default: str) -> str:
    value = (env.get(name) or default).strip()
    value = value.upper() if name == "LOG_LEVEL" else value.lower()
    if value not in allowed:
        raise SettingsError(f"{name}={env.get(name)!r} is not one of {', '.join(allowed)}")
    return value


def _port(env: Mapping[str, str], name: str) -> int | None:
    text = (env.get(name) or "").strip()
    if not text:
        return None
    if not (text.isdigit() and 0 <= int(text) <= 65535):
        raise SettingsError(f"{name}={text!r} is not a port number (0 to 65535)")
    return int(text)

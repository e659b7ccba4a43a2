"""Settings read from environment variables, with safe defaults for one machine."""

from __future__ import annotations

import os
import secrets
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATA_DIR = PROJECT_ROOT / "data" / "resources"
VAR_DIR = Path(os.environ.get("HRBOT_VAR_DIR", PROJECT_ROOT / "var"))


def database_url() -> str:
    """`DATABASE_URL`, or a SQLite file under var/ so one machine needs no service."""
    url = os.environ.get("DATABASE_URL")
    if url:
        return url
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{VAR_DIR / 'hrbot.db'}"


def conversation_retention_minutes() -> float:
    """`HRBOT_CONVERSATION_RETENTION_MINUTES`: how long an idle conversation is kept (default 60)."""
    return _positive_number("HRBOT_CONVERSATION_RETENTION_MINUTES", 60)


def max_conversations() -> int:
    """`HRBOT_MAX_CONVERSATIONS`: conversations kept in memory at most (default 50,000)."""
    return int(_positive_number("HRBOT_MAX_CONVERSATIONS", 50_000))


def max_concurrent_messages() -> int:
    """`HRBOT_MAX_CONCURRENT_MESSAGES`: messages the Rasa server works on at once (default 4)."""
    return int(_positive_number("HRBOT_MAX_CONCURRENT_MESSAGES", 4))


def emergency_minutes() -> float:
    """`HRBOT_EMERGENCY_MINUTES`: how long after an emergency answer the next messages are read as part of it (default 15)."""
    return _positive_number("HRBOT_EMERGENCY_MINUTES", 15)


def turn_timeout_seconds() -> float:
    """`HRBOT_TURN_TIMEOUT_SECONDS`: how long a channel waits for the dialogue before it says it can't answer (default 20)."""
    return _positive_number("HRBOT_TURN_TIMEOUT_SECONDS", 20)


def max_chat_message_chars() -> int:
    """`HRBOT_MAX_MESSAGE_CHARS`: the longest web or REST message read (default 4000); longer ones get a short note."""
    return int(_positive_number("HRBOT_MAX_MESSAGE_CHARS", 4000))


def _positive_number(env_name: str, default: float) -> float:
    raw = os.environ.get(env_name)
    if raw is None or raw.strip() == "":
        return default
    try:
        value = float(raw)
    except ValueError:
        value = -1
    if value <= 0:
        raise ValueError(f"{env_name} must be a positive number, got {raw!r}")
    return value


def persistent_secret(env_name: str, file_name: str, var_dir: Path | None = None) -> str:
    """The secret in `env_name`, else a random one made once and kept in var/<file_name> (mode 0600).

    Created with O_EXCL at mode 0600, so it is never readable by others, and two processes
    starting together end up with the same value.
    """
    value = os.environ.get(env_name)
    if value:
        return value
    var_dir = var_dir or VAR_DIR
    path = var_dir / file_name
    if not path.exists():
        var_dir.mkdir(parents=True, exist_ok=True)
        try:
            descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            pass  # another process made it first; use theirs
        else:
            with os.fdopen(descriptor, "w") as file:
                file.write(secrets.token_urlsafe(48))
    return path.read_text().strip()

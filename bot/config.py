"""Every setting, read from environment variables with safe defaults for one machine.

`SETTINGS` is the one list of them; the README's tables document exactly these (a test
compares the two). Nothing else in the project reads the environment.
"""

from __future__ import annotations

import getpass
import os
import secrets
from dataclasses import dataclass
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATA_DIR = PROJECT_ROOT / "data" / "resources"


@dataclass(frozen=True)
class Setting:
    name: str
    default: str  # as the README shows it
    help: str


SETTINGS = {
    setting.name: setting
    for setting in (
        Setting("DATABASE_URL", "`sqlite:///var/hrbot.db`", "resource database (SQLAlchemy URL)"),
        Setting("HRBOT_VAR_DIR", "`var/` in the project", "where the SQLite database, secrets and stamps are kept"),
        Setting("RASA_AUTH_TOKEN", "random, kept in `var/rasa-auth-token`", "token for the Rasa HTTP API"),
        Setting("RASA_HOST", "`127.0.0.1`", "interface the Rasa server binds to"),
        Setting("HRBOT_ACTION_HOST", "`127.0.0.1`", "interface the action server binds to"),
        Setting("HRBOT_RASA_PATCHES", "`all`", "Rasa patches applied at server start"),
        Setting("HRBOT_ACTOR", "`cli:<user>`", "name written to the change log by `hrbot data import`"),
        Setting(
            "TWILIO_AUTH_TOKEN",
            "none: the SMS webhook then refuses every request",
            "auth token that signs SMS webhooks",
        ),
        Setting(
            "HRBOT_SMS_HASH_KEY", "random, kept in `var/sms-hash-key`", "key of the HMAC that replaces phone numbers"
        ),
        Setting("HRBOT_SMS_WEBHOOK_URL", "the request's own URL", "the public SMS webhook URL"),
        Setting("HRBOT_RETENTION_DAYS", "`30`", "days SMS paging state is kept"),
        Setting("HRBOT_USAGE_RETENTION_DAYS", "`365`", "days the private usage counters and resolved reports are kept"),
        Setting("HRBOT_CONVERSATION_RETENTION_MINUTES", "`60`", "minutes an idle conversation is kept"),
        Setting("HRBOT_MAX_CONVERSATIONS", "`50000`", "conversations kept in memory at most"),
        Setting(
            "HRBOT_TRACKER_STORE_URL",
            "`DATABASE_URL`",
            "PostgreSQL database that keeps conversations in scaled mode",
        ),
        Setting(
            "HRBOT_LOCK_STORE_URL",
            "`redis://127.0.0.1:6379/1`",
            "Redis that hands each conversation to one Rasa replica at a time (scaled mode)",
        ),
        Setting("HRBOT_LOCK_SECONDS", "`5`", "longest a conversation waits for a Rasa replica that died holding it"),
        Setting("HRBOT_MAX_CONCURRENT_MESSAGES", "`4`", "user messages the Rasa server works on at once"),
        Setting("HRBOT_EMERGENCY_MINUTES", "`15`", "how long messages after an emergency answer are part of it"),
        Setting("HRBOT_TURN_TIMEOUT_SECONDS", "`20`", "how long a channel waits for the dialogue"),
        Setting("HRBOT_MAX_MESSAGE_CHARS", "`4000`", "longest web or REST message read"),
        Setting("HRBOT_ORG_NAME", "`Harm reduction info line`", "name in the SMS HELP reply"),
        Setting("HRBOT_ORG_PHONE", "none", "the organization's own line, offered to someone who asks for a person"),
        Setting("HRBOT_ORG_HOURS", "none", "when the organization's line answers"),
        Setting(
            "HRBOT_WIDGET_ORIGINS",
            "`http://localhost:8080,http://127.0.0.1:8080`",
            "web pages allowed to embed the widget",
        ),
        Setting(
            "HRBOT_ADMIN_SECRET_KEY",
            "random, kept in `var/admin-secret-key` (mode 0600)",
            "signs the admin's session cookies",
        ),
        Setting("HRBOT_ADMIN_SESSION_MINUTES", "`30`", "minutes without a request before an admin session ends"),
        Setting("HRBOT_ADMIN_SECURE_COOKIE", "off", "`1` when the admin is served over HTTPS"),
        Setting("HRBOT_ADMIN_EXPORT_DIR", "`data/resources`", "where *Export to YAML* writes"),
        Setting("HRBOT_STALE_DAYS", "`180`", "age after which a record shows as not recently verified"),
        Setting(
            "TEST_POSTGRES_URL",
            "`postgresql://postgres@127.0.0.1:5432/test`",
            "PostgreSQL for the tests; empty to skip",
        ),
        Setting(
            "TEST_REDIS_URL",
            "`redis://127.0.0.1:6379/15`",
            "Redis for the tests; empty to skip",
        ),
        Setting("CHROMIUM_PATH", "`/usr/bin/chromium`", "the Chromium the browser tests drive"),
    )
}


def raw(name: str) -> str | None:
    """The variable's value, or None when it is unset or blank. Only registered settings may be read."""
    if name not in SETTINGS:
        raise KeyError(f"{name} is not a registered setting (bot.config.SETTINGS)")
    value = os.environ.get(name, "").strip()
    return value or None


def _positive_number(name: str, default: float) -> float:
    text = raw(name)
    if text is None:
        return default
    try:
        value = float(text)
    except ValueError:
        value = -1
    if value <= 0:
        raise ValueError(f"{name} must be a positive number, got {text!r}")
    return value


def _whole_number(name: str, default: int) -> int:
    text = raw(name) or str(default)
    if not text.isdigit() or int(text) < 1:
        raise ValueError(f"{name} must be a whole number (1 or more), got {text!r}")
    return int(text)


VAR_DIR = Path(raw("HRBOT_VAR_DIR") or PROJECT_ROOT / "var")


def private_dir(path: Path) -> Path:
    """`path` as a directory only its owner can enter (var/ holds the database and secrets)."""
    path.mkdir(parents=True, exist_ok=True, mode=0o700)
    path.chmod(0o700)
    return path


def database_url() -> str:
    """`DATABASE_URL`, or a SQLite file under var/ so one machine needs no service."""
    url = raw("DATABASE_URL")
    if url:
        return url
    return f"sqlite:///{private_dir(VAR_DIR) / 'hrbot.db'}"


def rasa_host() -> str:
    return raw("RASA_HOST") or "127.0.0.1"


def action_host() -> str:
    """`HRBOT_ACTION_HOST`: the action server runs any action for anyone who can reach it: loopback by default."""
    return raw("HRBOT_ACTION_HOST") or "127.0.0.1"


def rasa_patches(known: list[str]) -> list[str]:
    """`HRBOT_RASA_PATCHES`: "all" (default), "none", or a comma-separated list of patch names."""
    text = (raw("HRBOT_RASA_PATCHES") or "all").lower()
    if text == "all":
        return list(known)
    if text == "none":
        return []
    names = [name.strip() for name in text.split(",") if name.strip()]
    unknown = [name for name in names if name not in known]
    if unknown:
        raise ValueError(f"HRBOT_RASA_PATCHES names unknown patches {unknown}; known: all, none, {', '.join(known)}")
    return names


def actor() -> str:
    return raw("HRBOT_ACTOR") or f"cli:{getpass.getuser()}"


def twilio_auth_token() -> str | None:
    return raw("TWILIO_AUTH_TOKEN")


def sms_webhook_url() -> str | None:
    return raw("HRBOT_SMS_WEBHOOK_URL")


def sms_retention_days() -> int:
    """`HRBOT_RETENTION_DAYS`: days SMS paging state is kept (default 30)."""
    return _whole_number("HRBOT_RETENTION_DAYS", 30)


def usage_retention_days() -> int:
    """Days the usage counters (counts per day) and resolved wrong-answer reports are kept."""
    return _whole_number("HRBOT_USAGE_RETENTION_DAYS", 365)


def org_name() -> str:
    return raw("HRBOT_ORG_NAME") or "Harm reduction info line"


def org_phone() -> str | None:
    """`HRBOT_ORG_PHONE`: the organization's own line, listed first for someone who asks for a person."""
    return raw("HRBOT_ORG_PHONE")


def org_hours() -> str | None:
    """`HRBOT_ORG_HOURS`: when that line answers, as written (e.g. "Mon-Fri 9am-5pm ET")."""
    return raw("HRBOT_ORG_HOURS")


def widget_origins() -> str | None:
    """`HRBOT_WIDGET_ORIGINS` as written (comma-separated), or None to use credentials.yml."""
    return raw("HRBOT_WIDGET_ORIGINS")


def conversation_retention_minutes() -> float:
    """`HRBOT_CONVERSATION_RETENTION_MINUTES`: how long an idle conversation is kept (default 60)."""
    return _positive_number("HRBOT_CONVERSATION_RETENTION_MINUTES", 60)


def max_conversations() -> int:
    """`HRBOT_MAX_CONVERSATIONS`: conversations kept in memory at most (default 50,000)."""
    return int(_positive_number("HRBOT_MAX_CONVERSATIONS", 50_000))


def max_concurrent_messages() -> int:
    """`HRBOT_MAX_CONCURRENT_MESSAGES`: messages the Rasa server works on at once (default 4)."""
    return int(_positive_number("HRBOT_MAX_CONCURRENT_MESSAGES", 4))


def tracker_store_url() -> str:
    """`HRBOT_TRACKER_STORE_URL`: where scaled mode keeps conversations (default: the resource database)."""
    return raw("HRBOT_TRACKER_STORE_URL") or database_url()


def lock_store_url() -> str:
    """`HRBOT_LOCK_STORE_URL`: the Redis of scaled mode's conversation locks."""
    return raw("HRBOT_LOCK_STORE_URL") or "redis://127.0.0.1:6379/1"


def lock_seconds() -> float:
    """`HRBOT_LOCK_SECONDS` (default 5): a conversation lock's lease, renewed by a live replica.

    A replica that dies holding a conversation frees it this much later: well within the
    turn timeout, so the message retried on another replica is still answered.
    """
    return _positive_number("HRBOT_LOCK_SECONDS", 5)


def emergency_minutes() -> float:
    """`HRBOT_EMERGENCY_MINUTES`: how long after an emergency answer the next messages are read as part of it (default 15)."""
    return _positive_number("HRBOT_EMERGENCY_MINUTES", 15)


def turn_timeout_seconds() -> float:
    """`HRBOT_TURN_TIMEOUT_SECONDS`: how long a channel waits for the dialogue before it says it can't answer (default 20)."""
    return _positive_number("HRBOT_TURN_TIMEOUT_SECONDS", 20)


def max_chat_message_chars() -> int:
    """`HRBOT_MAX_MESSAGE_CHARS`: the longest web or REST message read (default 4000); longer ones get a short note."""
    return int(_positive_number("HRBOT_MAX_MESSAGE_CHARS", 4000))


def admin_session_minutes() -> int:
    """`HRBOT_ADMIN_SESSION_MINUTES` (default 30): an admin session ends after this long without a request."""
    return _whole_number("HRBOT_ADMIN_SESSION_MINUTES", 30)


def admin_secure_cookie() -> bool:
    return raw("HRBOT_ADMIN_SECURE_COOKIE") == "1"


def admin_export_dir() -> str:
    return raw("HRBOT_ADMIN_EXPORT_DIR") or str(DEFAULT_DATA_DIR)


def stale_days() -> int:
    """`HRBOT_STALE_DAYS` (default 180): how old a last_verified date may be before it needs a look."""
    return _whole_number("HRBOT_STALE_DAYS", 180)


def _service_for_tests(name: str, default: str) -> str:
    """A test service's URL: the variable if set (set but empty means: skip that service), else `default`."""
    return os.environ[name].strip() if name in os.environ else default


def postgres_url_for_tests() -> str:
    return _service_for_tests("TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test")


def redis_url_for_tests() -> str:
    return _service_for_tests("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


def chromium_path() -> str:
    return raw("CHROMIUM_PATH") or "/usr/bin/chromium"


def persistent_secret(env_name: str, file_name: str, var_dir: Path | None = None) -> str:
    """The secret in `env_name`, else a random one made once and kept in var/<file_name> (mode 0600).

    Created with O_EXCL at mode 0600, so it is never readable by others, and two processes
    starting together end up with the same value.
    """
    value = raw(env_name)
    if value:
        return value
    var_dir = var_dir or VAR_DIR
    path = var_dir / file_name
    if not path.exists():
        private_dir(var_dir)
        try:
            descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            pass  # another process made it first; use theirs
        else:
            with os.fdopen(descriptor, "w") as file:
                file.write(secrets.token_urlsafe(48))
    return path.read_text().strip()

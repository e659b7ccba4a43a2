"""The bot's own words (navigation and framing) in every language, from data/texts/<code>.yaml.

Facts never live here: they come from the resource database with their sources. A new
language is a new file in data/texts/ with the same keys as en.yaml.
"""

from __future__ import annotations

from functools import cache

import yaml

from bot.config import PROJECT_ROOT

TEXTS_DIR = PROJECT_ROOT / "data" / "texts"
DEFAULT_LANGUAGE = "en"


def _flatten(tree: dict, prefix: str = "") -> dict[str, str]:
    flat: dict[str, str] = {}
    for key, value in tree.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict):
            flat.update(_flatten(value, f"{name}."))
        else:
            flat[name] = str(value)
    return flat


@cache
def catalog(language: str) -> dict[str, str]:
    """Every text of one language, keyed like "emergency.call_now"."""
    path = TEXTS_DIR / f"{language}.yaml"
    return _flatten(yaml.safe_load(path.read_text(encoding="utf-8")) or {})


def languages() -> tuple[str, ...]:
    """Language codes the bot speaks, English first."""
    codes = sorted(path.stem for path in TEXTS_DIR.glob("*.yaml"))
    return tuple([DEFAULT_LANGUAGE] + [code for code in codes if code != DEFAULT_LANGUAGE])


def supported(language: str | None) -> str:
    """`language` if the bot speaks it, else English."""
    return language if language in languages() else DEFAULT_LANGUAGE


def text(key: str, language: str | None = DEFAULT_LANGUAGE, **values: str) -> str:
    """The text for `key` in `language` (English when that language lacks it), filled in."""
    words = catalog(supported(language)).get(key) or catalog(DEFAULT_LANGUAGE)[key]
    return words.format(**values) if values else words


def missing_keys(language: str) -> set[str]:
    """Keys English has that `language` does not (a complete language has none)."""
    return set(catalog(DEFAULT_LANGUAGE)) - set(catalog(language))

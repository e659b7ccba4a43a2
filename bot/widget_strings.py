"""The widget's own words, copied from data/texts into widget/hrbot-widget.js.

The widget is one static file that must still speak (hotlines, "call 911") when the bot
cannot be reached, so it carries its words itself. data/texts stays the one place they are
written: `hrbot widget strings` rewrites the generated block, and a test fails when the block
and data/texts differ. A new language is a new data/texts file, then this command.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from bot import texts
from bot.config import PROJECT_ROOT

WIDGET_SCRIPT = PROJECT_ROOT / "widget" / "hrbot-widget.js"
PREFIX = "widget."
BEGIN = "// BEGIN STRINGS"
NOTE = " (generated from data/texts by `hrbot widget strings`: edit data/texts, not here)"
END = "// END STRINGS"
_BLOCK = re.compile(re.escape(BEGIN) + r".*?" + re.escape(END), re.DOTALL)


def widget_strings() -> dict[str, dict[str, str]]:
    """Language code -> the widget's texts (keys without "widget."), plus the language's own name."""
    strings = {}
    for language in texts.languages():
        words = {key[len(PREFIX) :]: value for key, value in texts.catalog(language).items() if key.startswith(PREFIX)}
        words["language_name"] = texts.text("language_name", language)
        strings[language] = dict(sorted(words.items()))
    return strings


def strings_block(indent: str = "  ") -> str:
    """The JavaScript that declares the strings, between its two marker comments."""
    body = json.dumps(widget_strings(), ensure_ascii=False, indent=2).replace("\n", "\n" + indent)
    return f"{BEGIN}{NOTE}\n{indent}const STRINGS = {body};\n{indent}{END}"


def current_block(script: Path = WIDGET_SCRIPT) -> str | None:
    match = _BLOCK.search(script.read_text(encoding="utf-8"))
    return match.group(0) if match else None


def write_strings(script: Path = WIDGET_SCRIPT) -> bool:
    """Rewrite the block in the widget script; True when it changed."""
    source = script.read_text(encoding="utf-8")
    if not _BLOCK.search(source):
        raise ValueError(f"{script} has no '{BEGIN}' ... '{END}' block")
    updated = _BLOCK.sub(lambda _: strings_block(), source, count=1)
    if updated == source:
        return False
    script.write_text(updated, encoding="utf-8")
    return True

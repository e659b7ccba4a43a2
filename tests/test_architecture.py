"""The layout the README describes: bot/ is plain Python, Rasa-side code lives in rasa_server/,
patches are installed on purpose, every setting is in bot.config and documented in the README."""

from __future__ import annotations

import ast
import re
import subprocess
import sys

import pytest
import yaml
from rasa.core.processor import MessageProcessor

from bot import config, intents
from rasa_server import patches
from tests.conftest import PROJECT_ROOT

RASA_SIDE = ("rasa", "rasa_sdk", "sanic", "socketio", "aiohttp", "twilio")


def _imports(path):
    tree = ast.parse(path.read_text())
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            yield node.module


def test_bot_imports_no_rasa():
    offending = [
        (str(path.relative_to(PROJECT_ROOT)), name)
        for path in (PROJECT_ROOT / "bot").rglob("*.py")
        for name in _imports(path)
        if name.split(".")[0] in RASA_SIDE
    ]
    assert offending == []


def test_only_bot_config_reads_the_environment():
    readers = []
    for folder in ("bot", "rasa_server", "actions", "tests", "benchmarks", "scripts"):
        for path in (PROJECT_ROOT / folder).rglob("*.py"):
            if path.name == "config.py" and path.parent.name == "bot":
                continue
            if re.search(r"os\.environ\.get|os\.getenv|os\.environ\[", path.read_text()):
                readers.append(str(path.relative_to(PROJECT_ROOT)))
    assert readers == []


def test_every_setting_is_documented_in_the_readme_with_its_default():
    readme = (PROJECT_ROOT / "README.md").read_text()
    rows = dict(re.findall(r"^\| `([A-Z][A-Z0-9_]+)` \| ([^|]+) \|", readme, re.M))
    assert set(rows) == set(config.SETTINGS)
    for name, setting in config.SETTINGS.items():
        assert rows[name].strip() == setting.default, name


def test_patches_are_not_installed_by_importing_them():
    original = MessageProcessor.handle_message
    for name in patches.MODULES:
        patches.patch(name)  # imports the module
    assert MessageProcessor.handle_message is original
    assert not any(patches.patch(name).installed for name in patches.MODULES)


def test_install_and_uninstall_every_patch():
    original = MessageProcessor.handle_message
    assert patches.install() == list(patches.MODULES)
    try:
        assert all(patches.patch(name).installed for name in patches.MODULES)
    finally:
        patches.uninstall()
    assert MessageProcessor.handle_message is original


def test_patches_refuse_another_rasa_version():
    with pytest.raises(patches.PatchError, match="written for rasa 3.6.21"):
        patches.install(["admission"], version="3.7.0")
    assert patches.install([], version="3.7.0") == []  # HRBOT_RASA_PATCHES=none starts anyway


@pytest.mark.parametrize("value, expected", [("", ["a", "b"]), ("all", ["a", "b"]), ("none", []), ("b", ["b"])])
def test_the_patch_switch(monkeypatch, value, expected):
    monkeypatch.setenv("HRBOT_RASA_PATCHES", value)
    assert config.rasa_patches(["a", "b"]) == expected


def test_an_unknown_patch_name_stops_the_server(monkeypatch):
    monkeypatch.setenv("HRBOT_RASA_PATCHES", "keepalive,warp_drive")
    result = subprocess.run(
        [sys.executable, "-m", "rasa_server", "--version"],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 2 and "warp_drive" in result.stderr


def test_intent_names_match_the_domain():
    domain = yaml.safe_load((PROJECT_ROOT / "domain.yml").read_text())
    assert set(intents.ALL) == set(domain["intents"])

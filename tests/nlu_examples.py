"""Read NLU examples (intent, plain text, annotated entities) from Rasa YAML files, for tests and benchmarks."""

from __future__ import annotations

import re
from pathlib import Path

import yaml

ENTITY = re.compile(r"\[(?P<text>[^\]]+)\](?:\{(?P<json>[^}]+)\}|\((?P<name>[^)]+)\))")


def plain(example: str) -> tuple[str, list[dict]]:
    """Strip entity markup: '[ohio]{"entity": "state", "value": "OH"}' -> 'ohio', [{...}]."""
    import json

    entities = []

    def replace(match: re.Match) -> str:
        if match.group("json"):
            data = json.loads("{" + match.group("json") + "}")
        else:
            data = {"entity": match.group("name"), "value": match.group("text")}
        entities.append({"entity": data["entity"], "value": data.get("value", match.group("text"))})
        return match.group("text")

    return ENTITY.sub(replace, example), entities


def examples(*paths: Path) -> list[tuple[str, str, list[dict]]]:
    """(intent, text, entities) for every example in the given NLU files or folders."""
    found = []
    files = [f for p in paths for f in (sorted(p.rglob("*.yml")) if p.is_dir() else [p])]
    for file in files:
        document = yaml.safe_load(file.read_text()) or {}
        for block in document.get("nlu", []):
            if "intent" not in block:
                continue
            for line in block["examples"].splitlines():
                line = line.strip()
                if line.startswith("- "):
                    text, entities = plain(line[2:].strip())
                    found.append((block["intent"], text, entities))
    return found

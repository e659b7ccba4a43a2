"""Before/after differences between two canonical records, field by field, for reviewers and history."""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from typing import Any

from markupsafe import Markup, escape

from bot.admin.forms import label_for

EMPTY = "(empty)"
LONG_TEXT = 40  # shorter values are easy to compare whole
SIMILAR = 0.5  # below this share of words kept, marking changed words is only noise


@dataclass(frozen=True)
class Change:
    path: str
    label: str
    before: str
    after: str

    @property
    def words(self) -> Markup:
        """For long text that was edited rather than rewritten, the after text with changed words marked."""
        if EMPTY in (self.before, self.after) or max(len(self.before), len(self.after)) <= LONG_TEXT:
            return Markup("")
        return word_diff(self.before, self.after)


def flatten(record: dict | None) -> dict[str, Any]:
    """Field paths to values: 'summary', 'fields.has_law', 'citations[1].url', ..."""
    flat: dict[str, Any] = {}
    for name, value in (record or {}).items():
        if isinstance(value, dict):
            for sub, item in value.items():
                flat[f"{name}.{sub}"] = item
        elif name == "citations":
            for number, citation in enumerate(value, start=1):
                for sub, item in citation.items():
                    flat[f"citations[{number}].{sub}"] = item
        else:
            flat[name] = value
    return flat


def changes(section: str, before: dict | None, after: dict | None) -> list[Change]:
    """Every field whose value differs, in the order of the record."""
    old, new = flatten(before), flatten(after)
    paths = list(dict.fromkeys([*new, *old]))
    return [
        Change(path, label_for(section, path), show(old.get(path)), show(new.get(path)))
        for path in paths
        if old.get(path) != new.get(path)
    ]


def show(value: Any) -> str:
    if value is None or value == []:
        return EMPTY
    if value is True:
        return "yes"
    if value is False:
        return "no"
    if isinstance(value, list):
        return "\n".join(str(item) for item in value)
    return str(value)


def word_diff(before: str, after: str) -> Markup:
    """`after` with <del>/<ins> around changed words (screen readers hear 'removed'/'added');
    empty when most words changed."""
    old = re.findall(r"\S+|\s+", before)
    new = re.findall(r"\S+|\s+", after)
    matcher = difflib.SequenceMatcher(a=old, b=new, autojunk=False)
    if matcher.ratio() < SIMILAR:
        return Markup("")
    parts = []
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            parts.append(escape("".join(new[j1:j2])))
            continue
        if i2 > i1:
            parts.append(Markup('<del><span class="sr-only">removed: </span>{}</del>').format("".join(old[i1:i2])))
        if j2 > j1:
            parts.append(Markup('<ins><span class="sr-only">added: </span>{}</ins>').format("".join(new[j1:j2])))
    return Markup("").join(parts)

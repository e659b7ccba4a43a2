"""Validate action server replies with validators built once, not once per action call.

Rasa 3.6's RemoteAction calls `jsonschema.validate(result, schema)` for every custom
action, which re-checks the (large) schema itself each time: in benchmarks/latency.py
that was 40% of the Rasa server's time. The schema lists each event type as one branch
of a `oneOf`, so every event was also tried against all ~20 branches. Here each event is
checked against the one branch its `event` name selects (the branches' names are
distinct, so "exactly one branch matches" means "its own branch matches"). A reply that
fails is re-checked with the full schema, which raises Rasa's own error.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any, Dict, Text

from jsonschema import ValidationError, validators
from rasa.core.actions.action import RemoteAction
from rasa.shared.constants import DOCS_BASE_URL

from rasa_server.patches import Patch


@lru_cache(maxsize=1)
def _validators():
    """(full reply schema, reply schema without per-event checks, one schema per event name)."""
    schema = RemoteAction.action_response_format_spec()
    validator_class = validators.validator_for(schema)
    validator_class.check_schema(schema)
    event_schema = schema["properties"]["events"]["items"]
    common = {key: value for key, value in event_schema.items() if key != "oneOf"}
    per_event = {
        branch["properties"]["event"]["const"]: validator_class({"allOf": [common, branch]})
        for branch in event_schema["oneOf"]
    }
    outer = {**schema, "properties": {**schema["properties"], "events": {"type": "array"}}}
    return validator_class(schema), validator_class(outer), per_event


def _is_valid(result: Any, outer, per_event) -> bool:
    if not outer.is_valid(result):
        return False
    for event in result.get("events") or []:
        name = event.get("event") if isinstance(event, dict) else None
        validator = per_event.get(name) if isinstance(name, str) else None
        if validator is None or not validator.is_valid(event):
            return False
    return True


def validate_action_result(self: RemoteAction, result: Dict[Text, Any]) -> bool:
    full, outer, per_event = _validators()
    if _is_valid(result, outer, per_event):
        return True
    try:
        full.validate(result)
        return True
    except ValidationError as error:
        error.message += (
            ". Failed to validate Action server response from API, make sure your response "
            f"from the Action endpoint is valid. For more information about the format visit "
            f"{DOCS_BASE_URL}/custom-actions"
        )
        raise


PATCH = Patch("action_validation", RemoteAction, "_validate_action_result", validate_action_result)

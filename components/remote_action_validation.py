"""Validate action server replies with a schema validator built once, not once per action call.

Rasa 3.6's RemoteAction calls `jsonschema.validate(result, schema)` for every custom
action, which re-checks the (large) schema itself each time: in benchmarks/latency.py
that was 40% of the Rasa server's time. The replies are still validated against the
same schema, with the same error; only the repeated schema check is gone. Imported by
`components/__init__.py`, so it is in effect wherever the model is loaded.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any, Dict, Text

from jsonschema import ValidationError, validators
from rasa.core.actions.action import RemoteAction
from rasa.shared.constants import DOCS_BASE_URL


@lru_cache(maxsize=1)
def _result_validator():
    schema = RemoteAction.action_response_format_spec()
    validator_class = validators.validator_for(schema)
    validator_class.check_schema(schema)
    return validator_class(schema)


def validate_action_result(self: RemoteAction, result: Dict[Text, Any]) -> bool:
    try:
        _result_validator().validate(result)
        return True
    except ValidationError as error:
        error.message += (
            ". Failed to validate Action server response from API, make sure your response "
            f"from the Action endpoint is valid. For more information about the format visit "
            f"{DOCS_BASE_URL}/custom-actions"
        )
        raise


RemoteAction._validate_action_result = validate_action_result

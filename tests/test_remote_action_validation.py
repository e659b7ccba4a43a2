"""The faster action-reply validation accepts and rejects exactly what Rasa's schema does."""

from __future__ import annotations

import jsonschema
import pytest
from rasa.core.actions.action import RemoteAction
from rasa.utils.endpoints import EndpointConfig

import components  # noqa: F401  (applies the patch)
from components.remote_action_validation import validate_action_result

ACTION = RemoteAction("action_answer_topic", EndpointConfig("http://127.0.0.1:1/webhook"))
VALID = {"events": [{"event": "slot", "name": "state", "value": "OH", "timestamp": None}],
         "responses": [{"text": "Ohio: ...", "buttons": [{"title": "Hotlines", "payload": "/ask_hotline"}]}]}
INVALID = [{"events": "not a list", "responses": []}, {"events": [{"event": 42}], "responses": []}]


def test_patch_is_in_effect():
    assert RemoteAction._validate_action_result is validate_action_result


def test_valid_reply_passes():
    assert ACTION._validate_action_result(VALID)
    jsonschema.validate(VALID, RemoteAction.action_response_format_spec())  # and Rasa's own check agrees


@pytest.mark.parametrize("reply", INVALID)
def test_invalid_reply_is_rejected_as_before(reply):
    with pytest.raises(jsonschema.ValidationError) as ours:
        ACTION._validate_action_result(reply)
    assert "Failed to validate Action server response" in ours.value.message
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(reply, RemoteAction.action_response_format_spec())

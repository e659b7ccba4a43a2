"""The faster action-reply validation accepts and rejects exactly what Rasa's schema does."""

from __future__ import annotations

import jsonschema
import pytest
from rasa.core.actions.action import RemoteAction
from rasa.utils.endpoints import EndpointConfig

from rasa_server.patches.remote_action_validation import validate_action_result
from tests.conftest import installed_patch

installed = installed_patch("action_validation")

ACTION = RemoteAction("action_answer_topic", EndpointConfig("http://127.0.0.1:1/webhook"))
VALID = {
    "events": [{"event": "slot", "name": "state", "value": "OH", "timestamp": None}],
    "responses": [{"text": "Ohio: ...", "buttons": [{"title": "Hotlines", "payload": "/ask_hotline"}]}],
}
# What our actions send (slots, forms, loops) and other event types Rasa accepts.
VALID_REPLIES = [
    VALID,
    {"events": [], "responses": []},
    {
        "events": [
            {"event": "slot", "name": "requested_slot", "value": None},
            {"event": "active_loop", "name": None, "timestamp": 1.5},
            {"event": "followup", "name": "action_listen"},
            {"event": "user", "text": "hi", "parse_data": {"intent": {"name": "greet", "confidence": 1.0}}},
            {"event": "bot", "text": "hello", "metadata": None},
            {"event": "action", "name": "utter_greet", "policy": None, "confidence": 1},
            {"event": "restart"},
            {"event": "reset_slots"},
            {"event": "session_started"},
        ],
        "responses": [],
    },
]
INVALID = [
    {"events": "not a list", "responses": []},
    {"events": [{"event": 42}], "responses": []},
    {"events": [{"event": "no_such_event"}], "responses": []},
    {"events": [{"event": ["slot"]}], "responses": []},
    {"events": [{"name": "state", "value": "OH"}], "responses": []},
    {"events": [["slot", "state"]], "responses": []},
    {"events": [{"event": "slot", "value": "OH"}], "responses": []},
    {"events": [{"event": "slot", "name": "state", "value": "OH"}, {"event": "user", "text": 5}], "responses": []},
    {"events": [{"event": "slot", "name": "state", "value": "OH", "timestamp": "noon"}], "responses": []},
    "not an object",
]


def test_patch_is_in_effect():
    assert RemoteAction._validate_action_result is validate_action_result


@pytest.mark.parametrize("reply", VALID_REPLIES)
def test_valid_reply_passes(reply):
    assert ACTION._validate_action_result(reply)
    jsonschema.validate(reply, RemoteAction.action_response_format_spec())  # and Rasa's own check agrees


@pytest.mark.parametrize("reply", INVALID)
def test_invalid_reply_is_rejected_as_before(reply):
    with pytest.raises(jsonschema.ValidationError) as ours:
        ACTION._validate_action_result(reply)
    assert "Failed to validate Action server response" in ours.value.message
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(reply, RemoteAction.action_response_format_spec())

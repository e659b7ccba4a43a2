"""A dialogue policy that puts an overdose in progress before every form and rule.

An emergency message, in any conversation state (a form asking for the state, right
after an answer, after a fallback or a goodbye), gets `action_emergency_response`; so
does each later message of the emergency (`bot.emergency_conversation` decides which
belong to it); then the bot listens. Forms never see these messages: a form's slot
validation would otherwise take "my friend isn't breathing" as a reply to "Which state?".

Its predictions are marked as not using the user's input, the class that outranks every
other prediction in Rasa's ensemble (the class of a form's own "keep asking" step), and
its priority is above RulePolicy's, so it wins that class too. It learns nothing.
"""

from __future__ import annotations

from typing import Any, Dict, List, Optional, Text

from rasa.core.constants import POLICY_PRIORITY, RULE_POLICY_PRIORITY
from rasa.core.policies.policy import Policy, PolicyPrediction
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.shared.core.constants import ACTION_LISTEN_NAME, ACTION_SESSION_START_NAME
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, UserUttered
from rasa.shared.core.generator import TrackerWithCachedStates
from rasa.shared.core.trackers import DialogueStateTracker

from bot.config import emergency_minutes
from bot.emergency_conversation import continues_emergency
from bot.intents import EMERGENCY_ACTION

# Above RulePolicy's, the highest built-in priority.
EMERGENCY_PRIORITY = RULE_POLICY_PRIORITY + 1


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.POLICY_WITHOUT_END_TO_END_SUPPORT], is_trainable=True)
class EmergencyPolicy(Policy):
    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        return {POLICY_PRIORITY: EMERGENCY_PRIORITY}

    def train(self, training_trackers: List[TrackerWithCachedStates], domain: Domain, **kwargs: Any) -> Resource:
        return self._resource  # nothing to learn

    def predict_action_probabilities(
        self,
        tracker: DialogueStateTracker,
        domain: Domain,
        rule_only_data: Optional[Dict[Text, Any]] = None,
        **kwargs: Any,
    ) -> PolicyPrediction:
        action = self._next_action(tracker)
        if action is None or action not in domain.action_names_or_texts:
            return self._prediction(self._default_predictions(domain))
        probabilities = self._default_predictions(domain)
        probabilities[domain.index_for_action(action)] = 1.0
        return self._prediction(probabilities, is_no_user_prediction=True)

    @staticmethod
    def _next_action(tracker: DialogueStateTracker) -> Optional[Text]:
        if tracker.latest_action_name == EMERGENCY_ACTION:
            return ACTION_LISTEN_NAME
        message = tracker.latest_message
        if tracker.latest_action_name != ACTION_LISTEN_NAME or message is None or message.timestamp is None:
            return None
        if continues_emergency(message.intent.get("name"), _seconds_since_emergency(tracker), emergency_minutes()):
            return EMERGENCY_ACTION
        return None


def _seconds_since_emergency(tracker: DialogueStateTracker) -> Optional[float]:
    """Seconds from the bot's last emergency answer to the latest message, or None when
    another answer came after it (the subject changed) or there was none this session."""
    latest = tracker.latest_message
    seen_latest = False
    for event in reversed(tracker.events):
        if isinstance(event, UserUttered):
            seen_latest = True
            continue
        if not seen_latest or not isinstance(event, ActionExecuted):
            continue
        if event.action_name == EMERGENCY_ACTION:
            return latest.timestamp - event.timestamp
        if event.action_name == ACTION_SESSION_START_NAME:
            return None
        if event.action_name != ACTION_LISTEN_NAME:
            return None
    return None

"""The plain-Python graph runner gives exactly what Rasa's dask runner gives, on our model."""

from __future__ import annotations

import pytest
import rasa.core.processor
from rasa.core.channels import UserMessage
from rasa.engine import loader
from rasa.engine.constants import PLACEHOLDER_MESSAGE, PLACEHOLDER_TRACKER
from rasa.engine.exceptions import GraphRunError
from rasa.engine.runner.dask import DaskGraphRunner
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.model import get_latest_model
from rasa.shared.core.events import ActionExecuted, SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from rasa_server.patches.sequential_runner import SequentialGraphRunner
from tests.conftest import PROJECT_ROOT, installed_patch

installed = installed_patch("sequential_runner")

MESSAGES = ["is narcan free in ohio", "strips?", "my friend is not breathing", "43215", "hello", "roses are red"]


@pytest.fixture(scope="module")
def runners(tmp_path_factory):
    model = get_latest_model(str(PROJECT_ROOT / "models"))
    if not model:
        pytest.skip("no trained model in models/: run `make test`, which trains one")
    loaded = {}
    for runner_class in (DaskGraphRunner, SequentialGraphRunner):
        metadata, runner = loader.load_predict_graph_runner(
            tmp_path_factory.mktemp(runner_class.__name__), model, LocalModelStorage, runner_class
        )
        loaded[runner_class] = (metadata, runner)
    return loaded


def test_the_rasa_server_uses_it():
    assert rasa.core.processor.DaskGraphRunner is SequentialGraphRunner


def _parse(metadata, runner, text):
    tracker = DialogueStateTracker("test", [])
    result = runner.run(
        inputs={PLACEHOLDER_MESSAGE: [UserMessage(text)], PLACEHOLDER_TRACKER: tracker}, targets=[metadata.nlu_target]
    )
    return result[metadata.nlu_target][0].as_dict()


@pytest.mark.parametrize("text", MESSAGES)
def test_parse_is_the_same(runners, text):
    (dask_meta, dask), (seq_meta, seq) = runners[DaskGraphRunner], runners[SequentialGraphRunner]
    expected, got = _parse(dask_meta, dask, text), _parse(seq_meta, seq, text)
    for key in ("intent", "intent_ranking", "entities"):
        assert got.get(key) == expected.get(key)


def test_dialogue_prediction_is_the_same(runners):
    def predict(metadata, runner):
        tracker = DialogueStateTracker.from_events(
            "test",
            [
                ActionExecuted("action_listen"),
                UserUttered("is narcan free in ohio", {"name": "ask_naloxone", "confidence": 1.0}),
                SlotSet("state", "OH"),
            ],
            slots=metadata.domain.slots,
        )
        prediction = runner.run(inputs={PLACEHOLDER_TRACKER: tracker}, targets=[metadata.core_target])
        return prediction[metadata.core_target]

    expected, got = predict(*runners[DaskGraphRunner]), predict(*runners[SequentialGraphRunner])
    assert got.probabilities == expected.probabilities and got.policy_name == expected.policy_name
    assert (
        runners[SequentialGraphRunner][0].domain.action_names_or_texts[got.max_confidence_index]
        == "action_answer_topic"
    )


def test_an_input_named_like_a_node_is_refused(runners):
    metadata, runner = runners[SequentialGraphRunner]
    with pytest.raises(GraphRunError, match="clashes"):
        runner.run(inputs={PLACEHOLDER_TRACKER: metadata.core_target}, targets=[metadata.core_target])

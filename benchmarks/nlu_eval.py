"""NLU quality on the held-out files (tests/nlu/*.yml, never trained on).

Trains an NLU model on data/nlu with config.yml (or uses --model), parses every
held-out example and prints intent accuracy, macro-F1, `state` entity accuracy, and
emergency recall and false-positive rate, overall and per file (emergency_context.yml
holds emergencies typed mid-conversation, past overdoses, worried families and pasted
news). Targets: intent accuracy >= 0.95, state accuracy >= 0.97, emergency recall 1.00
with false positives <= 1%.

    .venv/bin/python benchmarks/nlu_eval.py [--model models/nlu.tar.gz]
"""

from __future__ import annotations

import argparse
import asyncio
import collections
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import yaml  # noqa: E402

from bot.language import detect  # noqa: E402
from tests.nlu_examples import examples  # noqa: E402

EMERGENCY = "emergency_overdose"
SPANISH_FILE = "spanish.yml"  # the held-out Spanish messages in tests/nlu
# Language detector lines: lines.yml is held out; dev_lines.yml was used to tune the detector.
LANGUAGE_LINES = ROOT / "tests" / "language"


def train(out_dir: Path, config: Path) -> str:
    from rasa.model_training import train_nlu

    return train_nlu(
        config=str(config), nlu_data=str(ROOT / "data" / "nlu"), output=str(out_dir), domain=str(ROOT / "domain.yml")
    )


async def parse_all(model: str, texts: list[str]) -> list[dict]:
    from rasa.core.agent import Agent

    agent = Agent.load(model)
    return [await agent.parse_message(text) for text in texts]


def macro_f1(gold: list[str], predicted: list[str]) -> float:
    scores = []
    for label in sorted(set(gold)):
        tp = sum(g == label and p == label for g, p in zip(gold, predicted))
        fp = sum(g != label and p == label for g, p in zip(gold, predicted))
        fn = sum(g == label and p != label for g, p in zip(gold, predicted))
        precision = tp / (tp + fp) if tp + fp else 0.0
        recall = tp / (tp + fn) if tp + fn else 0.0
        scores.append(2 * precision * recall / (precision + recall) if precision + recall else 0.0)
    return sum(scores) / len(scores)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", help="a trained model (.tar.gz); default: train a fresh NLU model")
    parser.add_argument("--config", default=str(ROOT / "config.yml"), help="pipeline to train (default: config.yml)")
    parser.add_argument("--test-file", default=str(ROOT / "tests" / "nlu"), help="a held-out file or folder")
    parser.add_argument("--show-errors", action="store_true", help="print each wrong example")
    parser.add_argument(
        "--confusions", action="store_true", help="print which intents are mistaken for which (no texts)"
    )
    parser.add_argument(
        "--gate",
        action="store_true",
        help="exit 1 when intent accuracy < 0.95 or emergency recall < 1.00 (make test uses this)",
    )
    args = parser.parse_args()

    test_path = Path(args.test_file)
    files = sorted(test_path.rglob("*.yml")) if test_path.is_dir() else [test_path]
    file_of = [file.name for file in files for _ in examples(file)]
    held_out = examples(*files)
    with tempfile.TemporaryDirectory() as tmp:
        model = args.model or train(Path(tmp), Path(args.config))
        results = asyncio.run(parse_all(model, [text for _, text, _ in held_out]))

    gold = [intent for intent, _, _ in held_out]
    predicted = [result["intent"]["name"] for result in results]
    accuracy = sum(g == p for g, p in zip(gold, predicted)) / len(gold)

    def predicted_state(result):
        values = [e["value"] for e in result.get("entities", []) if e["entity"] == "state"]
        return values[0] if values else None

    gold_states = [next((e["value"] for e in ents if e["entity"] == "state"), None) for _, _, ents in held_out]
    predicted_states = [predicted_state(result) for result in results]
    # A ZIP annotation implies its state, checked through the zip entity instead.
    with_state = [(g, p) for g, p in zip(gold_states, predicted_states) if g is not None]
    without_state = [
        (p, ents)
        for g, p, (_, _, ents) in zip(gold_states, predicted_states, held_out)
        if g is None and not any(e["entity"] == "zip" for e in ents)
    ]
    state_accuracy = sum(g == p for g, p in with_state) / len(with_state)
    spurious_states = sum(p is not None for p, _ in without_state)

    def emergency_figures(keep) -> tuple[float, float, int, int]:
        emergencies = [p for g, p, f in zip(gold, predicted, file_of) if keep(f) and g == EMERGENCY]
        others = [p for g, p, f in zip(gold, predicted, file_of) if keep(f) and g != EMERGENCY]
        return (
            sum(p == EMERGENCY for p in emergencies) / max(len(emergencies), 1),
            sum(p == EMERGENCY for p in others) / max(len(others), 1),
            len(emergencies),
            len(others),
        )

    recall, false_positive_rate, n_emergencies, n_others = emergency_figures(lambda f: True)

    print(f"held-out examples: {len(held_out)} ({len(set(gold))} intents)")
    print(f"intent accuracy:        {accuracy:.3f}   (target >= 0.95)")
    print(f"intent macro-F1:        {macro_f1(gold, predicted):.3f}")
    print(
        f"state entity accuracy:  {state_accuracy:.3f}   on {len(with_state)} messages naming a place (target >= 0.97)"
    )
    print(f"spurious states:        {spurious_states} of {len(without_state)} messages naming no place")
    print(f"emergency recall:       {recall:.3f}   ({n_emergencies} emergencies, target 1.00)")
    print(f"emergency false pos.:   {false_positive_rate:.3%}   ({n_others} other messages, target <= 1%)")
    for name in sorted(set(file_of)):
        r, fp, ne, no = emergency_figures(lambda f, name=name: f == name)
        pairs = [(g, p) for g, p, f in zip(gold, predicted, file_of) if f == name]
        right = sum(g == p for g, p in pairs) / len(pairs)
        print(
            f"  {name:24} intent {right:.3f} of {len(pairs)}, emergency recall {r:.3f} of {ne}, false positives {fp:.2%} of {no}"
        )
    spanish = [(g, p) for g, p, f in zip(gold, predicted, file_of) if f == SPANISH_FILE]
    if spanish:
        spanish_accuracy = sum(g == p for g, p in spanish) / len(spanish)
        print(f"Spanish intent accuracy: {spanish_accuracy:.3f}  ({len(spanish)} in {SPANISH_FILE}, target >= 0.95)")
    for name in sorted(LANGUAGE_LINES.glob("*.yml")):
        lines = yaml.safe_load(name.read_text(encoding="utf-8"))["lines"]
        right = sum(detect(line["text"]) == line["language"] for line in lines)
        print(f"language detection:     {right / len(lines):.3f}   ({len(lines)} lines in {name.name}, target >= 0.99)")
    if args.show_errors or args.confusions:
        confusions = collections.Counter((g, p) for g, p in zip(gold, predicted) if g != p)
        for (g, p), n in confusions.most_common():
            print(f"  {n:>3}  {g} -> {p}")
    if args.show_errors:
        for (_, text, _), g, p in zip(held_out, gold_states, predicted_states):
            if g is not None and g != p:
                print(f"  state {g} -> {p}: {text}")
        for (intent, text, _), p in zip(held_out, predicted):
            if intent != p:
                print(f"  intent {intent} -> {p}: {text}")

    if args.gate and (accuracy < 0.95 or recall < 1.0):
        print(
            f"NLU GATE FAILED: intent accuracy {accuracy:.3f} (needs 0.95), emergency recall {recall:.3f} (needs 1.00)"
        )
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())

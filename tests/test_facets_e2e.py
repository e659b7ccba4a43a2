"""Held-out facet questions (tests/facets/*.yml, written without sight of the training data or the
bot's patterns) asked end to end: the answer's first words and its state."""

from __future__ import annotations

import uuid

import requests
import yaml

from tests.conftest import PROJECT_ROOT

QUESTIONS = [
    item
    for path in sorted((PROJECT_ROOT / "tests" / "facets").glob("*.yml"))
    for item in yaml.safe_load(path.read_text())["questions"]
]
# How an answer begins, in each language, for each expected opener (the files use the English words).
# Checked in this order: "No sabemos" begins with "No".
OPENERS = (
    ("We don't know", ("We don't know", "No sabemos", "No lo sabemos")),
    ("Partly", ("Partly", "En parte")),
    ("Yes", ("Yes", "Sí")),
    ("No", ("No",)),
)


def opener(reply: str) -> str | None:
    return next((name for name, starts in OPENERS if reply.startswith(starts)), None)


def _ask(bot, sender, message):
    reply = requests.post(
        f"{bot['url']}/webhooks/rest/webhook", json={"sender": sender, "message": message}, timeout=60
    )
    reply.raise_for_status()
    return [m["text"] for m in reply.json() if m.get("text")]


def test_facet_answers_lead_with_the_answer_from_the_data(bot_server):
    right_opener, right_state, wrong = 0, 0, []
    for item in QUESTIONS:
        sender = uuid.uuid4().hex
        for message in item["messages"]:
            replies = _ask(bot_server, sender, message)
        tracker = requests.get(
            f"{bot_server['url']}/conversations/{sender}/tracker", params={"token": bot_server["token"]}, timeout=30
        ).json()
        opener_ok = bool(replies) and opener(replies[0]) == item["expect"]
        # "We don't know that" (no field holds it) need not name a state; every other answer is about one.
        state_ok = tracker["slots"]["state"] == item["state"]
        right_opener += opener_ok
        right_state += state_ok
        if not (opener_ok and state_ok):
            wrong.append(
                (
                    item["messages"],
                    item["state"],
                    item["expect"],
                    tracker["slots"]["state"],
                    replies[0][:90] if replies else None,
                )
            )
    total = len(QUESTIONS)
    print(
        f"\nfacet openers right: {right_opener}/{total} ({right_opener / total:.1%}); "
        f"state right: {right_state}/{total} ({right_state / total:.1%})"
    )
    for case in wrong:
        print("  ", case)
    assert right_opener / total >= 0.95 and right_state == total, wrong

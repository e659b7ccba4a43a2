"""An overdose reported in any conversation state gets "Call 911 now." and the steps first,
on the running bot, over REST and SMS; and the steps still go out with the action server down.

The states are every action and response in domain.yml that can end a turn, each reached
by a scripted path (checked against the tracker), plus SMS paging and numbered replies.
"""

from __future__ import annotations

import uuid

import pytest
import requests
import yaml

from tests.conftest import PROJECT_ROOT, WIDGET_DEMO_ORIGIN, run_async
from tests.test_sms import new_phone, post, texts

DOMAIN = yaml.safe_load((PROJECT_ROOT / "domain.yml").read_text())
FIRST_LINE = {"en": "Call 911 now.", "es": "Llame al 911 ahora."}
# What the person types, and the language the steps must come in.
EMERGENCIES = [
    ("he isnt breathing", "en"),
    ("my friend wont wake up", "en"),
    ("shes turnin blue help", "en"),
    ("HES OD'ING RN", "en"),
    ("wait hes not breathin", "en"),
    ("mi amigo no respira", "es"),
    ("ayuda se esta muriendo", "es"),
    ("mi hijo no despierta", "es"),
]
# The last action of the path's final turn -> the messages that lead there.
PATHS = {
    "action_ask_state": ["narcan?"],
    "action_answer_topic": ["narcan in ohio"],
    "action_give_guide": ["how do i use narcan"],
    "action_give_hotlines": ["i need a hotline number"],
    "action_offer_person": ["can i talk to a real person"],
    "action_handle_fallback": ["blorp"],
    "action_show_capabilities": ["hi"],
    "action_emergency_response": ["my friend is not breathing"],
    "action_reply_small_talk": ["bye"],
}
# Other states a path must reach, beyond its last action.
FORM_PATHS = {  # the form asking for the state, for each topic and in Spanish
    "good_samaritan": ["will i get arrested if i call 911"],
    "test_strips": ["strips?"],
    "treatment": ["how do i get methadone"],
    "naloxone (es)": ["naloxona?"],
    "after two fallbacks": ["blorp", "blorp"],
}
# Small talk ends a turn with the same action; each kind is tried too.
SMALL_TALK_PATHS = {"thanks": ["thank you"], "yes": ["yes"], "out of scope": ["what is the weather tomorrow"]}
NOT_A_TURN_END = {"location_form", "validate_location_form"}


def rest(bot, message, sender):
    reply = requests.post(
        f"{bot['url']}/webhooks/rest/webhook", json={"sender": sender, "message": message}, timeout=60
    )
    assert reply.status_code == 200, reply.text
    return [message for message in reply.json() if message.get("text")]  # a sources-only message has no text


def last_action(bot, sender):
    tracker = requests.get(
        f"{bot['url']}/conversations/{sender}/tracker", params={"token": bot["token"]}, timeout=30
    ).json()
    actions = [e["name"] for e in tracker["events"] if e["event"] == "action" and e["name"] != "action_listen"]
    return actions[-1], tracker


def test_the_paths_cover_every_action_and_response_that_ends_a_turn():
    names = {a if isinstance(a, str) else next(iter(a)) for a in DOMAIN["actions"]} | set(DOMAIN.get("responses", {}))
    assert names - NOT_A_TURN_END == set(PATHS)


@pytest.mark.parametrize("state", sorted(PATHS))
def test_each_path_reaches_its_state(bot_server, state):
    sender = uuid.uuid4().hex
    for message in PATHS[state]:
        rest(bot_server, message, sender)
    action, tracker = last_action(bot_server, sender)
    if state == "action_ask_state":  # the form's question: the form is waiting for the state
        assert tracker["active_loop"].get("name") == "location_form" and tracker["slots"]["requested_slot"] == "state"
    else:
        assert action == state


def test_the_form_paths_leave_the_form_asking(bot_server):
    for messages in FORM_PATHS.values():
        sender = uuid.uuid4().hex
        for message in messages:
            rest(bot_server, message, sender)
        action, tracker = last_action(bot_server, sender)
        if messages == FORM_PATHS["after two fallbacks"]:
            assert action == "action_handle_fallback"
        else:
            assert tracker["active_loop"].get("name") == "location_form", messages


@pytest.mark.parametrize("path", sorted(PATHS) + sorted(FORM_PATHS) + sorted(SMALL_TALK_PATHS))
@pytest.mark.parametrize("emergency, language", EMERGENCIES)
def test_an_emergency_in_any_state_gets_911_first(bot_server, path, emergency, language):
    sender = uuid.uuid4().hex
    for message in {**PATHS, **FORM_PATHS, **SMALL_TALK_PATHS}[path]:
        rest(bot_server, message, sender)
    replies = rest(bot_server, emergency, sender)
    assert replies and replies[0]["text"] == FIRST_LINE[language], replies
    assert any(reply["text"].startswith("1. ") for reply in replies[:3])
    # and the conversation continues as an emergency
    follow_up = rest(bot_server, "what do i do" if language == "en" else "que hago", sender)
    assert follow_up[0]["text"] == FIRST_LINE[language]


def test_an_emergency_in_the_middle_of_sms_paging_or_after_a_numbered_reply(bot_server):
    phone = new_phone()
    first = texts(post(bot_server, "what are the good samaritan laws in pennsylvania", phone))
    assert "MORE" in first[-1]
    replies = texts(post(bot_server, "my friend isnt breathing", phone))
    assert replies[0].startswith("Call 911 now.\n1. ")
    phone = new_phone()
    texts(post(bot_server, "narcan in ohio", phone))
    texts(post(bot_server, "1", phone))
    assert texts(post(bot_server, "se esta muriendo", phone))[0].startswith("Llame al 911 ahora.")


def test_emergency_follow_ups_over_rest(bot_server):
    sender = uuid.uuid4().hex
    rest(bot_server, "strips?", sender)
    assert rest(bot_server, "my friend is not breathing", sender)[0]["text"] == "Call 911 now."
    no_naloxone = " ".join(r["text"] for r in rest(bot_server, "i dont have narcan", sender))
    assert "2 breaths" in no_naloxone
    still = rest(bot_server, "he's breathing now after the narcan, do i still need to call 911?", sender)
    assert still[0]["text"] == "Yes, still call 911."
    law = " ".join(r["text"] for r in rest(bot_server, "ohio", sender))
    assert law.startswith("Ohio 911 law:")
    assert last_action(bot_server, sender)[1]["slots"]["state"] == "OH"


@pytest.fixture(scope="module")
def bot_without_actions(tmp_path_factory):
    """A second bot whose action server is killed once it is up."""
    from bot.launcher import bot_services, start, stop
    from tests.conftest import SMS_AUTH_TOKEN, SMS_HASH_KEY, _free_port

    if not any((PROJECT_ROOT / "models").glob("*.tar.gz")):
        pytest.skip("no trained model in models/")
    rasa_port, action_port = _free_port(), _free_port()
    workdir = tmp_path_factory.mktemp("no-actions")
    services = bot_services(
        rasa_port=rasa_port,
        action_port=action_port,
        token="t",
        env={
            "DATABASE_URL": f"sqlite:///{workdir / 'missing.db'}",
            "HRBOT_WIDGET_ORIGINS": WIDGET_DEMO_ORIGIN,
            "TWILIO_AUTH_TOKEN": SMS_AUTH_TOKEN,
            "HRBOT_SMS_HASH_KEY": SMS_HASH_KEY,
        },
    )
    start(services, log_dir=workdir / "logs")
    actions = services[0]
    actions.process.kill()
    actions.process.wait(10)
    yield {"url": f"http://127.0.0.1:{rasa_port}", "token": "t"}
    stop(services)


def test_with_the_action_server_down_the_steps_still_go_out_over_rest(bot_without_actions):
    sender = uuid.uuid4().hex
    assert rest(bot_without_actions, "narcan?", sender)[0]["text"].startswith("Sorry, I can't answer right now.")
    replies = rest(bot_without_actions, "my friend wont wake up", sender)
    assert replies[0]["text"] == "Call 911 now." and replies[1]["text"].startswith("1. ")


def test_with_the_action_server_down_the_steps_still_go_out_over_sms(bot_without_actions):
    replies = texts(post(bot_without_actions, "mi amigo no respira", new_phone()))
    assert replies and replies[0].startswith("Llame al 911 ahora.\n1. ")


def test_with_the_action_server_down_the_steps_still_go_out_over_the_widget(bot_without_actions):
    from tests.test_widget_channel import Listener

    async def scenario():
        listener = Listener()
        await listener.client.connect(
            bot_without_actions["url"], headers={"Origin": WIDGET_DEMO_ORIGIN}, transports=["polling"]
        )
        await listener.client.emit("session_request", {"session_id": str(uuid.uuid4())})
        await listener.next()
        await listener.client.emit("user_uttered", {"message": "she is not breathing"})
        event, reply = await listener.next(timeout=30)
        await listener.client.disconnect()
        return event, reply

    event, reply = run_async(scenario())
    assert event == "bot_uttered" and reply["text"].startswith("Call 911 now.\n\n1. ")


def test_a_huge_message_still_gets_the_steps_first_and_a_short_note(bot_server):
    replies = rest(bot_server, "my friend isnt breathing " + "narcan ohio " * 8300, uuid.uuid4().hex)
    assert replies[0]["text"] == "Call 911 now."
    assert replies[-1]["text"].startswith("That message is too long")

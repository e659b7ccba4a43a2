"""How long the bot's replies are, on the web and by SMS, over scripted phone-style conversations.

A first answer should fit one phone screen (web: at most 600 characters before the sources;
SMS: at most 2 segments), with "More" for the full sheet. Prints medians and the share within
those limits. Runs the real bot (benchmarks/running_bot.py).

    .venv/bin/python benchmarks/reply_length.py
"""

from __future__ import annotations

import statistics
import sys
import uuid
from pathlib import Path

import requests
from running_bot import running_bot  # noqa: E402  (benchmarks/ is on the path when run as a script)
from twilio.request_validator import RequestValidator

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bot.formatting import segments  # noqa: E402

SCRIPTS = [
    ["will i get arrested if i call 911 for an od in ohio", "does it cover parole", "what if i have a warrant"],
    ["is narcan free in pennsylvania", "can i get it for my friend", "do i need a prescription"],
    ["are test strips legal in texas", "what about KY and WV"],
    ["how do i get on methadone in florida", "does medicaid pay for it"],
    ["narcan?", "ohio", "more"],
    ["where can i get narcan and test strips in ohio"],
    ["which states have legal test strips"],
    ["compare ohio and michigan"],
    ["good sam law in georgia", "is there a state helpline"],
    ["strips?", "tx", "how do i use one"],
]
TOKEN = "benchmark-sms-token"


def web_lengths(url: str) -> list[int]:
    lengths = []
    for script in SCRIPTS:
        sender = uuid.uuid4().hex
        for message in script:
            reply = requests.post(
                f"{url}/webhooks/rest/webhook", json={"sender": sender, "message": message}, timeout=60
            )
            text = "\n\n".join(m["text"] for m in reply.json() if m.get("text"))
            lengths.append(len(text.split("\n\nThis is information")[0]))
    return lengths


def sms_segments(url: str) -> list[int]:
    webhook = f"{url}/webhooks/sms/webhook"
    counts = []
    for number, script in enumerate(SCRIPTS):
        phone = f"+1555{number:07d}"
        for message in script:
            form = {
                "From": phone,
                "To": "+15550000000",
                "Body": message,
                "NumMedia": "0",
                "MessageSid": "SM" + uuid.uuid4().hex,
            }
            signature = RequestValidator(TOKEN).compute_signature(webhook, form)
            reply = requests.post(webhook, data=form, headers={"X-Twilio-Signature": signature}, timeout=60)
            first = reply.text.split("<Message>")[1].split("</Message>")[0] if "<Message>" in reply.text else ""
            counts.append(segments(first))
    return counts


def main() -> None:
    with running_bot(env={"TWILIO_AUTH_TOKEN": TOKEN, "HRBOT_SMS_HASH_KEY": "benchmark"}) as (url, _):
        web = web_lengths(url)
        sms = sms_segments(url)
    print(f"{len(web)} replies over {len(SCRIPTS)} scripted conversations:")
    print(
        f"  web: median {statistics.median(web):.0f} characters (before the disclaimer), "
        f"{sum(n <= 600 for n in web) / len(web):.0%} within 600, longest {max(web)}"
    )
    print(
        f"  SMS: median {statistics.median(sms):.0f} segments in the first text, "
        f"{sum(n <= 2 for n in sms) / len(sms):.0%} within 2 segments"
    )


if __name__ == "__main__":
    main()

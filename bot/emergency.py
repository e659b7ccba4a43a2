"""Deterministic overdose-in-progress detection that backs the NLU classifier.

Missing an emergency is the worst failure this product can have, so any message that
may describe an overdose happening now is flagged, even when the classifier is unsure.
A few plainly informational phrasings ("signs of an overdose", "if I call 911 will I
get arrested") are not flagged, so the bot can answer the question asked.
"""

from __future__ import annotations

import re

_SIGNS = [
    r"(not|n'?t|no|barely|stopped|stop|trouble|hard to|can'?t) ?(be )?breath(e|ing)?",
    r"(isnt|isn't|wasnt|wasn't|aint|ain'?t) breathing",
    r"breathing (is )?(weird|slow|shallow|funny|strange|bad|wrong)",
    r"(won'?t|wont|can'?t|cant|cannot|not|will not|couldn'?t) (wake|waking|come to)",
    r"(wake|waking) (him|her|them|it) up",
    r"unresponsive|not responding|not responsive|won'?t respond|wont respond|isn'?t responding|unconscious",
    r"(blue|purple|gray|grey) (lips|face|fingers|nails|skin)",
    r"(lips|face|skin|fingers?|nails) (are |is |going |turning |look |looks )?(blue|purple|gray|grey)",
    r"turning (blue|purple|gray|grey)",
    r"(od'?ing|o\.d\.?'?ing|oding|overdosing|odding)",
    r"(od'?d|o\.d\.?'?d|overdosed|odd out|od'ed|oded)\b",
    r"(having|having an|is having an?|in an?) (od|o\.d\.|overdose)",
    r"\b(fell|passed) out\b.*\b(snor|gurgl|breath|blue|wake|respond|dope|fent|pills?|shot|using)",
    r"(snoring|gurgling|choking) (sound|noise|weird|funny|strange)",
    r"(gurgling|foaming at the mouth|pinpoint pupils)",
    r"\bno (pulse|heartbeat)\b",
    r"(limp|lifeless|cold and blue|collapsed)",
    r"^\W*(od|o\.d\.?|overdose|overdosing|911)\W*$",  # the whole message is "OD!!" or "911"
    # Spanish
    r"no responde|no respira|no despierta|sobredosis|labios azules|est[aá] morado|se desmay[oó]",
]
_EMERGENCY = re.compile("|".join(f"(?:{pattern})" for pattern in _SIGNS), re.IGNORECASE)

# Questions about the topic rather than a person in danger now.
_INFORMATIONAL = re.compile(
    r"(signs?|symptoms?) of (an? )?(opioid )?(od|overdose)"
    r"|how (do|can|would) (i|you|u|we) (know|tell|recogni[sz]e)"
    r"|what (does|do) (an? )?(od|overdose) look like"
    r"|\b(if|when) (i|we|u|you) call 911"
    r"|good samaritan"
    r"|\b(died|passed away|lost)\b.*\b(last|ago|years?|months?)\b"
    r"|\b(last|ago)\b.*\b(died|passed away)\b",
    re.IGNORECASE,
)


def looks_like_emergency(message: str) -> bool:
    """True when the message may describe an overdose happening now."""
    text = message.replace("’", "'")
    if not _EMERGENCY.search(text):
        return False
    return not _INFORMATIONAL.search(text)

"""Reading-level check: the bot's words must be easy to read (8th grade or below)."""

from __future__ import annotations

import textstat

MAX_GRADE = 8.0
# Grade formulas mean little on a few words ("See a doctor." scores oddly), so shorter texts are not scored.
MIN_WORDS = 10


def reading_grade(text: str) -> float:
    """Flesch-Kincaid grade level of `text`."""
    return float(textstat.flesch_kincaid_grade(text))


def too_hard(text: str) -> float | None:
    """The grade when `text` reads above the limit, else None."""
    if len(text.split()) < MIN_WORDS:
        return None
    grade = reading_grade(text)
    return grade if grade > MAX_GRADE else None

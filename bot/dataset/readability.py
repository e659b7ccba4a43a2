"""Reading-level check: the bot's words must be easy to read (about 8th grade), in each language.

Each language has its own formula: Flesch-Kincaid grade for English (at most 8), Fernández-Huerta
ease for Spanish (at least 60, "normal" to "easy", about 8th grade). textstat keeps its language as
global state, so each formula gets its own textstat instance.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from textstat.textstat import textstatistics

MAX_GRADE = 8.0
# Grade formulas mean little on a few words ("See a doctor." scores oddly), so shorter texts are not scored.
MIN_WORDS = 10


@dataclass(frozen=True)
class Level:
    formula: str  # a textstat method
    dictionary: str  # textstat's language (the hyphenation dictionary that counts syllables)
    limit: float
    higher_is_easier: bool
    measure: str  # how the error names the score

    def fails(self, score: float) -> bool:
        return score < self.limit if self.higher_is_easier else score > self.limit


LEVELS = {
    "en": Level("flesch_kincaid_grade", "en_US", MAX_GRADE, higher_is_easier=False, measure="grade"),
    "es": Level("fernandez_huerta", "es", 60.0, higher_is_easier=True, measure="Fernández-Huerta ease"),
}


@cache
def _scorer(language: str) -> textstatistics:
    scorer = textstatistics()
    scorer.set_lang(LEVELS[language].dictionary)
    return scorer


def score(text: str, language: str = "en") -> float:
    level = LEVELS[language]
    return float(getattr(_scorer(language), level.formula)(text))


def reading_grade(text: str) -> float:
    """Flesch-Kincaid grade level of English `text`."""
    return score(text, "en")


def too_hard(text: str, language: str = "en") -> str | None:
    """Why `text` reads above its language's limit ("reads at grade 9.2; at most 8"), else None."""
    if len(text.split()) < MIN_WORDS or language not in LEVELS:
        return None
    level = LEVELS[language]
    value = score(text, language)
    if not level.fails(value):
        return None
    bound = "at least" if level.higher_is_easier else "at most"
    return f"reads at {level.measure} {value:.1f}; {bound} {level.limit:.0f} allowed (use shorter sentences and words)"

"""Which language a message is written in (English or Spanish): small, offline, deterministic.

People text in short bursts, without accents, and mix languages ("narcan gratis en
ohio?"), so this counts words that mark each language rather than modelling letters.
Words that are the same in both ("no", "ok", "911", place names, "narcan") count for
neither. When the marker words do not decide, letter patterns do: a letter-trigram model of
each language, learned from the bot's own texts and its training messages (data/texts,
data/nlu). A message too short or too plain for either keeps the conversation's language.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections import Counter
from functools import cache

import yaml

from bot import texts
from bot.config import PROJECT_ROOT
from bot.location import find_locations

ENGLISH = "en"
SPANISH = "es"

# Words the two languages share ("me", "son", "legal") are in neither list, nor are the
# English nouns Spanish speakers text as they are ("necesito test strips").
# Everyday words of texted Spanish, written without accents (accents are removed first).
_SPANISH_WORDS = frozenset(
    """
    hola buenas buenos dias tardes noches adios gracias porfa favor ayuda ayudame auxilio socorro
    que quien como cuando donde cual cuanto cuanta porque pero tambien muy mas menos aqui ahi alla
    ahora ahorita hoy manana ayer siempre nunca todavia ya
    el la los las lo un una unos unas del al de en con sin para por sobre entre hasta desde
    y o es son era fue esta estan estoy estas estamos hay tiene tengo tienes tenemos puede puedo
    puedes pueden quiero quieres necesito necesita sabe se soy eres somos ser estar hacer hago
    mi mis tu tus su sus yo usted ustedes ella ellas ellos nosotros le les te nos
    amigo amiga amigos hijo hija hermano hermana esposo esposa novio novia mama papa familia persona
    respira respirar despierta despertar muriendo murio morado azul labios desmayo sobredosis
    llamar llamo llame policia carcel arresto arrestar arrestan ley leyes ilegal gratis
    tiras prueba pruebas fentanilo naloxona metadona buprenorfina tratamiento clinica cerca
    droga drogas usar uso consumir consumo dosis ayudar informacion estado ciudad
    si sí claro vale bueno bien mal hablar alguien nadie algo nada espanol castellano
    perdon disculpa disculpe simon nel ola orale andale sale chido neta pues oye mira okey
    entiendo entendi gracias saludos cuidate chao adios nomas tambien hablo habla
    q pa pal xq pq tmb dnd sip grax onda klk mande urgente hora abren cierran piden cobran cuesta
    sirve funciona vivo vive mejor peor otra otro vez luego casa calle pastillas jeringas agujas
""".split()
)
_ENGLISH_WORDS = frozenset(
    """
    hi hey hello thanks thank please help the a an and or but is are was were be been am
    i im i'm my mine you your u ur he she him her his they them their we us our it its this that
    what whats where when why how who which can could would should will do does did dont don't
    not cant can't wont won't isnt isn't have has had get got need want know tell find give
    of in on at to for from with without about near here there now today
    friend daughter brother sister husband wife boyfriend girlfriend mom dad someone somebody
    breathing wake waking blue overdosing illegal law laws arrested cops
    city yes yeah yep nope okay english sorry bye speak quick question thx ty lol wdym idk pls plz
""".split()
)
# Letters and marks only Spanish uses.
_SPANISH_MARKS = re.compile(r"[ñ¿¡]|[áéíóú]\w", re.IGNORECASE)
_WORD = re.compile(r"[a-z']+")
_REFUSAL = re.compile(r"\b(dont|don't|do not|cant|can't|no hablo|no entiendo|not)\b")
# Asking for a language by name switches to it, whatever else the message says.
_ASKS_FOR = {
    SPANISH: re.compile(r"\b(espanol|castellano|spanish|en espanol)\b"),
    ENGLISH: re.compile(r"\b(english|ingles|in english)\b"),
}


def _plain(message: str) -> str:
    text = unicodedata.normalize("NFKD", message.lower().replace("’", "'"))
    return "".join(ch for ch in text if not unicodedata.combining(ch))


def requested_language(message: str) -> str | None:
    """The language the message asks for by name ("english", "español"), if it is only that request."""
    text = _plain(message).strip(" .!?¿¡")
    words = text.split()
    if _REFUSAL.search(text):  # "i don't speak spanish" asks for the other one
        return None
    if 0 < len(words) <= 4:
        for language, pattern in _ASKS_FOR.items():
            if pattern.search(text):
                return language
    return None


def detect(message: str, previous: str | None = None) -> str:
    """ "es" or "en" for `message`; with no clear sign either way, `previous` (default English)."""
    asked = requested_language(message)
    if asked:
        return asked
    spanish_marks = len(_SPANISH_MARKS.findall(message))
    text = _without_places(_plain(message))
    words = _WORD.findall(text)
    spanish = sum(word in _SPANISH_WORDS for word in words) + 2 * spanish_marks
    english = sum(word in _ENGLISH_WORDS for word in words)
    if spanish > english:
        return SPANISH
    if english > spanish:
        return ENGLISH
    return _by_letters(text) or previous or ENGLISH


def _without_places(text: str) -> str:
    """The message without the places it names: "los angeles" or "san antonio" is not Spanish."""
    for match in find_locations(text):
        text = text.replace(match.text.lower(), " ")
    return text


# How much likelier (log, per trigram) one language must be before letters alone decide,
# and the shortest single word worth judging: short ones are often names either language uses ("narcan?").
_LETTER_MARGIN = 0.25
_MIN_LETTERS_ALONE = 7


def _trigrams(text: str) -> list[str]:
    padded = f" {' '.join(_WORD.findall(text))} "
    return [padded[i : i + 3] for i in range(len(padded) - 2)]


@cache
def _letter_model() -> dict[str, tuple[Counter, int]]:
    """Trigram counts per language from the bot's texts and training messages (labelled by marker words)."""
    samples: dict[str, list[str]] = {ENGLISH: [], SPANISH: []}
    for language in samples:
        samples[language].extend(texts.catalog(language).values())
    for path in sorted((PROJECT_ROOT / "data" / "nlu").glob("*.yml")):
        for block in (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("nlu", []):
            for line in str(block.get("examples", "")).splitlines():
                text = _plain(re.sub(r"\[([^\]]*)\]\{[^}]*\}", r"\1", line.strip()[2:]))
                words = _WORD.findall(text)
                spanish = sum(word in _SPANISH_WORDS for word in words)
                english = sum(word in _ENGLISH_WORDS for word in words)
                if spanish != english:
                    samples[SPANISH if spanish > english else ENGLISH].append(text)
    model = {}
    for language, lines in samples.items():
        counts = Counter(gram for line in lines for gram in _trigrams(_plain(line)))
        model[language] = (counts, sum(counts.values()))
    return model


def _by_letters(text: str) -> str | None:
    """The language whose letter patterns fit `text` clearly better, if any."""
    grams = _trigrams(text)
    words = _WORD.findall(text)
    if not words or (len(words) == 1 and len(words[0]) < _MIN_LETTERS_ALONE):
        return None
    model = _letter_model()
    vocabulary = len(set(model[ENGLISH][0]) | set(model[SPANISH][0])) + 1

    def fit(language: str) -> float:
        counts, total = model[language]
        return sum(math.log((counts[gram] + 1) / (total + vocabulary)) for gram in grams) / len(grams)

    difference = fit(SPANISH) - fit(ENGLISH)
    if abs(difference) < _LETTER_MARGIN:
        return None
    return SPANISH if difference > 0 else ENGLISH


# Names (capitalized words), web addresses and numbers say nothing about a sentence's language.
_NAMES_AND_NUMBERS = re.compile(r"\S+\.(gov|org|com|net|us)\S*|\b[A-Z][\w'-]*|[\d/().,:+-]+")


def sentences_not_in(text: str, language: str) -> list[str]:
    """The sentences of `text` that read as another language, names and numbers aside: English
    left in a translation, or in a reply that should be all Spanish."""
    return [
        sentence
        for sentence in re.split(r"(?<=[.!?])\s+|\n+", text)
        if sentence.strip() and detect(_NAMES_AND_NUMBERS.sub(" ", sentence), previous=language) != language
    ]

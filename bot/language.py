"""Which language a message is written in (English or Spanish): small, offline, deterministic.

People text in short bursts, without accents, and mix languages ("narcan gratis en
ohio?"), so this counts words that mark each language rather than modelling letters.
Words that are the same in both ("no", "ok", "911", place names, "narcan") count for
neither, and a message with no marker at all keeps the conversation's language.
"""

from __future__ import annotations

import re
import unicodedata

ENGLISH = "en"
SPANISH = "es"

# Words the two languages share ("me", "son", "legal") are in neither list.
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
    breathing wake waking blue overdose overdosing free illegal law laws pills arrested police cops
    strips test treatment clinic methadone state city yes yeah yep nope okay english
""".split()
)
# Letters and marks only Spanish uses.
_SPANISH_MARKS = re.compile(r"[ñ¿¡]|[áéíóú]\w", re.IGNORECASE)
_WORD = re.compile(r"[a-z']+")
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
    words = _WORD.findall(_plain(message))
    spanish = sum(word in _SPANISH_WORDS for word in words) + 2 * spanish_marks
    english = sum(word in _ENGLISH_WORDS for word in words)
    if spanish > english:
        return SPANISH
    if english > spanish:
        return ENGLISH
    return previous or ENGLISH

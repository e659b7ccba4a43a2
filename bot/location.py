"""Find the US state a message is about: names, codes, nicknames, big cities, ZIP codes, typos.

Deterministic and offline, so that "is narcan free in ohio", "philly", "PA", "43215"
and "pensylvania" all give a state, and "ok" or "hi" do not (unless we just asked
"Which state are you in?").
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from dataclasses import dataclass

from bot.geo import City, cities_named, lookup_zip
from bot.jurisdictions import JURISDICTIONS


def fold(text: str) -> str:
    """Accents off, one character for one ("Oregón" -> "Oregon"), so positions still match the message."""
    return "".join(unicodedata.normalize("NFKD", ch)[0] for ch in text)


# Nicknames and big cities people use instead of the state's name.
ALIASES: dict[str, str] = {
    # District of Columbia and Washington State (the ambiguous pair)
    "washington dc": "DC",
    "washington d.c.": "DC",
    "washington d c": "DC",
    "washington d. c.": "DC",
    "d.c.": "DC",
    "dc": "DC",
    "the district": "DC",
    "district of columbia": "DC",
    "washington state": "WA",
    "wa state": "WA",
    "seattle": "WA",
    "spokane": "WA",
    "tacoma": "WA",
    # Nicknames
    "jersey": "NJ",
    "joisey": "NJ",
    "cali": "CA",
    "socal": "CA",
    "norcal": "CA",
    "mass": "MA",
    "penn": "PA",
    "pennsy": "PA",
    "tenn": "TN",
    "ky": "KY",
    "bama": "AL",
    "zona": "AZ",
    "the bay": "CA",
    "bay area": "CA",
    "the 'bay": "CA",
    "nyc": "NY",
    "ny city": "NY",
    "new york city": "NY",
    "the big apple": "NY",
    "chi-town": "IL",
    "chitown": "IL",
    "chi town": "IL",
    "chiraq": "IL",
    "philly": "PA",
    "vegas": "NV",
    "nola": "LA",
    "atl": "GA",
    "h-town": "TX",
    "htown": "TX",
    "the d": "MI",
    "motor city": "MI",
    "beantown": "MA",
    "bmore": "MD",
    "b-more": "MD",
    "okc": "OK",
    "abq": "NM",
    "slc": "UT",
    "stl": "MO",
    "kc": "MO",
    "indy": "IN",
    "cincy": "OH",
    "the twin cities": "MN",
    "twin cities": "MN",
    "phx": "AZ",
    "pdx": "OR",
    "l.a.": "CA",
    "la": "CA",
    # Spanish names
    "nueva york": "NY",
    "nuevo mexico": "NM",
    "nuevo méxico": "NM",
    "carolina del norte": "NC",
    "carolina del sur": "SC",
    "dakota del norte": "ND",
    "dakota del sur": "SD",
    "luisiana": "LA",
    "misisipi": "MS",
    "misuri": "MO",
    "virginia occidental": "WV",
    "hawái": "HI",
    "pensilvania": "PA",
    "nueva jersey": "NJ",
    "nuevo hampshire": "NH",
    "tejas": "TX",
    "nueva orleans": "LA",
    "filadelfia": "PA",
    # Medicaid programs named after their state ("does masshealth cover methadone")
    "masshealth": "MA",
    "mass health": "MA",
    "medi-cal": "CA",
    "medi cal": "CA",
    "apple health": "WA",
    "tenncare": "TN",
    "soonercare": "OK",
    "husky": "CT",
    "husky health": "CT",
    "badgercare": "WI",
    "kancare": "KS",
    "ahcccs": "AZ",
    "oregon health plan": "OR",
    "mainecare": "ME",
    "health first colorado": "CO",
    "nj familycare": "NJ",
    "healthy indiana plan": "IN",
    "hoosier healthwise": "IN",
    "mo healthnet": "MO",
    "minnesotacare": "MN",
    "cardinal care": "VA",
    "med-quest": "HI",
    "dr. dynasaur": "VT",
    "denali kidcare": "AK",
    "arkids": "AR",
    "peachcare": "GA",
    "healthy louisiana": "LA",
    "green mountain care": "VT",
    "arhome": "AR",
    "ar home": "AR",
    "turquoise care": "NM",
    "centennial care": "NM",
    "healthchoice": "MD",
    "medicaid michigan": "MI",
    "healthy michigan plan": "MI",
    "keystone first": "PA",
    "medallion": "VA",
    "sooner care": "OK",
    "tenn care": "TN",
    # Big cities
    "los angeles": "CA",
    "san francisco": "CA",
    "sf": "CA",
    "oakland": "CA",
    "san diego": "CA",
    "san jose": "CA",
    "sacramento": "CA",
    "fresno": "CA",
    "long beach": "CA",
    "brooklyn": "NY",
    "bronx": "NY",
    "the bronx": "NY",
    "queens": "NY",
    "manhattan": "NY",
    "staten island": "NY",
    "buffalo": "NY",
    "rochester ny": "NY",
    "syracuse": "NY",
    "albany": "NY",
    "chicago": "IL",
    "houston": "TX",
    "dallas": "TX",
    "austin": "TX",
    "san antonio": "TX",
    "el paso": "TX",
    "fort worth": "TX",
    "philadelphia": "PA",
    "pittsburgh": "PA",
    "pitt": "PA",
    "phoenix": "AZ",
    "tucson": "AZ",
    "las vegas": "NV",
    "reno": "NV",
    "new orleans": "LA",
    "baton rouge": "LA",
    "atlanta": "GA",
    "savannah": "GA",
    "detroit": "MI",
    "grand rapids": "MI",
    "boston": "MA",
    "worcester": "MA",
    "baltimore": "MD",
    "denver": "CO",
    "colorado springs": "CO",
    "miami": "FL",
    "orlando": "FL",
    "tampa": "FL",
    "jacksonville": "FL",
    "nashville": "TN",
    "memphis": "TN",
    "knoxville": "TN",
    "chattanooga": "TN",
    "louisville": "KY",
    "lexington ky": "KY",
    "st louis": "MO",
    "st. louis": "MO",
    "saint louis": "MO",
    "kansas city": "MO",
    "columbus": "OH",
    "cleveland": "OH",
    "cincinnati": "OH",
    "dayton": "OH",
    "akron": "OH",
    "toledo": "OH",
    "indianapolis": "IN",
    "charlotte": "NC",
    "raleigh": "NC",
    "durham": "NC",
    "greensboro": "NC",
    "albuquerque": "NM",
    "santa fe": "NM",
    "salt lake": "UT",
    "salt lake city": "UT",
    "milwaukee": "WI",
    "madison wi": "WI",
    "minneapolis": "MN",
    "st paul": "MN",
    "tulsa": "OK",
    "oklahoma city": "OK",
    "omaha": "NE",
    "lincoln ne": "NE",
    "boise": "ID",
    "anchorage": "AK",
    "honolulu": "HI",
    "providence": "RI",
    "hartford": "CT",
    "new haven": "CT",
    "bridgeport": "CT",
    "richmond va": "VA",
    "virginia beach": "VA",
    "norfolk": "VA",
    "birmingham": "AL",
    "montgomery": "AL",
    "huntsville": "AL",
    "little rock": "AR",
    "des moines": "IA",
    "wichita": "KS",
    "sioux falls": "SD",
    "fargo": "ND",
    "billings": "MT",
    "cheyenne": "WY",
    "newark": "NJ",
    "camden": "NJ",
    "atlantic city": "NJ",
    "jersey city": "NJ",
    "trenton": "NJ",
    "portland or": "OR",
    "portland oregon": "OR",
    "portland": "OR",
    "portland me": "ME",
    "portland maine": "ME",
    "burlington vt": "VT",
    "manchester nh": "NH",
    "charleston wv": "WV",
    "huntington wv": "WV",
    "charleston sc": "SC",
    "columbia sc": "SC",
    "greenville sc": "SC",
    "jackson ms": "MS",
    "gulfport": "MS",
    "wilmington de": "DE",
    "dover de": "DE",
}

# Lower-case two-letter codes that are also everyday words (English or Spanish):
# only taken as a state when the whole message is the code, or right after "in", "from"...
WORDLIKE_CODES = {
    "in",
    "me",
    "or",
    "ok",
    "hi",
    "oh",
    "co",
    "de",
    "al",
    "la",
    "ma",
    "id",
    "mo",
    "ne",
    "ms",
    "mt",
    "mi",
    "va",
    "as",
    "pa",
}
# Upper-case codes that are also words people shout.
WORDLIKE_UPPER = {"OK", "HI", "ME", "OR", "IN", "OH", "AS", "MI"}
# Words after which a lower-case code like "ok" or "in" names a place: "laws in ok", "im from in".
LEAD_WORDS = r"(?:in|from|live in|living in|im in|i'm in|located in|state)"
# Common words that fuzzy matching must never turn into a state ("main" is not Maine).
NOT_PLACES = {
    "main",
    "texts",
    "kanas",
    "mains",
    "georgie",
    "dakota",
    "carolina",
    "virgin",
    "origin",
    "oregano",
    "indian",
    "indians",
    "missing",
    "mission",
    "ohio's",
}
FUZZY_MIN_LENGTH = 6
FUZZY_CUTOFF = 0.84

_NAMES = {name.lower(): code for code, name in JURISDICTIONS.items()}
_PHRASES = {fold(phrase): code for phrase, code in {**_NAMES, **ALIASES}.items()}
# "new york" must win over "york", "west virginia" over "virginia": longest phrases first.
_PHRASE_PATTERN = re.compile(
    r"(?<![\w.])(" + "|".join(re.escape(p) for p in sorted(_PHRASES, key=len, reverse=True)) + r")(?![\w])"
)
_ZIP_PATTERN = re.compile(r"(?<!\d)(\d{5})(?:-\d{4})?(?!\d)")
_CODE_PATTERN = re.compile(r"(?<![\w.])([A-Za-z]{2})(?![\w])")
_LEAD_PATTERN = re.compile(LEAD_WORDS + r"\s*$")


@dataclass(frozen=True)
class LocationMatch:
    state: str
    text: str  # the words in the message that named it
    how: str  # name, alias, code, zip, fuzzy
    zip: str | None = None
    note: str | None = None  # the key (data/texts) of a hint when the choice was a guess between two places


def find_location(message: str, expecting_state: bool = False) -> LocationMatch | None:
    """The first place named in `message`, or None.

    `expecting_state` is True when the bot has just asked for the state: then a bare
    "oh", "in" or "ok" is read as a code, and a reply that is only a city ("youngstown") names
    its state.
    """
    text = message.strip()
    if not text:
        return None
    zip_match = _ZIP_PATTERN.search(text)
    if zip_match:
        place = lookup_zip(zip_match.group(1))
        if place is not None:
            return LocationMatch(place.state, zip_match.group(0), "zip", zip=place.zip)
    lowered = _normalize(text)
    found = [m for m in (_phrase_match(lowered), _code_match(text, lowered, expecting_state)) if m]
    if found:
        return min(found, key=lambda pair: pair[0])[1]
    fuzzy = _fuzzy_match(lowered)
    if fuzzy is None and expecting_state:
        city = find_city(text)
        return LocationMatch(city.state, text, "city") if city else None
    return fuzzy


def find_locations(message: str) -> list[LocationMatch]:
    """Every place named in `message`, in order, each state once ("what about KY and WV")."""
    text = message.strip()
    lowered = _normalize(text)
    found: list[tuple[int, int, LocationMatch]] = []
    for match in _ZIP_PATTERN.finditer(text):
        place = lookup_zip(match.group(1))
        if place is not None:
            found.append((match.start(), match.end(), LocationMatch(place.state, match.group(0), "zip", zip=place.zip)))
    for position, phrase in _phrase_matches(lowered):
        found.append((position, position + len(phrase.text), phrase))
    for match in _CODE_PATTERN.finditer(lowered):
        code = match.group(1).upper()
        token = text[match.start() : match.end()] if len(text) == len(lowered) else match.group(1)
        token = token if token.lower() == match.group(1) else match.group(1)
        if code in JURISDICTIONS and _code_counts(token, lowered, match.start()):
            found.append((match.start(), match.end(), LocationMatch(code, match.group(1), "code")))
    found.sort(key=lambda item: (item[0], -(item[1] - item[0])))
    places: list[LocationMatch] = []
    end = -1
    for start, stop, place_match in found:
        if start < end:
            continue  # inside a longer place already taken ("west virginia", not "virginia")
        end = stop
        if all(place.state != place_match.state for place in places):
            places.append(place_match)
    if not places:
        single = find_location(message)
        return [single] if single else []
    return places


# Where the person lives (or is from), and words that put the call somewhere else ("at work",
# "visiting", "a party in philly", "there"). The law that applies is the one where the call is made.
_HOME_CUE = re.compile(r"\b(live|living|lives|reside|stay|staying|from|home is)( in| at)? $")
_AWAY_CUE = re.compile(
    r"\b(at work|work|working|job|visiting|visit|going to|trip|festival|party|concert|hang out|hanging out|across|"
    r"over in|traveling|travelling|vacation|there)\b"
)
_AT_HOME = re.compile(r"\b(at|from) (home|my house|my place)\b")


_SITUATION = re.compile(r"\b(live|living|lives|from|work|working|at work|visiting|moved|move|staying|but|town|city)\b")


def several_places_asked(message: str) -> list[LocationMatch]:
    """The places a question asks about side by side ("KY and WV", "compare ohio and michigan"),
    or [] when several places describe one person's situation ("from NY but live in NC")."""
    places = find_locations(message)
    if len(places) < 2 or _SITUATION.search(_normalize(message)) or place_of_the_call(message) != places[0]:
        return []
    return places


def place_of_the_call(message: str) -> LocationMatch | None:
    """The state whose law applies: where the 911 call would be made.

    "I live in KY but work in Indiana, which law applies if I call at work" is Indiana; "I'm
    from NY but live in NC" is North Carolina; "Indiana, PA" (a town and its state) is
    Pennsylvania. With one place named, that place.
    """
    places = find_locations(message)
    if len(places) < 2:
        return places[0] if places else None
    lowered = _normalize(message)
    # "indiana pa", "washington pa": a town, then the state it is in.
    for first, second in zip(places, places[1:]):
        if (
            first.how != "code"
            and second.how == "code"
            and re.search(re.escape(first.text) + r",? " + re.escape(second.text) + r"\b", lowered)
        ):
            return second
    homes = [place for place in places if _HOME_CUE.search(lowered[: lowered.find(place.text)])]
    # "from NY but live in NC": where they live now wins over where they are from.
    living = [place for place in homes if not re.search(r"\bfrom $", lowered[: lowered.find(place.text)])]
    candidates = living or homes
    home = candidates[-1] if candidates else None
    if home is not None:
        others = [place for place in places if place.state != home.state and place not in homes]
        if others and _AWAY_CUE.search(lowered) and not _AT_HOME.search(lowered):
            return others[0]
        return home
    return places[-1] if re.search(r"\bbut\b", lowered) else places[0]


def _normalize(text: str) -> str:
    lowered = fold(text.lower().replace("’", "'"))
    lowered = re.sub(r"[!?,;:()\"]+", " ", lowered)
    return re.sub(r"\s+", " ", lowered).strip()


def _phrase_match(lowered: str) -> tuple[int, LocationMatch] | None:
    return next(_phrase_matches(lowered), None)


def _phrase_matches(lowered: str):
    """(position, match) for every name, nickname or city in the text, in order."""
    for match in _PHRASE_PATTERN.finditer(lowered):
        phrase = match.group(1)
        if phrase == "la" and not _is_standalone_la(lowered, match):
            continue
        code = _PHRASES[phrase]
        how = "name" if phrase in _NAMES else "alias"
        note = None
        if phrase == "washington":
            note = "location.washington"
        elif phrase in ("la", "l.a."):
            note = "location.la"
        yield match.start(), LocationMatch(code, phrase, how, note=note)


def _is_standalone_la(lowered: str, match: re.Match) -> bool:
    """'LA' the city, not Spanish 'la' ("la persona no responde")."""
    return lowered == "la" or bool(_LEAD_PATTERN.search(lowered[: match.start()])) or lowered.endswith(" la")


def _code_match(original: str, lowered: str, expecting_state: bool) -> tuple[int, LocationMatch] | None:
    whole = re.sub(r"[^A-Za-z]", "", original)
    if len(whole) == 2 and whole.upper() in JURISDICTIONS:
        # A message that is only a code: "tx", "PA"; "OR" is Oregon, but "ok" and "HI" are words.
        if expecting_state or whole.lower() not in WORDLIKE_CODES or (whole.isupper() and whole not in ("OK", "HI")):
            return 0, LocationMatch(whole.upper(), whole, "code")
    for match in _CODE_PATTERN.finditer(original):
        token = match.group(1)
        code = token.upper()
        if code not in JURISDICTIONS:
            continue
        after_lead = bool(_LEAD_PATTERN.search(original[: match.start()].lower()))
        if token.isupper() and (code not in WORDLIKE_UPPER or after_lead):
            return match.start(), LocationMatch(code, token, "code")
        if token.islower() and (token not in WORDLIKE_CODES or after_lead):
            return match.start(), LocationMatch(code, token, "code")
    return None


def _code_counts(token: str, lowered: str, position: int) -> bool:
    """A two-letter code among other words names a state only when it cannot be a word, or
    after words that introduce a place ("in", "from"), or in capitals in a list ("OH and MI")."""
    before, after = lowered[:position], lowered[position + 2 :]
    listed = bool(re.search(r"\b(about|and|or|vs|versus)\s*$|,\s*$", before)) or bool(
        re.match(r"\s*(,|and\b|or\b|vs\b)", after)
    )
    if token.isupper() and (token not in WORDLIKE_UPPER or listed):
        return True  # "OH and MI": capitals in a list are codes; lower-case "me and my friend" is not
    return token.lower() not in WORDLIKE_CODES or bool(_LEAD_PATTERN.search(before))


def _fuzzy_match(lowered: str) -> LocationMatch | None:
    """Misspelled state names: "pensylvania", "tennesee", "conneticut", "new yrok"."""
    words = re.findall(r"[a-z]+", lowered)
    candidates = [" ".join(words[i : i + n]) for n in (3, 2, 1) for i in range(len(words) - n + 1)]
    for candidate in candidates:
        if len(candidate) < FUZZY_MIN_LENGTH or candidate in NOT_PLACES:
            continue
        close = difflib.get_close_matches(candidate, _NAMES.keys(), n=1, cutoff=FUZZY_CUTOFF)
        if close:
            return LocationMatch(_NAMES[close[0]], candidate, "fuzzy")
    return None


# Words that can surround a place in a message that only says where the person is.
_PLACE_FILLER = {
    "i",
    "im",
    "i'm",
    "am",
    "in",
    "from",
    "what",
    "whats",
    "what's",
    "about",
    "how",
    "and",
    "the",
    "state",
    "of",
    "live",
    "living",
    "at",
    "near",
    "zip",
    "my",
    "is",
    "code",
    "its",
    "it's",
    "so",
    "um",
    "uh",
    "now",
    "here",
    "currently",
    "located",
    "we",
    "are",
    "were",
    "we're",
    "stay",
    "out",
    "for",
    "then",
    "ok",
    "okay",
    "oh",
    "yeah",
    "city",
    "county",
    "area",
    "moved",
    "to",
    "just",
    "also",
    "too",
    "there",
    "over",
}


def is_only_location(message: str) -> bool:
    """True when the message just names a place ("ohio", "im in philly", "what about NJ?", "43215")."""
    match = find_location(message)
    if match is None:
        return False
    rest = _normalize(message).replace(match.text.lower(), " ", 1)
    words = re.findall(r"[a-z0-9']+", rest)
    return all(word in _PLACE_FILLER for word in words)


# A city is read only after words that introduce a place ("clinic in dayton", "near akron",
# "cerca de houston"), so ordinary words that are also town names ("help", "hope") are not places.
_CITY_AFTER = re.compile(r"\b(?:in|near|around|by|outside|about|en|cerca de|por)\s+([a-z .'-]{2,40})")


def find_city(message: str, state: str | None = None) -> City | None:
    """The city a message names after "in", "near" and the like, or a message that is only a
    city, perhaps with its state ("cleveland", "akron ohio": the reply to "which city?"), in
    `state` when given, else the biggest city of that name; None when no known city is named."""
    lowered = _normalize(message).strip(" .")
    for match in _CITY_AFTER.finditer(lowered):
        words = match.group(1).split()
        for n in (3, 2, 1):
            name = " ".join(words[:n]).strip(" .")
            if name in _NAMES:
                break  # "in ohio" names a state, not a town called Ohio
            city = _city_named(name, state)
            if city is not None:
                return city
    # A whole message that is a city: only a real city (3 or more ZIP codes), so a one-word
    # reply such as "why" is not Why, Arizona.
    words = lowered.split()
    for n in range(len(words), 0, -1):
        rest = " ".join(words[n:])
        if rest and rest not in _NAMES and rest.upper() not in JURISDICTIONS:
            continue
        name = " ".join(words[:n])
        city = None if name in _NAMES else _city_named(name, state)
        if city is not None and city.zips >= 3:
            return city
    return None


def _city_named(name: str, state: str | None) -> City | None:
    cities = [city for city in cities_named(name) if state is None or city.state == state]
    return cities[0] if cities else None

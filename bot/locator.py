"""Treatment near the person: which medication they ask about, where they are (a ZIP code or a
city), and the nearest programs from the shipped directories (bot.directory).

A ZIP code or a city beats a state: a treatment question that names one gets the three
nearest programs, not the state sheet. Where the person is stays a place: it is used for the
answer and never logged or stored with anything about them.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from urllib.parse import quote_plus

from sqlalchemy.orm import Session

from bot import texts
from bot.answers import ANSWERED, About, Answer, Option, about_state, links_to
from bot.dataset.schema import TOPIC_RESOURCE_KINDS
from bot.directory import NEARBY_MILES, Site, nearest_sites
from bot.emergency import normalize
from bot.formatting import checked
from bot.geo import lookup_zip
from bot.intents import ASK_TREATMENT, FOR_TOPIC, payload
from bot.location import find_city, find_locations
from bot.queries import (
    ResourceInfo,
    Source,
    get_guide,
    get_profile,
    national_resources,
    nearest_resources,
    state_resources,
)

# What a message asks for -> the directory services that give it.
_SERVICE_WORDS = (
    ("methadone", r"\b(methadone|metadona|meth?adone|otps?|opioid treatment programs?|done clinic|dose clinic)\b"),
    (
        "buprenorphine",
        r"\b(bupe|bup|subs?|suboxone|subutex|zubsolv|sublocade|brixadi|buprenorphine|buprenorfina|bupren\w*)\b",
    ),
    ("naltrexone", r"\b(naltrexone|naltrexona|vivitrol)\b"),
)
_ANY_TREATMENT = ("methadone", "buprenorphine")
# Words that ask for a place nearby rather than the state's rules.
_NEARBY = re.compile(
    r"\b(near|nearest|closest|nearby|close to|around|close by|in my area|near me|cerca|cercan[oa]s?|mas cercan[oa]"
    r"|clinic|clinics|clinica|clinicas|doctor|doctors|doc|provider|providers|program near|where is the)\b"
)
FIND_TREATMENT = "FindTreatment.gov, 1-800-662-4357"


@dataclass(frozen=True)
class Origin:
    latitude: float
    longitude: float
    label: str  # "44102" or "Cleveland, OH": how the answer names the place
    state: str
    zip: str  # the ZIP code, or one of the city's


def services_asked(message: str) -> tuple[str, ...]:
    """The medications a message names; methadone and buprenorphine when it names none."""
    text = normalize(message)
    named = tuple(service for service, pattern in _SERVICE_WORDS if re.search(pattern, text))
    return named or _ANY_TREATMENT


def asks_nearby(message: str) -> bool:
    return bool(_NEARBY.search(normalize(message)))


def origin_of(message: str) -> Origin | None:
    """Where the message says the person is: a ZIP code, else a city (in the named state when one
    is named, else the biggest of that name). A state alone is not a place to measure from."""
    places = find_locations(message)
    for place in places:
        if place.zip:
            found = lookup_zip(place.zip)
            if found:
                return Origin(found.latitude, found.longitude, place.zip, found.state, place.zip)
    city = find_city(message, places[0].state if places else None)
    if city is not None:
        return Origin(city.latitude, city.longitude, f"{city.name}, {city.state}", city.state, city.zip)
    return None


def service_names(services: tuple[str, ...], language: str) -> str:
    """ "methadone programs", or "methadone or buprenorphine programs" for several."""
    if len(services) == 1:
        return texts.text(f"locator.services.{services[0]}", language)
    return texts.text("locator.services.several", language)


def place_question(topic: str | None, message: str, language: str = texts.DEFAULT_LANGUAGE) -> Answer:
    """ "Send me your ZIP code or city, and I will find the 3 nearest ..." for "subs near me"."""
    if topic == "treatment":
        text = texts.text("locator.ask_place", language, services=service_names(services_asked(message), language))
    else:
        text = texts.text("locator.ask_place_supplies", language, supplies=texts.text(f"topic.{topic}", language))
    return Answer(paragraphs=[text], language=language)


def directions_url(site: Site) -> str:
    """An OpenStreetMap search for the site's address (no third-party script, just a link)."""
    parts = [site.address, site.city, f"{site.state} {site.zip}"]
    return "https://www.openstreetmap.org/search?query=" + quote_plus(", ".join(part for part in parts if part))


def _phone(phone: str) -> str:
    """US numbers as 216-881-0765, the form the widget and phones turn into a call link."""
    digits = re.sub(r"\D", "", phone)
    digits = digits[1:] if len(digits) == 11 and digits.startswith("1") else digits
    return f"{digits[:3]}-{digits[3:6]}-{digits[6:]}" if len(digits) == 10 else phone


def _site_line(site: Site, language: str, web: bool) -> str:
    """Web: name, distance, full address, phone, directions. SMS: the same, short (no map link)."""
    miles = texts.text("locator.miles", language, miles=f"{site.miles:g}")
    where = [site.address, site.city, f"{site.state} {site.zip}"] if web else [site.address, site.city]
    line = f"{site.name} ({miles}): " + ", ".join(part for part in where if part)
    if site.phone:
        line += f", {_phone(site.phone)}"
    if web:
        line += f". {texts.text('locator.directions', language, url=directions_url(site))}"
    return line


def _state_treatment(session: Session, state: str, language: str) -> list[str]:
    """The state's short treatment answer (buprenorphine by video or phone, Medicaid) when far from a program."""
    profile = get_profile(session, state, "treatment")
    return [about_state(state, profile.localized(language).sms_summary)] if profile else []


def nearest_answer(
    session: Session, origin: Origin, services: tuple[str, ...], language: str = texts.DEFAULT_LANGUAGE
) -> Answer:
    """The three nearest programs within NEARBY_MILES, or how far the nearest is and the state's
    treatment answer (buprenorphine by video or phone)."""
    what = service_names(services, language)
    sites = nearest_sites(session, origin.latitude, origin.longitude, services, limit=3)
    options = [Option(texts.text("option.treatment", language), payload(ASK_TREATMENT))]
    about = About(ANSWERED, "treatment", state=origin.state)
    if not sites:
        text = texts.text("locator.none", language, services=what, place=origin.label, helpline=FIND_TREATMENT)
        return Answer(paragraphs=[text], options=options, language=language, about=about)
    close = [site for site in sites if site.miles <= NEARBY_MILES]
    directory = sites[0]
    year, month = (int(part) for part in directory.as_of.split("-"))
    as_of = dt.date(year, month, 1)
    footer = texts.text("locator.footer", language, date=checked(as_of, language), helpline=FIND_TREATMENT)
    source = Source(directory.directory_url, directory.directory_title, "SAMHSA", as_of, "agency", ("address", "phone"))
    if not close:
        far = sites[0]
        text = texts.text("locator.far", language, services=what, place=origin.label, miles=f"{far.miles:g}")
        remote = _state_treatment(session, origin.state, language)
        return Answer(
            paragraphs=[text, "1. " + _site_line(far, language, web=True), *remote, footer],
            sms_paragraphs=[text, "1. " + _site_line(far, language, web=False), *remote, footer],
            sources=[source],
            options=options,
            language=language,
            about=about,
        )
    heading = texts.text("locator.nearest", language, services=what, place=origin.label)
    heading = heading[:1].upper() + heading[1:]
    web = "\n".join(f"{n}. {_site_line(site, language, web=True)}" for n, site in enumerate(close, start=1))
    sms = [f"{n}. {_site_line(site, language, web=False)}" for n, site in enumerate(close, start=1)]
    return Answer(
        paragraphs=[heading, web, footer],
        sms_paragraphs=[heading] + sms + [footer],
        sources=[source],
        options=options,
        language=language,
        about=about,
    )


# Topics whose supplies a person can pick up nearby -> the guide that says where anyone can get them.
SUPPLY_TOPICS = {"naloxone": "naloxone-otc-2023", "test_strips": None, "syringe_services": None}
LOCAL_MILES = 25.0


def supplies_answer(session: Session, origin: Origin, topic: str, language: str = texts.DEFAULT_LANGUAGE) -> Answer:
    """Naloxone, test strips or syringes near a place: local sites staff have added with an address,
    else plainly none, then the state's programs, mail programs and (naloxone) any pharmacy."""
    kinds = TOPIC_RESOURCE_KINDS[topic]
    what = texts.text(f"topic.{topic}", language)
    local = nearest_resources(session, origin.zip, kinds, limit=3, max_miles=LOCAL_MILES)
    paragraphs, sms = [], []
    if local:
        heading = texts.text("locator.local_sites", language, supplies=what, place=origin.label)
        lines = [f"{n}. {_resource_line(r, language)}" for n, r in enumerate(local, start=1)]
        paragraphs += [heading, "\n".join(lines)]
        sms += [heading, *lines]
    else:
        paragraphs.append(texts.text("locator.no_local_site", language, supplies=what, place=origin.label))
        sms.append(paragraphs[-1])
    sources = [source for r in local for source in r.sources[:1]]
    profile = get_profile(session, origin.state, topic)
    if profile is not None:  # the state's own answer: its programs and where to find them
        paragraphs.append(about_state(origin.state, profile.localized(language).sms_summary))
        sms.append(paragraphs[-1])
        sources += list(profile.sources[:1])
    guide_key = SUPPLY_TOPICS.get(topic)
    guide = get_guide(session, guide_key) if guide_key else None
    if guide is not None:
        paragraphs.append(guide.localized(language).summary)
        sms.append(paragraphs[-1])
        sources += list(guide.sources[:1])
    programs = state_resources(session, origin.state, kinds) + national_resources(session, kinds)
    listed = {resource.key for resource in local}
    links = links_to([resource for resource in programs if resource.key not in listed], 3)
    return Answer(
        paragraphs=paragraphs,
        sms_paragraphs=sms,
        links=links,
        sources=sources[:3],
        options=[Option(texts.text(f"option.{topic}", language), payload(FOR_TOPIC[topic]))],
        language=language,
        about=About(ANSWERED, topic, state=origin.state, record=f"profiles/{origin.state}/{topic}" if profile else ""),
    )


def _resource_line(resource: ResourceInfo, language: str) -> str:
    miles = texts.text("locator.miles", language, miles=f"{resource.miles:g}")
    where = ", ".join(part for part in (resource.address, resource.city) if part)
    line = f"{resource.name} ({miles})" + (f": {where}" if where else "")
    return line + (f", {_phone(resource.phone)}" if resource.phone else "")

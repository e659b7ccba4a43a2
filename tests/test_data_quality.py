"""Quality gates on the curated data in data/resources (what the bot actually says)."""

from __future__ import annotations

import re
from urllib.parse import urlparse

import pytest
import yaml

from bot import texts
from bot.dataset.readability import too_hard
from bot.dataset.reports import legal_facts, translations_behind
from bot.dataset.schema import BACKING_SOURCE_KINDS, TOPICS
from bot.dataset.validate import load_dataset
from bot.jurisdictions import JURISDICTIONS
from bot.language import sentences_not_in
from tests.conftest import DATA_DIR, PROJECT_ROOT

DATASET = load_dataset(DATA_DIR)
REQUIRED_NATIONAL = (
    "national-samhsa-helpline",
    "national-988-lifeline",
    "national-never-use-alone",
    "national-poison-control",
    "national-findtreatment",
    "national-next-distro",
)
REQUIRED_GUIDES = (
    "recognize-overdose",
    "give-nasal-naloxone",
    "rescue-breathing-recovery-position",
    "use-fentanyl-test-strip",
    "dont-use-alone",
    "overdose-emergency-steps",
    "naloxone-otc-2023",
    "x-waiver-removed-2023",
)
# Stigmatizing words the bot must not use (person-first language). Agency names are proper nouns.
AGENCY_NAMES = (
    "Substance Abuse and Mental Health",
    "Alcohol and Other Drug Abuse Services",
    "Mental Health and Substance Abuse Services",
)
STIGMA = re.compile(r"\b(addicts?|abusers?|junkies?|junkie|drug abuse|substance abuse|dirty urine|clean urine)\b", re.I)


def test_data_validates():
    assert DATASET.errors == [], "\n".join(str(error) for error in DATASET.errors)


@pytest.mark.parametrize("topic", TOPICS)
def test_every_jurisdiction_has_a_profile_for_every_topic(topic):
    missing = [state for state in JURISDICTIONS if f"{state}/{topic}" not in DATASET.profiles]
    assert missing == []


def test_every_profile_is_cited():
    for key, profile in DATASET.profiles.items():
        assert profile["citations"], key
        for citation in profile["citations"]:
            assert re.match(r"^https?://[^\s/]+\.[^\s/]+", citation["url"]), (key, citation["url"])
            assert citation["accessed"], key


@pytest.mark.parametrize("language", texts.languages())
def test_summaries_read_at_about_eighth_grade_in_every_language(language):
    hard = []
    for key, profile in DATASET.profiles.items():
        text = profile if language == texts.DEFAULT_LANGUAGE else profile["translations"].get(language) or {}
        for name in ("summary", "sms_summary"):
            problem = too_hard(text.get(name) or "", language)
            if problem:
                hard.append((key, name, problem))
    assert hard == []


def test_national_resources_and_guides_are_present():
    assert set(REQUIRED_NATIONAL) <= set(DATASET.resources)
    assert all(DATASET.resources[key]["national"] for key in REQUIRED_NATIONAL)
    assert set(REQUIRED_GUIDES) <= set(DATASET.guides)


def test_hotlines_have_a_phone_number():
    hotlines = [r for r in DATASET.resources.values() if r["kind"] == "hotline"]
    assert hotlines and all(r["phone"] or r["url"] for r in hotlines)


def test_person_first_language_everywhere():
    texts = []
    for profile in DATASET.profiles.values():
        texts += [profile["summary"], profile["sms_summary"]]
    for resource in DATASET.resources.values():
        texts.append(resource["description"])
    for guide in DATASET.guides.values():
        texts += [guide["summary"], *guide["steps"]]

    def without_agency_names(text):
        for name in AGENCY_NAMES:
            text = text.replace(name, "")
        return text

    offending = [text for text in texts if STIGMA.search(without_agency_names(text))]
    assert offending == []


def test_data_files_are_in_the_export_layout(real_db_url, tmp_path):
    """Exporting the published data reproduces data/resources byte for byte, so an admin export
    shows in git only what staff changed."""
    from bot.dataset.exporter import export_to_directory
    from bot.db.engine import new_session

    with new_session(real_db_url) as session:
        result = export_to_directory(session, tmp_path)
    exported = {path.relative_to(tmp_path): path.read_text() for path in result.written}
    committed = {path.relative_to(DATA_DIR): path.read_text() for path in DATA_DIR.rglob("*.yaml")}
    assert exported == committed


# --- Citation quality (issue: legal facts on primary sources) ---------------------------------

SOURCE_RULES = yaml.safe_load((PROJECT_ROOT / "data" / "source_rules.yaml").read_text())
# Topics whose true/false and choice fields are legal facts (the treatment topic's are coverage facts).
LEGAL_TOPICS = (
    "good_samaritan",
    "naloxone",
    "test_strips",
    "syringe_services",
    "overdose_prevention_centers",
    "drug_checking",
)


def _host_in(url: str, hosts) -> bool:
    host = urlparse(url).hostname or ""
    return any(host == item or host.endswith("." + item) for item in hosts)


def test_no_record_cites_a_blocked_source():
    cited = [
        (key, c["url"])
        for section in ("profiles", "resources", "guides")
        for key, record in DATASET.section(section).items()
        for c in record["citations"]
    ]
    assert [(key, url) for key, url in cited if _host_in(url, SOURCE_RULES["blocked_hosts"])] == []


def test_every_profile_citation_says_what_kind_of_source_it_is():
    unclassified = [(key, c["url"]) for key, p in DATASET.profiles.items() for c in p["citations"] if not c["kind"]]
    assert unclassified == []


def test_every_known_legal_field_rests_on_the_statute_or_an_official_page():
    weak = []
    for key, profile in DATASET.profiles.items():
        allowed = BACKING_SOURCE_KINDS if profile["topic"] in LEGAL_TOPICS else BACKING_SOURCE_KINDS + ("survey",)
        for name in legal_facts(profile):
            backing = [c for c in profile["citations"] if name in c["supports"] and c["kind"] in allowed]
            if not backing:
                weak.append((key, name))
    assert weak == []


def test_no_next_step_link_is_a_news_story():
    links = [(key, r["url"]) for key, r in DATASET.resources.items() if r["url"]]
    assert [(key, url) for key, url in links if _host_in(url, SOURCE_RULES["news_hosts"])] == []


# What each protection stage lets a summary promise. An arrest-stage law also bars the later
# stages; a law that is only a defense in court does not stop an arrest or a charge.
STAGE_WORDS = {
    "arrest": re.compile(
        r"(should not|shouldn'?t|can'?t|cannot|won'?t) be arrested|protects you from arrest|from arrest", re.I
    ),
    "charge": re.compile(r"(should not|shouldn'?t|can'?t|cannot|won'?t) be charged", re.I),
    "prosecution": re.compile(r"(should not|shouldn'?t|can'?t|cannot|won'?t) be prosecuted", re.I),
    "affirmative_defense": re.compile(r"defense in court", re.I),
}
STAGES_ALLOWING = {
    "arrest": {"arrest"},
    "charge": {"arrest", "charge"},
    "prosecution": {"arrest", "charge", "prosecution"},
    "affirmative_defense": {"affirmative_defense"},
}


@pytest.mark.parametrize("key", sorted(k for k in DATASET.profiles if k.endswith("/good_samaritan")))
def test_summaries_promise_no_more_than_the_protection_stage(key):
    profile = DATASET.profiles[key]
    level = profile["fields"]["protection_level"]
    for text in (profile["summary"], profile["sms_summary"]):
        for stage, words in STAGE_WORDS.items():
            if words.search(text.replace("could still be arrested", "")):
                assert level in STAGES_ALLOWING[stage], (stage, level, text)


# --- Every language (issue: Spanish end to end) -----------------------------------------------

OTHER_LANGUAGES = [code for code in texts.languages() if code != texts.DEFAULT_LANGUAGE]


def _translated_texts(language: str):
    """(record key, text) for every translated title, summary, SMS summary and step."""
    for section in ("profiles", "guides"):
        for key, record in DATASET.section(section).items():
            translated = record["translations"].get(language) or {}
            for name in ("title", "summary", "sms_summary"):
                if translated.get(name):
                    yield key, translated[name]
            for step in translated.get("steps") or []:
                yield key, step


def test_every_profile_and_guide_has_a_translation_not_older_than_its_english():
    """The freshness dashboard's check, on the committed data: none missing, none behind."""
    exported = {section: list(DATASET.section(section).values()) for section in ("profiles", "guides")}
    assert translations_behind(exported, tuple(OTHER_LANGUAGES)) == []


# Names, numbers and addresses are the same in every language ("ReachNJ 1-844-732-2465, 24/7").
@pytest.mark.parametrize("language", OTHER_LANGUAGES)
def test_no_english_sentence_is_left_in_a_translation(language):
    english = [
        (key, sentence) for key, text in _translated_texts(language) for sentence in sentences_not_in(text, language)
    ]
    assert english == []

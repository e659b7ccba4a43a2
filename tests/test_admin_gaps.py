"""Content gaps (issue #16): the state map's counts and ages, the weak-citation table, the page and
its links, and the page in Chromium. On the real data of data/resources, in SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt
import functools
import uuid
from contextlib import contextmanager

import pytest
import yaml

from bot.admin.accounts import create_user
from bot.admin.app import create_app
from bot.admin.drafts import apply_change
from bot.admin.gaps import (
    FLAGGED_BY_DEFAULT,
    NO_PROFILE,
    TILE_GRID,
    UNKNOWN_SCALE,
    age_scale,
    gaps,
    read_choices,
)
from bot.admin.published import published_record
from bot.dataset.importer import import_dataset
from bot.dataset.schema import TOPICS
from bot.dataset.validate import load_dataset
from bot.db.engine import get_engine, new_session
from bot.db.migrate import upgrade
from bot.db.models import User
from bot.jurisdictions import JURISDICTIONS
from tests.conftest import ARTIFACTS, DATA_DIR, new_postgres_database, serving, sign_in_page
from tests.test_admin import PASSWORD, QUICK_HASH, make_app, sign_in

STALE_DAYS = 180
CHECKED_STATES = ("AK", "DC", "OH", "TX")


@pytest.fixture(scope="module")
def dataset():
    """data/resources, read and checked once for the module (it takes seconds)."""
    loaded = load_dataset(DATA_DIR)
    assert loaded.errors == [], [str(error) for error in loaded.errors[:5]]
    return loaded


def import_real_data(url: str, dataset) -> None:
    with new_session(url) as session, session.begin():
        import_dataset(session, dataset, actor="test")
        session.add(User(username="erin", role="editor", password_hash=QUICK_HASH, active=True, session_version=0))


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def real_db(request, tmp_path_factory, dataset):
    """data/resources and editor erin in SQLite and in PostgreSQL (when reachable), made once for the
    module (importing takes seconds): a test that changes a record puts it back."""
    with _empty_database(request.param, tmp_path_factory) as url:
        upgrade(url)
        import_real_data(url, dataset)
        yield url
        get_engine(url).dispose()


@contextmanager
def _empty_database(kind: str, tmp_path_factory):
    if kind == "sqlite":
        yield f"sqlite:///{tmp_path_factory.mktemp('gaps') / 'gaps.db'}"
    else:
        with new_postgres_database() as url:
            yield url


@pytest.fixture
def without_ohio_naloxone(real_db):
    """Ohio's naloxone profile removed for one test, then put back."""
    with new_session(real_db) as session:
        original = published_record(session, "profiles", "OH/naloxone")
    with new_session(real_db) as session, session.begin():
        apply_change(session, "profiles", "OH/naloxone", None, actor="test")
    yield real_db
    with new_session(real_db) as session, session.begin():
        apply_change(session, "profiles", "OH/naloxone", original, actor="test (put back)")


def report(url: str, args: dict | None = None, today: dt.date | None = None):
    with new_session(url) as session:
        return gaps(session, read_choices(args or {}, STALE_DAYS), STALE_DAYS, today)


def by_state(result) -> dict:
    return {gap.state: gap for gap in result.states}


def yaml_records(section: str) -> list[dict]:
    """The committed files read as plain YAML, apart from the importer: what the data says."""
    return [record for document in _yaml_documents() for record in document.get(section, [])]


@functools.cache
def _yaml_documents() -> tuple[dict, ...]:
    return tuple(yaml.safe_load(path.read_text(encoding="utf-8")) or {} for path in sorted(DATA_DIR.rglob("*.yaml")))


# --- The map ----------------------------------------------------------------------------------


def test_the_tile_grid_places_each_state_and_dc_once():
    assert set(TILE_GRID) == set(JURISDICTIONS)
    assert len(set(TILE_GRID.values())) == len(JURISDICTIONS) == 51


def test_unknown_counts_are_the_null_fields_of_the_data(real_db):
    profiles = yaml_records("profiles")
    nulls = {(p["state"], p["topic"]): sum(value is None for value in p["fields"].values()) for p in profiles}
    sizes = {p["topic"]: len(p["fields"]) for p in profiles}
    everything = by_state(report(real_db))
    for topic in ("good_samaritan", "naloxone"):
        one_topic = by_state(report(real_db, {"topic": [topic]}))
        for state in CHECKED_STATES:
            assert one_topic[state].figure == f"{nulls[state, topic]}/{sizes[topic]}", (state, topic)
    for state in CHECKED_STATES:
        unknown = sum(nulls[state, topic] for topic in TOPICS)
        assert everything[state].figure == f"{unknown}/{sum(sizes.values())}", state
        assert everything[state].said == f"{unknown} of {sum(sizes.values())} facts unknown"
    assert by_state(report(real_db, {"topic": ["good_samaritan"]}))["AK"].description.startswith("Alaska: ")


def test_a_missing_profile_counts_as_all_unknown_and_as_missing_for_age(without_ohio_naloxone):
    real_db = without_ohio_naloxone
    unknown = by_state(report(real_db, {"topic": ["naloxone"]}))["OH"]
    assert (unknown.figure, unknown.missing, unknown.bucket) == ("5/5", ("naloxone",), UNKNOWN_SCALE[-1][1])
    assert unknown.said == "no naloxone profile; 5 of 5 naloxone facts unknown"
    age = by_state(report(real_db, {"topic": ["naloxone"], "measure": ["age"]}))["OH"]
    assert (age.bucket, age.figure, age.said) == (NO_PROFILE, "none", "no naloxone profile")
    every_topic = by_state(report(real_db, {"measure": ["age"]}))["OH"]
    assert every_topic.bucket == NO_PROFILE and every_topic.said.startswith("no profile for naloxone; oldest profile")


def test_age_buckets_follow_stale_days(real_db):
    verified = dt.date.fromisoformat(published_record_of(real_db, "OH/naloxone")["last_verified"])
    labels = [bucket.label for _, bucket in age_scale(STALE_DAYS)]
    assert labels == ["Up to 90 days", "91 to 180 days", "181 to 360 days", "More than 360 days"]
    for days, label in ((90, labels[0]), (91, labels[1]), (180, labels[1]), (181, labels[2]), (361, labels[3])):
        result = report(real_db, {"topic": ["naloxone"], "measure": ["age"]}, today=verified + dt.timedelta(days))
        ohio = by_state(result)["OH"]
        assert (ohio.bucket.label, ohio.figure) == (label, str(days)), days
        assert dict((bucket.label, count) for bucket, count in result.legend)[label] >= 1
    oldest = min(dt.date.fromisoformat(p["last_verified"]) for p in yaml_records("profiles") if p["state"] == "OH")
    ohio = by_state(report(real_db, {"measure": ["age"]}, today=oldest + dt.timedelta(400)))["OH"]
    assert (ohio.figure, ohio.bucket.label) == ("400", labels[3])


def published_record_of(url: str, key: str) -> dict:
    with new_session(url) as session:
        record = published_record(session, "profiles", key)
    assert record is not None
    return record


# --- Weak citations ---------------------------------------------------------------------------


def test_weak_citations_are_those_of_the_flagged_kinds(real_db):
    cited = [
        (record, citation)
        for section in ("profiles", "resources", "guides")
        for record in yaml_records(section)
        for citation in record["citations"]
    ]
    flagged = [c for _, c in cited if (c.get("kind") or "none") in FLAGGED_BY_DEFAULT]
    weak = report(real_db).weak
    listed = [citation for item in weak for citation in item.citations]
    assert len(listed) == len(flagged) > 0
    assert {citation.kind or "none" for citation in listed} <= FLAGGED_BY_DEFAULT
    news_only = report(real_db, {"days": [""], "kind": ["news"]}).weak
    assert {citation.kind for item in news_only for citation in item.citations} == {"news"}
    assert report(real_db, {"days": [""]}).weak == []  # the form sent with no box ticked


def test_legal_facts_resting_only_on_weak_pages_come_first(real_db):
    # Ticking every official kind too: every known legal fact with a source now rests on flagged pages.
    everything = report(
        real_db, {"topic": ["good_samaritan"], "days": [""], "kind": ["statute", "statute_mirror", "agency", "court"]}
    )
    resting = [item for item in everything.weak if item.only_weak]
    assert resting and everything.weak[: len(resting)] == resting
    alaska = next(item for item in everything.weak if item.key == "AK/good_samaritan")
    assert "Has a 911 Good Samaritan overdose law" in alaska.only_weak
    # With the usual choice no legal fact rests on leads alone (tests/test_data_quality.py keeps it so).
    assert [item.key for item in report(real_db).weak if item.only_weak] == []


def test_pages_read_long_ago_are_flagged_with_their_age(real_db):
    accessed = dt.date.fromisoformat(published_record_of(real_db, "OH/naloxone")["citations"][0]["accessed"])
    later = accessed + dt.timedelta(400)
    result = report(real_db, {"topic": ["naloxone"], "days": ["365"]}, today=later)
    ohio = next(item for item in result.weak if item.key == "OH/naloxone")
    assert "read 400 days ago" in ohio.citations[0].reasons
    assert not any(
        "days ago" in reason for item in report(real_db).weak for c in item.citations for reason in c.reasons
    )


@pytest.mark.parametrize(
    "args, field",
    [
        ({"days": ["soon"]}, "days"),
        ({"days": ["0"]}, "days"),
        ({"days": ["3651"]}, "days"),
        ({"days": ["²"]}, "days"),
        ({"days": ["-5"]}, "days"),
        ({"topic": ["parking"]}, "topic"),
        ({"measure": ["vibes"]}, "measure"),
        ({"days": ["30"], "kind": ["news", "gossip"]}, "kind"),
    ],
)
def test_bad_input_falls_back_to_the_usual_choice_with_a_message(args, field):
    choices = read_choices(args, STALE_DAYS)
    assert list(choices.errors) == [field]
    assert (choices.topic, choices.measure) == (None, "unknown")
    assert choices.days == (30 if args.get("days") == ["30"] else STALE_DAYS)
    assert choices.kinds <= FLAGGED_BY_DEFAULT


def test_no_form_means_the_usual_choice():
    choices = read_choices({}, STALE_DAYS)
    assert (choices.kinds, choices.days, choices.days_text, choices.errors) == (FLAGGED_BY_DEFAULT, 180, "180", {})
    assert read_choices({"days": [" 30 "], "topic": ["naloxone"]}, STALE_DAYS).days == 30


# --- The page ---------------------------------------------------------------------------------


@pytest.fixture
def editor(real_db, tmp_path):
    return sign_in(make_app(real_db, tmp_path), "erin")


def test_the_page_draws_51_states_each_linking_to_its_profile(editor):
    page = editor.get("/admin/gaps/?topic=naloxone")
    assert page.status_code == 200
    assert page.text.count("data-state=") == 51
    for state in JURISDICTIONS:
        assert f'<a href="/admin/profiles/edit/{state}/naloxone" data-state="{state}">' in page.text
    assert editor.get("/admin/profiles/edit/OH/naloxone").status_code == 200
    assert "<title>Ohio: " in page.text and "The map as a list" in page.text
    assert "style=" not in page.text and "<style" not in page.text  # the policy would block them
    every_topic = editor.get("/admin/gaps/").text
    assert '<a href="/admin/profiles/?state=OH" data-state="OH">' in every_topic


def test_a_state_without_the_profile_links_to_adding_it(without_ohio_naloxone, editor):
    missing = editor.get("/admin/gaps/?topic=naloxone").text
    assert '<a href="/admin/profiles/new?state=OH&amp;topic=naloxone" data-state="OH">' in missing
    assert editor.get("/admin/profiles/new?state=OH&topic=naloxone").status_code == 200


def test_weak_citations_link_to_the_record_that_cites_them(editor):
    page = editor.get("/admin/gaps/?topic=good_samaritan&days=&kind=statute_mirror").text
    assert 'href="/admin/profiles/edit/AK/good_samaritan"' in page
    assert "Has a 911 Good Samaritan overdose law" in page
    assert 'id="kind-statute_mirror" name="kind" value="statute_mirror" checked' in page
    assert 'id="kind-news" name="kind" value="news">' in page  # not ticked


def test_bad_days_get_a_clear_message_not_an_error_page(editor):
    for text in ("soon", "²", "99999", "1.5"):
        page = editor.get(f"/admin/gaps/?days={text}")
        assert page.status_code == 200, text
        assert "Enter a whole number of days from 1 to 3650." in page.text
        assert 'aria-invalid="true" aria-describedby="days-error"' in page.text
    page = editor.get("/admin/gaps/?topic=parking&measure=vibes")
    assert page.status_code == 200 and "Choose a topic from the list." in page.text
    assert page.text.count("data-state=") == 51


# --- In Chromium ------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def gaps_admin(tmp_path_factory, dataset):
    """The admin on the real data, served for the browser, with a reviewer to sign in as."""
    workdir = tmp_path_factory.mktemp("gaps")
    url = f"sqlite:///{workdir / 'gaps.db'}"
    upgrade(url)
    import_real_data(url, dataset)
    username = f"e2e-{uuid.uuid4().hex[:8]}"
    with new_session(url) as session, session.begin():
        create_user(session, username, "reviewer", PASSWORD)
    app = create_app(url, {"SECRET_KEY": uuid.uuid4().hex, "EXPORT_DIR": str(workdir)})
    with serving(app) as address:
        yield address, username


def test_the_map_in_a_browser(browser, gaps_admin):
    address, username = gaps_admin
    page = browser.new_page(viewport={"width": 1000, "height": 1100})
    problems: list[str] = []
    page.on("console", lambda message: message.type in ("error", "warning") and problems.append(message.text))
    page.on("pageerror", lambda error: problems.append(str(error)))
    tiles = page.locator("svg.gap-map a[data-state]")

    def fills() -> list[str | None]:
        return [tile.get_attribute("fill") for tile in page.locator("svg.gap-map a[data-state] rect").all()]

    try:
        sign_in_page(page, f"{address}/admin/gaps/", username, PASSWORD)
        page.get_by_role("heading", name="Content gaps").wait_for()
        assert tiles.count() == 51
        every_topic = fills()

        page.get_by_label("Topic", exact=True).select_option("naloxone")
        page.locator("form", has=page.get_by_label("Topic", exact=True)).get_by_role("button", name="Show").click()
        page.get_by_role("heading", name="Facts we don't know: naloxone").wait_for()
        naloxone = fills()
        assert naloxone != every_topic
        page.screenshot(path=str(ARTIFACTS / "admin-gaps-map.png"))

        page.get_by_label("Colour by", exact=True).select_option("age")
        page.locator("form", has=page.get_by_label("Colour by", exact=True)).get_by_role("button", name="Show").click()
        page.get_by_role("heading", name="Days since last verified: naloxone").wait_for()
        assert fills() != naloxone

        page.locator('svg.gap-map a[data-state="OH"]').click()
        page.wait_for_url(f"{address}/admin/profiles/edit/OH/naloxone")
        assert page.locator("#f-sms_summary").input_value().startswith("Ohio")
    finally:
        page.close()
    assert problems == []  # a blocked inline style or script shows here as a console error

"""The treatment locator on the real SAMHSA directories: import, nearest sites, places, answers."""

from __future__ import annotations

import csv
import shutil

import pytest
from sqlalchemy import func, select

from bot.db.engine import new_session
from bot.db.migrate import upgrade
from bot.db.models import DirectorySite
from bot.directory import apply_import, nearest_sites, plan_import
from bot.formatting import render_sms, render_web, segments
from bot.geo import lookup_zip, miles_between
from bot.locator import asks_nearby, nearest_answer, origin_of, services_asked
from tests.conftest import SITES_DIR, import_directories


@pytest.fixture
def sites_db(db_url):
    with new_session(db_url) as session, session.begin():
        import_directories(session)
    return db_url


@pytest.mark.parametrize("zip_code", ["77002", "44102", "19104", "59001", "96813", "99501"])
@pytest.mark.parametrize("services", [("methadone",), ("buprenorphine",), ("methadone", "buprenorphine")])
def test_nearest_matches_a_brute_force_search(real_db_url, zip_code, services):
    origin = lookup_zip(zip_code)
    with new_session(real_db_url) as session:
        every = session.execute(select(DirectorySite).where(DirectorySite.service.in_(services))).scalars().all()
        expected = sorted(
            round(miles_between(origin.latitude, origin.longitude, site.latitude, site.longitude), 1) for site in every
        )[:3]
        found = nearest_sites(session, origin.latitude, origin.longitude, services)
    assert [site.miles for site in found] == expected
    assert all(site.service in services for site in found)


@pytest.mark.parametrize(
    "message, label, services",
    [
        ("methadone clinic near 77002", "77002", ("methadone",)),
        ("is there a methadone clinic in cleveland", "Cleveland, OH", ("methadone",)),
        ("bupe doctor in 19104", "19104", ("buprenorphine",)),
        ("any suboxone clinics near akron ohio", "Akron, OH", ("buprenorphine",)),
        ("metadona cerca de houston", "Houston, TX", ("methadone",)),
        ("vivitrol in portland oregon", "Portland, OR", ("naltrexone",)),
        ("treatment near springfield illinois", "Springfield, IL", ("methadone", "buprenorphine")),
    ],
)
def test_where_the_person_is_and_what_they_ask_for(message, label, services):
    assert origin_of(message).label == label
    assert services_asked(message) == services


@pytest.mark.parametrize(
    "message, nearby",
    [
        ("subs near me", True),
        ("closest methadone clinic", True),
        ("metadona cerca", True),
        ("methadone in ohio", False),
    ],
)
def test_asking_for_a_place_nearby(message, nearby):
    assert asks_nearby(message) is nearby


@pytest.mark.parametrize("message", ["methadone in ohio", "is methadone legal in new york", "subs near me", "help"])
def test_a_state_alone_is_not_a_place_to_measure_from(message):
    assert origin_of(message) is None


def test_the_answer_lists_three_near_programs_with_directions_and_the_directory_date(real_db_url):
    with new_session(real_db_url) as session:
        answer = nearest_answer(session, origin_of("methadone near 44102"), ("methadone",))
    web = render_web(answer)[0]["text"]
    assert web.startswith("Nearest methadone programs to 44102:")
    lines = [line for line in web.splitlines() if line[:2] in ("1.", "2.", "3.")]
    assert len(lines) == 3 and all("miles)" in line and "openstreetmap.org/search?query=" in line for line in lines)
    assert "SAMHSA's directory of Jul 2021" in web and "Call first" in web and "1-800-662-4357" in web
    sms = render_sms(answer)
    assert segments(sms.text) <= 2 and "openstreetmap" not in sms.text
    assert sms.text.count("\n1. ") + sms.text.count("\n2. ") == 2 and sms.more  # the third behind MORE


def test_far_from_any_program_says_how_far_and_gives_the_state_telehealth_rule(real_db_url):
    # Utqiagvik (Barrow), Alaska: no methadone program within 50 miles.
    with new_session(real_db_url) as session:
        answer = nearest_answer(session, origin_of("methadone near 99723"), ("methadone",))
    web = render_web(answer)[0]["text"]
    assert "within 50 miles of 99723" in web and "miles away" in web
    assert "Alaska:" in web and any(word in web for word in ("telehealth", "video", "phone"))


def test_spanish_answer(real_db_url):
    with new_session(real_db_url) as session:
        answer = nearest_answer(session, origin_of("metadona cerca de houston"), ("methadone",), "es")
    web = render_web(answer)[0]["text"]
    assert web.startswith("Programas de metadona más cercanos a Houston, TX:")
    assert "millas" in web and "Cómo llegar" in web and "directorio de SAMHSA de jul 2021" in web


def _copy_sites(tmp_path):
    folder = tmp_path / "sites"
    shutil.copytree(SITES_DIR, folder)
    return folder


def _edit_otp(folder, change):
    path = folder / "otp_programs.csv"
    with path.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    fields = list(rows[0])
    rows = change(rows)
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fields)
        writer.writeheader()
        writer.writerows(rows)


def test_a_new_directory_file_shows_what_was_added_closed_and_changed(sites_db, tmp_path):
    folder = _copy_sites(tmp_path)

    def change(rows):
        rows[0]["phone"] = "(555) 010-0199"  # changed
        closed = rows.pop(1)  # closed
        rows.append({**closed, "name": "New Test Program", "address": "1 Test Street"})  # new
        return rows

    _edit_otp(folder, change)
    with new_session(sites_db) as session, session.begin():
        plan = plan_import(session, folder)
        assert plan.errors == []
        assert (plan.added["samhsa-otp"], plan.removed["samhsa-otp"], plan.changed["samhsa-otp"]) == (1, 1, 1)
        assert (plan.added["samhsa-locator-moud"], plan.changed["samhsa-locator-moud"]) == (0, 0)
        apply_import(session, plan)
    with new_session(sites_db) as session:
        names = set(session.execute(select(DirectorySite.name)).scalars())
    assert "New Test Program" in names


def test_a_bad_file_imports_nothing(sites_db, tmp_path):
    folder = _copy_sites(tmp_path)

    def break_row(rows):
        rows[5]["zip"] = "12"
        rows[9]["latitude"] = "north"
        return rows

    _edit_otp(folder, break_row)
    with new_session(sites_db) as session:
        before = session.execute(select(func.count()).select_from(DirectorySite)).scalar_one()
        plan = plan_import(session, folder)
    assert len(plan.errors) == 2
    assert "otp_programs.csv:7: ZIP code '12' is not five digits" in plan.errors[0]
    assert "otp_programs.csv:11: coordinates" in plan.errors[1]
    with new_session(sites_db) as session:
        assert session.execute(select(func.count()).select_from(DirectorySite)).scalar_one() == before


def test_on_the_running_bot_a_zip_after_near_me_gets_the_nearest(bot_server):
    from tests.test_emergency_states import rest

    sender = "locator-" + str(id(bot_server))
    asked = rest(bot_server, "subs near me", sender)
    assert "ZIP code" in asked[0]["text"]
    reply = rest(bot_server, "44102", sender)[0]["text"]
    assert reply.startswith("Nearest places that offer buprenorphine to 44102:"), reply
    spanish = rest(bot_server, "hay clinica de metadona cerca de houston?", sender + "-es")[0]["text"]
    assert spanish.startswith("Programas de metadona más cercanos a Houston, TX:"), spanish


def test_naloxone_near_a_place_says_plainly_when_no_local_site_is_known(real_db_url):
    from bot.locator import supplies_answer

    with new_session(real_db_url) as session:
        answer = supplies_answer(session, origin_of("narcan near 19104"), "naloxone")
    web = render_web(answer)[0]["text"]
    assert web.startswith("We have no local site for naloxone (Narcan) near 19104 in our database.")
    assert "Pennsylvania:" in web and "over the counter" in web  # the state's programs, and any pharmacy
    assert "nextdistro.org" in web


def test_a_local_site_staff_added_is_listed_with_its_distance(sites_db):
    import datetime as dt

    from bot.db.models import Resource
    from bot.locator import supplies_answer

    with new_session(sites_db) as session, session.begin():
        session.add(
            Resource(
                key="pa-test-vending-machine",
                kind="naloxone_distribution",
                name="Test naloxone vending machine",
                description="Free naloxone, any time.",
                national=False,
                state="PA",
                address="3601 Market Street",
                city="Philadelphia",
                zip="19104",
                languages=[],
                last_verified=dt.date(2026, 12, 1),
            )
        )
    with new_session(sites_db) as session:
        answer = supplies_answer(session, origin_of("narcan near 19104"), "naloxone")
    web = render_web(answer)[0]["text"]
    assert "1. Test naloxone vending machine (0 miles): 3601 Market Street, Philadelphia" in web


def test_a_directory_export_without_coordinates_is_placed_by_zip_code(tmp_path):
    """SAMHSA's own OTP export has no coordinates: each site goes to its ZIP code's centre, marked so."""
    folder = tmp_path / "raw"
    folder.mkdir()
    (folder / "directories.yaml").write_text(
        "directories:\n  - {key: raw-otp, file: raw.csv, title: SAMHSA OTP Directory export, publisher: SAMHSA,\n"
        "     url: 'https://dpt2.samhsa.gov/treatment/directory.aspx', as_of: 2020-07, services: {otp_methadone: methadone}}\n"
    )
    (folder / "raw.csv").write_text(
        "name,kind,address,city,state,zip,phone,latitude,longitude,source,source_date\n"
        '"Serenity Health, LLC",otp_methadone,780 W. Bel Air Ave Suite B,Aberdeen,MD,21001,(410) 273-1030,,,export,2020-07-04\n'
        "Island Clinic,otp_methadone,1 Main St,San Juan,PR,00901,,,,export,2020-07-04\n"
    )
    url = f"sqlite:///{tmp_path / 'raw.db'}"
    upgrade(url)
    with new_session(url) as session:
        plan = plan_import(session, folder)
    assert plan.errors == [] and plan.territories["raw-otp"] == 1
    [row] = plan.rows["raw-otp"]
    centre = lookup_zip("21001")
    assert row["placed_by_zip"] and (row["latitude"], row["longitude"]) == (centre.latitude, centre.longitude)


def test_near_me_uses_a_zip_code_given_earlier_in_the_conversation(real_db_url):
    from bot.questions import Question, answer

    with new_session(real_db_url) as session:
        later = answer(session, Question("subs near me", "subs near me", "ask_treatment", "OH", None, zip="44102"))
        without = answer(session, Question("subs near me", "subs near me", "ask_treatment", "OH", None))
    assert render_web(later.answer)[0]["text"].startswith("Nearest places that offer buprenorphine to 44102:")
    assert "Send me your ZIP code or city" in render_web(without.answer)[0]["text"]


def test_a_reply_that_is_only_a_city_names_its_state_when_the_bot_asked(bot_server):
    from tests.test_emergency_states import rest

    sender = "locator-city-" + str(id(bot_server))
    asked = rest(bot_server, "methadone clinic near me", sender)[0]["text"]
    assert asked.startswith("Send me your ZIP code or city"), asked
    reply = rest(bot_server, "youngstown", sender)[0]["text"]
    assert reply.startswith("Nearest methadone programs to Youngstown, OH:"), reply

"""SQLAlchemy models for the resource database (1.4 and 2.0 compatible)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Column,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import declarative_base, relationship

from bot.dataset.schema import GUIDE_FIELDS, PROFILE_FIELDS, RESOURCE_FIELDS, field

Base: Any = declarative_base()  # SQLAlchemy 1.4 (rasa 3.6 pins it) has no typed declarative base


def _length(specs, name: str) -> int:
    """A text column's length, from the field's declaration in bot.dataset.schema."""
    length = field(specs, name).max_length
    assert length is not None, name
    return length


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc)


class Jurisdiction(Base):
    __tablename__ = "jurisdictions"

    code = Column(String(2), primary_key=True)
    name = Column(String(64), nullable=False, unique=True)


class Citation(Base):
    """A source that supports a profile, resource or guide (exactly one owner)."""

    __tablename__ = "citations"
    __table_args__ = (
        CheckConstraint(
            "(CASE WHEN profile_id IS NULL THEN 0 ELSE 1 END)"
            " + (CASE WHEN resource_id IS NULL THEN 0 ELSE 1 END)"
            " + (CASE WHEN guide_id IS NULL THEN 0 ELSE 1 END) = 1",
            name="ck_citations_one_owner",
        ),
    )

    id = Column(Integer, primary_key=True)
    url = Column(Text, nullable=False)
    title = Column(Text, nullable=False)
    publisher = Column(Text, nullable=False)
    accessed = Column(Date, nullable=False)
    kind = Column(String(20))  # bot.dataset.schema.SOURCE_KINDS; null for sources not yet classified
    supports = Column(JSON, nullable=False, default=list)  # structured fields the page backs
    position = Column(Integer, nullable=False, default=0)
    profile_id = Column(Integer, ForeignKey("profiles.id", ondelete="CASCADE"), index=True)
    resource_id = Column(Integer, ForeignKey("resources.id", ondelete="CASCADE"), index=True)
    guide_id = Column(Integer, ForeignKey("guides.id", ondelete="CASCADE"), index=True)


class Profile(Base):
    """What the law and programs are for one jurisdiction and one topic."""

    __tablename__ = "profiles"
    __table_args__ = (UniqueConstraint("state", "topic", name="uq_profiles_state_topic"),)

    id = Column(Integer, primary_key=True)
    state = Column(String(2), ForeignKey("jurisdictions.code"), nullable=False)
    topic = Column(String(32), nullable=False)
    fields = Column(JSON, nullable=False)
    summary = Column(Text, nullable=False)
    sms_summary = Column(String(_length(PROFILE_FIELDS, "sms_summary")), nullable=False)
    last_verified = Column(Date, nullable=False)
    notes = Column(Text)
    translations = Column(JSON, nullable=False, default=dict)  # {language: {summary, sms_summary, last_verified}}
    citations = relationship(Citation, order_by=Citation.position, cascade="all, delete-orphan", passive_deletes=True)


class Resource(Base):
    """A place or service people can use."""

    __tablename__ = "resources"
    __table_args__ = (
        Index("ix_resources_state_kind", "state", "kind"),
        Index("ix_resources_national_kind", "national", "kind"),
        Index("ix_resources_zip", "zip"),
        Index("ix_resources_lat_lon", "latitude", "longitude"),
    )

    id = Column(Integer, primary_key=True)
    key = Column(String(_length(RESOURCE_FIELDS, "id")), nullable=False, unique=True)
    kind = Column(String(40), nullable=False)
    name = Column(String(_length(RESOURCE_FIELDS, "name")), nullable=False)
    description = Column(Text, nullable=False)
    national = Column(Boolean, nullable=False, default=False)
    state = Column(String(2), ForeignKey("jurisdictions.code"))
    address = Column(String(_length(RESOURCE_FIELDS, "address")))
    city = Column(String(_length(RESOURCE_FIELDS, "city")))
    zip = Column(String(_length(RESOURCE_FIELDS, "zip")))
    latitude = Column(Float)
    longitude = Column(Float)
    phone = Column(String(_length(RESOURCE_FIELDS, "phone")))
    url = Column(Text)
    hours = Column(String(_length(RESOURCE_FIELDS, "hours")))
    languages = Column(JSON, nullable=False, default=list)
    cost = Column(String(_length(RESOURCE_FIELDS, "cost")))
    last_verified = Column(Date, nullable=False)
    citations = relationship(Citation, order_by=Citation.position, cascade="all, delete-orphan", passive_deletes=True)


class Guide(Base):
    """How-to steps (naloxone, test strips, overdose response) or a national fact."""

    __tablename__ = "guides"

    id = Column(Integer, primary_key=True)
    key = Column(String(_length(GUIDE_FIELDS, "id")), nullable=False, unique=True)
    kind = Column(String(16), nullable=False)
    topic = Column(String(32), nullable=False, index=True)
    title = Column(String(_length(GUIDE_FIELDS, "title")), nullable=False)
    summary = Column(Text, nullable=False)
    steps = Column(JSON, nullable=False, default=list)
    last_verified = Column(Date, nullable=False)
    translations = Column(JSON, nullable=False, default=dict)  # {language: {title, summary, steps, last_verified}}
    citations = relationship(Citation, order_by=Citation.position, cascade="all, delete-orphan", passive_deletes=True)


class ChangeLog(Base):
    """Every create, update and delete of a record: who, when, before and after."""

    __tablename__ = "change_log"
    __table_args__ = (Index("ix_change_log_entity", "entity", "entity_key"),)

    id = Column(Integer, primary_key=True)
    at = Column(DateTime(timezone=True), nullable=False, default=utcnow)
    actor = Column(String(120), nullable=False)
    source = Column(String(32), nullable=False)  # import, import-sites, admin
    action = Column(String(16), nullable=False)  # create, update, delete
    entity = Column(String(32), nullable=False)  # profile, resource, guide
    entity_key = Column(String(160), nullable=False)
    before = Column(JSON)
    after = Column(JSON)


class User(Base):
    """A staff account for the admin: editors propose changes, reviewers publish them."""

    __tablename__ = "users"
    __table_args__ = (CheckConstraint("role IN ('editor', 'reviewer')", name="ck_users_role"),)

    id = Column(Integer, primary_key=True)
    username = Column(String(40), nullable=False, unique=True)
    password_hash = Column(String(255), nullable=False)
    role = Column(String(16), nullable=False)
    active = Column(Boolean, nullable=False, default=True)
    # Bumped when the password changes or the account is disabled, which ends every open session.
    session_version = Column(Integer, nullable=False, default=0)
    created_at = Column(DateTime(timezone=True), nullable=False, default=utcnow)


class Draft(Base):
    """A proposed create, update or delete of a published record, waiting for a reviewer."""

    __tablename__ = "drafts"
    __table_args__ = (
        CheckConstraint("section IN ('profiles', 'resources', 'guides')", name="ck_drafts_section"),
        CheckConstraint("action IN ('create', 'update', 'delete')", name="ck_drafts_action"),
        CheckConstraint("status IN ('pending', 'published', 'rejected')", name="ck_drafts_status"),
        Index("ix_drafts_status", "status"),
        Index("ix_drafts_entity", "section", "entity_key"),
    )

    id = Column(Integer, primary_key=True)
    section = Column(String(16), nullable=False)
    entity_key = Column(String(160), nullable=False)
    action = Column(String(16), nullable=False)
    record = Column(JSON)  # the proposed canonical record; null for a delete
    base = Column(JSON)  # the published record the author started from; null for a create
    author_id = Column(Integer, ForeignKey("users.id"), nullable=False)
    created_at = Column(DateTime(timezone=True), nullable=False, default=utcnow)
    status = Column(String(16), nullable=False, default="pending")
    reviewer_id = Column(Integer, ForeignKey("users.id"))
    reviewed_at = Column(DateTime(timezone=True))
    note = Column(Text)
    author = relationship(User, foreign_keys=[author_id])
    reviewer = relationship(User, foreign_keys=[reviewer_id])


class LoginAttempt(Base):
    """One sign-in attempt; recent failures for a username lock it for a while, across processes."""

    __tablename__ = "login_attempts"
    __table_args__ = (
        Index("ix_login_attempts_username_at", "username", "at"),
        Index("ix_login_attempts_client_at", "client", "at"),
    )

    id = Column(Integer, primary_key=True)
    username = Column(String(120), nullable=False)
    client = Column(String(64), nullable=False, default="")  # keyed hash of the client's address
    at = Column(DateTime(timezone=True), nullable=False, default=utcnow)
    succeeded = Column(Boolean, nullable=False)


class SmsSender(Base):
    """What the SMS channel keeps per sender, known only by a keyed hash of the phone number."""

    __tablename__ = "sms_senders"

    sender = Column(String(64), primary_key=True)  # "sms-" + HMAC-SHA256 of the number
    opted_out = Column(Boolean, nullable=False, default=False)
    pages = Column(JSON, nullable=False, default=list)  # "Reply MORE" pages not yet sent
    options = Column(JSON, nullable=False, default=list)  # the last numbered options offered
    last_answer = Column(JSON)  # what the last answer was about and said, for a WRONG report
    updated_at = Column(DateTime(timezone=True), nullable=False, default=utcnow, index=True)


class SmsMessageSeen(Base):
    """A provider's message id seen recently: a replayed signed webhook is answered once only."""

    __tablename__ = "sms_messages_seen"

    message_sid = Column(String(64), primary_key=True)  # the provider's id, not the number
    seen_at = Column(DateTime(timezone=True), nullable=False, default=utcnow, index=True)


class Directory(Base):
    """A treatment directory shipped in data/sites (SAMHSA's), with its provenance and as-of month."""

    __tablename__ = "directories"

    key = Column(String(60), primary_key=True)
    title = Column(String(200), nullable=False)
    publisher = Column(String(200), nullable=False)
    url = Column(Text, nullable=False)
    as_of = Column(String(7), nullable=False)  # "2021-07": the month the directory's data is from
    imported_at = Column(DateTime(timezone=True), nullable=False, default=utcnow)


class DirectorySite(Base):
    """One program of a directory: what it offers and where (a place, never a person)."""

    __tablename__ = "directory_sites"
    __table_args__ = (
        Index("ix_directory_sites_service_lat", "service", "latitude"),
        Index("ix_directory_sites_directory", "directory"),
    )

    id = Column(Integer, primary_key=True)
    directory = Column(String(60), ForeignKey("directories.key", ondelete="CASCADE"), nullable=False)
    service = Column(String(20), nullable=False)  # bot.directory.SERVICES
    name = Column(String(200), nullable=False)
    address = Column(String(200))
    city = Column(String(100))
    state = Column(String(2), ForeignKey("jurisdictions.code"), nullable=False)
    zip = Column(String(5), nullable=False)
    phone = Column(String(40))
    latitude = Column(Float, nullable=False)
    longitude = Column(Float, nullable=False)
    placed_by_zip = Column(Boolean, nullable=False)  # no coordinates of its own: at its ZIP code's centre


class UsageCount(Base):
    """One private counter: how many times, on one day, a kind of turn happened (bot.usage).

    Never who, never what was said: a day, a channel, a language, what it was about, a number.
    Parts that do not apply are "" (not null), so the unique key counts each combination once.
    """

    __tablename__ = "usage_counts"
    __table_args__ = (
        UniqueConstraint("day", "measure", "channel", "language", "topic", "facet", "state", "intent"),
        Index("ix_usage_counts_day", "day"),
    )

    id = Column(Integer, primary_key=True)
    day = Column(Date, nullable=False)
    measure = Column(String(16), nullable=False)  # bot.usage.MEASURES
    channel = Column(String(8), nullable=False)
    language = Column(String(8), nullable=False)
    topic = Column(String(32), nullable=False, default="")
    facet = Column(String(64), nullable=False, default="")
    state = Column(String(2), nullable=False, default="")
    intent = Column(String(64), nullable=False, default="")  # the bot's best guess, for "not understood"
    count = Column(Integer, nullable=False, default=0)


class UserReport(Base):
    """A person's report that an answer was wrong (bot.feedback): what they saw and wrote, never who they are."""

    __tablename__ = "user_reports"
    __table_args__ = (Index("ix_user_reports_status", "status"),)

    id = Column(Integer, primary_key=True)
    received_on = Column(Date, nullable=False)  # the day only
    channel = Column(String(8), nullable=False)
    language = Column(String(8), nullable=False)
    topic = Column(String(32), nullable=False, default="")
    facet = Column(String(64), nullable=False, default="")
    state = Column(String(2), nullable=False, default="")
    record = Column(String(200))  # "profiles/OH/good_samaritan": the admin record the answer came from
    answer_text = Column(Text, nullable=False)
    report_text = Column(Text, nullable=False)
    status = Column(String(16), nullable=False, default="open")  # bot.feedback.STATUSES
    resolved_by = Column(String(40))
    resolved_at = Column(DateTime(timezone=True))
    resolution_note = Column(Text)

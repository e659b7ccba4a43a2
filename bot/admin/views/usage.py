"""What people ask and how the bot does: private day counters (bot.usage), small counts hidden.

No transcript exists to show: only counts per day, channel, language, topic, facet and state.
The ranked lists point straight to the record to add or fix.
"""

from __future__ import annotations

import datetime as dt

from flask import request
from flask_admin import expose

from bot import usage
from bot.admin.database import db
from bot.admin.freshness import parse_days
from bot.admin.published import find_row
from bot.admin.views.base import StaffView
from bot.answers import FALLBACK, UNKNOWN
from bot.config import usage_retention_days
from bot.facets import facets
from bot.jurisdictions import JURISDICTIONS

DEFAULT_DAYS = 30
BREAKDOWNS = {"channel": "Channel", "language": "Language", "topic": "Topic", "state": "State"}


def fix_link(row: usage.Row) -> tuple[str, str] | None:
    """(section endpoint, key) of the record that would answer a "we don't know", if it names one."""
    if not (row.topic and row.state in JURISDICTIONS):
        return None
    key = f"{row.state}/{row.topic}"
    return ("profiles.edit", key) if find_row(db(), "profiles", key) is not None else ("profiles.create", key)


class UsageView(StaffView):
    @expose("/")
    def index(self):
        text = request.args.get("days", "").strip()
        longest = usage_retention_days()  # no counts are older
        days, days_error = parse_days(text, DEFAULT_DAYS, longest)
        since = usage.today() - dt.timedelta(days=days - 1)
        session = db()
        unknown = usage.ranked(session, UNKNOWN, since)
        breakdowns = {label: usage.totals(session, since, by) for by, label in BREAKDOWNS.items()}
        by_channel = breakdowns[BREAKDOWNS["channel"]]  # every count has a channel: these add up to the totals
        return self.render(
            "hrbot/usage.html",
            days=days,
            retention=longest,
            days_text=text or str(days),
            days_error=days_error,
            since=since,
            measures=usage.MEASURES,
            overall={
                measure: sum(counts.get(measure, 0) for counts in by_channel.values()) for measure in usage.MEASURES
            },
            breakdowns=breakdowns,
            unknown=[(row, fix_link(row)) for row in unknown],
            fallbacks=usage.ranked(session, FALLBACK, since),
            not_helpful=usage.ranked(session, usage.NOT_HELPFUL, since),
            facet_labels={facet.key: facet.label("en") for facet in facets()},
            shown=usage.shown,
            small=usage.SMALL_COUNT,
        )

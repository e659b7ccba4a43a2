"""Content gaps: a map of the states coloured by what is unknown or unchecked, and the weak citations."""

from __future__ import annotations

from flask import current_app, request, url_for
from flask_admin import expose

from bot.admin.database import db
from bot.admin.gaps import GRID_COLUMNS, GRID_ROWS, KIND_LABELS, MEASURES, StateGap, gaps, read_choices
from bot.admin.views.base import SECTION_NAMES, StaffView
from bot.dataset.schema import TOPICS, record_key


class GapsView(StaffView):
    @expose("/")
    def index(self):
        stale_days = current_app.config["STALE_DAYS"]
        report = gaps(db(), read_choices(request.args.to_dict(flat=False), stale_days), stale_days)
        return self.render(
            "hrbot/gaps.html",
            report=report,
            links={gap.state: fix_url(gap, report.choices.topic) for gap in report.states},
            grid=(GRID_COLUMNS, GRID_ROWS),
            topics=TOPICS,
            measures=MEASURES,
            kinds=KIND_LABELS,
            nouns=SECTION_NAMES,
        )


def fix_url(gap: StateGap, topic: str | None) -> str:
    """Where staff fix a state: its profile on the topic (made new if missing), or all its profiles."""
    if topic is None:
        return url_for("profiles.index", state=gap.state)
    if gap.missing:
        return url_for("profiles.create", state=gap.state, topic=topic)
    return url_for("profiles.edit", key=record_key("profiles", {"state": gap.state, "topic": topic}))

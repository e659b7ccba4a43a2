"""Rasa SDK custom actions: thin adapters between Rasa and the `bot` package."""

from bot.geo import warm_up

# Build the ZIP index when the action server starts: built during a user's first ZIP
# message it blocked the single-threaded action server (every conversation) for ~1 s.
warm_up()

"""Tracker stores: where conversations are kept, for a bounded time."""

"""Custom Rasa NLU components: thin adapters over deterministic checks in `bot/`."""

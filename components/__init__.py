"""Custom Rasa NLU components (thin adapters over deterministic checks in `bot/`), and a
Rasa speed-up that must be loaded in the Rasa server process, which loads this package."""

from components import remote_action_validation  # noqa: F401  (patches RemoteAction on import)

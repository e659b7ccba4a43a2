"""Custom Rasa NLU components (thin adapters over deterministic checks in `bot/`), and
Rasa speed-ups that must be loaded in the Rasa server process, which loads this package."""

from components import endpoint_keepalive, message_admission, remote_action_validation, sequential_runner  # noqa: F401  (patch Rasa on import)

"""NLU components: places found deterministically, and the intent corrections that run last."""

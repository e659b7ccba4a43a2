"""Rasa input channels (loaded by the Rasa server from credentials.yml).

This package is the one place under bot/ that imports Rasa; import its modules only
from the Rasa server and tests, never from the rest of bot/.
"""

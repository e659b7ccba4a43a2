"""Everything the Rasa server loads: input channels, NLU components, the emergency policy,
the conversation store, and the patches to Rasa internals (installed by `python -m rasa_server`).

The only package that imports rasa or sanic, apart from `actions/` (rasa_sdk); `bot/` is plain
Python underneath it.
"""

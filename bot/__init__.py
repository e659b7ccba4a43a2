"""Harm reduction resource chatbot: domain logic, database and tools, with no Rasa import."""

"""Dialogue policies: the emergency policy that outranks forms and rules."""

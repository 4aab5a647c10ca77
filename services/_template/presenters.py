"""The _template service's answers and event payloads, each through its Out schema (schemas.py)."""

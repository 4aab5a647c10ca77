"""The notifications service's rules: pure functions, standard library only (no peewee, nameko,
marshmallow, no clock or settings read here: the entrypoint passes them in).

- `messages`: which event gives which notification to whom, with what French text, and which
  event tells a person's email address (one entry per event; a new event adds its own);
- `delivery`: when an email that could not be sent is tried again, and when it is given up.

Tested in tests/unit/notifications/, listed in docs/notifications-rules.md.
"""

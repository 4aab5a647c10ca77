"""The volunteers service's rules: pure functions, standard library only (no peewee, nameko,
marshmallow), each tested in tests/unit/volunteers/ and listed in docs/volunteers-rules.md.

- matching.py: which open activities suit a volunteer best.
The honorability rules (who may be with children) come with [9/12].
"""

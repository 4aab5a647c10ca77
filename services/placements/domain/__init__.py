"""The placements service's rules: pure functions, standard library only (no peewee, nameko,
marshmallow, no clock or settings read here: the entrypoint passes them in).

One module per subject, each rule with its source (or a [practice] note when it is the
venue's choice), tested in tests/unit/placements/ and listed in docs/placements-rules.md.
No rule yet: they come with [8/12], from ../shared/domain/placements.md.
Worked example: services/volunteers/domain/.
"""

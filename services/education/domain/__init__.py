"""The education service's rules: pure functions, standard library only (no peewee, nameko,
marshmallow, no clock or settings read here: the entrypoint passes them in).

One module per subject, each rule with its source (or a [practice] note when it is the
venue's choice), tested in tests/unit/education/ and listed in docs/education-rules.md.
No rule yet: they come with [10/12], from ../shared/domain/education.md.
Worked example: services/volunteers/domain/.
"""

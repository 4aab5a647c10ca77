"""The insights service's rules: pure functions, standard library only (no peewee, nameko,
marshmallow, no clock or settings read here: the entrypoint passes them in). One module per
subject, each rule with its source (a French text and article, or [practice] for the venue's
choice), tested in tests/unit/insights/ at its boundaries and listed in docs/insights-rules.md."""

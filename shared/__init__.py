"""Code every Cocoon'Age service uses: config, database, event contracts, outbox, inbox, logging."""

from shared import i18n  # noqa: F401  (French validation messages before any schema is defined)

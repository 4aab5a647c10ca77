"""A component of the migration runner's tests (tests/unit/shared/test_migrations.py): models with
the spine's tables and one of their own, and a `migrations.py` of steps that record their calls."""

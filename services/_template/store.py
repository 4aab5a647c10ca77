"""The _template service's queries and locks (shared.db.get_locked, lock_key): the only module, with
models.py, that speaks peewee. A missing thing raises shared.errors.NotFound with a French message."""

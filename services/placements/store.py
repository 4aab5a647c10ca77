"""The placements service's queries and locks: the only module, with models.py, that speaks peewee.

What goes here ([8/12]): one function per question an entrypoint asks. Loading a row raises
NotFound with a French message when it is missing (`found(row, "Stage introuvable.")`, shared/errors.py);
the row a command changes is read with shared.db.get_locked inside `uow.atomic(exclusive=True)`;
counts, occupations and list filters live here too. Worked example: services/volunteers/store.py.
"""

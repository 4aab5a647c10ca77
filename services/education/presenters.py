"""The education service's answers: one function per kind of answer, each dumping rows (or the
domain's results) through an Out schema of schemas.py (`ThingOut().dump(row)`), never a dict
built or patched by hand in an entrypoint. Empty until [10/12]; worked example:
services/volunteers/presenters.py.
"""

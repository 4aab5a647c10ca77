"""The volunteers service's rules: pure functions, standard library only (no peewee, nameko,
marshmallow), each tested in tests/unit/volunteers/ and listed in docs/volunteers-rules.md.

- matching.py: which open activities suit a volunteer best;
- clearance.py: whether a volunteer may be with the children (attestation d'honorabilité by
  shared/honorability.py, insurance and its dates), the charte de bénévolat, the renewal list;
- signups.py: whether a volunteer may sign up for an activity, and what a move of it does;
- hours.py: a volunteer's hours with the children and in training, for the activity report.
"""

"""The placements service's rules: pure functions, standard library only (no peewee, nameko,
marshmallow, no clock or settings read here: the entrypoint passes them in).

- `programmes`: the programmes hosted and their default placement hours;
- `working_time`: which logged periods the working-time rules allow, by the trainee's age
  (Code de l'éducation L124-14, Code du travail);
- `lifecycle`: planned -> active -> completed or interrupted, the tutor's limit, no two
  placements of a trainee at once;
- `progress`: validated hours against the required hours, by week and by month;
- `gratification`: when it is due and how much (L124-6, D124-6);
- `evaluation`: the tutor's grid [practice];
- `training`: training hours credited from education's attendance sheet [practice];
- `clearance`: the trainee's attestation d'honorabilité (shared/honorability.py).

Each rule with its source (or a [practice] note when it is the venue's choice), tested in
tests/unit/placements/ and listed in docs/placements-rules.md.
"""

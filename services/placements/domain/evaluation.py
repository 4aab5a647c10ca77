"""The tutor's evaluation of a trainee against the competence grid the school gives [practice]
(docs/placements-rules.md, "The French rules and their sources"): each item rated acquired, in progress or
not acquired, with a comment."""

ACQUIRED, IN_PROGRESS, NOT_ACQUIRED = "acquired", "in_progress", "not_acquired"
RATINGS = (ACQUIRED, IN_PROGRESS, NOT_ACQUIRED)
RATING_LABELS = {ACQUIRED: "acquis", IN_PROGRESS: "en cours d'acquisition", NOT_ACQUIRED: "non acquis"}

"""Names shared by several services, the API and the pages: one name per concept."""

ACTIVITY_KINDS = ("story_time", "music", "gardening", "cooking", "motor_skills",
                  "intergenerational_workshop", "other")
ROOM_KINDS = ("childcare", "workshop", "training", "garden", "other")
AGE_GROUPS = ("non_walking", "walking", "mixed")
ROLES = ("staff", "family", "trainee", "volunteer")

# French wording for the interface.
ACTIVITY_KIND_LABELS = {
    "story_time": "Heure du conte", "music": "Éveil musical", "gardening": "Jardinage",
    "cooking": "Cuisine", "motor_skills": "Motricité",
    "intergenerational_workshop": "Atelier intergénérationnel", "other": "Autre",
}

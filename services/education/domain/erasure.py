"""When a participant's data may not be erased yet, and the sentence that says why (docs/privacy.md).

Source: [practice] a training session to come or under way is still being carried out under its
contract or convention de formation (Code du travail L6353-1; RGPD art. 6.1 b, 17.3 b): it ends first.
"""

TRAINING_RUNNING = (
    "Une formation à laquelle la personne est inscrite n'est pas terminée : "
    "attendez sa fin ou annulez l'inscription avant d'effacer les données."
)


def blockers(sessions_not_ended):
    return [TRAINING_RUNNING] if sessions_not_ended else []

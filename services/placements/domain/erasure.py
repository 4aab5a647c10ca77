"""When a trainee's data may not be erased yet, and the sentence that says why (docs/privacy.md).

Source: [practice] a placement planned or under way is still being carried out under its convention
de stage (Code de l'éducation L124-1; RGPD art. 6.1 b, 17.3 b): it ends first.
"""

PLACEMENT_RUNNING = "Un stage est prévu ou en cours : terminez-le ou interrompez-le avant d'effacer les données."


def blockers(placements_running):
    return [PLACEMENT_RUNNING] if placements_running else []

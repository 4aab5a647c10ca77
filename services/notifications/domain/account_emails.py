"""The emails about a person's account, asked for by the gateway (not told by an event): a link to
choose a new password. The notice (shown on the person's page) never holds the link: only the
email does, and the link is valid one hour, once (the gateway's rule, docs/accounts-rules.md).

Source: the venue's wording [practice].
"""

from services.notifications.domain.messages import Notice

SIGNATURE = "— Cocoon'Age (message automatique, merci de ne pas y répondre)\n"


def _duration(minutes):
    return "une heure" if minutes == 60 else f"{minutes} minutes"


def password_reset(request):
    """(Notice, email body) of a reset link; `request` as the gateway sends it (PasswordResetIn)."""
    valid = _duration(request["valid_minutes"])
    asked = "L'équipe de la crèche vous a envoyé" if request.get("by_staff") else "Vous avez demandé"
    text = (
        f"{asked} un lien pour choisir un nouveau mot de passe, par e-mail (valable {valid}). "
        "Si ce n'est pas vous, ne l'ouvrez pas : votre mot de passe ne change pas."
    )
    notice = Notice(request["role"], request["subject_id"], "password_reset", text, "Choisir un nouveau mot de passe")
    body = (
        "Bonjour,\n\n"
        f"{asked} un lien pour choisir un nouveau mot de passe pour votre compte Cocoon'Age.\n"
        f"Ouvrez-le dans les {valid} qui viennent ; il ne sert qu'une fois :\n\n"
        f"{request['link']}\n\n"
        "Une fois le mot de passe choisi, toutes vos connexions sont fermées.\n"
        "Si vous n'avez rien demandé, ignorez ce message : votre mot de passe ne change pas.\n\n"
        f"{SIGNATURE}"
    )
    return notice, body

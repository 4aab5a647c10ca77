"""The emails about a person's account, asked for by the gateway (not told by an event): a link to
choose a new password. The notice (shown on the person's page) never holds the link: only the
email does, and the link is valid one hour, once (the gateway's rule, docs/accounts-rules.md).

Source: the venue's wording [practice], in the message catalogue (shared/wording.py).
"""

from services.notifications.domain.messages import Notice, signature
from shared.wording import _


def _duration(minutes):
    return _("une heure") if minutes == 60 else _("%(minutes)s minutes", minutes=minutes)


def password_reset(request):
    """(Notice, email body) of a reset link; `request` as the gateway sends it (PasswordResetIn)."""
    valid = _duration(request["valid_minutes"])
    if request.get("by_staff"):
        text = _(
            "L'équipe de la crèche vous a envoyé un lien pour choisir un nouveau mot de passe, par e-mail "
            "(valable %(valid)s). Si ce n'est pas vous, ne l'ouvrez pas : votre mot de passe ne change pas.",
            valid=valid,
        )
        opening = _(
            "L'équipe de la crèche vous a envoyé un lien pour choisir un nouveau mot de passe pour votre compte "
            "Cocoon'Age."
        )
    else:
        text = _(
            "Vous avez demandé un lien pour choisir un nouveau mot de passe, par e-mail (valable %(valid)s). "
            "Si ce n'est pas vous, ne l'ouvrez pas : votre mot de passe ne change pas.",
            valid=valid,
        )
        opening = _("Vous avez demandé un lien pour choisir un nouveau mot de passe pour votre compte Cocoon'Age.")
    notice = Notice(
        request["role"], request["subject_id"], "password_reset", text, _("Choisir un nouveau mot de passe")
    )
    body = _(
        "Bonjour,\n\n"
        "%(opening)s\n"
        "Ouvrez-le dans les %(valid)s qui viennent ; il ne sert qu'une fois :\n\n"
        "%(link)s\n\n"
        "Une fois le mot de passe choisi, toutes vos connexions sont fermées.\n"
        "Si vous n'avez rien demandé, ignorez ce message : votre mot de passe ne change pas.\n\n"
        "%(signature)s",
        opening=opening,
        valid=valid,
        link=request["link"],
        signature=signature(),
    )
    return notice, body

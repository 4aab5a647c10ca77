"""The accounts' rules, pure (no database, no request): how long a password reset link lasts and
when it is refused, and the sign-in of a deactivated account (docs/accounts-rules.md).

Source: the venue's choice [practice], after ANSSI's recommendations on authentication (a reset
link is a password for a short while: short-lived, single-use, stored hashed).
"""

from datetime import timedelta

LINK_VALIDITY = timedelta(hours=1)

LINK_USED = "Ce lien a déjà servi : demandez-en un nouveau depuis « Mot de passe oublié ? »."
LINK_EXPIRED = "Ce lien a expiré (il vaut une heure) : demandez-en un nouveau depuis « Mot de passe oublié ? »."
LINK_UNKNOWN = "Ce lien n'est pas valable : demandez-en un nouveau depuis « Mot de passe oublié ? »."
DEACTIVATED = "Ce compte est désactivé : adressez-vous à l'accueil."


def link_refusal(issued_at, used_at, now, validity=LINK_VALIDITY):
    """The sentence refusing a reset link issued at `issued_at` (used at `used_at`, or None), at
    `now`; None while it may still be used: unused, and less than `validity` old."""
    if used_at is not None:
        return LINK_USED
    if now - issued_at >= validity:
        return LINK_EXPIRED
    return None


def sign_in_refusal(deactivated_at):
    """The sentence refusing the sign-in of an account deactivated at `deactivated_at` (None: active)."""
    return DEACTIVATED if deactivated_at is not None else None

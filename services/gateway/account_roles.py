"""One person, several roles: a parent also in training or in immersion, a volunteer who enrols
in a course, a trainee hired as staff. An account holds each role with its own record id in the
service that owns it (AccountRole, services/gateway/models.py); its `role` and `subject_id` stay
the primary role. Each place reads the record of its own role (`subject_for(account, "family")`
on a family's routes…), so an account sees each of its spaces' own data and nothing more
(docs/accounts-rules.md, "Several roles")."""

import logging
import secrets

from services.gateway import audit, auth, password_resets
from services.gateway.models import Account, AccountRole, database
from shared.errors import Conflict
from shared.integrity import duplicates_as_conflict
from shared.vocabulary import ROLES

log = logging.getLogger(__name__)


def grant_role(email, role, subject_id, first_name="", last_name=""):
    """(account, created): the account of `email` gains `role` with its record `subject_id`, or a new
    account is made with that role, an unusable random password and a reset link sent so the
    person chooses theirs. The same role with the same record changes nothing; with another
    record it is a Conflict (409)."""
    if role not in ROLES:
        raise ValueError(f"unknown role {role!r} (roles are {ROLES})")
    account = Account.get_or_none(Account.email == email.strip().lower())
    if account is None:
        return _new_account(email, role, subject_id, first_name, last_name), True
    held = dict(account.role_subjects())
    if role in held:
        if held[role] != subject_id and not (role == "staff" and subject_id in (None, account.id)):
            raise Conflict(
                "Ce compte a déjà ce rôle pour une autre personne : vérifiez l'adresse.",
                {"email": ["Adresse déjà utilisée pour ce rôle."]},
            )
        return account, False
    with duplicates_as_conflict("Ce compte a déjà ce rôle.", "Rôle déjà donné."):
        with database.atomic():
            AccountRole.create(account=account.id, role=role, subject_id=subject_id)
            audit.append(audit.ROLE_GRANTED, subjects=[account.id, subject_id])
    account.forget_roles()
    log.info("role granted", extra={"account_id": account.id, "role": role})
    return account, False


def _new_account(email, role, subject_id, first_name, last_name):
    unusable = secrets.token_urlsafe(48)  # nobody knows it: the person chooses theirs through the link
    account = auth.create_account(
        email, unusable, role, subject_id=subject_id, first_name=first_name, last_name=last_name
    )
    try:
        password_resets.send_link(account)
    except password_resets.SEND_FAILURES as exc:  # the account stands; « Mot de passe oublié ? » sends another
        log.warning("first password link not handed to notifications", extra={"error": repr(exc)})
    return account


def subjects(account):
    """[{"role", "id"}] of every role the account holds, the primary first: each role's record id
    in its service (staff: the account's own id)."""
    return [{"role": role, "id": account.id if role == "staff" else subject} for role, subject in _held(account)]


def subject_for(account, role):
    """The account's record id for `role` (staff: the account's id), or None when it does not hold it."""
    if account is None:
        return None
    for held, subject in _held(account):
        if held == role:
            return account.id if role == "staff" else subject
    return None


def roles_of(account):
    """The roles the account holds, the primary first ([] for nobody)."""
    return [role for role, _ in _held(account)] if account is not None else []


def _held(account):
    role_subjects = getattr(account, "role_subjects", None)
    return role_subjects() if role_subjects else [(account.role, account.subject_id)]

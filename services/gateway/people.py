"""People as the gateway's accounts name them, for the API and the pages."""

from flask import g

from services.gateway import access, account_roles, auth
from services.gateway.errors import ApiError
from services.gateway.models import Account

PARTICIPANTS = ("trainee", "volunteer")  # the roles that take part in training under their own record


def staff_names(ids):
    """{account id: "First Last"} of the staff accounts among `ids` (who validated, the tutor)."""
    ids = [i for i in set(ids) if i]
    if not ids:
        return {}
    accounts = Account.select().where(Account.id.in_(ids), Account.role == "staff")
    return {a.id: a.display_name for a in accounts}


def own(role):
    """The signed-in account's record id for `role` (a family's routes: own("family")), or None when
    it does not hold that role: each space reads its own role's record, never another's."""
    return account_roles.subject_for(auth.current_account(), role)


def as_staff(account=None):
    """True when the account's staff side opens the route or page being served (its `roles=` or
    `@requires`): it then acts as staff (every family's invoices…). A trainee hired as staff, on a
    place only the trainee role opens, acts as the trainee, under their own record."""
    account = account or auth.current_account()
    roles = g.get("place_roles", ())
    if account is None or "staff" not in account_roles.roles_of(account):
        return False
    return "staff" in roles or access.staff_roles_open(getattr(account, "staff_roles", None) or (), roles)


def scope(role):
    """None (everyone's) when the signed-in account acts as staff here; else its own record id for
    `role`; a 403 when it holds neither, never an unscoped answer."""
    if as_staff():
        return None
    subject = own(role)
    if subject is None:
        raise ApiError(403, "forbidden", "Votre rôle ne permet pas cette action.")
    return subject


def participant(account=None):
    """(kind, record id) under which the account takes part in training: its primary role when it
    is a trainee or a volunteer, else the first of those it holds (trainee before volunteer);
    (None, None) for an account holding neither (staff)."""
    account = account or auth.current_account()
    held = account_roles.roles_of(account)
    for kind in [r for r in held[:1] if r in PARTICIPANTS] + [r for r in PARTICIPANTS if r in held]:
        return kind, account_roles.subject_for(account, kind)
    return None, None


def recipients(account=None):
    """[(role, subject id)] of every role of the account, as the notifications service names people
    (staff by the account's own id), the primary first."""
    account = account or auth.current_account()
    return [(s["role"], s["id"] or account.id) for s in account_roles.subjects(account)]


def recipient(role=None):
    """(role, subject id) of the signed-in account for `role` when it holds it, else its primary
    role, as the notifications service names people (an account without a subject, such as staff,
    by its own id)."""
    held = recipients()
    return next((pair for pair in held if pair[0] == role), held[0])

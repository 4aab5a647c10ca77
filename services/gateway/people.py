"""People as the gateway's accounts name them, for the API and the pages."""

from services.gateway import account_roles, auth
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

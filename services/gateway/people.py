"""People as the gateway's accounts name them, for the API and the pages."""

from services.gateway import auth
from services.gateway.models import Account


def staff_names(ids):
    """{account id: "First Last"} of the staff accounts among `ids` (who validated, the tutor)."""
    ids = [i for i in set(ids) if i]
    if not ids:
        return {}
    accounts = Account.select().where(Account.id.in_(ids), Account.role == "staff")
    return {a.id: a.display_name for a in accounts}


def recipient():
    """(role, subject id) of the signed-in account, as the notifications service names people
    (an account without a subject, such as staff, by its own id)."""
    account = auth.current_account()
    return account.role, account.subject_id or account.id

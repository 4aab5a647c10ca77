"""Sign-ups that create a record in the owning service, then the gateway's account: the JSON API's
(POST /families, /volunteers, /trainees) and the pages' (a family, a volunteer, a trainee entered
by staff)."""

from services.gateway import account_roles, attempt_limits, auth, retries
from services.gateway.errors import ApiError
from services.gateway.models import Account, AccountRole, database
from services.gateway.routing import validated
from services.gateway.schemas import AccountIn
from services.gateway.service_calls import services
from shared.errors import Conflict


def register_account(role, register, data):
    """Account fields checked here, the profile by its service; the account is created only once
    the service has stored the profile, so a refused profile leaves nothing behind. With an
    Idempotency-Key a retry completes a sign-up the first attempt left half done (gateway.retries).
    An email that already has an account gains the role instead (account_roles.grant_role) when the
    password given is that account's own: the same person signing up to another space
    (docs/accounts-rules.md, "Several roles"); with another password it stays a 409.
    Returns the record the service stored."""
    account = validated(AccountIn(), data)
    profile = {k: v for k, v in data.items() if k != "password"}
    profile["id"] = retries.record_id(f"sign_up_{role}")
    existing = Account.get_or_none(Account.email == account["email"].lower())
    retried = retries.is_retry(existing, profile["id"], account["password"])
    gaining = existing is not None and not retried and _gains_role(existing, role, account["password"])
    if existing is not None and not retried and not gaining:
        raise ApiError(
            409, "conflict", "Un compte existe déjà avec cette adresse.", {"email": ["Adresse déjà utilisée."]}
        )
    with services() as rpc:
        record = register(rpc, profile)  # a retry with the same key gets the answer the service stored
    if gaining:
        account_roles.grant_role(existing.email, role, record["id"])
    elif not retried:
        names = record.get("guardians", [record])[0]
        try:
            with database.atomic():
                auth.create_account(
                    account["email"],
                    account["password"],
                    role,
                    subject_id=record["id"],
                    first_name=names.get("first_name", ""),
                    last_name=names.get("last_name", ""),
                )
        except Conflict:
            twin = Account.get_or_none(Account.email == account["email"].lower())
            if not retries.is_retry(twin, profile["id"], account["password"]):
                raise  # another sign-up took the email, not a twin of this one (same key) finishing first
    return record


def _gains_role(existing, role, password):
    """True when `existing` does not hold `role` yet and `password` is its own (checked within the
    sign-in limits, as a guess; a wrong one counts as a failed sign-in). Its deactivation is said
    (403) only to whoever gave its password, as at sign-in."""
    if role in account_roles.roles_of(existing):
        return False
    try:
        with attempt_limits.sign_in(existing.email):
            auth.verified_account(existing.email, password)
    except ApiError as exc:
        if exc.status == 401:
            return False
        raise
    return True


def account_of(record_id):
    """The account holding the record `record_id` under one of its roles (a sign-up's new record)."""
    return Account.select().join(AccountRole).where(AccountRole.subject_id == record_id).first()

"""Sign-ups that create a record in the owning service, then the gateway's account: the JSON API's
(POST /families, /volunteers, /trainees) and the pages' (a family, a volunteer, a trainee entered
by staff)."""

from services.gateway import auth, retries
from services.gateway.errors import ApiError
from services.gateway.models import Account, database
from services.gateway.routing import validated
from services.gateway.schemas import AccountIn
from services.gateway.service_calls import services
from shared.errors import Conflict


def register_account(role, register, data):
    """Account fields checked here, the profile by its service; the account is created only once
    the service has stored the profile, so a refused profile leaves nothing behind. With an
    Idempotency-Key a retry completes a sign-up the first attempt left half done (gateway.retries).
    Returns the record the service stored."""
    account = validated(AccountIn(), data)
    profile = {k: v for k, v in data.items() if k != "password"}
    profile["id"] = retries.record_id(f"sign_up_{role}")
    existing = Account.get_or_none(Account.email == account["email"].lower())
    retried = retries.is_retry(existing, profile["id"], account["password"])
    if existing is not None and not retried:
        raise ApiError(
            409, "conflict", "Un compte existe déjà avec cette adresse.", {"email": ["Adresse déjà utilisée."]}
        )
    with services() as rpc:
        record = register(rpc, profile)  # a retry with the same key gets the answer the service stored
    if not retried:
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

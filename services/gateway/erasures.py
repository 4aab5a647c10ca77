"""The erasure of an account's person (RGPD art. 17; docs/privacy.md, docs/architecture.md "Erasure").

The gateway keeps no outbox, so the team service owns the erasure: the gateway
1. refuses it while bookings, placements or education give a reason (an unpaid invoice, a
   contract, placement or training not ended: their `erasure_blockers` RPC, French sentences);
2. writes the erasure in its register (ErasureRecord: ids and dates only, kept apart from the
   accounts, so an erasure done after a backup is applied again to a restored copy);
3. asks the team service's `request_erasure` (it publishes team.account_erasure_requested from its
   outbox, once per erasure id: a retry of this call is harmless);
4. anonymises and deactivates the account itself (its email and names become the pseudonym, its
   password unusable, every session and token ended) and forgets the email in its attempts, its
   audit lines and its stored command answers.
The status asks the team service, which gathers each service's answer.
"""

import logging

from services.gateway import account_roles, audit, password_resets
from services.gateway.errors import ApiError
from services.gateway.models import Account, Attempt, AuditEntry, ErasureRecord, Idempotency, database
from services.gateway.service_calls import services
from shared import erasure
from shared.db import write_transaction
from shared.models import new_id
from shared.timeutil import db_now

log = logging.getLogger(__name__)

# What a call to the team service may meet when it does not answer (the page says so, the API a 503).
CALL_FAILURES = password_resets.SEND_FAILURES

ACCOUNT_ERASED = "account_erased"  # the audit trail's action
NOT_YOURSELF = "Vous ne pouvez pas effacer votre propre compte : demandez à un autre membre de l'équipe."
REFUSED = "L'effacement est refusé pour l'instant : {reasons}"
# Which service is asked whether something must be kept, for which ids (the others hold nothing that blocks).
BLOCKERS = {
    "bookings": ("family_id",),
    "placements": ("trainee_id",),
    "education": ("trainee_id", "volunteer_id"),
}
ID_OF_ROLE = {"family": "family_id", "volunteer": "volunteer_id", "trainee": "trainee_id"}
UNUSABLE_PASSWORD = "!erased"  # no password hashes to it: nobody signs in with it


def ids_of(account, held=None):
    """The ids the services know the account's person by, as team.account_erasure_requested carries
    them: every role's record (a parent also a trainee: family_id and trainee_id). `held`: the
    [{"role", "id"}] recorded at the request (account_roles.subjects), else the account's now."""
    ids = {"account_id": account.id, "role": account.role}
    for subject in held if held is not None else account_roles.subjects(account):
        if subject["role"] == "staff":
            ids["staff_id"] = account.id
        elif subject["role"] in ID_OF_ROLE and subject["id"]:
            ids[ID_OF_ROLE[subject["role"]]] = subject["id"]
    return ids


def blockers(rpc, ids):
    """The reasons to refuse the erasure now of every service that knows the person, in order."""
    reasons = []
    for name, keys in BLOCKERS.items():
        if any(ids.get(key) for key in keys):
            reasons += getattr(rpc, name).erasure_blockers(ids)
    return reasons


def refusal(reasons):
    return ApiError(409, "conflict", REFUSED.format(reasons=" ".join(reasons)), {"erasure": list(reasons)})


def request(account_id, by):
    """Start (or carry on) the erasure of this account; returns its status as the team service
    tells it. A second request for the same account carries on the first (same erasure id)."""
    account = password_resets.account_of(account_id)
    if account.id == by.id:
        raise ApiError(409, "conflict", NOT_YOURSELF)
    record = ErasureRecord.get_or_none(ErasureRecord.account_id == account.id)
    ids = ids_of(account) if record is None else _recorded_ids(record)
    with services() as rpc:
        if record is None:
            reasons = blockers(rpc, ids)
            if reasons:
                raise refusal(reasons)
            with write_transaction(database):
                record = ErasureRecord.create(
                    id=new_id(),
                    account_id=account.id,
                    role=account.role,
                    subject_id=account.subject_id,
                    subjects=account_roles.subjects(account),
                    requested_by=by.id,
                )
        status = rpc.team.request_erasure(record.id, ids)
    _anonymise(account, record, by)
    log.info("erasure requested", extra={"account_id": account.id, "erasure_id": record.id, "by": by.id})
    return status


def _recorded_ids(record):
    account = Account(id=record.account_id, role=record.role, subject_id=record.subject_id)
    held = record.subjects or [{"role": record.role, "id": record.subject_id}]  # a record from before several roles
    return ids_of(account, held)


def _anonymise(account, record, by):
    """The account under the pseudonym, deactivated, its sessions and tokens ended; the email
    forgotten in the attempts, the audit lines and the stored command answers."""
    email = account.email
    if erasure.is_pseudonym(email):
        return
    who = erasure.person(account.id, ids=[], emails=[email], names=[account.display_name])
    now = db_now()
    with write_transaction(database):
        changes = {
            Account.email: erasure.pseudonym_email(account.id),
            Account.first_name: who.pseudonym,
            Account.last_name: "",
            Account.password_hash: UNUSABLE_PASSWORD,
            Account.deactivated_at: account.deactivated_at or now,
        }
        password_resets._end_everything(account, now, changes)
        Attempt.delete().where(Attempt.key.contains(email)).execute()
        AuditEntry.update(email_tried="").where(AuditEntry.email_tried == email).execute()
        erasure.purge_rows_mentioning(Idempotency, Idempotency.response, who.found)
        audit.append(ACCOUNT_ERASED, actor=by, subjects=[account.id, record.id])


def status(account_id):
    """{erasure_id, account_id, status pending|complete, requested_at, completed_at, services}, as
    the team service gathered the answers (404 when no erasure was asked for the account)."""
    with services() as rpc:
        answer = rpc.team.account_erasure(account_id)
    if answer.get("status") == "complete":
        with write_transaction(database):
            ErasureRecord.update(completed_at=db_now()).where(
                ErasureRecord.account_id == account_id, ErasureRecord.completed_at.is_null()
            ).execute()
    return answer


def page_statuses(account_ids):
    """{account id: "pending"|"complete"} of the accounts among `account_ids` with an erasure, for
    the page of accounts: the register says complete once seen so; a pending one asks the team
    service (still "pending" when it does not answer)."""
    rows = list(ErasureRecord.select().where(ErasureRecord.account_id.in_(list(account_ids))))
    found = {}
    for row in rows:
        found[row.account_id] = "complete" if row.completed_at else "pending"
        if row.completed_at is None:
            try:
                found[row.account_id] = status(row.account_id)["status"]
            except CALL_FAILURES as exc:
                log.warning("erasure status unknown", extra={"account_id": row.account_id, "error": str(exc)})
    return found

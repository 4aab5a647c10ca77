"""The audit trail: who did what to whom, when, from which address (docs/audit-rules.md).

Lines are appended to the gateway's `audit_entry` table, never updated, and deleted only once
older than COCOON_AUDIT_RETENTION_DAYS (`purge_expired`, at the gateway's start and by
`cocoon audit purge`). They hold ids, never request bodies.

Two ways a line is written:
- `append(...)` inside the transaction that changes the gateway's own rows (an account created,
  a password changed, a token issued): the change and its line commit together or not at all.
- `append_safely(...)` in its own transaction, after the fact: every write by a staff account
  (recorded once the response, and so the service's answer, is known) and the sign-ins without a
  row of their own. A failure there must not break the request people are making, nor be lost
  quietly: it is logged at ERROR with every field of the line (so the log holds it) and counted in
  cocoon_audit_write_failures_total.
"""

import logging
from datetime import timedelta, timezone

from flask import g, has_request_context, request
from marshmallow import Schema, fields, validate
from prometheus_client import Counter

from services.gateway.models import AuditEntry, database
from shared import pagination
from shared.db import write_transaction
from shared.timeutil import as_utc, db_now

log = logging.getLogger(__name__)

FAILURES = Counter("cocoon_audit_write_failures_total", "Audit lines that could not be written (logged instead)")

# What a line records (docs/audit-rules.md lists them).
SIGN_IN = "sign_in"
SIGN_IN_FAILED = "sign_in_failed"  # a wrong email or password (401), or the attempt limits (429)
SIGNED_OUT_EVERYWHERE = "signed_out_everywhere"
ACCOUNT_CREATED = "account_created"
ROLE_GRANTED = "role_granted"  # an existing account gains a role (services/gateway/account_roles.py)
PASSWORD_CHANGED = "password_changed"
PASSWORD_CHECK_FAILED = "password_check_failed"  # a wrong current password on the password page
PASSWORD_RESET = "password_reset"  # a new password chosen through a reset link
PASSWORD_RESET_SENT = "password_reset_sent"  # a reset link sent (asked by the person, or by staff)
ACCOUNT_DEACTIVATED = "account_deactivated"
ACCOUNT_REACTIVATED = "account_reactivated"
STAFF_WRITE = "staff_write"  # any request but GET, HEAD and OPTIONS by a staff account

READS = frozenset({"GET", "HEAD", "OPTIONS"})
DEFAULT_RETENTION_DAYS = 365


# --- the retention rule (pure) ------------------------------------------------------------------
def expiry_cutoff(now, retention_days):
    """Lines written before this moment have expired: a line is kept for `retention_days` whole days."""
    return now - timedelta(days=retention_days)


def is_expired(written_at, now, retention_days):
    """True once a line is older than `retention_days` days; a line exactly that old is still kept."""
    return written_at < expiry_cutoff(now, retention_days)


def purge_expired(retention_days, now=None):
    """Deletes the expired lines (the only delete of the table). Returns how many."""
    cutoff = expiry_cutoff(now or db_now(), retention_days)
    with write_transaction(database):
        return AuditEntry.delete().where(AuditEntry.created_at < cutoff).execute()


# --- writing ---------------------------------------------------------------------------------
def append(action, *, actor=None, subjects=(), status=None, email_tried="", method="", route=""):
    """One line, in the caller's transaction (it fails with it). `actor`: the account acting,
    default the request's signed-in account; `subjects`: the ids acted on."""
    return AuditEntry.create(**_line(action, actor, subjects, status, email_tried, method, route))


def append_safely(action, **fields):
    """One line in its own transaction; never raises (see the module's docstring)."""
    try:
        line = _line(action, fields.pop("actor", None), **fields)
    except Exception:  # noqa: BLE001 (reading the request's account may itself fail)
        line = _line(action, None, **fields, anonymous=True)
    try:
        with write_transaction(database):
            AuditEntry.create(**line)
    except Exception:  # noqa: BLE001 (the request goes on; the line goes to the log and the counter)
        FAILURES.inc()
        log.error("audit line not written", extra={"audit": line}, exc_info=True)


def _line(action, actor, subjects=(), status=None, email_tried="", method="", route="", anonymous=False):
    if actor is None and not anonymous:
        actor = _request_account()
    in_request = has_request_context()
    return {
        "action": action,
        "actor_id": actor.id if actor is not None else None,
        "actor_role": actor.role if actor is not None else "",
        "subjects": subjects_text(subjects),
        "method": method,
        "route": route,
        "status": status,
        "address": (request.remote_addr or "") if in_request else "",
        "email_tried": (email_tried or "").strip().lower()[:254],
        "correlation_id": (g.get("correlation_id") or "") if in_request else "",
    }


def subjects_text(ids):
    """ " id1 id2 ": a space at each end, so that one id is found whole (subject filter)."""
    kept = [str(i) for i in ids if i]
    return f" {' '.join(kept)} "[:400] if kept else ""


def _request_account():
    if not has_request_context():
        return None
    if "account" in g:
        return g.account
    from services.gateway import auth  # auth writes lines too: imported here, not at the top

    return auth.current_account()


# --- every staff write -------------------------------------------------------------------------
def init_app(app):
    @app.after_request
    def _staff_write(response):
        """After the view (and so the service's answer): its status is known. Runs for error answers too."""
        if request.method in READS:
            return response
        try:
            account = _request_account()
        except Exception:  # noqa: BLE001 (the database is down: the line goes to the log instead)
            account = None
            log.error("audit: the account of a write could not be read", exc_info=True)
        if account is None or account.role != "staff":
            return response
        append_safely(
            STAFF_WRITE,
            actor=account,
            subjects=[v for v in (request.view_args or {}).values() if isinstance(v, str)],
            status=response.status_code,
            method=request.method,
            route=request.url_rule.rule if request.url_rule else "unmatched",
        )
        return response


# --- reading -----------------------------------------------------------------------------------
def entries(subject=None, actor=None, since=None, until=None):
    """The lines matching the filters, as a query to page; `since` included, `until` excluded, both naive UTC."""
    select = AuditEntry.select()
    if subject:
        select = select.where(AuditEntry.subjects.contains(f" {subject} "))
    if actor:
        select = select.where(AuditEntry.actor_id == actor)
    if since:
        select = select.where(AuditEntry.created_at >= since)
    if until:
        select = select.where(AuditEntry.created_at < until)
    return select


ORDER = [AuditEntry.created_at, AuditEntry.id]


def presented(entry):
    return {
        "id": entry.id,
        "at": as_utc(entry.created_at),
        "action": entry.action,
        "actor_id": entry.actor_id,
        "actor_role": entry.actor_role,
        "subjects": entry.subjects.split(),
        "method": entry.method,
        "route": entry.route,
        "status": entry.status,
        "address": entry.address,
        "email_tried": entry.email_tried,
        "correlation_id": entry.correlation_id,
    }


ID = validate.Regexp(r"^[A-Za-z0-9._:-]{1,100}$", error="Un identifiant (lettres, chiffres, . _ : -).")


class AuditQuery(Schema):
    """Lines newest first; `subject`: an id among the route's parameters or the account acted on;
    `actor`: the account that acted; `since` included, `until` excluded (ISO 8601 with offset)."""

    subject = fields.String(load_default=None, validate=ID)
    actor = fields.String(load_default=None, validate=ID)
    since = fields.AwareDateTime(load_default=None)
    until = fields.AwareDateTime(load_default=None)
    limit = pagination.limit_field()
    cursor = pagination.cursor_field()


class AuditEntryOut(Schema):
    id = fields.String()
    at = fields.AwareDateTime(metadata={"description": "Quand (UTC)."})
    action = fields.String(
        metadata={
            "description": "sign_in, sign_in_failed, signed_out_everywhere, account_created, role_granted, "
            "password_changed, password_check_failed, staff_write (docs/audit-rules.md)."
        }
    )
    actor_id = fields.String(
        allow_none=True, metadata={"description": "Le compte qui a agi (aucun : personne n'était connecté)."}
    )
    actor_role = fields.String()
    subjects = fields.List(fields.String(), metadata={"description": "Les identifiants visés."})
    method = fields.String(metadata={"description": "Pour staff_write : la méthode HTTP."})
    route = fields.String(metadata={"description": "Pour staff_write : le modèle de la route (/api/v1/x/<id>)."})
    status = fields.Integer(allow_none=True, metadata={"description": "Le statut de la réponse."})
    address = fields.String(metadata={"description": "L'adresse IP de la requête."})
    email_tried = fields.String(metadata={"description": "Pour une connexion refusée : l'adresse e-mail essayée."})
    correlation_id = fields.String(metadata={"description": "L'en-tête X-Request-ID de la requête."})


def read(filters):
    """{"items", "next_cursor"} of the lines `filters` (AuditQuery, loaded) ask for, newest first:
    the lists' keyset pagination (shared/pagination.py) run backwards, its cursor the same kind."""
    select = entries(filters["subject"], filters["actor"], _naive_utc(filters["since"]), _naive_utc(filters["until"]))
    before = pagination.decode(filters.get("cursor"), ORDER)
    if before is not None:
        at, line_id = before
        select = select.where(
            (AuditEntry.created_at <= at)
            & ((AuditEntry.created_at < at) | ((AuditEntry.created_at == at) & (AuditEntry.id < line_id)))
        )
    limit = filters["limit"]
    rows = list(select.order_by(AuditEntry.created_at.desc(), AuditEntry.id.desc()).limit(limit + 1))
    more, rows = len(rows) > limit, rows[:limit]
    next_cursor = pagination.encode(ORDER, rows[-1]) if more else None
    return {"items": AuditEntryOut(many=True).dump([presented(e) for e in rows]), "next_cursor": next_cursor}


def _naive_utc(moment):
    """As stored: naive UTC."""
    return None if moment is None else moment.astimezone(timezone.utc).replace(tzinfo=None)

"""The personal calendar link: GET /calendar/{secret}.ics, each person's own events as iCalendar.

The secret is the credential (a calendar app cannot sign in): `<account id>-<HMAC>`, the HMAC
(SHA-256, 128 bits kept) of the account id and its `calendar_generation` under a key derived
from the gateway's secret key. Derived rather than stored, because then nothing secret is kept:
a copy of the gateway database gives no link, the link can still be shown again at any time,
and a reset only adds one to the generation (every earlier link then answers 404). Changing
COCOON_SECRET_KEY changes every link (as it ends every session).
"""

import hashlib
import hmac
from datetime import datetime, time, timedelta

from flask import current_app, g, url_for

from services.gateway import account_roles, ical
from services.gateway.models import Account, Idempotency, database
from services.gateway.retries import caller
from shared import idempotency
from shared.db import get_locked, write_transaction
from shared.errors import NotFound
from shared.timeutil import venue_zone

MAC_HEX_DIGITS = 32  # 128 bits
PAST_DAYS = 31  # the feed shows the last month (a calendar app keeps what it already had)…
AHEAD_DAYS = 120  # …and the four months ahead: the coming weeks of the venue are in it
UNKNOWN = "Agenda introuvable : ce lien n'existe pas ou a été remplacé."


def _key():
    return hmac.new(current_app.config["SECRET_KEY"].encode(), b"cocoonage calendar link", hashlib.sha256).digest()


def secret_of(account):
    message = f"{account.id}:{account.calendar_generation}".encode()
    return f"{account.id}-{hmac.new(_key(), message, hashlib.sha256).hexdigest()[:MAC_HEX_DIGITS]}"


def url_of(account):
    """On the venue's configured address (COCOON_PUBLIC_URL): the request's Host header is the caller's to choose."""
    return current_app.config["PUBLIC_URL"] + url_for("feeds.calendar_feed", secret=secret_of(account))


def account_for(secret):
    """The account whose current link holds `secret`; NotFound (404) for any other string."""
    account_id, _, mac = secret.rpartition("-")
    account = Account.get_or_none(Account.id == account_id) if account_id and len(mac) == MAC_HEX_DIGITS else None
    if account is None or not hmac.compare_digest(secret_of(account), secret):
        raise NotFound(UNKNOWN)
    return account


def reset(account):
    """A new link for the account: its generation goes up by one, under the account's row lock."""
    with write_transaction(database):
        locked = get_locked(Account.select().where(Account.id == account.id))
        locked.calendar_generation += 1
        locked.save()
    return locked


def reset_once(account):
    """{url} of a new link (the API's and the page's reset); with an Idempotency-Key a retry gets
    the first answer (one reset)."""

    def reset_now():
        return {"url": url_of(reset(account))}

    key = g.get("idempotency_key")
    if not key:
        return reset_now()
    return idempotency.run_once(
        Idempotency,
        caller(),
        key,
        "reset_calendar_link",
        idempotency.fingerprint(["reset_calendar_link"]),
        reset_now,
        retention_hours=current_app.config["IDEMPOTENCY_RETENTION_HOURS"],
    )


def subject_ids(account, role=None):
    """The ids the account is known by in the services for `role` (its primary one by default): a
    trainee may be assigned by either (see api/calendar.assign_trainee)."""
    role = role or account.role
    if role == "staff":
        return []
    subject = account_roles.subject_for(account, role)
    return [i for i in dict.fromkeys([subject, account.id if role == "trainee" else None]) if i]


def period(today=None):
    """[from, to) of the feed, as aware datetimes at the venue's midnight."""
    today = today or datetime.now(venue_zone()).date()
    start = datetime.combine(today - timedelta(days=PAST_DAYS), time(), venue_zone())
    return start, datetime.combine(today + timedelta(days=AHEAD_DAYS), time(), venue_zone())


def calendar_file(rpc, account):
    """The .ics bytes of this account's events (bookings service; the education service's
    sessions, through ical.session_entries)."""
    start, end = period()
    entries, seen = [], set()
    for role in account_roles.roles_of(account):  # each role's events (a parent also a trainee: both)
        asked = {
            "role": role,
            "subject_ids": subject_ids(account, role),
            "from": start.isoformat(),
            "to": end.isoformat(),
        }
        for entry in rpc.bookings.calendar_feed(asked) or []:
            if entry.get("uid") is None or entry["uid"] not in seen:
                seen.add(entry.get("uid"))
                entries.append(entry)
    entries += ical.session_entries(rpc, account, start, end)
    name = " ".join(part for part in (account.first_name, account.last_name) if part)
    return ical.build(entries, f"Cocoon'Age — {name}" if name else "Cocoon'Age")

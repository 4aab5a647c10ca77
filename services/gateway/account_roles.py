"""Roles given to an account, the single-role version: an account has one role and one subject.

`grant_role` makes an account for an email that has none (an unusable random password, and a
reset link so the person chooses theirs, services/gateway/password_resets.py); an existing
account is returned unchanged. `subjects` lists the account's records as [{role, id}]. The
multi-role version (an account gaining a role beside the one it has) replaces this file."""

import logging
import secrets

from services.gateway import auth, password_resets
from services.gateway.models import Account

log = logging.getLogger(__name__)


def grant_role(email, role, subject_id, first_name="", last_name=""):
    """(account, created): the account of `email`, made with `role` and `subject_id` when none exists."""
    account = Account.get_or_none(Account.email == email.strip().lower())
    if account is not None:
        return account, False
    password = secrets.token_urlsafe(32) + "!Aa1"  # nobody knows it: the person chooses theirs by the link
    account = auth.create_account(email, password, role, subject_id, first_name=first_name, last_name=last_name)
    try:
        password_resets.send_link(account, by_staff=True)
    except password_resets.SEND_FAILURES as exc:  # the person may still ask for a link themselves
        log.warning("reset link of a new account not handed to notifications", extra={"error": repr(exc)})
    return account, True


def subjects(account):
    """The account's records: [{role, id}] (staff, without a record of their own, by the account's id)."""
    return [{"role": account.role, "id": account.subject_id or account.id}]

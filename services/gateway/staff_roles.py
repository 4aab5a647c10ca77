"""A staff member's staff roles on their account (services/gateway/access.py reads them): the team
service keeps them; the gateway reads them at each sign-in, and writes the team's answer on the
account at once when it changes them (POST and PATCH /api/v1/staff, the « Équipe » pages), so a
change opens or closes the way on the person's next request, whatever session or token they use.

Each answer carries team's `roles_version` (one more at each change): an answer is written only
when newer than the one the account holds, so a sign-in that read team just before a change
cannot put the old roles back. Team down at a sign-in: the person signs in with the roles team
last gave and the account keeps (never more: every change through the gateway is written here at
once), so the educators can still note the morning's arrivals; a warning is logged."""

import logging

from amqp.exceptions import AMQPError
from kombu.exceptions import OperationalError
from nameko.exceptions import RemoteError, RpcTimeout, UnknownService

from services.gateway import service_calls  # a module: it imports auth, which imports this one
from services.gateway.models import Account, database
from shared.db import write_transaction
from shared.errors import Conflict, NotFound, Unavailable
from shared.vocabulary import DIRECTOR

log = logging.getLogger(__name__)

UNANSWERED = (Unavailable, RpcTimeout, UnknownService, AMQPError, OperationalError, ConnectionError, RemoteError)


def at_sign_in(account):
    """The account with its staff roles as team keeps them now (other accounts as they are); as
    team last gave them when it does not answer."""
    if account.role != "staff":
        return account
    try:
        answer = _ask_team(account)
    except UNANSWERED as exc:
        log.warning("team did not answer at a staff sign-in: the roles last kept", extra={"error": repr(exc)})
        return account
    return keep(account.id, answer)


def _ask_team(account):
    """Team's answer (staff_roles, roles_version). An account made before the team service has no
    profile: it gets one at its first sign-in when it holds staff roles here (the bootstrap
    account, a director from its creation); else it has none, until the director gives some."""
    with service_calls.services() as rpc:
        try:
            return rpc.team.staff_access(account.id)
        except NotFound:
            if not account.staff_roles:
                return {"staff_roles": [], "roles_version": 0}
            try:
                return rpc.team.register_staff(profile_of(account))
            except Conflict as exc:
                # another profile holds this email (a second gateway database before the same team):
                # the roles kept here stand, never more, rather than refusing the sign-in
                log.warning("the account's team profile could not be made", extra={"error": str(exc)})
                return {"staff_roles": list(account.staff_roles), "roles_version": account.staff_roles_version or 0}


def profile_of(account):
    """The team profile of an account made before the team service, with the roles it holds here."""
    return {
        "id": account.id,
        "email": account.email,
        "first_name": account.first_name or account.email.split("@")[0],
        "last_name": account.last_name or "—",
        "staff_roles": list(account.staff_roles or []),
    }


def keep(account_id, answer):
    """Writes team's answer (a StaffOut or StaffAccessOut) on the account when newer than the one
    it holds; returns the account as it now is (None: a profile without an account here)."""
    version = answer.get("roles_version", 0)
    with write_transaction(database):
        (
            Account.update(staff_roles=list(answer.get("staff_roles", [])), staff_roles_version=version)
            .where(Account.id == account_id, Account.staff_roles_version < version)
            .execute()
        )
        return Account.get_or_none(Account.id == account_id)


def bootstrap_director(account):
    """The bootstrap account is a director: given at its creation, or to an older bootstrap account
    that team never told anything (version 0, no roles), so an upgrade does not lock the venue out."""
    if account.role == "staff" and not account.staff_roles and account.staff_roles_version == 0:
        with write_transaction(database):
            Account.update(staff_roles=[DIRECTOR]).where(Account.id == account.id).execute()
    return account

"""Outcomes on a person's path, for the JSON API (services/gateway/api/outcomes.py) and the staff's
page (services/gateway/web/accounts_staff.py) alike: placements keeps them by the account's id,
with the account's records (account_roles.subjects) so each service finds its own
(docs/placements-rules.md, "Outcomes")."""

from services.gateway import account_roles, password_resets
from services.gateway.service_calls import services


def record(account_id, data, by):
    """The outcome staff account `by` records for the person of `account_id` (NotFound without
    that account; placements' 422 for a wrong kind, a date after today, a detail too long)."""
    account = password_resets.account_of(account_id)
    body = {key: data[key] for key in ("kind", "on", "detail") if key in data}
    with services() as rpc:
        return rpc.placements.record_outcome(account.id, {**body, "subjects": account_roles.subjects(account)}, by.id)


def of(account_id):
    """The person's outcomes, oldest first, all of them (NotFound without the account)."""
    account = password_resets.account_of(account_id)
    with services() as rpc:
        return rpc.placements.outcomes_of(account.id)


def page_of(account_id, query):
    """A page of the person's outcomes, oldest first: {"items", "next_cursor"}. Read by the account
    id as placements keeps it, without looking the account up: an account unknown here (or gone)
    has an empty list, as placements answers."""
    with services() as rpc:
        return rpc.placements.list_outcomes(account_id, query)

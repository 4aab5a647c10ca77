"""Who may go where: the one role check behind the JSON API's `roles=` (routing.api_route, then
auth.check_access) and the pages' `@requires(...)` (web/guards.py). Each turns a refusal into its
own answer: a 401/403 JSON error for the API, the sign-in page or a French 403 page for people."""

from shared.vocabulary import ROLES

PUBLIC = ()  # anyone, signed in or not
SIGNED_IN = ROLES  # any signed-in account, whatever its role

SIGNED_OUT = "signed_out"  # nobody is signed in: signing in may open the way
WRONG_ROLE = "wrong_role"  # someone is signed in, with a role the place is not for


def refusal(account, roles):
    """None when `account` (or None: nobody signed in) may go where `roles` let in; else why not,
    SIGNED_OUT or WRONG_ROLE. `roles` is PUBLIC, SIGNED_IN or a tuple of ROLES."""
    if roles == PUBLIC:
        return None
    if account is None:
        return SIGNED_OUT
    if account.role not in roles:
        return WRONG_ROLE
    return None

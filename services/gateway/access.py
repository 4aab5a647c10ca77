"""Who may go where: the one role check behind the JSON API's `roles=` (routing.api_route, then
auth.check_access) and the pages' `@requires(...)` (web/guards.py). Each turns a refusal into its
own answer: a 401/403 JSON error for the API, the sign-in page or a French 403 page for people.

A place names the kinds of account it is for (ROLES: "staff", "family", "trainee", "volunteer",
"beneficiary"); an account holding several of them (services/gateway/account_roles.py) passes
where any one is named, and each place then reads the record of its own role. And, for staff,
the staff roles it is for (STAFF_ROLES: "educator", "accounting"…). "staff" lets in any staff
member: kept for the few places every one of them needs (ALL_STAFF). A staff role
lets in the staff members holding it, and the director, who passes wherever any staff role
passes (docs/accounts-rules.md, "Staff roles")."""

from shared.vocabulary import DIRECTOR, ROLES, STAFF_ROLES

PUBLIC = ()  # anyone, signed in or not
SIGNED_IN = ROLES  # any signed-in account, whatever its role
ALL_STAFF = ("staff",)  # any staff member, whatever their staff roles
KNOWN = ROLES + STAFF_ROLES  # what a route or a page may name

SIGNED_OUT = "signed_out"  # nobody is signed in: signing in may open the way
WRONG_ROLE = "wrong_role"  # someone is signed in, with a role the place is not for


def refusal(account, roles):
    """None when `account` (or None: nobody signed in) may go where `roles` let in; else why not,
    SIGNED_OUT or WRONG_ROLE. `roles` is PUBLIC, SIGNED_IN or a tuple of ROLES and STAFF_ROLES."""
    if roles == PUBLIC:
        return None
    if account is None:
        return SIGNED_OUT
    held = getattr(account, "roles", None) or [account.role]  # every role of the account (AccountRole)
    if any(role in roles for role in held):
        return None
    if "staff" in held and staff_roles_open(getattr(account, "staff_roles", None) or (), roles):
        return None
    return WRONG_ROLE


def staff_roles_open(held, roles):
    """True when a staff member holding the staff roles `held` may go where `roles` let in: one of
    them is named there, or they are the director and some staff role is named there."""
    named = {role for role in roles if role in STAFF_ROLES}
    return bool(named) and (DIRECTOR in held or bool(named.intersection(held)))

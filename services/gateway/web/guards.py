"""`@requires(*roles)`: who may open a page, with the same check as the JSON API's `roles=`
(services/gateway/access.py). A visitor not signed in goes to the sign-in page, and comes back
after it; someone signed in with another role is told so on a French 403 page (signing in again
would not help them)."""

from functools import wraps

from flask import current_app, g, redirect, render_template, request, url_for
from flask_babel import gettext as _

from services.gateway import access, account_roles


def requires(*roles, with_profile=False):
    """Opens the view to these roles (access.SIGNED_IN: any signed-in account). `with_profile`: the
    account must also have its record in a service for one of these roles, as a participant in training."""
    unknown = [role for role in roles if role not in access.KNOWN]
    if unknown:
        raise ValueError(f"unknown roles {unknown} (roles are {access.KNOWN})")

    def decorator(view):
        @wraps(view)
        def guarded(*args, **kwargs):
            account = g.get("account")
            g.place_roles = roles  # for the views acting as staff or as a person (people.as_staff)
            why = access.refusal(account, roles)
            if why is None and with_profile and not any(account_roles.subject_for(account, r) for r in roles):
                why = access.WRONG_ROLE
            if why == access.SIGNED_OUT:
                return redirect(url_for("public.login", suite=request.path))
            if why == access.WRONG_ROLE:
                return not_allowed()
            return view(*args, **kwargs)

        guarded.roles = roles  # read by the tests that call every page as every role
        return guarded

    return decorator


def not_allowed():
    message = _(
        "Vous n'êtes pas autorisé·e à ouvrir cette page : elle est réservée à un autre type de compte que le vôtre."
    )
    return render_template("web/error.html", title=_("Page réservée"), message=message), 403


def may_open(endpoint):
    """True when the signed-in account may open the page `endpoint` by its `@requires`: the menu
    offers only those, read from the same declaration as the check."""
    roles = getattr(current_app.view_functions.get(endpoint), "roles", None)
    return roles is None or access.refusal(g.get("account"), roles) is None

"""The RGPD export as a download (services/gateway/personal_export.py): a person's own, or anyone's
for staff."""

from services.gateway import auth, personal_export
from services.gateway.api import bp
from services.gateway.routing import api_route


@api_route(
    bp,
    "/me/export",
    "GET",
    "Mes données personnelles : une archive ZIP de fichiers JSON, un par service, et un README",
    roles=auth.SIGNED_IN,
    tag="comptes",
    content_type="application/zip",
)
def my_export():
    return personal_export.export(auth.current_account())


@api_route(
    bp,
    "/accounts/<account_id>/export",
    "GET",
    "Les données personnelles d'un compte (et de ses enfants), en archive ZIP",
    roles=("director",),
    tag="comptes",
    content_type="application/zip",
)
def account_export(account_id):
    return personal_export.export(personal_export.account_or_404(account_id), by=auth.current_account())

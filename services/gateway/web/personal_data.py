"""« Télécharger mes données »: the RGPD export as a download from the pages (the same ZIP as the
API's, services/gateway/personal_export.py), for any signed-in person from their space, and for
staff from the accounts page (/equipe/comptes)."""

from flask import Blueprint, g, render_template
from flask_babel import gettext as _

from services.gateway import personal_export
from services.gateway.access import SIGNED_IN
from services.gateway.errors import ApiError
from services.gateway.web import register_page_hooks
from services.gateway.web.guards import requires

bp = Blueprint("personal_data", __name__)
register_page_hooks(bp)


@bp.get("/mes-donnees/archive.zip")
@requires(*SIGNED_IN)
def my_archive():
    return personal_export.export(g.account)


@bp.get("/equipe/comptes/<account_id>/donnees.zip")
@requires("director")
def account_archive(account_id):
    try:
        account = personal_export.account_or_404(account_id)
    except ApiError:
        return render_template("web/error.html", title=_("Demande impossible"), message=_("Compte introuvable.")), 404
    return personal_export.export(account, by=g.account)

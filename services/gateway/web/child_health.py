"""Staff's page to write a child's health file (allergies, PAI, medication protocol, vaccinations,
doctor, emergency authorisation), opened from the child's file: the same form as the family's
(children_family.py), the same call to the bookings service, its refusals next to their fields."""

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from services.gateway.service_calls import services
from services.gateway.web import form_errors
from services.gateway.web.children_family import HEALTH_RENAMED, form_of_health, health_data
from services.gateway.web.guards import requires
from services.gateway.web.staff import bp
from shared.errors import ServiceError


def _page(child_id, form=None, errors=None, status=200):
    with services() as rpc:
        health = rpc.bookings.get_child_health(child_id, None)
    form = form if form is not None else form_of_health(health)
    return render_template("web/staff/child_health.html", health=health, form=form, errors=errors or {}), status


@bp.get("/enfants/<child_id>/sante")
@requires("educator")
def child_health(child_id):
    return _page(child_id)


@bp.post("/enfants/<child_id>/sante")
@requires("educator")
def save_child_health(child_id):
    form = request.form
    data = health_data(form)
    if data["vaccinations_up_to_date"] is None:
        errors = {"vaccinations_up_to_date": [_("Dites si ses vaccinations obligatoires sont à jour.")]}
        return _page(child_id, form, errors, 422)
    try:
        with services() as rpc:
            rpc.bookings.put_child_health(child_id, data, None)
    except ServiceError as exc:
        return _page(child_id, form, form_errors(exc, HEALTH_RENAMED), exc.status)
    flash(_("Le dossier de santé est enregistré."))
    return redirect(url_for("staff.child_file", child_id=child_id, _anchor="sante"))

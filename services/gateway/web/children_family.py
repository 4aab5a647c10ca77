"""A family's page of its child's file: the health file (allergies, PAI, medication protocol,
vaccinations, doctor, emergency authorisation), and the adults it allows to collect the child
(add, remove). Kept by the bookings service, encrypted, seen only by the family and staff."""

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from services.gateway import people
from services.gateway.service_calls import services
from services.gateway.web import form_errors
from services.gateway.web.family import bp
from services.gateway.web.guards import requires
from shared.errors import ServiceError

ADULTS_SHOWN = 20
HEALTH_RENAMED = {"name": "doctor_name", "phone": "doctor_phone"}  # the doctor's fields -> the form's


def _family_id():
    return people.own("family")


def form_of_health(health):
    """The health form from the file as recorded."""
    doctor = health.get("doctor") or {}
    return {
        "allergies": "\n".join(health.get("allergies") or []),
        "pai": health.get("pai") or "",
        "medication_protocol": health.get("medication_protocol") or "",
        "vaccinations_up_to_date": {True: "oui", False: "non"}.get(health.get("vaccinations_up_to_date"), "")
        if health.get("recorded")
        else "",
        "vaccinations_checked_on": health.get("vaccinations_checked_on") or "",
        "doctor_name": doctor.get("name", ""),
        "doctor_phone": doctor.get("phone", ""),
        "emergency_authorisation": "oui" if health.get("emergency_authorisation") else "",
    }


def health_data(form):
    allergies = [line.strip() for line in form.get("allergies", "").splitlines() if line.strip()]
    name, phone = form.get("doctor_name", "").strip(), form.get("doctor_phone", "").strip()
    return {
        "allergies": allergies,
        "pai": form.get("pai", "").strip() or None,
        "medication_protocol": form.get("medication_protocol", "").strip() or None,
        "vaccinations_up_to_date": {"oui": True, "non": False}.get(form.get("vaccinations_up_to_date")),
        "vaccinations_checked_on": form.get("vaccinations_checked_on") or None,
        "doctor": {"name": name, "phone": phone} if name or phone else None,
        "emergency_authorisation": form.get("emergency_authorisation") == "oui",
    }


def _page(child_id, health_form=None, health_errors=None, adult_form=None, adult_errors=None, status=200):
    with services() as rpc:
        health = rpc.bookings.get_child_health(child_id, _family_id())
        adults = rpc.bookings.list_pickup_adults(child_id, {"limit": ADULTS_SHOWN}, _family_id())["items"]
    page = render_template(
        "web/family/child_file.html",
        health=health,
        adults=adults,
        form=health_form if health_form is not None else form_of_health(health),
        errors=health_errors or {},
        adult_form=adult_form or {},
        adult_errors=adult_errors or {},
    )
    return page, status


@bp.get("/enfants/<child_id>")
@requires("family")
def child_file(child_id):
    return _page(child_id)


@bp.post("/enfants/<child_id>/sante")
@requires("family")
def save_health(child_id):
    form = request.form
    data = health_data(form)
    if data["vaccinations_up_to_date"] is None:
        errors = {"vaccinations_up_to_date": [_("Dites si ses vaccinations obligatoires sont à jour.")]}
        return _page(child_id, form, errors, status=422)
    try:
        with services() as rpc:
            rpc.bookings.put_child_health(child_id, data, _family_id())
    except ServiceError as exc:
        return _page(child_id, form, form_errors(exc, HEALTH_RENAMED), status=exc.status)
    flash(_("Le dossier de santé est enregistré."))
    return redirect(url_for("family.child_file", child_id=child_id))


@bp.post("/enfants/<child_id>/adultes")
@requires("family")
def add_pickup_adult(child_id):
    form = request.form
    data = {name: form.get(name, "").strip() for name in ("first_name", "last_name", "phone", "relation")}
    try:
        with services() as rpc:
            adult = rpc.bookings.add_pickup_adult(child_id, data, _family_id())
    except ServiceError as exc:
        return _page(child_id, adult_form=form, adult_errors=form_errors(exc), status=exc.status)
    flash(_("%(name)s peut venir chercher l'enfant.", name=f"{adult['first_name']} {adult['last_name']}"))
    return redirect(url_for("family.child_file", child_id=child_id, _anchor="adultes"))


@bp.post("/enfants/<child_id>/adultes/<adult_id>/retirer")
@requires("family")
def remove_pickup_adult(child_id, adult_id):
    with services() as rpc:
        adult = rpc.bookings.remove_pickup_adult(child_id, adult_id, _family_id())
    flash(_("%(name)s ne peut plus venir chercher l'enfant.", name=f"{adult['first_name']} {adult['last_name']}"))
    return redirect(url_for("family.child_file", child_id=child_id, _anchor="adultes"))

"""The staff's pages of a child's file: its health file, who may collect it, the incident and
accident register (a line is never changed: « Corriger » writes a new line naming it), and the
departure, where staff say who collects the child and that they checked the identity document.
The rules and their French sentences are the bookings service's; a refusal is shown next to its
field."""

from datetime import datetime

from flask import flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _

from services.gateway import register_copy
from services.gateway.people import staff_names
from services.gateway.service_calls import services
from services.gateway.web import form_errors
from services.gateway.web.guards import requires
from services.gateway.web.staff import bp
from shared import timeutil
from shared.errors import ServiceError

LINES_SHOWN = 200
INCIDENT_FIELDS = ("kind", "occurred_at", "description", "people_involved", "first_aid", "family_told_at")
CHECK_OUT_CALLS = {"booking": "check_out", "contract": "contract_check_out"}


def _local(text):
    """ "2026-12-07T09:30" (a datetime-local field) -> ISO 8601 with the venue's offset; the text as
    typed when it is not one (the service then names the field); None when empty."""
    text = (text or "").strip()
    if not text:
        return None
    try:
        return datetime.fromisoformat(text).replace(tzinfo=timeutil.VENUE_TZ).isoformat()
    except ValueError:
        return text


def _as_local(iso):
    moment = timeutil.in_venue_zone(iso)
    return f"{moment:%Y-%m-%dT%H:%M}" if moment else ""


def _incident_data(form):
    return {
        "kind": form.get("kind", ""),
        "occurred_at": _local(form.get("occurred_at")),
        "description": form.get("description", "").strip(),
        "people_involved": form.get("people_involved", "").strip(),
        "first_aid": form.get("first_aid", "").strip(),
        "family_told_at": _local(form.get("family_told_at")),
        "serious": form.get("serious") == "oui",
        "pmi_notified_on": form.get("pmi_notified_on") or None,
        "corrects": form.get("corrects") or None,
    }


def _form_of_line(line):
    """The form pre-filled from a line of the register, to write its correction."""
    return dict(
        {name: line.get(name) or "" for name in INCIDENT_FIELDS},
        occurred_at=_as_local(line["occurred_at"]),
        family_told_at=_as_local(line.get("family_told_at")),
        serious="oui" if line.get("serious") else "",
        pmi_notified_on=line.get("pmi_notified_on") or "",
        corrects=line["id"],
    )


def _file_page(child_id, form, errors, status=200):
    with services() as rpc:
        health = rpc.bookings.get_child_health(child_id, None)
        people = rpc.bookings.pickup_options(child_id)["people"]
        lines = rpc.bookings.list_incidents(child_id, {"limit": LINES_SHOWN})["items"]
    names = staff_names(line["recorded_by"] for line in lines)
    if form is None:
        corrected = next((line for line in lines if line["id"] == request.args.get("corrige")), None)
        form = _form_of_line(corrected) if corrected else {"kind": "incident"}
    page = render_template(
        "web/staff/child_file.html", health=health, people=people, lines=lines, names=names, form=form, errors=errors
    )
    return page, status


@bp.get("/enfants/<child_id>")
@requires("educator")
def child_file(child_id):
    return _file_page(child_id, None, {})


@bp.post("/enfants/<child_id>/incidents")
@requires("educator")
def record_incident(child_id):
    form = request.form
    try:
        with services() as rpc:
            rpc.bookings.record_incident(child_id, _incident_data(form), _staff_id())
    except ServiceError as exc:
        return _file_page(child_id, form, form_errors(exc), exc.status)
    flash(_("La ligne est inscrite au registre."))
    return redirect(url_for("staff.child_file", child_id=child_id, _anchor="registre"))


def _staff_id():
    return g.account.id


# --- the departure: who collects the child ----------------------------------------------------
def _checkout_page(target, errors, status=200):
    with services() as rpc:
        options = rpc.bookings.pickup_options(target["child"])
    page = render_template("web/staff/checkout.html", target=target, options=options, errors=errors)
    return page, status


def _target(values):
    return {name: values.get(name, "") for name in ("kind", "id", "child", "name")}


@bp.get("/pointage/depart")
@requires("educator")
def checkout():
    target = _target(request.args)
    if target["kind"] not in CHECK_OUT_CALLS or not target["child"]:
        return redirect(url_for("staff.attendance", erreur=_("Pointage inconnu.")))
    return _checkout_page(target, {})


@bp.post("/pointage/depart")
@requires("educator")
def check_out():
    form = request.form
    target = _target(form)
    method = CHECK_OUT_CALLS.get(target["kind"])
    if method is None:
        return redirect(url_for("staff.attendance", erreur=_("Pointage inconnu.")))
    kind, _sep, person = form.get("collected", "").partition(":")
    if not person:
        errors = {"collected": [_("Choisissez qui vient chercher l'enfant.")]}
        return _checkout_page(target, errors, 422)
    collected_by = {"kind": kind, "id": person, "id_checked": form.get("id_checked") == "oui"}
    try:
        with services() as rpc:
            getattr(rpc.bookings, method)(
                target["id"], {"at": datetime.now(timeutil.VENUE_TZ).isoformat(), "collected_by": collected_by}
            )
    except ServiceError as exc:
        return _checkout_page(target, form_errors(exc, {"collected_by": "collected"}), exc.status)
    register_copy.refresh()  # the evacuation register's copy, for when the system is down
    flash(_("Départ de %(name)s noté.", name=target["name"]))
    return redirect(url_for("staff.attendance", _anchor="enfant-" + target["child"]))

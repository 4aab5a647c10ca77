"""The staff's correction of a check-in or check-out: the times on file, a form to correct them
with a reason, and the history (who, when, before -> after, why). The rules (the day, the clock,
the departure after the arrival, the reason) are the bookings service's; its refusal is shown
next to its field."""

from datetime import date, datetime

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

RENAMED = {
    "arrived_at": "arrivee",
    "left_at": "depart",
    "reason": "motif",
    "collected_by": "collected",
}  # the service's names -> the form's


def _moment(day, text):
    """ "2026-12-01" + "08:25" -> ISO 8601 with the venue's offset; None for an empty field; the
    text as typed when it is not a time (the view says so next to the field)."""
    text = (text or "").strip()
    if not text:
        return None
    try:
        return datetime.combine(date.fromisoformat(day), datetime.strptime(text, "%H:%M").time(), timeutil.VENUE_TZ)
    except ValueError:
        return text


def _form_of(record):
    """The form's fields from the times on file, at the venue's clock."""
    shown = {}
    for field, name in (("arrived_at", "arrivee"), ("left_at", "depart")):
        moment = timeutil.in_venue_zone(record.get(field))
        shown[name] = f"{moment:%H:%M}" if moment else ""
    return shown


def _page(record, target, form, errors, status=200):
    names = staff_names(c["corrected_by"] for c in record.get("corrections", []))
    with services() as rpc:
        people = rpc.bookings.pickup_options(record["child_id"])["people"]
    page = render_template(
        "web/staff/attendance_correction.html",
        record=record,
        target=target,
        form=form,
        errors=errors,
        names=names,
        people=people,
    )
    return page, status


def _collected_by(form):
    """Who collected the child, when the form names someone (else the departure on file keeps its own)."""
    kind, _sep, person = form.get("collected", "").partition(":")
    return {"kind": kind, "id": person, "id_checked": form.get("id_checked") == "oui"} if person else None


def _correct(read, write, target):
    """The page (GET) or the correction (POST) of one day's attendance: `read()` answers the record,
    `write(data, staff id)` corrects it."""
    with services() as rpc:
        record = read(rpc)
    if request.method == "GET":
        return _page(record, target, _form_of(record), {})
    form = request.form
    day = record["day"]
    data = {"reason": form.get("motif", "")}
    collected = _collected_by(form)
    if collected:  # else the departure on file keeps its own
        data["collected_by"] = collected
    errors = {}
    for field, name, label in (("arrived_at", "arrivee", _("d'arrivée")), ("left_at", "depart", _("de départ"))):
        moment = _moment(day, form.get(name))
        if isinstance(moment, str):
            errors[name] = [_("Indiquez l'heure %(which)s, par exemple 08:30, ou laissez vide.", which=label)]
        else:
            data[field] = moment.isoformat() if moment else None
    if errors:
        return _page(record, target, form, errors, 422)
    try:
        with services() as rpc:
            write(rpc, data, g.account.id)
    except ServiceError as exc:
        return _page(record, target, form, form_errors(exc, renamed=RENAMED), exc.status)
    register_copy.refresh()  # the evacuation register's copy, for when the system is down
    flash(_("Correction enregistrée pour %(name)s.", name=record["child_first_name"]))
    return redirect(request.path)


@bp.route("/pointage/reservations/<booking_id>", methods=["GET", "POST"])
@requires("educator")
def booking_attendance(booking_id):
    return _correct(
        lambda rpc: rpc.bookings.booking_attendance(booking_id),
        lambda rpc, data, by: rpc.bookings.correct_booking_attendance(booking_id, data, by),
        url_for("staff.booking_attendance", booking_id=booking_id),
    )


@bp.route("/pointage/contrats/<contract_id>/<day>", methods=["GET", "POST"])
@requires("educator")
def contract_attendance(contract_id, day):
    return _correct(
        lambda rpc: rpc.bookings.contract_attendance(contract_id, day),
        lambda rpc, data, by: rpc.bookings.correct_contract_attendance(contract_id, day, data, by),
        url_for("staff.contract_attendance", contract_id=contract_id, day=day),
    )

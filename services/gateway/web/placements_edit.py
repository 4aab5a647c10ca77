"""A placement changed after it is recorded (/equipe/stages/<id>/modifier: its dates after an
illness, its weekly schedule, its hours, its tutor, with the reason kept in its history) and the
gratification actually paid for one of its months (/equipe/stages/<id>/versements).

On the staff's placements blueprint. The form sends the placements service only what changed;
its rules (the tutor's trainees, the venue's quota, 6 months per school year, no overlap, one
payment per month) come back as its sentences next to the field they name.
"""

from datetime import date

from flask import flash, redirect, request, url_for
from flask_babel import gettext as _

from services.gateway.service_calls import services
from services.gateway.web import euros, hours_text, month
from services.gateway.web.guards import requires
from services.gateway.web.placement_forms import (
    as_decimal,
    day_names,
    decimal_text,
    form_days,
    refusal_errors,
    schedule_form,
    schedule_from_form,
)
from services.gateway.web.placements_staff import MISSING, _me, _people, _render, bp, placement_page
from shared.errors import ServiceError

REASON_LENGTH = 500  # as the service keeps it
EDIT_ORDER = (
    "_schema",
    "tutor_id",
    "starts_on",
    "ends_on",
    "weekly_schedule",
    *(f"{name}_{weekday}" for weekday in range(7) for name in ("start", "end", "break")),
    "required_hours",
    "reason",
)


def _in_edit_order(errors):
    rank = {name: n for n, name in enumerate(EDIT_ORDER)}
    return dict(sorted(errors.items(), key=lambda item: rank.get(item[0], len(rank))))


def _prefilled(found):
    """The form as the placement is now."""
    return {
        "tutor_id": found.get("tutor_id", ""),
        "starts_on": found.get("starts_on", ""),
        "ends_on": found.get("ends_on", ""),
        "required_hours": hours_text(found.get("required_hours")),
        **schedule_form(found.get("weekly_schedule")),
    }


def _edit_page(found, form, errors, status=200):
    return _render(
        "web/staff/placements/edit.html",
        status,
        placement=found,
        form=form,
        errors=_in_edit_order(errors),
        tutors=_people("staff"),
        days=form_days(found.get("weekly_schedule")),
        day_names=day_names(),
    )


def _iso_day(text):
    try:
        return date.fromisoformat(text)
    except ValueError:
        return None


def _changes(form, found):
    """(what changed, as the service takes it; errors by field; the schedule as typed). A field
    as it was is not sent: the service changes, checks again and records only what is sent."""
    data, errors = {}, {}
    tutor_id = form.get("tutor_id", "")
    if tutor_id != found.get("tutor_id"):
        if tutor_id in {key for key, _name in _people("staff")}:
            data["tutor_id"] = tutor_id
        else:
            errors["tutor_id"] = [_("Choisissez le tuteur ou la tutrice parmi les membres de l'équipe.")]
    _date_changes(form, found, data, errors)
    _hours_change(form, found, data, errors)
    weekdays = form_days(found.get("weekly_schedule"))
    schedule, schedule_errors = schedule_from_form(form, weekdays)
    errors.update(schedule_errors)
    before, _problems = schedule_from_form(schedule_form(found.get("weekly_schedule")), weekdays)
    if not schedule_errors and schedule != before:
        data["weekly_schedule"] = schedule  # an empty week: the convention's hours are planned
    reason = form.get("reason", "").strip()
    if len(reason) > REASON_LENGTH:
        errors["reason"] = [_("Le motif tient en 500 caractères au plus.")]
    if not data and not errors:
        errors["_schema"] = [
            _("Rien n'a changé : modifiez les dates, l'emploi du temps, les heures ou le tuteur, puis enregistrez.")
        ]
    data["reason"] = reason
    return data, errors, schedule


def _date_changes(form, found, data, errors):
    days = {}
    for name in ("starts_on", "ends_on"):
        value = form.get(name, "").strip()
        days[name] = _iso_day(value)
        if not value:
            errors[name] = [MISSING()[name]]
        elif days[name] is None:
            errors[name] = [_("Indiquez une date, par exemple 2026-03-15.")]
        elif value != found.get(name):
            data[name] = value
    if days["starts_on"] and days["ends_on"] and days["ends_on"] < days["starts_on"]:
        errors["ends_on"] = [_("Le dernier jour du stage doit être le premier jour ou après.")]


def _hours_change(form, found, data, errors):
    hours = decimal_text(form.get("required_hours", ""))
    number = as_decimal(hours)
    if not hours:
        errors["required_hours"] = [_("Indiquez les heures prévues par la convention (0 pour un stage d'observation).")]
    elif number is None or number < 0:
        errors["required_hours"] = [_("Indiquez un nombre d'heures, par exemple 490 ou 140,5.")]
    elif number != as_decimal(found.get("required_hours")):
        data["required_hours"] = hours


@bp.route("/<placement_id>/modifier", methods=["GET", "POST"])
@requires("coordinator")
def edit(placement_id):
    with services() as rpc:
        found = rpc.placements.get_placement(placement_id)
    if request.method == "GET":
        return _edit_page(found, _prefilled(found), {})
    data, errors, schedule = _changes(request.form, found)
    if errors:
        return _edit_page(found, request.form, errors, 422)
    try:
        with services() as rpc:
            changed = rpc.placements.update_placement(placement_id, data, _me())
    except ServiceError as exc:
        return _edit_page(found, request.form, refusal_errors(exc, schedule), exc.status)
    name = changed.get("trainee_name") or found.get("trainee_name", "")
    flash(_("Le stage de %(name)s est modifié ; le changement figure dans son historique.", name=name))
    return redirect(url_for("placements_staff.placement", placement_id=placement_id))


@bp.post("/<placement_id>/versements")
@requires("coordinator", "accounting")
def record_payment(placement_id):
    """What was actually paid for one month of the placement (the attestation prints the total)."""
    form = request.form
    chosen, amount = form.get("month", "").strip(), decimal_text(form.get("amount", ""))
    errors, status = {}, 422
    if not chosen:
        errors["month"] = [_("Choisissez le mois pour lequel la gratification a été versée.")]
    if not amount:
        errors["amount"] = [_("Indiquez le montant versé, par exemple 472,50 (0 pour un mois sans versement).")]
    if not errors:
        try:
            with services() as rpc:
                rpc.placements.record_gratification_payment(placement_id, {"month": chosen, "amount": amount}, _me())
        except ServiceError as exc:
            errors, status = refusal_errors(exc, []), exc.status
            if set(errors) == {"_schema"} and exc.status == 409:
                errors = {"month": errors["_schema"]}  # the month already paid: said next to the month
        else:
            flash(_("Versement de %(month)s enregistré : %(amount)s.", month=month(chosen), amount=euros(amount)))
            return redirect(url_for("placements_staff.placement", placement_id=placement_id, _anchor="gratification"))
    return placement_page(placement_id, status, payment_form=form, payment_errors=errors)

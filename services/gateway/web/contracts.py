"""A family's regular care contracts (accueil régulier): see them, ask for one, declare an
absence with its reason. The figures and the rules (places, deductions) are the bookings
service's; these views only turn the form into the service's fields and back."""

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from services.gateway.service_calls import services
from services.gateway.web import field_errors, form_errors
from services.gateway.web.family import _family_id, bp
from services.gateway.web.guards import requires
from shared import timeutil
from shared.errors import ServiceError

WEEKDAYS = (0, 1, 2, 3, 4)  # the crèche's days (COCOON_OPENING's default); the service checks the hours


def reasons():
    """Absence reasons as the CNAF rules name them (services/bookings/domain/absences.py), with
    what each means for the bill, so a family knows before declaring. The closure of the crèche
    and the eviction are not offered: staff declare them (the service refuses them from a family)."""
    return [
        ("illness_certificate", _("Maladie avec certificat médical"), _("déduite à partir du 4e jour")),
        ("hospitalisation", _("Hospitalisation (certificat d'hospitalisation)"), _("déduite dès le 1er jour")),
        ("other", _("Autre absence (vacances, convenance…)"), _("non déduite : reste facturée")),
    ]


def _page(form=None, errors=None, status=200):
    with services() as rpc:
        family = rpc.bookings.get_family(_family_id())
        contracts = rpc.bookings.list_contracts({}, _family_id()).get("items", [])
    return (
        render_template(
            "web/family/contracts.html",
            family=family,
            contracts=contracts,
            reasons=reasons(),
            weekdays=WEEKDAYS,
            form=form or {},
            errors=errors or {},
            today=timeutil.venue_today().isoformat(),
        ),
        status,
    )


@bp.get("/contrats")
@requires("family")
def contracts():
    return _page()


@bp.post("/contrats/<contract_id>/absences")
@requires("family")
def declare_absence(contract_id):
    form = request.form
    data = {
        "starts_on": form.get("starts_on", ""),
        "ends_on": form.get("ends_on", ""),
        "reason": form.get("reason", ""),
    }
    try:
        with services() as rpc:
            absence = rpc.bookings.record_absence(contract_id, data, _family_id())
    except ServiceError as exc:
        errors = form_errors(exc)
        return _page(dict(form, contract_id=contract_id), errors, exc.status)
    flash(_("Absence enregistrée : %(hours)s h déduites de la facture.", hours=absence.get("deducted_hours", "0")))
    return redirect(url_for("family.contracts"))


@bp.post("/contrats")
@requires("family")
def request_contract():
    form = request.form
    pattern = [
        {"weekday": day, "start": form.get(f"start-{day}", ""), "end": form.get(f"end-{day}", "")}
        for day in WEEKDAYS
        if form.get(f"start-{day}") or form.get(f"end-{day}")
    ]
    data = {
        "child_id": form.get("child_id", ""),
        "starts_on": form.get("starts_on", ""),
        "ends_on": form.get("ends_on", ""),
        "weeks_per_year": _integer(form.get("weeks_per_year")),
        "pattern": pattern,
    }
    try:
        with services() as rpc:
            rpc.bookings.request_contract(data, _family_id())
    except ServiceError as exc:
        return _page(form, _contract_errors(exc, pattern), exc.status)
    flash(_("Votre demande de contrat est envoyée : l'équipe vous répondra."))
    return redirect(url_for("family.contracts"))


def _contract_errors(exc, pattern):
    """The service's errors by form field; a day's hours ("pattern.<i>.start") go next to that
    day's field ("start-<weekday>")."""
    fields = dict(exc.fields or {})
    by_day = fields.pop("pattern", None)
    errors = field_errors(ServiceError(exc.message, fields=fields)) if fields else {}
    if isinstance(by_day, dict):
        for index, messages in by_day.items():
            if str(index).isdecimal() and int(index) < len(pattern):
                for name, sentences in messages.items():
                    errors[f"{name}-{pattern[int(index)]['weekday']}"] = sentences
            else:
                errors.setdefault("start-0", []).extend(messages if isinstance(messages, list) else [str(messages)])
    elif by_day:
        errors["start-0"] = [_("Indiquez au moins un jour, avec ses heures d'arrivée et de départ.")]
    return errors or {"_schema": [exc.message]}


def _integer(text):
    try:
        return int(str(text).strip())
    except ValueError:
        return text

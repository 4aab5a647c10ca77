"""A family's regular care contracts (accueil régulier): see them, ask for one, ask for an
absence with its reason and its certificate (a photo or a PDF, services/gateway/certificates.py),
and see each absence's decision. The figures and the rules (places, deductions, which files are
taken) are the bookings service's; these views only turn the form into the service's fields and back."""

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from services.gateway import certificates
from services.gateway.body_limit import takes_file
from services.gateway.service_calls import services
from services.gateway.web import field_errors, form_errors
from services.gateway.web.family import _family_id, bp
from services.gateway.web.guards import requires
from shared import timeutil
from shared.errors import ServiceError

WEEKDAYS = (0, 1, 2, 3, 4)  # the crèche's days (COCOON_OPENING's default); the service checks the hours
CERTIFICATE_REASONS = ("illness_certificate", "hospitalisation")  # deducted once staff saw the certificate


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
            certificate_reasons=CERTIFICATE_REASONS,
            accept=certificates.ACCEPT,
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
@takes_file(certificates.MAX_BYTES)
def declare_absence(contract_id):
    form = request.form
    data = {
        "starts_on": form.get("starts_on", ""),
        "ends_on": form.get("ends_on", ""),
        "reason": form.get("reason", ""),
    }
    certificate = certificates.form_file() if data["reason"] in CERTIFICATE_REASONS else None
    try:
        with services() as rpc:
            rpc.bookings.record_absence(contract_id, data, _family_id(), None, certificate)
    except ServiceError as exc:
        errors = form_errors(exc)
        return _page(dict(form, contract_id=contract_id), errors, exc.status)
    if data["reason"] in CERTIFICATE_REASONS and certificate is None:
        flash(_("Demande d'absence envoyée. Sans certificat, l'équipe vous le demandera avant de la valider."))
    else:
        flash(_("Demande d'absence envoyée : l'équipe la validera, puis les heures seront déduites s'il y a lieu."))
    return redirect(url_for("family.contracts"))


@bp.get("/contrats/absences/<absence_id>/justificatif")
@requires("family")
def absence_certificate(absence_id):
    """The family's own certificate (another family's absence is not found)."""
    with services() as rpc:
        return certificates.download(rpc.bookings.get_certificate(absence_id, _family_id()))


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

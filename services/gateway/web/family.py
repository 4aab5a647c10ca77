"""A family's pages: its file and children, the free slots and booking, its bookings and
cancellation, the monthly statement, the password. Every decision is the bookings service's."""

from datetime import date, timedelta

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from services.gateway import documents, people
from services.gateway.service_calls import services
from services.gateway.web import field_errors, form_errors, register_page_hooks
from services.gateway.web.guards import requires
from shared import timeutil
from shared.errors import ServiceError
from shared.pagination import MAX_LIMIT

bp = Blueprint("family", __name__, url_prefix="/famille")
register_page_hooks(bp)
WEEKS_SHOWN = 3


def _family_id():
    return people.own("family")


@bp.get("/")
@requires("family")
def home():
    with services() as rpc:
        family = rpc.bookings.get_family(_family_id())
    return render_template("web/family/home.html", family=family, form={}, errors={})


@bp.post("/enfants")
@requires("family")
def add_child():
    form = request.form
    walking = {"oui": True, "non": False}.get(form.get("walking"))
    data = {
        "first_name": form.get("first_name", "").strip(),
        "birth_date": form.get("birth_date", ""),
        "walking": walking,
    }
    try:
        with services() as rpc:
            child = rpc.bookings.add_child(_family_id(), data)
    except ServiceError as exc:
        with services() as rpc:
            family = rpc.bookings.get_family(_family_id())
        errors = form_errors(exc)
        return render_template("web/family/home.html", family=family, form=form, errors=errors), exc.status
    flash(_("%(name)s est ajouté·e à votre famille.", name=child["first_name"]))
    return redirect(url_for("family.home"))


@bp.get("/creneaux")
@requires("family")
def slots():
    today = date.today()
    period = {"from": today.isoformat(), "to": (today + timedelta(days=WEEKS_SHOWN * 7)).isoformat()}
    with services() as rpc:
        family = rpc.bookings.get_family(_family_id())
        found = _every_slot(rpc, period)
        prices = rpc.bookings.slot_prices(_family_id(), [slot["id"] for slot in found]) if found else {}
        quote = rpc.bookings.quote_fee(
            {
                "monthly_resources": family["monthly_resources"],
                "dependent_children": family["dependent_children"],
                "aeeh_children": family["aeeh_children"],
            }
        )
    return render_template(
        "web/family/slots.html",
        slots=found,
        prices=prices,
        family=family,
        quote=quote,
        errors=request.args.get("erreur"),
    )


def _every_slot(rpc, period):
    """The slots of the period in one call (a page holds them all; a longer list follows its cursor)."""
    query, found = dict(period, limit=MAX_LIMIT), []
    while True:
        answer = rpc.bookings.list_slots(query)
        found += answer["items"]
        if not answer.get("next_cursor"):
            return found
        query = dict(query, cursor=answer["next_cursor"])


@bp.post("/reservations")
@requires("family")
def book():
    data = {"slot_id": request.form.get("slot_id", ""), "child_id": request.form.get("child_id", "")}
    try:
        with services() as rpc:
            booking = rpc.bookings.book(_family_id(), data)
    except ServiceError as exc:
        sentences = [exc.message] + [s for messages in field_errors(exc).values() for s in messages]
        return redirect(url_for("family.slots", erreur=" ".join(dict.fromkeys(sentences))))
    if booking["status"] == "confirmed":
        flash(_("Réservation confirmée pour %(name)s.", name=booking["child_first_name"]))
    else:
        flash(
            _(
                "Le créneau est complet : %(name)s est sur la liste d'attente, en position %(position)s.",
                name=booking["child_first_name"],
                position=booking.get("waitlist_position"),
            )
        )
    return redirect(url_for("family.bookings"))


@bp.get("/reservations")
@requires("family")
def bookings():
    with services() as rpc:
        mine = rpc.bookings.list_bookings({}, _family_id())["items"]
    return render_template("web/family/bookings.html", bookings=mine)


@bp.post("/reservations/<booking_id>/annulation")
@requires("family")
def cancel(booking_id):
    try:
        with services() as rpc:
            booking = rpc.bookings.cancel_booking(booking_id, _family_id())
    except ServiceError as exc:
        flash(exc.message, "error")
        return redirect(url_for("family.bookings"))
    if booking["cancelled_in_time"]:
        flash(_("Réservation annulée à temps : elle ne sera pas facturée."))
    else:
        flash(_("Réservation annulée trop tard : elle sera facturée (%(amount)s).", amount=_euros(booking["amount"])))
    return redirect(url_for("family.bookings"))


@bp.get("/releve")
@requires("family")
def statement():
    month = request.args.get("mois") or timeutil.venue_today().strftime("%Y-%m")
    error = None
    with services() as rpc:
        try:
            found = rpc.bookings.monthly_statement(_family_id(), month)
        except ServiceError as exc:
            found, error = None, exc.message
    return render_template("web/family/statement.html", statement=found, month=month, error=error)


@bp.get("/releve/<month>.pdf")
@requires("family")
def statement_pdf(month):
    return documents.statement_pdf(_family_id(), month)


def _euros(amount):
    from services.gateway.web import euros

    return euros(amount)


# --- the SEPA direct debit mandate -----------------------------------------------------------------
CONSENT_MISSING = "Cochez la case pour signer le mandat : sans elle, aucun prélèvement n'est autorisé."


def _mandate_page(form, errors, status=200):
    with services() as rpc:
        terms = rpc.bookings.mandate_terms(_family_id())
    page = render_template("web/family/mandate.html", terms=terms, form=form, errors=errors)
    return page, status


@bp.get("/prelevement")
@requires("family")
def mandate():
    return _mandate_page({"signed_on": timeutil.venue_today().isoformat()}, {})


@bp.post("/prelevement")
@requires("family")
def sign_mandate():
    form = request.form
    data = {
        "iban": form.get("iban", ""),
        "bic": form.get("bic", "").strip() or None,
        "holder": form.get("holder", ""),
        "signed_on": form.get("signed_on", ""),
    }
    if form.get("consent") != "oui":
        return _mandate_page(form, {"consent": [_(CONSENT_MISSING)]}, 422)
    try:
        with services() as rpc:
            signed = rpc.bookings.sign_mandate(_family_id(), data)
    except ServiceError as exc:
        return _mandate_page(form, form_errors(exc), exc.status)
    flash(_("Mandat de prélèvement SEPA enregistré, référence %(reference)s.", reference=signed["reference"]))
    return redirect(url_for("family.mandate"))


@bp.post("/prelevement/revoquer")
@requires("family")
def revoke_mandate():
    try:
        with services() as rpc:
            revoked = rpc.bookings.revoke_mandate(_family_id())
    except ServiceError as exc:
        flash(exc.message)
        return redirect(url_for("family.mandate"))
    flash(
        _(
            "Mandat %(reference)s révoqué : vos prochaines factures ne seront plus prélevées. "
            "Payez-les par un autre moyen, ou signez un nouveau mandat.",
            reference=revoked["reference"],
        )
    )
    return redirect(url_for("family.mandate"))

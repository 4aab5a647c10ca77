"""Childcare: slots, children, bookings, attendance, fee quotes and statements (bookings service)."""

from flask import jsonify

from services.bookings.schemas import (
    BookingIn,
    BookingOut,
    BookingQuery,
    CheckOutIn,
    ChildIn,
    ChildOut,
    MomentIn,
    MonthIn,
    QuoteOut,
    QuoteQuery,
    SlotIn,
    SlotOut,
    SlotQuery,
    SlotStaffIn,
    StatementOut,
)
from services.gateway import auth, documents, people, register_copy, request_checks
from services.gateway.api import bp, created, services
from services.gateway.pagination import page_response
from services.gateway.routing import api_route, json_body, validated


def family_scope():
    """A family acts on its own record only; staff act for everyone (None)."""
    return people.scope("family")


@api_route(
    bp,
    "/childcare-slots",
    "POST",
    "Ouvrir un créneau d'accueil",
    roles=("educator",),
    body=SlotIn,
    status=201,
    response=SlotOut,
    tag="accueil",
)
def create_slot():
    data = json_body()
    with services() as rpc:
        return created(rpc.bookings.create_slot(data))


@api_route(
    bp,
    "/childcare-slots/<slot_id>",
    "PATCH",
    "Changer le personnel d'un créneau à tout moment (appel de malade, remplacement) : staff_ids, "
    "et staff_on_duty pour du personnel non nommé ; accepté même si le taux n'est plus tenu (le tableau "
    "du jour le signale en rouge), aucune réservation n'est annulée",
    roles=("educator",),
    body=SlotStaffIn,
    response=SlotOut,
    tag="accueil",
)
def change_slot_staff(slot_id):
    data = json_body()
    with services() as rpc:
        return jsonify(rpc.bookings.change_slot_staff(slot_id, data))


@api_route(
    bp,
    "/childcare-slots",
    "GET",
    "Créneaux d'accueil (paramètres date, ou from et to, limit, cursor)",
    roles=("educator", "family"),
    many=True,
    query=SlotQuery,
    response=SlotOut,
    tag="accueil",
)
def list_slots(query):
    with services() as rpc:
        answer = rpc.bookings.list_slots(query)
    if "staff" not in auth.current_account().roles:  # families see how many staff, not who
        answer = dict(answer, items=[{k: v for k, v in slot.items() if k != "staff"} for slot in answer["items"]])
    return page_response(answer, query)


@api_route(
    bp,
    "/families/me/children",
    "POST",
    "Ajouter un enfant",
    roles=("family",),
    body=ChildIn,
    status=201,
    response=ChildOut,
    tag="familles",
)
def add_child():
    data = json_body()
    with services() as rpc:
        return created(rpc.bookings.add_child(family_scope(), data))


@api_route(
    bp,
    "/bookings",
    "POST",
    "Réserver un créneau pour un enfant",
    roles=("family",),
    body=BookingIn,
    status=201,
    response=BookingOut,
    tag="accueil",
)
def book():
    data = json_body()
    with services() as rpc:
        return created(rpc.bookings.book(family_scope(), data))


@api_route(
    bp,
    "/bookings",
    "GET",
    "Réservations (les siennes ; l'équipe : toutes, filtres family_id, slot_id, status, date ; limit, cursor)",
    roles=("educator", "family"),
    many=True,
    query=BookingQuery,
    response=BookingOut,
    tag="accueil",
)
def list_bookings(query):
    with services() as rpc:
        return page_response(rpc.bookings.list_bookings(query, family_scope()), query)


@api_route(
    bp,
    "/bookings/<booking_id>/cancel",
    "POST",
    "Annuler une réservation",
    roles=("educator", "family"),
    response=BookingOut,
    tag="accueil",
)
def cancel_booking(booking_id):
    with services() as rpc:
        return jsonify(rpc.bookings.cancel_booking(booking_id, family_scope()))


@api_route(
    bp,
    "/bookings/<booking_id>/check-in",
    "POST",
    "Noter l'arrivée",
    roles=("educator",),
    body=MomentIn,
    response=BookingOut,
    tag="accueil",
)
def check_in(booking_id):
    data = json_body()
    with services() as rpc:
        answer = rpc.bookings.check_in(booking_id, data)
    register_copy.refresh()  # the evacuation register's copy, for when the system is down
    return jsonify(answer)


@api_route(
    bp,
    "/bookings/<booking_id>/check-out",
    "POST",
    "Noter le départ et qui vient chercher l'enfant (un responsable ou un adulte autorisé, pièce d'identité vérifiée)",
    roles=("educator",),
    body=CheckOutIn,
    response=BookingOut,
    tag="accueil",
)
def check_out(booking_id):
    data = json_body()
    with services() as rpc:
        answer = rpc.bookings.check_out(booking_id, data)
    register_copy.refresh()  # the evacuation register's copy, for when the system is down
    return jsonify(answer)


@api_route(
    bp,
    "/fees/quote",
    "GET",
    "Tarif horaire CNAF (paramètres monthly_resources, dependent_children, aeeh_children ou aeeh, on)",
    roles=auth.PUBLIC,
    query=QuoteQuery,
    response=QuoteOut,
    tag="accueil",
)
def fee_quote(query):
    with services() as rpc:
        return jsonify(rpc.bookings.quote_fee(query))


# A month and its PDF share a path segment: Flask picks "<month>.pdf" for ".../2026-12.pdf" (its
# static suffix wins over the bare "<month>", whatever the order), so "<month>" never sees ".pdf".
@api_route(
    bp,
    "/families/me/statements/<month>.pdf",
    "GET",
    "Relevé mensuel en PDF, la facture (AAAA-MM)",
    roles=("family",),
    tag="familles",
    content_type="application/pdf",
)
def my_statement_pdf(month):
    return statement_pdf(family_scope(), month)


@api_route(
    bp,
    "/families/me/statements/<month>",
    "GET",
    "Relevé mensuel (AAAA-MM)",
    roles=("family",),
    response=StatementOut,
    tag="familles",
)
def my_statement(month):
    request_checks.check_month(month)
    with services() as rpc:
        return jsonify(rpc.bookings.monthly_statement(family_scope(), month))


@api_route(
    bp,
    "/families/<family_id>/statements/<month>.pdf",
    "GET",
    "Relevé mensuel d'une famille en PDF (AAAA-MM)",
    roles=("accounting",),
    tag="familles",
    content_type="application/pdf",
)
def family_statement_pdf(family_id, month):
    return statement_pdf(family_id, month)


@api_route(
    bp,
    "/families/<family_id>/statements/<month>",
    "GET",
    "Relevé mensuel d'une famille (AAAA-MM)",
    roles=("accounting",),
    response=StatementOut,
    tag="familles",
)
def family_statement(family_id, month):
    request_checks.check_month(month)
    with services() as rpc:
        return jsonify(rpc.bookings.monthly_statement(family_id, month))


def statement_pdf(family_id, month):
    """The month is checked here too (the same schema as the service's), before the service is asked."""
    month = validated(MonthIn(), {"month": month})["month"]
    request_checks.check_month(month)
    return documents.statement_pdf(family_id, month)

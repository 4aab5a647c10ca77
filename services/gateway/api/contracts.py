"""Regular care contracts (accueil régulier) and their absences (bookings service)."""

from flask import Response, jsonify

from services.bookings.schemas import (
    AbsenceIn,
    AbsenceOut,
    AttendanceOut,
    CheckOutIn,
    ContractAmendIn,
    ContractEndIn,
    ContractIn,
    ContractOut,
    ContractQuery,
    ContractQuoteOut,
    ContractQuoteQuery,
    MomentIn,
)
from services.gateway import auth, register_copy
from services.gateway.api import bp, created, services
from services.gateway.api.childcare import family_scope
from services.gateway.cnaf_sheet import cnaf_csv
from services.gateway.pagination import page_response
from services.gateway.routing import api_route, json_body


@api_route(
    bp,
    "/fees/contract-quote",
    "GET",
    "Mensualisation d'un contrat (paramètres monthly_resources, dependent_children, aeeh_children ou aeeh, on, "
    "hours_per_week, weeks_per_year, months)",
    roles=auth.PUBLIC,
    query=ContractQuoteQuery,
    response=ContractQuoteOut,
    tag="contrats",
)
def contract_quote(query):
    with services() as rpc:
        return jsonify(rpc.bookings.quote_contract(query))


@api_route(
    bp,
    "/contracts",
    "POST",
    "Demander un contrat d'accueil régulier (la famille pour son enfant, ou l'équipe)",
    roles=("educator", "family"),
    body=ContractIn,
    response=ContractOut,
    status=201,
    tag="contrats",
)
def request_contract():
    data = json_body()
    with services() as rpc:
        return created(rpc.bookings.request_contract(data, family_scope()))


@api_route(
    bp,
    "/contracts",
    "GET",
    "Contrats (les siens ; l'équipe : tous, filtre status ; limit, cursor)",
    roles=("educator", "accounting", "family"),
    many=True,
    query=ContractQuery,
    response=ContractOut,
    tag="contrats",
)
def list_contracts(query):
    with services() as rpc:
        return page_response(rpc.bookings.list_contracts(query, family_scope()), query)


@api_route(
    bp,
    "/contracts/<contract_id>",
    "GET",
    "Voir un contrat et ses absences",
    roles=("educator", "accounting", "family"),
    response=ContractOut,
    tag="contrats",
)
def get_contract(contract_id):
    with services() as rpc:
        return jsonify(rpc.bookings.get_contract(contract_id, family_scope()))


@api_route(
    bp,
    "/contracts/<contract_id>/accept",
    "POST",
    "Accepter un contrat (409 avec les jours sans place)",
    roles=("educator",),
    response=ContractOut,
    tag="contrats",
)
def accept_contract(contract_id):
    with services() as rpc:
        return jsonify(rpc.bookings.accept_contract(contract_id))


@api_route(
    bp,
    "/contracts/<contract_id>/end",
    "POST",
    "Terminer un contrat avant sa fin (la famille : avec le préavis)",
    roles=("educator", "family"),
    body=ContractEndIn,
    response=ContractOut,
    tag="contrats",
)
def end_contract(contract_id):
    data = json_body()
    with services() as rpc:
        return jsonify(rpc.bookings.end_contract(contract_id, data, family_scope()))


@api_route(
    bp,
    "/contracts/<contract_id>/amend",
    "POST",
    "Modifier les jours et horaires à partir d'une date",
    roles=("educator",),
    body=ContractAmendIn,
    response=ContractOut,
    tag="contrats",
)
def amend_contract(contract_id):
    data = json_body()
    with services() as rpc:
        return jsonify(rpc.bookings.amend_contract(contract_id, data))


@api_route(
    bp,
    "/contracts/<contract_id>/absences",
    "POST",
    "Demander une absence (la famille : illness_certificate, hospitalisation, other ; en attente de validation) "
    "ou l'enregistrer (l'équipe, aussi eviction et closure : acceptée, déduite)",
    roles=("educator", "family"),
    body=AbsenceIn,
    response=AbsenceOut,
    status=201,
    tag="contrats",
)
def record_absence(contract_id):
    data = json_body()
    with services() as rpc:
        family_id = family_scope()
        staff_id = None if family_id else auth.current_account().id
        return created(rpc.bookings.record_absence(contract_id, data, family_id, staff_id))


@api_route(
    bp,
    "/contracts/<contract_id>/check-in",
    "POST",
    "Noter l'arrivée d'un enfant sous contrat",
    roles=("educator",),
    body=MomentIn,
    response=AttendanceOut,
    tag="contrats",
)
def contract_check_in(contract_id):
    data = json_body()
    with services() as rpc:
        answer = rpc.bookings.contract_check_in(contract_id, data)
    register_copy.refresh()  # the evacuation register's copy, for when the system is down
    return jsonify(answer)


@api_route(
    bp,
    "/contracts/<contract_id>/check-out",
    "POST",
    "Noter le départ d'un enfant sous contrat et qui vient le chercher (responsable ou adulte autorisé)",
    roles=("educator",),
    body=CheckOutIn,
    response=AttendanceOut,
    tag="contrats",
)
def contract_check_out(contract_id):
    data = json_body()
    with services() as rpc:
        answer = rpc.bookings.contract_check_out(contract_id, data)
    register_copy.refresh()  # the evacuation register's copy, for when the system is down
    return jsonify(answer)


@api_route(
    bp,
    "/reports/cnaf/<year>.csv",
    "GET",
    "Heures facturées et réalisées de l'année, mois par mois, pour la CAF (CSV)",
    roles=("accounting",),
    tag="contrats",
    content_type="text/csv",
)
def cnaf_report(year):
    with services() as rpc:
        report = rpc.bookings.cnaf_report(year)
    return Response(
        cnaf_csv(report),
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="cnaf-{year}.csv"'},
    )

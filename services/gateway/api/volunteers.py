"""Volunteers (volunteers service): the activities open to them, the charte de bénévolat they
accept, their sign-ups and hours; staff record the honorability attestation and the insurance,
and see the volunteers and the attestations about to expire. A volunteer only ever reaches their
own record: the id comes from the token."""

from flask import jsonify

from services.gateway import auth, documents, people
from services.gateway.api import bp, created, services
from services.gateway.pagination import page_response
from services.gateway.routing import api_route, json_body, validated
from services.volunteers.schemas import (
    CharterIn,
    ExpiringOut,
    ExpiringQuery,
    HonorabilityIn,
    HoursOut,
    HoursQuery,
    InsuranceIn,
    OpportunityOut,
    OpportunityQuery,
    ProfileOut,
    SignupOut,
    VolunteerQuery,
)


def _me():
    return people.own("volunteer")


@api_route(
    bp,
    "/opportunities",
    "GET",
    "Activités ouvertes aux bénévoles, les plus adaptées d'abord (paramètres limit, cursor)",
    roles=("volunteer",),
    response=OpportunityOut,
    many=True,
    query=OpportunityQuery,
    tag="bénévoles",
)
def list_opportunities(query):
    with services() as rpc:
        return page_response(rpc.volunteers.list_opportunities(_me(), query), query)


@api_route(
    bp,
    "/opportunities/<activity_id>/signup",
    "POST",
    "M'inscrire à une activité (409 avec la raison d'un refus : charte non acceptée, pas autorisé·e, complet…)",
    roles=("volunteer",),
    response=SignupOut,
    status=201,
    tag="bénévoles",
)
def sign_up(activity_id):
    with services() as rpc:
        return created(rpc.volunteers.sign_up(_me(), activity_id))


@api_route(
    bp,
    "/volunteers/me/charter",
    "POST",
    "Accepter la charte de bénévolat dans sa version en vigueur (409 pour une autre version)",
    roles=("volunteer",),
    body=CharterIn,
    response=ProfileOut,
    tag="bénévoles",
)
def accept_charter():
    data = json_body()
    with services() as rpc:
        return jsonify(rpc.volunteers.accept_charter(_me(), data))


@api_route(
    bp,
    "/signups/<signup_id>/withdraw",
    "POST",
    "Me désinscrire avant le début de l'activité",
    roles=("volunteer",),
    response=SignupOut,
    tag="bénévoles",
)
def withdraw(signup_id):
    with services() as rpc:
        return jsonify(rpc.volunteers.withdraw(signup_id, _me()))


@api_route(
    bp,
    "/volunteers/me/hours",
    "GET",
    "Mes heures de bénévolat d'une année (paramètre year, par défaut l'année en cours)",
    roles=("volunteer",),
    query=HoursQuery,
    response=HoursOut,
    tag="bénévoles",
)
def my_hours(query):
    with services() as rpc:
        return jsonify(rpc.volunteers.my_hours(_me(), query))


@api_route(
    bp,
    "/volunteers",
    "GET",
    "Les bénévoles, avec ce qui leur manque pour venir auprès des enfants (équipe)",
    roles=("coordinator",),
    many=True,
    query=VolunteerQuery,
    response=ProfileOut,
    tag="bénévoles",
)
def list_volunteers(query):
    with services() as rpc:
        return page_response(rpc.volunteers.list_volunteers(query), query)


@api_route(
    bp,
    "/volunteers/expiring-attestations",
    "GET",
    "Attestations d'honorabilité qui expirent bientôt (équipe)",
    roles=("coordinator",),
    many=True,
    query=ExpiringQuery,
    response=ExpiringOut,
    tag="bénévoles",
)
def expiring_attestations(query):
    with services() as rpc:
        return page_response(rpc.volunteers.list_expiring(query), query)


@api_route(
    bp,
    "/volunteers/<volunteer_id>/honorability",
    "POST",
    "Enregistrer l'attestation d'honorabilité vérifiée (équipe)",
    roles=("coordinator",),
    body=HonorabilityIn,
    response=ProfileOut,
    status=201,
    tag="bénévoles",
)
def record_honorability(volunteer_id):
    data = json_body()
    with services() as rpc:
        return created(rpc.volunteers.record_honorability(volunteer_id, data, auth.current_account().id))


@api_route(
    bp,
    "/volunteers/<volunteer_id>/insurance",
    "POST",
    "Enregistrer l'assurance qui couvre le bénévole, avec ses dates de validité (équipe)",
    roles=("coordinator",),
    body=InsuranceIn,
    response=ProfileOut,
    status=201,
    tag="bénévoles",
)
def record_insurance(volunteer_id):
    data = json_body()
    with services() as rpc:
        return created(rpc.volunteers.record_insurance(volunteer_id, data, auth.current_account().id))


@api_route(
    bp,
    "/volunteers/hours/<year>.csv",
    "GET",
    "Les heures de bénévolat de l'année, pour le rapport d'activité (CSV, équipe)",
    roles=("coordinator",),
    tag="bénévoles",
    content_type="text/csv",
)
def venue_hours_csv(year):
    return documents.volunteer_hours_csv(validated(HoursQuery(), {"year": year})["year"])

"""The venue's staff (team service): their profiles, diplomas and référent santé, their
attestation d'honorabilité, and the combined list of attestations to renew (staff, trainees,
volunteers). Creating a staff member is POST /staff (accounts.py): the account and its profile."""

from flask import jsonify

from services.gateway import auth, renewals, staff_leaving, staff_roles
from services.gateway.api import bp, created, services
from services.gateway.errors import ApiError
from services.gateway.pagination import page_response
from services.gateway.routing import api_route, json_body
from services.gateway.schemas import RenewalsOut
from services.team.schemas import AttestationOut, StaffHonorabilityIn, StaffOut, StaffPatchIn, StaffQuery


@api_route(
    bp,
    "/staff",
    "GET",
    "Les membres de l'équipe, leurs diplômes et leur attestation d'honorabilité (paramètres active, limit, cursor)",
    roles=("director",),
    response=StaffOut,
    many=True,
    query=StaffQuery,
    tag="équipe",
)
def list_staff_members(query):
    with services() as rpc:
        return page_response(rpc.team.list_staff(query), query)


@api_route(
    bp, "/staff/<staff_id>", "GET", "Un membre de l'équipe", roles=("director",), response=StaffOut, tag="équipe"
)
def get_staff_member(staff_id):
    with services() as rpc:
        return jsonify(rpc.team.get_staff(staff_id))


@api_route(
    bp,
    "/staff/<staff_id>",
    "PATCH",
    "Changer le poste, les diplômes, le référent santé, les rôles (staff_roles), ou noter un départ (active: false)",
    roles=("director",),
    body=StaffPatchIn,
    response=StaffOut,
    tag="équipe",
)
def update_staff_member(staff_id):
    data = json_body()
    by = auth.current_account()
    refusal = staff_leaving.leaving_yourself(staff_id, data, by)
    if refusal:
        raise ApiError(409, "conflict", refusal, {"active": [refusal]})
    with services() as rpc:
        member = rpc.team.update_staff(staff_id, data)
    staff_roles.keep(staff_id, member)  # open or closed on their next request
    staff_leaving.close_account_if_left(member, by)  # a member who left can no longer sign in
    return jsonify(member)


@api_route(
    bp,
    "/staff/<staff_id>/honorability",
    "POST",
    "Enregistrer l'attestation d'honorabilité vérifiée d'un membre de l'équipe (moins de 6 mois à la vérification)",
    roles=("director",),
    body=StaffHonorabilityIn,
    response=AttestationOut,
    status=201,
    tag="équipe",
)
def record_staff_honorability(staff_id):
    data = json_body()
    with services() as rpc:
        return created(rpc.team.record_honorability(staff_id, data, auth.current_account().id))


@api_route(
    bp,
    "/honorability/renewals",
    "GET",
    "Attestations d'honorabilité à renouveler dans les 60 jours : équipe, stagiaires et bénévoles",
    roles=("coordinator",),
    response=RenewalsOut,
    tag="équipe",
)
def honorability_renewals():
    with services() as rpc:
        found = renewals.combined(rpc)
    return jsonify({"items": found.items, "unavailable": found.unavailable})  # the services' lines, as JSON

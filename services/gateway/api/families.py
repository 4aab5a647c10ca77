"""The family file, for staff: find a family, read and correct its file, its history; a child's walking."""

from flask import jsonify

from services.bookings.schemas import (
    ChildWalkingIn,
    ChildWalkingOut,
    FamilyChangeOut,
    FamilyFileIn,
    FamilyFileOut,
    FamilyOut,
    FamilyQuery,
    HistoryQuery,
    MandateIn,
    MandateOut,
)
from services.gateway import auth, people
from services.gateway.api import bp, created, services
from services.gateway.pagination import page_response
from services.gateway.routing import api_route, json_body


def _staff_id():
    """Who makes the change, as the family's history keeps it: the signed-in staff account."""
    return auth.current_account().id


@api_route(
    bp,
    "/families",
    "GET",
    "Familles (recherche q dans l'adresse et les noms des responsables ; limit, cursor)",
    roles=("educator", "accounting"),
    many=True,
    query=FamilyQuery,
    response=FamilyOut,
    tag="familles",
)
def list_families(query):
    with services() as rpc:
        return page_response(rpc.bookings.list_families(query), query)


@api_route(
    bp,
    "/families/<family_id>",
    "GET",
    "Dossier d'une famille",
    roles=("educator", "accounting"),
    response=FamilyOut,
    tag="familles",
)
def get_family(family_id):
    with services() as rpc:
        return jsonify(rpc.bookings.get_family(family_id))


@api_route(
    bp,
    "/families/<family_id>",
    "PATCH",
    "Corriger le dossier d'une famille (ressources, enfants à charge, AEEH, recherche d'emploi)",
    roles=("accounting",),
    body=FamilyFileIn,
    response=FamilyFileOut,
    tag="familles",
)
def correct_family(family_id):
    data = json_body()
    with services() as rpc:
        return jsonify(rpc.bookings.correct_family(family_id, data, _staff_id()))


@api_route(
    bp,
    "/families/<family_id>/history",
    "GET",
    "Historique du dossier : qui a changé quoi, quand (limit, cursor)",
    roles=("educator", "accounting"),
    many=True,
    query=HistoryQuery,
    response=FamilyChangeOut,
    tag="familles",
)
def family_history(family_id, query):
    with services() as rpc:
        return page_response(rpc.bookings.list_family_history(family_id, query), query)


@api_route(
    bp,
    "/children/<child_id>",
    "PATCH",
    "Indiquer si un enfant marche (true, false ; null : selon l'âge)",
    roles=("educator",),
    body=ChildWalkingIn,
    response=ChildWalkingOut,
    tag="familles",
)
def set_child_walking(child_id):
    data = json_body()
    with services() as rpc:
        return jsonify(rpc.bookings.set_child_walking(child_id, data, _staff_id()))


# --- the family's SEPA direct debit mandate (IBAN answered masked) ------------------------------
@api_route(
    bp,
    "/families/me/mandate",
    "POST",
    "Enregistrer mon mandat de prélèvement SEPA (IBAN, titulaire, date de signature ; remplace le précédent)",
    roles=("family",),
    body=MandateIn,
    response=MandateOut,
    status=201,
    tag="familles",
)
def sign_my_mandate():
    data = json_body()
    with services() as rpc:
        return created(rpc.bookings.sign_mandate(people.own("family"), data))


@api_route(
    bp,
    "/families/me/mandate",
    "GET",
    "Mon mandat de prélèvement SEPA en cours (IBAN masqué)",
    roles=("family",),
    response=MandateOut,
    tag="familles",
)
def my_mandate():
    with services() as rpc:
        return jsonify(rpc.bookings.get_mandate(people.own("family")))


@api_route(
    bp,
    "/families/me/mandate",
    "DELETE",
    "Révoquer mon mandat de prélèvement SEPA (les factures ne sont plus prélevées ; 404 s'il n'y en a pas)",
    roles=("family",),
    response=MandateOut,
    tag="familles",
)
def revoke_my_mandate():
    with services() as rpc:
        return jsonify(rpc.bookings.revoke_mandate(people.own("family")))


@api_route(
    bp,
    "/families/<family_id>/mandate",
    "GET",
    "Mandat de prélèvement SEPA en cours d'une famille (IBAN masqué)",
    roles=("accounting",),
    response=MandateOut,
    tag="familles",
)
def family_mandate(family_id):
    with services() as rpc:
        return jsonify(rpc.bookings.get_mandate(family_id))

"""The child's file (bookings service): its health file (the family and staff), the adults allowed
to collect it (the family lists them), the incident and accident register (staff)."""

from flask import jsonify

from services.bookings.schemas import (
    HealthIn,
    HealthOut,
    IncidentIn,
    IncidentOut,
    PickupAdultIn,
    PickupAdultOut,
    PickupOptionsOut,
)
from services.gateway import auth
from services.gateway.api import bp, created, services
from services.gateway.api.childcare import family_scope
from services.gateway.pagination import page_response
from services.gateway.routing import api_route, json_body
from shared.pagination import PageQuery


@api_route(
    bp,
    "/children/<child_id>/health",
    "GET",
    "Dossier de santé d'un enfant (sa famille, l'équipe)",
    roles=("educator", "family"),
    response=HealthOut,
    tag="enfants",
)
def get_child_health(child_id):
    with services() as rpc:
        return jsonify(rpc.bookings.get_child_health(child_id, family_scope()))


@api_route(
    bp,
    "/children/<child_id>/health",
    "PUT",
    "Enregistrer le dossier de santé d'un enfant : allergies, PAI, protocole médicamenteux, vaccinations, "
    "médecin, autorisation d'urgence (remplace le précédent)",
    roles=("educator", "family"),
    body=HealthIn,
    response=HealthOut,
    tag="enfants",
)
def put_child_health(child_id):
    data = json_body()
    with services() as rpc:
        return jsonify(rpc.bookings.put_child_health(child_id, data, family_scope()))


@api_route(
    bp,
    "/children/<child_id>/pickup-adults",
    "POST",
    "Autoriser un adulte à venir chercher l'enfant",
    roles=("family",),
    body=PickupAdultIn,
    status=201,
    response=PickupAdultOut,
    tag="enfants",
)
def add_pickup_adult(child_id):
    data = json_body()
    with services() as rpc:
        return created(rpc.bookings.add_pickup_adult(child_id, data, family_scope()))


@api_route(
    bp,
    "/children/<child_id>/pickup-adults",
    "GET",
    "Adultes autorisés à venir chercher l'enfant (limit, cursor)",
    roles=("educator", "family"),
    many=True,
    query=PageQuery,
    response=PickupAdultOut,
    tag="enfants",
)
def list_pickup_adults(child_id, query):
    with services() as rpc:
        return page_response(rpc.bookings.list_pickup_adults(child_id, query, family_scope()), query)


@api_route(
    bp,
    "/children/<child_id>/pickup-adults/<adult_id>",
    "DELETE",
    "Retirer un adulte de la liste (il ne peut plus venir chercher l'enfant)",
    roles=("family",),
    response=PickupAdultOut,
    tag="enfants",
)
def remove_pickup_adult(child_id, adult_id):
    with services() as rpc:
        return jsonify(rpc.bookings.remove_pickup_adult(child_id, adult_id, family_scope()))


@api_route(
    bp,
    "/children/<child_id>/pickup-people",
    "GET",
    "Qui peut venir chercher l'enfant : ses responsables et les adultes autorisés (au départ)",
    roles=("educator",),
    response=PickupOptionsOut,
    tag="enfants",
)
def pickup_options(child_id):
    with services() as rpc:
        return jsonify(rpc.bookings.pickup_options(child_id))


@api_route(
    bp,
    "/children/<child_id>/incidents",
    "POST",
    "Inscrire un incident ou un accident au registre (une correction est une nouvelle ligne : corrects)",
    roles=("educator",),
    body=IncidentIn,
    status=201,
    response=IncidentOut,
    tag="enfants",
)
def record_incident(child_id):
    data = json_body()
    with services() as rpc:
        return created(rpc.bookings.record_incident(child_id, data, auth.current_account().id))


@api_route(
    bp,
    "/children/<child_id>/incidents",
    "GET",
    "Registre des incidents et accidents d'un enfant (limit, cursor)",
    roles=("educator",),
    many=True,
    query=PageQuery,
    response=IncidentOut,
    tag="enfants",
)
def list_incidents(child_id, query):
    with services() as rpc:
        return page_response(rpc.bookings.list_incidents(child_id, query), query)
